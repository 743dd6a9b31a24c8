"""Page helpers shared by the browser tests and the screenshot script: wait for states, not time."""

from __future__ import annotations

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# plant markers on the map, less those the filters hide (components/map.py keeps them, undrawn)
COUNT_MARKERS = """() => { if (!window.map || !window.L) return -1; let n = 0;
  window.map.eachLayer(l => { if (l instanceof L.CircleMarker && l.feature && l.feature.properties.i !== undefined
                                 && !l._ppmHidden) n++; });
  return n; }"""
# plant ids travel with the tooltip texts, which load after the markers
WITH_MARKER = """([id, action]) => { const P = window.__ppm; if (!P || !P.details) return null;
  const m = P.markers[P.details.id.indexOf(id)]; if (!m) return null;
  if (action === 'tooltip') { m.openTooltip(); return true; }
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


def map_frame(page):
    """The Frame object of the streamlit-folium iframe, once its map exists and is shown. A rerun that
    rebuilds the map (another language) holds the old and the new iframe for a moment: wait for one."""
    page.wait_for_function(f"""() => {{ const f = document.querySelectorAll('{MAP_FRAME}');
        const map = f.length === 1 && f[0].contentDocument && f[0].contentDocument.querySelector('.leaflet-container');
        return map && map.getBoundingClientRect().height > 0 && f[0].getBoundingClientRect().height > 0; }}""",
                           timeout=60_000)
    return page.query_selector(MAP_FRAME).content_frame()


def wait_markers(page, n: int, timeout: float = 30_000):
    """Wait until the map holds exactly ``n`` plant markers; return the frame."""
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({COUNT_MARKERS})() === {n}", timeout=timeout)
    return frame


def wait_complete(page, timeout: float = 60_000) -> None:
    """Wait for the whole page: a session's first run draws the map alone, and the sidebar, charts
    and details follow once the map is drawn (app.py)."""
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.wait_for(state="attached", timeout=timeout)
    wait_idle(page, timeout)


def open_dashboard(page, url: str, query: str = "", markers: int | None = 4):
    page.goto(url + "/" + query)
    wait_complete(page)
    if markers is not None:
        return wait_markers(page, markers)
    return None
