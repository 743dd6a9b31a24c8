"""The wider picture in the browser, offline: the scope control and the as-of date move the markers."""

from __future__ import annotations

from playwright.sync_api import expect

from scripts.pages import SHOWN_NAMES, open_dashboard, wait_markers


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
