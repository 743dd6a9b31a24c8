"""Within one session: after a language or scope switch relabels the select widgets, the browser must
hold the new labels, or the next input brings the old ones and the filters are lost (components/filters.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scripts.pages import open_dashboard, wait_idle, wait_markers
from tests.e2e.test_restart import LINKED


def params(url: str) -> list[str]:
    return sorted(url.split("?", 1)[1].split("&"))


@pytest.mark.parametrize(("query", "switch", "after", "plants"), [
    (["lang=ru", *LINKED], "Қазақша", ["lang=kk", *LINKED], 2),
    (["lang=ru", "area=oncology"], "Все шесть соглашений", ["lang=ru", "area=oncology", "scope=six"], 3),
], ids=["language", "scope"])
def test_the_input_after_a_switch_keeps_the_filters(page, app_url, query, switch, after, plants):
    open_dashboard(page, app_url, "?" + "&".join(query), markers=None)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(switch, exact=True).click()
    page.wait_for_url(lambda u: params(u) == sorted(after), timeout=30_000)
    wait_idle(page)
    sidebar.get_by_role("radio", name="EUR").click()  # the next input
    page.wait_for_url(lambda u: "currency=EUR" in u, timeout=30_000)
    wait_idle(page)
    assert params(page.url) == sorted([*after, "currency=EUR"])
    expect(page.get_by_test_id("stMetricValue").nth(4)).to_have_text(str(plants))
    wait_markers(page, plants)
