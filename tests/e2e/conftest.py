"""Browser tier: a real `streamlit run` on a free port, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) "
                    "or set PHARMAMAP_CHROMIUM", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server() as url:
        yield url


class Requests(list):
    def off_host(self) -> list[str]:
        return [u for u in self if urlsplit(u).scheme not in ("data", "blob", "about")
                and urlsplit(u).hostname not in ("127.0.0.1", "localhost")]


@pytest.fixture
def page(browser):
    """A fresh page at laptop size, with every request and dialog recorded."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.requests = Requests()
    page.dialogs = []
    context.on("request", lambda r: page.requests.append(r.url))

    def on_dialog(d):
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
