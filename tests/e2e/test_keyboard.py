"""Every plant on the map reachable and operable by keyboard alone, though the markers are canvas drawings:
from the page's first Tab stop to the map's list of plants (static/pharmamap/map.js, "keyboard"), each
plant in turn by the arrow keys, largest investment first, its details opened with Enter, Esc back to the
map; in presentation mode the list's arrows move between plants, not the tour's steps."""

from __future__ import annotations

import csv
from pathlib import Path

from playwright.sync_api import expect

from components.present import key_class
from core import keys as K
from scripts.pages import MAP_FRAME, open_dashboard
from tests.unit.test_accessibility import contrast

DATA = Path(__file__).resolve().parents[2] / "data"
ACTIVE = "() => document.hasFocus() ? document.activeElement : null"
FOCUSED_TEXT = f"() => {{ const e = ({ACTIVE})(); return e ? e.textContent : null; }}"
FOCUSED_CLASS = f"() => {{ const e = ({ACTIVE})(); return e ? String(e.className) : null; }}"


def approved_by_investment() -> list[str]:
    with (DATA / "plants.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["scope"] == "approved_2026_01_22"]
    return [r["name"] for r in sorted(rows, key=lambda r: -float(r["investment_kzt_bn"]))]


def tab_to_the_plants(page, frame, limit: int = 150) -> int:
    """Tab from the page's start until a plant of the map's list has the focus; the number of presses."""
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if "ppm-key" in (frame.evaluate(FOCUSED_CLASS) or ""):
            return n
    raise AssertionError(f"no plant of the map reached in {limit} Tab presses")


def test_every_plant_is_reached_and_opened_by_keyboard(page, app_url, output_dir):
    frame = open_dashboard(page, app_url)
    page.wait_for_load_state("networkidle")
    assert page.locator(MAP_FRAME).get_attribute("title") == "Map of the pharmaceutical plants"
    frame.locator(".ppm-key").nth(3).wait_for(state="attached")
    names = approved_by_investment()
    assert names[0] == "AltINFARM" and len(names) == 4
    presses = tab_to_the_plants(page, frame)
    print(f"Tab presses from the page's start to the first plant: {presses}")
    for k, name in enumerate(names):
        if k:
            page.keyboard.press("ArrowDown")
        text = frame.evaluate(FOCUSED_TEXT)
        assert text.startswith(name + ", ") and " bn KZT, " in text, text  # its accessible name
        ring = frame.locator(".ppm-ring")
        expect(ring).to_be_visible()  # the focus, drawn around the plant: dark on a white halo
        colour = ring.evaluate("e => getComputedStyle(e).borderTopColor")
        assert colour == "rgb(31, 31, 31)" and contrast("#1F1F1F", "#FFFFFF") >= 3
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()  # its card: its name
        frame.wait_for_function(f"() => ({FOCUSED_TEXT})() && ({FOCUSED_TEXT})().startsWith({name!r})")
    page.screenshot(path=str(output_dir / "keyboard-plant-1366x768.png"))
    page.keyboard.press("End")
    assert frame.evaluate(FOCUSED_TEXT).startswith(names[-1])
    page.keyboard.press("Home")
    assert frame.evaluate(FOCUSED_TEXT).startswith(names[0])
    page.keyboard.press("Escape")  # back to the map itself, which Leaflet's arrow keys pan
    assert "leaflet-container" in frame.evaluate(FOCUSED_CLASS)
    expect(frame.locator(".ppm-ring")).to_be_hidden()


def test_the_list_follows_the_filters_and_the_language(page, app_url):
    frame = open_dashboard(page, app_url, "?lang=ru&region=almaty", markers=2)
    frame.locator(".ppm-key").nth(1).wait_for(state="attached")
    keys = frame.locator(".ppm-key")
    expect(keys).to_have_count(2)  # the two Almaty plants, largest first
    expect(keys.first).to_contain_text("AltINFARM, 58,5 млрд")
    assert page.locator(MAP_FRAME).get_attribute("title") == "Карта фармацевтических заводов"


def test_in_presentation_the_lists_arrows_move_between_plants_not_steps(page, app_url):
    frame = open_dashboard(page, app_url, "?view=present&step=2")
    frame.locator(".ppm-key").first.wait_for(state="attached")
    frame.locator(".ppm-key").first.focus()
    page.keyboard.press("ArrowRight")
    assert frame.evaluate(FOCUSED_TEXT).startswith("Nobel Almaty Pharmaceutical Factory, ")  # the next plant
    expect(page.locator(f".{key_class(K.TOUR_BAR)}")).to_contain_text("step 2 of 7")
    page.keyboard.press("Escape")  # the list's Esc: to the map, presentation mode stays
    assert "leaflet-container" in frame.evaluate(FOCUSED_CLASS)
    assert "view=present" in page.url
