"""Regression: after a server restart the page reconnects to a new session, and the user's first
input must count (it was lost while a session's first run drew the map alone)."""

from __future__ import annotations

from playwright.sync_api import expect

from scripts.pages import open_dashboard, wait_complete, wait_idle, wait_markers
from scripts.server import free_port, streamlit_server


def test_the_first_input_after_a_server_restart_is_kept(page):
    port = free_port()
    with streamlit_server(port=port) as url:
        open_dashboard(page, url, "?lang=ru&area=oncology", markers=1)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_test_id("stMultiSelect").first).to_contain_text("Онкология")
    # the server is gone; the page says it is reconnecting, then reconnects to the new process
    lost = page.get_by_role("dialog", name="Connection error")
    expect(lost).to_be_visible(timeout=60_000)
    with streamlit_server(port=port):
        expect(lost).to_be_hidden(timeout=60_000)
        wait_idle(page)
        wait_markers(page, 1)
        # the first input on the new session: remove the Oncology chip (Backspace in the box)
        sidebar.get_by_test_id("stMultiSelect").first.locator("input").click()
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
        page.wait_for_url(lambda u: "area=" not in u)
        assert "lang=ru" in page.url
        expect(page.get_by_test_id("stMetricValue").nth(4)).to_have_text("4")
        expect(sidebar.get_by_test_id("stMultiSelect").first).not_to_contain_text("Онкология")
        wait_idle(page)
        wait_markers(page, 4)
        assert page.requests.off_host() == []


def test_a_page_reopened_after_a_restart_restores_its_view_from_the_link(page):
    """Filters, language, currency and tab, then the presentation step: the app writes the link from its
    widgets on every run, so a link that comes back whole says every widget took its value."""
    port = free_port()
    view = ["region=almaty", "currency=USD", "tab=table", "lang=ru"]
    with streamlit_server(port=port) as url:
        open_dashboard(page, url, "?" + "&".join(view), markers=None)
        expect(page.get_by_test_id("stMetricValue").nth(4)).to_have_text("2")
    with streamlit_server(port=port):
        page.reload()
        wait_complete(page)
        expect(page.get_by_role("tab", selected=True)).to_have_text("Таблица")
        expect(page.get_by_test_id("stMetricValue").nth(4)).to_have_text("2")  # Almaty's two plants
        assert sorted(page.url.split("?", 1)[1].split("&")) == sorted(view)
        page.goto(url + "/?view=present&step=3")
        wait_idle(page)
        expect(page.locator(".st-key-tour-bar")).to_contain_text("step 3 of 7")
    with streamlit_server(port=port):
        page.reload()
        wait_idle(page)
        expect(page.locator(".st-key-tour-bar")).to_contain_text("step 3 of 7")
        assert "step=3" in page.url and "view=present" in page.url
