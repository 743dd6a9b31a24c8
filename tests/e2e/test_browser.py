"""End to end, offline: the map draws, filters move markers without a remount, clicks open the
detail card, markup in the data stays text, and nothing is fetched from another host."""

from __future__ import annotations

import re

from PIL import Image
from playwright.sync_api import expect

from core.assets import LEAFLET_JS
from scripts.pages import (
    COUNT_MARKERS,
    MAP_FRAME,
    SHOWN_NAMES,
    on_marker,
    open_dashboard,
    wait_idle,
    wait_markers,
)
from scripts.server import streamlit_server
from tests.conftest import set_cell

XSS = "<img src=x onerror=alert(1)>"


def choose_area(page, option: str) -> None:
    box = page.get_by_test_id("stMultiSelect").filter(has_text="Therapeutic area")
    box.locator("input").click()
    page.get_by_role("option", name=option).click()
    page.keyboard.press("Escape")
    wait_idle(page)


def test_offline_map_draws_four_markers_and_stays_on_localhost(page, app_url):
    frame = open_dashboard(page, app_url)
    assert frame.evaluate(COUNT_MARKERS) == 4
    height = page.locator(MAP_FRAME).bounding_box()["height"]
    assert height > 400, "the map iframe has collapsed (a missing asset leaves it at height 0)"
    assert frame.evaluate("() => L.version") == "1.9.3"
    assert frame.locator(".leaflet-tile").count() == 0  # offline: no tiles
    assert app_url + LEAFLET_JS in page.requests  # requests were recorded, Leaflet's from the app
    assert page.requests.off_host() == []


def test_oncology_leaves_one_marker_without_remounting(page, app_url):
    frame = open_dashboard(page, app_url)
    frame.evaluate("() => { window.__ppmStamp = 'kept'; map.setView([43.5, 75.0], 7, {animate: false}); }")
    choose_area(page, "Oncology (1 plant)")
    frame = wait_markers(page, 1)
    frame.wait_for_function("() => window.__ppm.details !== null")
    assert frame.evaluate(SHOWN_NAMES) == ["AltINFARM"]
    # same window, same view: the map was updated in place, not rebuilt
    assert frame.evaluate("() => window.__ppmStamp") == "kept"
    assert frame.evaluate("() => map.getZoom()") == 7
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("58.5 bn")
    assert page.requests.off_host() == []


PIXEL = """([x, y]) => { const c = document.querySelector('.leaflet-overlay-pane canvas'),
  r = c.getBoundingClientRect(), m = map.getContainer().getBoundingClientRect(), s = c.width / r.width;
  return Array.from(c.getContext('2d').getImageData(Math.round((m.left + x - r.left) * s),
                                                      Math.round((m.top + y - r.top) * s), 1, 1).data); }"""


def test_a_hidden_plant_is_neither_drawn_nor_under_the_pointer(page, app_url):
    frame = open_dashboard(page, app_url)
    page.locator(MAP_FRAME).evaluate("el => el.scrollIntoView({block: 'center'})")
    point = on_marker(frame, "msp-rompharm", "point")
    drawn = frame.evaluate(PIXEL, [point["x"], point["y"]])
    choose_area(page, "Oncology (1 plant)")
    wait_markers(page, 1)
    assert frame.evaluate(PIXEL, [point["x"], point["y"]]) != drawn  # the canvas no longer shows it
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").hover(position=point)
    tip = frame.locator(".leaflet-tooltip")
    expect(tip.first).to_have_text("Turkistan Region")  # the pointer reaches the region underneath
    assert "MSP-ROMPHARM" not in " ".join(tip.all_inner_texts())


