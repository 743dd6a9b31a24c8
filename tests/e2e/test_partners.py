"""End to end, offline: the partners map (tests/e2e/partners_app.py, the map alone on a page) draws one SVG
path per arc with Algeria's dashed, loads nothing from another host, and a click on a headquarters comes
back to Python as the partner's id; markup in a partner's name stays text."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from components.partners import PARTNERS_JS, build_partners_data
from core.assets import LEAFLET_JS
from core.data import DEFAULT_DATA_DIR, load_dataset
from scripts.pages import MAP_FRAME, map_frame, wait_idle
from scripts.server import streamlit_server
from tests.conftest import copy_bundled, read_rows, write_rows

ROOT = Path(__file__).resolve().parents[2]
XSS = "<img src=x onerror=alert(1)>"
DRAWN = ".leaflet-container[data-partners-arcs]"
# the container point of a partner's headquarters marker (fanned out where several share a city)
HQ_POINT = """(id) => { const m = window.__ppp.hqs[id], p = map.latLngToContainerPoint(m.getLatLng());
  return {x: p.x, y: p.y}; }"""


@contextmanager
def partners_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """tests/e2e/partners_app.py served as the app is, from a temporary folder whose ``static`` links to
    the app's (Streamlit serves static/ from beside the main script, as scripts/benchmark.py does)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "app.py"
        app.write_text((ROOT / "tests" / "e2e" / "partners_app.py").read_text(encoding="utf-8"), encoding="utf-8")
        (Path(tmp) / "static").symlink_to(ROOT / "static")
        with streamlit_server(script=app, env={"PYTHONPATH": str(ROOT), **(env or {})}) as url:
            yield url


@pytest.fixture(scope="module")
def partners_url():
    with partners_server() as url:
        yield url


def open_partners(page, url: str, query: str = ""):
    page.goto(url + "/" + query)
    wait_idle(page)
    frame = map_frame(page)
    frame.wait_for_selector(DRAWN, state="attached")
    frame.wait_for_function("() => window.__ppp && window.__ppp.groups.countries.getLayers().length > 0")
    return frame


def test_the_arcs_are_drawn_with_algeria_dashed_and_nothing_leaves_the_machine(page, partners_url, output_dir):
    ds = load_dataset(DEFAULT_DATA_DIR)
    expected = len(build_partners_data(ds.partners, ds.plants, ds.countries).arcs)
    assert expected == 9  # eight (partner, plant) pairs and the Algeria talks
    frame = open_partners(page, partners_url)
    box = frame.locator(DRAWN)
    assert box.get_attribute("data-partners-arcs") == str(expected)
    assert box.get_attribute("data-partners-dashed") == "1"
    # SVG: each arc is a path; the one dashed path is Saidal's
    dashed = frame.locator(".leaflet-overlay-pane path[stroke-dasharray]")
    expect(dashed).to_have_count(1)
    assert dashed.get_attribute("stroke-dasharray") == "8 6"
    assert frame.evaluate("""() => window.__ppp.arcs.filter(l => l.options.dashArray)
                                     .map(l => l.feature.properties.partner_id)""") == ["saidal"]
    assert frame.evaluate("() => window.__ppp.arcs.every(l => l.getElement() instanceof SVGPathElement)")
    expect(frame.locator(".ppp-arc")).to_have_text("talks, 22 December 2025")
    # every headquarters and plant is inside the first view
    assert frame.evaluate("""() => { const v = map.getBounds();
        return Object.values(window.__ppp.hqs).every(m => v.contains(m.getLatLng()))
            && window.__ppp.groups.plants.getLayers().every(m => v.contains(m.getLatLng())); }""")
    assert frame.locator(".leaflet-tile").count() == 0
    assert partners_url + LEAFLET_JS in page.requests and partners_url + PARTNERS_JS in page.requests
    assert page.requests.off_host() == []
    frame.wait_for_function(INSIDE)  # labels inside the map, no point under the legend
    page.locator(MAP_FRAME).evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(output_dir / "partners-1366x768.png"))


