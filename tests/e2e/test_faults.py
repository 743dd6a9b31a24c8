"""Missing static assets: when Leaflet or the map's own script cannot load, a clear message stands where
the map would be (static/pharmamap/guard.js) and the rest of the page works."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scripts.pages import MAP_FRAME, open_dashboard

MESSAGE = "The map could not be loaded (a script of the map is missing or was blocked)."


@pytest.mark.parametrize("script", ["/app/static/leaflet/leaflet.js", "/app/static/pharmamap/map.js"])
def test_a_missing_map_script_leaves_a_message_and_a_working_page(page, app_url, script):
    blocked: list[str] = []

    def refuse(route):
        blocked.append(route.request.url)
        route.abort()

    page.route(f"**{script}*", refuse)
    page.context.route(f"**{script}*", refuse)  # the map's iframe too
    open_dashboard(page, app_url, markers=None)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("#pm-missing")).to_contain_text(MESSAGE, timeout=30_000)
    # the frame is tall enough to show it (streamlit-folium sizes it only once a map exists)
    page.wait_for_function(f"() => document.querySelector('{MAP_FRAME}').getBoundingClientRect().height > 40")
    assert blocked and all(script in u for u in blocked)
    metrics = page.get_by_test_id("stMetricValue")
    expect(metrics.nth(4)).to_have_text("4")
    # a filter still works: Oncology leaves AltINFARM alone
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").first.locator("input").click()
    page.keyboard.type("Oncology")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url(lambda u: "area=oncology" in u)
    expect(metrics.nth(4)).to_have_text("1")
    assert page.get_by_test_id("stException").count() == 0
