"""The wider picture in the browser, offline: the scope control and the as-of date move the markers."""

from __future__ import annotations

from playwright.sync_api import expect

from scripts.pages import SHOWN_NAMES, open_dashboard, wait_idle, wait_markers


def test_before_22_january_2026_the_four_plants_are_gone(page, app_url):
    frame = open_dashboard(page, app_url, "?scope=six&asof=2026-01-21", markers=2)
    frame.wait_for_function("() => window.__ppm.details !== null")
    assert sorted(frame.evaluate(SHOWN_NAMES)) == ["Chimpharm (SANTO) expansion, Shymkent", "Khan Tengri Biopharma"]
    # Chimpharm was in talks then (June 2025): its status is on the marker and in the legend
    expect(frame.locator(".ppm-legend")).to_contain_text("talks (prospective)")
    expect(page.get_by_test_id("stMetricValue").nth(4)).to_have_text("2")
    assert page.requests.off_host() == []


def test_the_scope_control_adds_the_six_agreements_and_the_existing_plants(page, app_url):
    open_dashboard(page, app_url)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("All six agreements").click()
    wait_markers(page, 6)
    page.wait_for_url("**scope=six**")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("> 315.9 bn")
    sidebar.get_by_text("With existing plants").click()
    wait_markers(page, 9)
    expect(page.get_by_test_id("stMetricValue").nth(4)).to_have_text("6")  # existing plants are not summed
    assert page.requests.off_host() == []


PARTNERS_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
DRAWN = ".leaflet-container[data-partners-arcs]"


def partners_frame(page):
    """The frame of the partners map (the explore view also keeps the main map's iframe, hidden in its tab)."""
    page.wait_for_function(f"""() => [...document.querySelectorAll('{PARTNERS_FRAME}')].some(f =>
        f.contentDocument && f.contentDocument.querySelector('{DRAWN}'))""", timeout=60_000)
    for handle in page.query_selector_all(PARTNERS_FRAME):
        frame = handle.content_frame()
        if frame is not None and frame.query_selector(DRAWN):
            return frame
    raise AssertionError("no partners map")


def test_the_presentation_reaches_who_we_work_with(page, app_url):
    page.goto(app_url + "/?view=present&step=6")  # counted from 1, as on the page: the sixth step of seven
    wait_idle(page)
    expect(page.get_by_text("step 6 of 7 · Who we work with")).to_be_visible()
    frame = partners_frame(page)
    box = frame.locator(DRAWN)
    # the four plants' partners (Sinopharm, Sinovac, Kangtai, Abdi İbrahim) and Algeria's talks
    assert (box.get_attribute("data-partners-arcs"), box.get_attribute("data-partners-dashed")) == ("5", "1")
    expect(frame.locator(".ppp-arc")).to_have_text("talks, 22 December 2025")
    expect(page.get_by_test_id("stMarkdownContainer").filter(has_text="Saidal, talks on 22 December 2025")
           ).to_have_count(1)
    assert page.requests.off_host() == []


def test_a_click_on_a_headquarters_filters_the_view_to_its_projects(page, app_url):
    page.goto(app_url + "/?scope=existing&tab=partners")
    wait_idle(page)
    frame = partners_frame(page)
    assert frame.locator(DRAWN).get_attribute("data-partners-arcs") == "9"
    handle = next(h for h in page.query_selector_all(PARTNERS_FRAME) if h.content_frame() == frame)
    handle.scroll_into_view_if_needed()
    point = frame.evaluate("""(id) => { const m = window.__ppp.hqs[id], p = map.latLngToContainerPoint(m.getLatLng());
                                        return {x: p.x, y: p.y}; }""", "polpharma")
    frame.locator(".leaflet-container").click(position=point)
    page.wait_for_url("**partner=polpharma**")
    # Polpharma: Chimpharm's expansion and its existing plant, both in Shymkent
    wait_markers(page, 2)
    expect(page.get_by_test_id("stMetricValue").nth(4)).to_have_text("1")  # the existing plant is not summed