def test_the_pointer_on_a_plant_shows_its_tooltip(page, app_url):
    """Tooltips are made on first need (static/pharmamap/map.js withTip): the pointer's first visit makes and opens
    it, and leaving the plant closes it."""
    frame = open_dashboard(page, app_url)
    page.locator(MAP_FRAME).evaluate("el => el.scrollIntoView({block: 'center'})")
    point = on_marker(frame, "msp-rompharm", "point")
    assert frame.evaluate("() => window.__ppm.markers.filter(m => m.getTooltip()).length") == 0
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    container.hover(position=point)
    tip = frame.locator(".leaflet-tooltip.ppm-tip")
    expect(tip).to_have_count(1)
    expect(tip).to_contain_text("MSP-ROMPHARM")
    container.hover(position={"x": 5, "y": 5})
    expect(tip).to_have_count(0)
    container.hover(position=point)  # the second visit: its own tooltip, bound the first time
    expect(tip).to_contain_text("MSP-ROMPHARM")


def test_click_on_a_marker_opens_its_detail_card(page, app_url):
    frame = open_dashboard(page, app_url)
    # a click on a partly hidden iframe focuses it and the browser scrolls it into view between
    # mousedown and click, so the click lands elsewhere: bring the whole map into view first
    page.locator(MAP_FRAME).evaluate("el => el.scrollIntoView({block: 'center'})")
    point = on_marker(frame, "msp-rompharm", "point")
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").click(position=point)
    card = page.get_by_test_id("stMarkdownContainer").filter(has_text="Site known to")
    card.wait_for(timeout=30_000)
    text = card.inner_text()
    assert "MSP-ROMPHARM" in text and "approximate: zone named" in text and "≈ 173 (derived)" in text


def test_hover_shows_name_investment_medicines_jobs(page, app_url):
    frame = open_dashboard(page, app_url)
    on_marker(frame, "nobel-aff", "tooltip")
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for()
    text = tip.inner_text()
    for words in ("Nobel Almaty Pharmaceutical Factory", "39.2 bn KZT", "Medicines: 53", "at least 200",
                  "approximate: the city's centre"):
        assert words in text


def test_markup_in_a_plant_name_is_shown_as_text(browser, tmp_path):
    from tests.conftest import copy_bundled

    data = copy_bundled(tmp_path / "data")
    set_cell(data / "plants.csv", 0, "name", XSS)
    set_cell(data / "plants.csv", 0, "company", XSS)
    with streamlit_server(env={"PHARMAMAP_DATA_DIR": str(data)}) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        frame = open_dashboard(page, url)
        on_marker(frame, "altinfarm", "tooltip")
        tip = frame.locator(".leaflet-tooltip").first
        tip.wait_for()
        assert XSS in tip.inner_text()
        assert XSS in (frame.locator(".ppm-legend").text_content() or "")  # folded on a narrow map: text
        select = page.get_by_test_id("stSelectbox").filter(has_text="Plant details")
        select.locator("input").click()
        page.keyboard.type("onerror")  # the selectbox filters its options as you type
        page.keyboard.press("Enter")
        heading = page.get_by_test_id("stMarkdownContainer").filter(has_text=XSS).first
        heading.wait_for()  # the card, drawn as text
        card = page.get_by_test_id("stMarkdownContainer").filter(has_text="Legal name").first
        assert "Legal name" in card.inner_text()
        for where in (page, frame):
            assert where.locator("img[src='x']").count() == 0
        assert dialogs == []
        context.close()


def test_screenshots_for_screen_share_and_laptop(browser, app_url, output_dir):
    for w, h in ((1920, 1080), (1366, 768)):
        context = browser.new_context(viewport={"width": w, "height": h})
        page = context.new_page()
        open_dashboard(page, app_url)
        path = output_dir / f"dashboard-{w}x{h}.png"
        page.screenshot(path=str(path))
        with Image.open(path) as shot:
            assert (shot.format, shot.size) == ("PNG", (w, h))
            assert len(shot.convert("RGB").getcolors(maxcolors=1 << 24) or []) > 256  # a page, not a blank
        context.close()