INSIDE = """() => { const box = map.getContainer().getBoundingClientRect();
  const inside = r => r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
  const labels = [...document.querySelectorAll('.ppp-r span, .ppp-l span, .ppp-arc span')];
  const legend = document.querySelector('.ppp-legend').getBoundingClientRect();
  const hidden = Object.values(window.__ppp.hqs).concat(window.__ppp.groups.plants.getLayers()).filter(m => {
      const p = m.getElement().getBoundingClientRect();
      return p.right > legend.left && p.left < legend.right && p.bottom > legend.top && p.top < legend.bottom; });
  return labels.length === 7 && labels.every(l => inside(l.getBoundingClientRect())) && hidden.length === 0; }"""


def test_labels_and_legend_fit_even_when_the_stylesheet_comes_late(page, partners_url):
    """streamlit-folium does not wait for the stylesheets: a map drawn before partners.css has arrived
    (a cold cache) measured unstyled labels and cut the Beijing label at the map's edge."""
    held = []
    page.route("**/pharmamap/partners.css*", lambda route: held.append(route))
    page.goto(partners_url + "/")
    wait_idle(page)
    frame = map_frame(page)
    frame.wait_for_selector(DRAWN, state="attached")
    assert len(held) == 1 and frame.evaluate("() => !document.querySelector('.ppp-label span').offsetWidth "
                                             "|| getComputedStyle(document.querySelector('.ppp-legend')).position "
                                             "!== 'absolute'")
    held[0].continue_()
    frame.wait_for_function("() => getComputedStyle(document.querySelector('.ppp-legend')).position === 'absolute'")
    frame.wait_for_function(INSIDE, timeout=10_000)


def test_a_click_on_saidal_returns_its_partner_id(page, partners_url):
    frame = open_partners(page, partners_url)
    page.get_by_text("clicked: None").wait_for()
    # a click on a partly hidden iframe scrolls it between mousedown and click: bring it into view first
    page.locator(MAP_FRAME).evaluate("el => el.scrollIntoView({block: 'center'})")
    point = frame.evaluate(HQ_POINT, "saidal")
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").click(position=point)
    page.get_by_text("clicked: saidal").wait_for(timeout=30_000)


def test_the_second_beijing_marker_is_clickable_too(page, partners_url):
    """Sinopharm and Sinovac share Beijing: their markers sit side by side, each clickable."""
    frame = open_partners(page, partners_url)
    page.locator(MAP_FRAME).evaluate("el => el.scrollIntoView({block: 'center'})")
    a, b = frame.evaluate(HQ_POINT, "sinopharm"), frame.evaluate(HQ_POINT, "sinovac")
    assert abs(a["x"] - b["x"]) >= 8 and a["y"] == b["y"]
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").click(position=b)
    page.get_by_text("clicked: sinovac").wait_for(timeout=30_000)


def test_markup_in_a_partner_name_is_shown_as_text(browser, tmp_path):
    data = copy_bundled(tmp_path / "data")
    rows = read_rows(data / "partners.csv")
    next(r for r in rows if r["partner_id"] == "saidal")["name"] = XSS
    write_rows(data / "partners.csv", rows)
    with partners_server(env={"PHARMAMAP_DATA_DIR": str(data)}) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        frame = open_partners(page, url)
        frame.evaluate("() => window.__ppp.hqs.saidal.openTooltip()")
        tip = frame.locator(".leaflet-tooltip")
        expect(tip).to_contain_text(XSS)
        expect(frame.locator(".ppp-r, .ppp-l").filter(has_text=XSS)).to_have_count(1)  # the headquarters label
        expect(frame.locator(".ppp-legend")).to_contain_text(XSS)
        assert frame.locator("img[src='x']").count() == 0 and page.locator("img[src='x']").count() == 0
        assert XSS in page.get_by_test_id("stCaptionContainer").first.inner_text()
        assert dialogs == []
        context.close()
