"""A link that opens on another tab makes the map inside a hidden tab (a frame of size 0): the map must
wait for a size before it fits its view, so that switching to the map tab shows it whole, with no error.
(It used to throw "Invalid LatLng object: (NaN, NaN)", then "Map container is already initialized.",
and leave a map of height 0.)"""

from __future__ import annotations

import pytest

from scripts.pages import COUNT_MARKERS, MAP_FRAME, wait_complete, wait_markers

ON_SCREEN = """() => { const P = window.__ppm, view = map.getBounds(), size = map.getSize();
  return P.markers.filter(m => view.contains(m.getLatLng())).length === 4 && size.x > 300 && size.y > 300
         && isFinite(map.getZoom()) && P.shown === 4; }"""
VIEW = "() => [map.getZoom(), map.getCenter().lat, map.getCenter().lng, map.getSize().x, map.getSize().y]"


@pytest.fixture(scope="module")
def first_view(browser, app_url):
    """The map's view when the page opens on the map tab: its frame had a size from the start."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(app_url)
    wait_complete(page)
    frame = wait_markers(page, 4)
    frame.wait_for_function(ON_SCREEN)
    view = frame.evaluate(VIEW)
    context.close()
    return view


def record_errors(page) -> list[str]:
    """Uncaught exceptions and console errors, from the page and every frame in it (the map's iframe too)."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(f"console.error: {m.text}") if m.type == "error" else None)
    return errors


@pytest.mark.parametrize("tab", ["table", "sources"])
def test_a_link_to_another_tab_then_the_map_tab_shows_the_map(page, app_url, output_dir, first_view, tab):
    errors = record_errors(page)
    page.goto(f"{app_url}/?tab={tab}")
    wait_complete(page)
    # the map's frame is made in the hidden tab, and its script has run there
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=60_000)
    hidden = page.query_selector(MAP_FRAME).content_frame()
    hidden.wait_for_function("() => document.querySelector('.leaflet-container')", timeout=30_000)
    assert page.locator(MAP_FRAME).bounding_box() is None, "the map's tab should be hidden"
    assert errors == []

    page.get_by_role("tab", name="Map & charts").click()
    page.wait_for_function(f"""() => {{ const f = document.querySelector('{MAP_FRAME}');
        return f && f.getBoundingClientRect().height > 300; }}""", timeout=30_000)
    frame = wait_markers(page, 4)
    frame.wait_for_function(ON_SCREEN, timeout=30_000)  # every plant in view
    assert frame.evaluate(COUNT_MARKERS) == 4
    zoom, lat, lng, *size = frame.evaluate(VIEW)
    assert size == first_view[3:], "same frame size as a map opened on its own tab"
    # fitted to the host regions once the frame had a size, as if the page had opened on the map
    # (within 0.05°, about 2 px at that zoom: the frame passes through intermediate widths on the way)
    assert zoom == first_view[0] and abs(lat - first_view[1]) < 0.05 and abs(lng - first_view[2]) < 0.05
    assert page.locator(MAP_FRAME).bounding_box()["height"] > 300
    page.screenshot(path=str(output_dir / f"map-after-tab-{tab}.png"))
    assert errors == []
    assert page.requests.off_host() == []