def test_a_link_reproduces_the_view(page, app_url):
    open_dashboard(page, app_url, "?area=oncology&currency=USD&colour=country", markers=1)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("≈ US$116.2 M")
    # choosing a filter puts it in the address bar, so the view can be copied as a link
    box = page.get_by_test_id("stMultiSelect").filter(has_text="Therapeutic area")
    box.locator("input").click()
    page.get_by_role("option", name="Diabetes (2 plants)").click()
    page.keyboard.press("Escape")
    wait_markers(page, 2)
    page.wait_for_url("**area=oncology&area=diabetes**")
    assert "currency=USD" in page.url and "colour=country" in page.url
    assert page.requests.off_host() == []


def test_every_export_downloads_a_valid_file(page, app_url, tmp_path, browser):
    import csv
    import json
    from xml.etree import ElementTree

    import openpyxl

    from tests.unit.test_exports import NAMES, image, pdf_fonts, svg_size

    open_dashboard(page, app_url, "?tab=export", markers=None)  # the map tab is hidden
    buttons = page.get_by_test_id("stDownloadButton")
    expect(buttons).to_have_count(2 + 1 + 2 + 1 + 8)  # data, map, brief, slides, 4 charts × (PNG, SVG); in turn
    files = {}
    for i in range(buttons.count()):
        with page.expect_download() as dl:
            buttons.nth(i).click()
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        files[path.name] = path
    stem = "pharma-plants-2026-01-22"
    charts = [f"{stem}-chart{i}" for i in (1, 2, 3, 4)]
    assert sorted(files) == sorted([f"{stem}.csv", f"{stem}.xlsx", f"{stem}-map.html", f"{stem}-brief.pdf",
                                    f"{stem}-brief.png", f"{stem}-deck.pptx", *(c + ".png" for c in charts),
                                    *(c + ".svg" for c in charts)])
    # the table, as CSV and as a workbook: the same header, the four plants, figures as numbers
    with files[f"{stem}.csv"].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header[:2] == ["Plant", "Company"] and [r[0] for r in rows[1:]] == NAMES
    investment = header.index("Investment, bn KZT")
    assert [r[investment] for r in rows[1:]] == ["58.5", "39.2", "39.0", "36.7"]
    book = openpyxl.load_workbook(files[f"{stem}.xlsx"])
    assert book.sheetnames == ["Plants", "Sources"]
    sheet = list(book["Plants"].iter_rows(values_only=True))
    assert list(sheet[0]) == header and [r[0] for r in sheet[1:]] == NAMES
    assert [r[investment] for r in sheet[1:]] == [58.5, 39.2, 39, 36.7]
    # each chart: a well-formed SVG, and a PNG of it at twice its size
    for chart in charts:
        svg = files[chart + ".svg"].read_text(encoding="utf-8")
        assert ElementTree.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg", chart
        width, height = svg_size(svg)
        assert image(files[chart + ".png"].read_bytes()).size == (round(2 * width), round(2 * height)), chart
    # the brief: one page set in the bundled font, and the same page as a PNG at 1.5x
    pdf = files[f"{stem}-brief.pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    assert set(pdf_fonts(pdf)) == {"SourceSansPro-Bold", "SourceSansPro-Regular-Identity-H"}
    (box,) = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    w, h = image(files[f"{stem}-brief.png"].read_bytes()).size
    assert abs(w - 1.5 * float(box[0])) <= 1 and abs(h - 1.5 * float(box[1])) <= 1
    # the slide deck: the tour, one slide per step, each with its map
    from pptx import Presentation

    deck = Presentation(str(files[f"{stem}-deck.pptx"]))
    assert [s.shapes.title.text for s in deck.slides] == [  # type: ignore[union-attr]
        "4 plants approved on 22 January 2026", *NAMES, "Who we work with", "Summary"]
    # the map file carries the four plants inline, and opens from disk with every request refused
    html = files[f"{stem}-map.html"].read_text(encoding="utf-8")
    start = html.index(", ", html.index("PharmaMap.init(map_")) + 2  # PharmaMap.init(map_…, {cfg});
    cfg, _ = json.JSONDecoder().raw_decode(html, start)
    assert [t[0] for t in cfg["details"]["t"]] == NAMES
    context = browser.new_context()
    offline = context.new_page()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort())
    offline.goto(files[f"{stem}-map.html"].as_uri())
    offline.wait_for_function("() => document.querySelector('.leaflet-container') && "
                              "document.querySelector('.leaflet-container').getAttribute('data-ppm-shown') === '4'")
    context.close()
    assert page.requests.off_host() == []


