"""axe-core (node_modules/axe-core, pinned in package.json) in every frame of every view, in three languages:
no serious or critical violation. Explore view (map tab), the Table, Sources & method, Export and Partners
tabs, and each step of presentation mode. One page load per language and mode: the tabs and steps are
reached by clicking, as a user would. With PHARMAMAP_AXE_REPORT=path the counts per view are written there
as JSON (docs/accessibility.md), and the test still fails on any violation."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from components.present import key_class
from core import keys as K
from core.urlstate import TABS
from scripts.pages import MAP_FRAME, map_frame, open_dashboard, wait_idle

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")
LANGS = ("en", "ru", "kk")
# tab code -> what shows the tab is drawn (inside the open tab panel)
TAB_READY = {"table": "[data-testid='stDataFrame']", "sources": "[data-testid='stHeading']",
             "export": "[data-testid='stDownloadButton']", "partners": MAP_FRAME}
RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '),
                              summary: (n.failureSummary || '').split('\\n').slice(0, 3).join(' ')}))}));
}"""
REPORT: dict[str, dict[str, int]] = {}


def axe_page(page: Page, view: str) -> list[str]:
    """axe in every frame of the page; the serious and critical violations, one readable line per node."""
    source = AXE.read_text()
    found, counts = [], {"serious": 0, "critical": 0, "frames": 0}
    for frame in page.frames:
        try:
            frame.evaluate(source)
            violations = frame.evaluate(RUN)
        except PlaywrightError as exc:
            if "detached" in str(exc):  # a frame replaced while we ran (never the case for the views we test)
                continue
            raise
        counts["frames"] += 1
        for v in violations:
            if v["impact"] not in SEVERE:
                continue
            counts[v["impact"]] += len(v["nodes"])
            found += [f"{view}: {v['impact']} {v['id']} ({v['help']}) in {frame.url[:80]} at {n['target']}: "
                      f"{n['summary']}" for n in v["nodes"]]
    REPORT[view] = counts
    return found


def open_tab(page: Page, code: str) -> None:
    page.get_by_role("tab").nth(list(TABS).index(code)).click()
    panel = page.locator("[role='tabpanel']:visible")
    expect(panel.locator(TAB_READY[code]).first).to_be_visible(timeout=60_000)
    wait_idle(page)
    if code == "partners":
        handle = page.locator(f"[role='tabpanel']:visible {MAP_FRAME}").element_handle()
        frame = handle.content_frame() if handle else None
        assert frame is not None
        frame.wait_for_function("() => window.__ppp && window.__ppp.groups.countries.getLayers().length > 0")


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    path = os.environ.get("PHARMAMAP_AXE_REPORT")
    if path:
        Path(path).write_text(json.dumps(REPORT, indent=1, ensure_ascii=False))


def check(found: list[str]) -> None:
    assert not found, f"{len(found)} serious or critical axe violations:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_explore_and_its_tabs_have_no_serious_violation(page, app_url, lang):
    open_dashboard(page, app_url, f"?lang={lang}")
    found = axe_page(page, f"explore {lang}")
    for code in TAB_READY:
        open_tab(page, code)
        found += axe_page(page, f"{code} {lang}")
    check(found)


@pytest.mark.parametrize("lang", LANGS)
def test_every_step_of_presentation_mode_has_no_serious_violation_and_is_announced(page, app_url, lang):
    open_dashboard(page, app_url, f"?view=present&step=1&lang={lang}")
    bar = page.locator("." + key_class(K.TOUR_BAR))
    found, k = [], 1
    while True:
        if k > 1:  # the link follows the step (written at the end of each run)
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('step') === '{k}'")
        wait_idle(page)
        # the tour's live region announces the step (components/present.py)
        expect(bar.get_by_role("status")).to_have_text(re.compile(rf"^(?=.*\b{k}\b)(?=.*\b7\b).+ · \S"))
        if page.locator(MAP_FRAME).count():
            map_frame(page)
        found += axe_page(page, f"present step {k} {lang}")
        nxt = bar.locator(f".{key_class(K.TOUR_NEXT)} button").first
        if nxt.is_disabled():
            break
        nxt.click()
        k += 1
    assert k == 7, "the tour has 7 steps with the bundled data"
    check(found)
