"""Page helpers shared by the browser tests (tests/e2e), the screenshot script and the benchmark:
wait for states, not time."""

from __future__ import annotations

from typing import overload

from playwright.sync_api import Frame, Page

MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
# plant markers on a map's window, less those the filters hide (components/map.py keeps them, undrawn)
COUNT_IN = """(w) => { if (!w || !w.map || !w.L) return -1; let n = 0;
  w.map.eachLayer(l => { if (l instanceof w.L.CircleMarker && l.feature && l.feature.properties.i !== undefined
                            && !l._ppmHidden) n++; });
  return n; }"""
COUNT_MARKERS = f"() => ({COUNT_IN})(window)"  # evaluated in the map's frame
# evaluated in the page: true once the one map frame there holds ``n`` markers. Read through the iframe
# element each time, because a rerun that rebuilds the map (another scope or language) replaces the frame,
# and a wait bound to the old Frame object can miss that and time out
FRAME_HOLDS = f"""(n) => {{ const f = document.querySelectorAll('{MAP_FRAME}');
  return f.length === 1 && ({COUNT_IN})(f[0].contentWindow) === n; }}"""
# plant ids travel with the tooltip texts, which load after the markers
WITH_MARKER = """([id, action]) => { const P = window.__ppm; if (!P || !P.details) return null;
  const m = P.markers[P.details.id.indexOf(id)]; if (!m) return null;
  if (action === 'tooltip') { P.openTip(m); return true; }
  if (action === 'point') { const p = map.latLngToContainerPoint(m.getLatLng()); return {x: p.x, y: p.y}; }
  return null; }"""
SHOWN_NAMES = """() => { const P = window.__ppm, n = [];
  P.group.eachLayer(m => { if (!m._ppmHidden) n.push(P.details.t[m.feature.properties.i][0]); }); return n; }"""


def on_marker(frame, plant_id: str, action: str):
    """Run ``action`` ('tooltip' or 'point') on a plant's marker once its data has arrived."""
    frame.wait_for_function("() => window.__ppm && window.__ppm.details !== null")
    return frame.evaluate(WITH_MARKER, [plant_id, action])


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until no script run is going on. Right after an input the rerun may not have
    started yet: follow with a wait for the expected result, not a check."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def map_frame(page: Page) -> Frame:
    """The Frame object of the streamlit-folium iframe, once its map exists and is shown. A rerun that
    rebuilds the map (another language) holds the old and the new iframe for a moment: wait for one."""
    page.wait_for_function(f"""() => {{ const f = document.querySelectorAll('{MAP_FRAME}');
        const map = f.length === 1 && f[0].contentDocument && f[0].contentDocument.querySelector('.leaflet-container');
        return map && map.getBoundingClientRect().height > 0 && f[0].getBoundingClientRect().height > 0; }}""",
                           timeout=60_000)
    for _ in range(3):  # the iframe may be replaced between the wait and the query (a rebuilt map): again
        handle = page.query_selector(MAP_FRAME)
        frame = handle.content_frame() if handle else None
        if frame is not None:
            return frame
        page.wait_for_selector(MAP_FRAME, timeout=60_000)
    raise AssertionError(f"{MAP_FRAME} has no frame")


def wait_markers(page: Page, n: int, timeout: float = 30_000) -> Frame:
    """Wait until the map holds exactly ``n`` plant markers; return its frame. A rerun may rebuild the
    map (another scope or language) while we wait: the count is read from whichever frame is there."""
    page.wait_for_function(FRAME_HOLDS, arg=n, timeout=timeout)
    return map_frame(page)


def wait_complete(page, timeout: float = 60_000) -> None:
    """Wait for the whole page: the sidebar's filters are there and no script run is going on."""
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.wait_for(state="attached", timeout=timeout)
    wait_idle(page, timeout)


@overload
def open_dashboard(page: Page, url: str, query: str = "", markers: int = 4) -> Frame: ...


@overload
def open_dashboard(page: Page, url: str, query: str = "", *, markers: None) -> None: ...


@overload
def open_dashboard(page: Page, url: str, query: str = "", markers: int | None = 4) -> Frame | None: ...


def open_dashboard(page: Page, url: str, query: str = "", markers: int | None = 4) -> Frame | None:
    """The dashboard, whole; with ``markers``, once the map holds that many, and its frame."""
    page.goto(url + "/" + query)
    wait_complete(page)
    if markers is not None:
        return wait_markers(page, markers)
    return None
