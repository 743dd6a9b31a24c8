"""A filter that matches no plant (issue #11): the KPIs say 0, never "not disclosed", none cut short; the map
says so over itself and what to change, and carries data-plants-drawn="0"; the charts say what to change. At the
screen-share and the laptop size, in the three languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core import i18n
from scripts.pages import MAP_FRAME, open_dashboard

CUT = """() => [...document.querySelectorAll('[data-testid="stMetricValue"] div, [data-testid="stMetricLabel"] p, ' +
                                        '[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p')]
  .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""


def words(lang: str, *messages: str) -> list[str]:
    i18n.use(lang)
    try:
        return [i18n.t(m) for m in messages]
    finally:
        i18n.use("en")


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_nothing_matching_says_zero_and_what_to_change(browser, app_url, lang, size):
    bn, not_disclosed, none, charts = words(
        lang, "bn", "not disclosed",
        "No plant matches these filters. Use 'Reset filters' in the sidebar to see all plants.",
        "No plant matches the filters, so there is nothing to chart. Choose other areas, regions or companies, "
        "widen the investment range, or use 'Reset filters' in the sidebar.")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        frame = open_dashboard(page, app_url, f"?area=cold&lang={lang}", markers=0)  # no source names a plant
        values = page.get_by_test_id("stMetricValue")
        expect(values).to_have_text([f"0 {bn}", "0", "0", "0", "0"])
        kpis = page.evaluate("""() => document.querySelector('[data-testid="stMetric"]')
                                  .closest('[data-testid="stHorizontalBlock"]').innerText""")
        assert not_disclosed not in kpis and kpis.count(words(lang, "No plant matches the filters.")[0]) == 1
        assert page.evaluate(CUT) == []
        box = frame.locator(".leaflet-container")
        expect(box).to_have_attribute("data-plants-drawn", "0")
        expect(frame.locator(".ppm-none")).to_have_text(none)
        expect(frame.locator(".ppm-none")).to_be_visible()
        expect(page.get_by_test_id("stAlert").filter(has_text=charts)).to_have_count(1)
    finally:
        context.close()


def test_nothing_matching_in_dollars_and_back(page, app_url):
    """The chosen currency's zero; the note over the map goes when plants are drawn again."""
    frame = open_dashboard(page, app_url, "?area=cold&currency=USD", markers=0)
    expect(page.get_by_test_id("stMetricLabel").first).to_contain_text("Investment, USD")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("US$0.0 M")
    page.get_by_role("button", name="Reset filters").click()
    frame.locator(".leaflet-container[data-plants-drawn='4']").wait_for()
    expect(frame.locator(".ppm-none")).to_be_hidden()
    assert page.frame_locator(MAP_FRAME).locator(".ppm-none").count() == 1