def test_next_in_presentation_mode_flies_to_the_next_plant(page, app_url, output_dir):
    page.set_viewport_size({"width": 1280, "height": 720})
    frame = open_dashboard(page, app_url, "?view=present")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    centre = "() => [map.getCenter().lat.toFixed(3), map.getCenter().lng.toFixed(3), map.getZoom()]"
    before = frame.evaluate(centre)
    page.get_by_role("button", name="Next ▶").click()
    page.get_by_text("step 2 of 7 · AltINFARM").wait_for()
    # the flight has landed when the map says which focus it reached
    frame.wait_for_function("() => (map.getContainer().getAttribute('data-ppm-focus') || '').includes('76.89583')")
    after = frame.evaluate(centre)
    assert after != before
    assert abs(float(after[0]) - 43.2775) < 0.05 and abs(float(after[1]) - 76.8958) < 0.05
    assert after[2] > before[2]
    page.screenshot(path=str(output_dir / "present-1280x720.png"))
    assert page.requests.off_host() == []


def test_kazakh_labels_on_the_page_and_the_map(page, app_url):
    frame = open_dashboard(page, app_url, "?lang=kk")
    expect(page.get_by_test_id("stMetricLabel").first).to_contain_text("Инвестиция")
    expect(page.get_by_text("Емдеу саласы").first).to_be_visible()
    expect(frame.locator(".ppm-label", has_text="Түркістан облысы")).to_have_count(1)
    on_marker(frame, "nobel-aff", "tooltip")
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for()
    assert "Жұмыс орындары: кемінде 200" in tip.inner_text()
    assert "39,2 млрд ₸" in tip.inner_text()


def test_switching_language_keeps_the_view(page, app_url):
    open_dashboard(page, app_url, "?lang=ru&area=diabetes&colour=country", markers=2)
    expect(page.get_by_role("heading", level=1)).to_have_text("Четыре одобренных фармацевтических завода Казахстана")
    page.get_by_test_id("stSidebar").get_by_role("radio", name="Қазақша").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Қазақстанның мақұлданған төрт фармацевтикалық зауыты")
    wait_markers(page, 2)
    page.wait_for_url("**lang=kk**")
    assert "area=diabetes" in page.url and "colour=country" in page.url
    # colour-by kept, its legend now in Kazakh (a locator: the map is rebuilt for the new language)
    expect(page.frame_locator(MAP_FRAME).locator(".ppm-legend h4").first).to_have_text("Серіктес ел")


def test_every_control_is_reachable_by_keyboard(page, app_url):
    open_dashboard(page, app_url)
    page.wait_for_load_state("networkidle")  # every widget's lazily loaded code is in
    expect(page.get_by_test_id("stSlider")).to_have_count(1)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached = set()
    describe = """() => { const e = document.activeElement; if (!e) return '';
        const box = e.closest('[data-testid]'); return (box ? box.getAttribute('data-testid') : '') + '|' +
        (e.getAttribute('aria-label') || e.innerText || e.getAttribute('role') || e.tagName).slice(0, 40); }"""
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(describe))
    text = "\n".join(sorted(reached))
    for control in ("stMultiSelect", "stSlider", "stButton", "stSelectbox", "stButtonGroup", "stCheckbox",
                    "stCustomComponentV1", "stTab"):
        assert control in text, f"{control} not reached by Tab:\n{text}"


def test_caption_text_reaches_wcag_aa_in_the_browser(page, app_url):
    from tests.unit.test_accessibility import contrast

    open_dashboard(page, app_url)
    rgb = page.evaluate("""() => getComputedStyle(document.querySelector(
        '[data-testid="stCaptionContainer"] p')).color""")
    r, g, b = (int(v) for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    assert contrast(f"#{r:02X}{g:02X}{b:02X}", "#FFFFFF") >= 4.5, rgb
