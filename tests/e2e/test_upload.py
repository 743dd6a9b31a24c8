"""The "Your data" tab in a browser, through Playwright's set_input_files: a good file shows its rows on the
map with the banner, a file with five problems lists all five, each hostile file gets its message, and
the bundled data files are byte-for-byte the same afterwards."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import Error as PlaywrightError

from core.data import DEFAULT_DATA_DIR
from scripts.pages import map_frame, open_dashboard, wait_idle
from tests import upload_files as F

DRAWN = "(n) => { const b = document.querySelector('[data-plants-drawn]'); " \
        "return b !== null && b.getAttribute('data-plants-drawn') === String(n); }"
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def bundled_hashes() -> dict[str, str]:
    files = sorted([*DEFAULT_DATA_DIR.glob("*.csv"), DEFAULT_DATA_DIR / "regions.geojson"])
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def hashes_before():
    return bundled_hashes()


def wait_drawn(page, n: int) -> None:
    """Wait until the map has drawn ``n`` plants. Another table rebuilds the map: a frame found just before
    may be replaced (detached) while we wait, then wait on the new one (as scripts/pages.wait_markers)."""
    for attempt in range(3):
        try:
            map_frame(page).wait_for_function(DRAWN, arg=n, timeout=30_000)
            return
        except PlaywrightError as exc:
            if "detached" not in str(exc) or attempt == 2:
                raise


def open_tab(page, app_url):
    open_dashboard(page, app_url)
    page.get_by_role("tab", name="Your data").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").wait_for(state="attached", timeout=30_000)


def send(page, name: str, raw: bytes) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": MIME[name.rsplit(".", 1)[1]], "buffer": raw}])


def test_a_good_file_previews_its_rows_on_the_map(page, app_url, output_dir, hashes_before):
    open_tab(page, app_url)
    send(page, "update.csv", F.good())
    page.get_by_text("update.csv: 2 of 2 rows passed the checks; 0 problems.").wait_for(timeout=30_000)
    page.get_by_role("button", name="Show these 2 plants on the map, charts and table").click()
    page.get_by_text("Your data (not published): 2 plants from update.csv").first.wait_for(timeout=30_000)
    page.get_by_role("tab", name="Map & charts").click()
    wait_drawn(page, 2)
    page.screenshot(path=str(output_dir / "upload-preview.png"))
    page.get_by_role("button", name="Back to the bundled data").click()
    wait_drawn(page, 4)
    assert page.get_by_text("Your data (not published)").count() == 0
    assert page.requests.off_host() == []
    assert bundled_hashes() == hashes_before


def problem_rows(page) -> list[str]:
    """The report table's rows as text (st.dataframe draws on a canvas; its CSV download holds the rows)."""
    with page.expect_download() as info:
        page.get_by_role("button", name="Problems (CSV)").click()
    return info.value.path().read_text(encoding="utf-8-sig").splitlines()[1:]


def test_five_problems_are_listed_at_once(page, app_url, hashes_before):
    open_tab(page, app_url)
    send(page, "five.csv", F.five_problems())
    page.get_by_text("five.csv: 4 of 9 rows passed the checks; 5 problems.").wait_for(timeout=30_000)
    rows = problem_rows(page)
    assert sorted(r.split(",")[1:3] for r in rows) == [[str(row), column] for row, column, _ in F.FIVE]
    assert bundled_hashes() == hashes_before


@pytest.mark.parametrize("case", [c for c in F.hostile() if c != "too_big"])
def test_a_hostile_file_gets_its_message_and_nothing_else(page, app_url, case, hashes_before):
    name, raw, expected = F.hostile()[case]
    open_tab(page, app_url)
    send(page, name, raw)
    page.get_by_text(f"{name} cannot be used").wait_for(timeout=30_000)
    wait_idle(page)
    assert any(expected in r for r in problem_rows(page))
    assert page.get_by_role("button", name="Show these").count() == 0
    assert bundled_hashes() == hashes_before


def test_a_file_over_5_mb_is_refused_by_the_uploader(page, app_url):
    name, raw, _ = F.hostile()["too_big"]
    open_tab(page, app_url)
    send(page, name, raw)
    page.get_by_text("File must be 5.0MB or smaller.").wait_for(timeout=30_000)
    assert page.get_by_text(f"{name} cannot be used").count() == 0
