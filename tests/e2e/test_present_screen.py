"""Presentation mode on the screens it is shown on (1920×1080 screen share, 1366×768 laptop): the map takes
at least three quarters of the height with one story card beside it and nothing essential below the fold,
large type, a plant's own KPIs, the step in the link counted from 1, a presenter's keys (in the page and
in the map), and the projector option's contrast."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from components.present import key_class
from core import keys as K
from scripts.pages import MAP_FRAME, open_dashboard, wait_idle
from tests.unit.test_accessibility import contrast

SCREENS = [(1920, 1080), (1366, 768)]
CARD = ".st-key-tour-card"
# the rectangle of each part of the first screen, and the type sizes of the card
LAYOUT = """([mapFrame, card]) => {
  const box = s => { const e = document.querySelector(s); if (!e) return null;
                     const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; };
  const px = s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize);
  return {map: box(mapFrame), card: box(card), title: box('h1'), bar: box('.st-key-tour-bar'),
          kpis: box('.st-key-tour-kpis'), body: px(card + ' li'), figure: px('.st-key-tour-figure p'),
          cards: document.querySelectorAll(card).length};
}"""
# every caption, metric and card text of the page as seen: its colour, faded by its own alpha and every
# ancestor's opacity, over white
SEEN_COLOURS = """() => {
  const out = [];
  const sel = '[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p, ' +
              '[data-testid="stMetricLabel"] p, [data-testid="stMetricValue"], .st-key-tour-card li';
  for (const e of document.querySelectorAll(sel)) {
    if (!e.textContent.trim() || !e.getClientRects().length) continue;
    const [r, g, b, a = 1] = getComputedStyle(e).color.match(/[\\d.]+/g).map(Number);
    let alpha = a;
    for (let x = e; x; x = x.parentElement) alpha *= parseFloat(getComputedStyle(x).opacity);
    const mix = c => Math.round(c * alpha + 255 * (1 - alpha));
    out.push([e.textContent.trim().slice(0, 40), '#' + [mix(r), mix(g), mix(b)].map(
      v => v.toString(16).padStart(2, '0')).join('').toUpperCase()]);
  }
  return out;
}"""


@pytest.fixture(params=SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def screen(browser, request):
    context = browser.new_context(viewport={"width": request.param[0], "height": request.param[1]})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def big(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    yield page
    context.close()


def open_present(page, app_url: str, query: str, markers: int = 4):
    """The presentation at ``query`` once the map fills its frame and the presenter's keys listen."""
    frame = open_dashboard(page, app_url, query, markers)
    expect(page.locator("html")).to_have_attribute("data-ppm-keys", "on")
    frame.wait_for_function("() => document.documentElement.getAttribute('data-ppm-keys') === 'on' && "
                            "map.getSize().y >= window.innerHeight - 1")
    return frame


def step_is(page, k: int) -> None:
    expect(page.locator(".st-key-tour-bar")).to_contain_text(f"step {k} of 7")
    wait_idle(page)


def test_the_first_screen_is_the_map_with_one_large_card(screen, app_url, output_dir):
    w, h = screen.viewport_size["width"], screen.viewport_size["height"]
    frame = open_present(screen, app_url, "?view=present&step=2")
    step_is(screen, 2)
    frame.wait_for_function("() => (map.getContainer().getAttribute('data-ppm-focus') || '').includes('76.89583')")
    got = screen.evaluate(LAYOUT, [MAP_FRAME, CARD])
    m = got["map"]
    assert m["height"] >= 0.75 * h, got
    assert m["bottom"] <= h and got["card"]["bottom"] <= h, got  # nothing essential needs scrolling
    assert got["title"]["top"] >= 0 and got["title"]["bottom"] <= got["bar"]["top"] + 1, got
    assert got["bar"]["bottom"] <= got["kpis"]["top"] + 1 and got["kpis"]["bottom"] <= m["top"] + 1, got
    # nothing drawn over the title and the tour's buttons (Streamlit's opaque header hid them at 1366×768)
    assert screen.evaluate("""() => { const hd = document.querySelector('[data-testid="stHeader"]');
        const r = hd && hd.getBoundingClientRect();
        return !r || r.height === 0 || r.bottom <= document.querySelector('h1').getBoundingClientRect().top; }""")
    assert got["card"]["top"] >= m["top"] - 1 and got["card"]["height"] >= 0.75 * h  # beside the map, as tall
    assert frame.evaluate("() => map.getSize().y") >= m["height"] - 1  # the map fills its frame
    # one card: beside the map, none drawn over it
    assert got["cards"] == 1 and frame.locator(".ppm-story").count() == 0
    expect(screen.locator(CARD).get_by_role("heading", name="AltINFARM")).to_be_visible()
    expect(screen.get_by_role("heading", name="AltINFARM")).to_have_count(1)
    big_screen = w >= 1900
    assert got["body"] >= (24 if big_screen else 18), got
    assert got["figure"] >= (40 if big_screen else 30), got
    expect(screen.locator(".st-key-tour-figure")).to_have_text("58.5 bn KZT")
    # the plant's own KPIs, with its share of the programme
    expect(screen.get_by_test_id("stMetricValue").first).to_have_text("58.5 bn")
    expect(screen.locator(".st-key-tour-kpis [data-testid='stCaptionContainer']").first).to_have_text(
        "≈ US$116.2 M at 503.35 KZT/USD 34% of the programme (173 bn)")
    screen.screenshot(path=str(output_dir / f"present-screen-{w}x{h}.png"))


def test_the_overview_fits_too(screen, app_url, output_dir):
    w, h = screen.viewport_size["width"], screen.viewport_size["height"]
    open_present(screen, app_url, "?view=present")
    step_is(screen, 1)
    got = screen.evaluate(LAYOUT, [MAP_FRAME, CARD])
    assert got["map"]["height"] >= 0.75 * h and got["map"]["bottom"] <= h, got
    expect(screen.get_by_test_id("stMetricValue").first).to_have_text("173.4 bn")  # the programme's
    screen.screenshot(path=str(output_dir / f"present-overview-{w}x{h}.png"))


def test_a_step_the_tour_lacks_is_said_and_the_first_is_shown(page, app_url):
    open_present(page, app_url, "?view=present&step=99")
    step_is(page, 1)
    expect(page.locator(".st-key-tour-bar")).to_contain_text(
        "No step 99 in this tour of 7 steps: showing the first.")
    page.get_by_role("button", name="Next ▶").click()
    step_is(page, 2)
    expect(page.get_by_text("No step 99")).to_have_count(0)
    page.wait_for_url("**step=2**")


def test_a_presenters_keys_work_in_the_page_and_in_the_map(big, app_url):
    frame = open_present(big, app_url, "?view=present")
    step_is(big, 1)
    big.keyboard.press("ArrowRight")  # the page has the focus
    step_is(big, 2)
    big.wait_for_url("**step=2**")
    # in the map: its own keys would pan it; the tour's win
    big.frame_locator(MAP_FRAME).locator(".leaflet-container").click(position={"x": 300, "y": 300})
    for key, step in (("ArrowRight", 3), ("PageUp", 2), ("PageDown", 3), ("Home", 1), ("Space", 2),
                      ("ArrowLeft", 1)):
        assert frame.evaluate("() => document.hasFocus()"), key  # each key pressed in the map
        big.keyboard.press(key)
        step_is(big, step)
    expect(big.get_by_role("button", name="« First")).to_be_disabled()
    assert frame.evaluate("() => document.hasFocus()")
    big.keyboard.press("Escape")
    big.wait_for_url(lambda url: "view=present" not in url)
    expect(big.get_by_test_id("stSidebar")).to_be_visible()
    wait_idle(big)
    big.keyboard.press("ArrowRight")  # presentation off: the keys are the page's again
    wait_idle(big)
    assert "view=present" not in big.url and big.locator(".st-key-tour-bar").count() == 0


def test_the_clickers_keys_still_drive_the_tour_after_the_projector_switch(big, app_url):
    """A presenter clicks the Projector switch, then the clicker: its keys move the tour (a switch takes no
    arrows); Space on the focused switch toggles it, as a switch does; keys typed in a text field are the
    field's."""
    open_present(big, app_url, "?view=present&step=3")
    step_is(big, 3)
    switch = big.locator(f".{key_class(K.PROJECTOR)} input")
    big.get_by_test_id("stCheckbox").filter(has_text="Projector").locator("label").click()
    big.wait_for_url("**projector=1**")
    wait_idle(big)
    for key, step in (("PageDown", 4), ("ArrowLeft", 3), ("ArrowRight", 4), ("Home", 1)):
        switch.focus()
        big.keyboard.press(key)
        step_is(big, step)
    switch.focus()
    big.keyboard.press("Space")
    big.wait_for_url(lambda url: "projector" not in url)
    step_is(big, 1)
    # a text field (none is on this page: one is added) keeps its keys
    big.evaluate("""() => { const i = document.createElement('input'); i.id = 'typed';
                            document.querySelector('.st-key-tour-bar').appendChild(i); }""")
    big.locator("#typed").focus()
    big.keyboard.press("ArrowRight")
    big.keyboard.press("PageDown")
    big.locator("h1").click()  # the focus back on the page: the next key is the tour's
    big.keyboard.press("ArrowRight")
    step_is(big, 2)  # from the first: the keys in the field moved nothing


def test_the_tour_hands_out_its_slides_from_the_overview_and_the_summary(big, app_url, tmp_path):
    """A presenter need not leave the tour for the deck: its download is on the overview's card and the
    summary's, not on a plant's."""
    from pptx import Presentation

    open_present(big, app_url, "?view=present")
    step_is(big, 1)
    button = big.locator(".st-key-tour-card").get_by_role("button", name="Slide deck (PowerPoint)")
    with big.expect_download() as got:
        button.click()
    path = tmp_path / got.value.suggested_filename
    got.value.save_as(path)
    assert got.value.suggested_filename == "pharma-plants-2026-01-22-deck.pptx"
    titles = [s.shapes.title.text for s in Presentation(str(path)).slides]  # type: ignore[union-attr]
    assert len(titles) == 7 and titles[0] == "4 plants approved on 22 January 2026" and titles[-1] == "Summary"
    big.keyboard.press("PageDown")
    step_is(big, 2)
    expect(button).to_have_count(0)
    big.keyboard.press("Home")  # then back, and to the end: the summary
    step_is(big, 1)
    for k in range(2, 8):
        big.keyboard.press("PageDown")
        step_is(big, k)
    expect(button).to_be_visible()


FITS = """() => {
  const cut = [], px = e => parseFloat(getComputedStyle(e).fontSize);
  for (const e of document.querySelectorAll('.st-key-tour-kpis [data-testid="stCaptionContainer"] p, ' +
      '.st-key-tour-kpis [data-testid="stMetricValue"] div, .st-key-tour-kpis [data-testid="stMetricLabel"] p, ' +
      '.st-key-tour-bar button [data-testid="stMarkdownContainer"]'))
    if (e.scrollWidth > e.clientWidth + 1) cut.push(e.textContent);
  const card = document.querySelector('.st-key-tour-card');
  return {cut: cut, card: [card.scrollHeight, card.clientHeight],
          body: Math.min(...[...card.querySelectorAll('li, [data-testid="stMarkdownContainer"] p')]
            .filter(e => !e.closest('[data-testid="stCaptionContainer"]')).map(px)),
          figure: [...card.querySelectorAll('.st-key-tour-figure p')].map(px)};
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1920, 950), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("scope,steps", [("approved", 7), ("existing", 12)])
def test_every_step_fits_uncut_in_every_language(browser, app_url, size, lang, scope, steps):
    """Each of the seven steps: no KPI or button text cut short (the bar's "step 3 of 7 · name" may cut the name
    on a laptop: the card's heading below it gives it whole), the card needs no scrolling, and on a 1920-wide
    screen (full screen, or a browser window about 950 px high) body text of at least 24 px and the key figure
    at least 40 px."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        open_present(page, app_url, f"?view=present&lang={lang}&scope={scope}", markers=9 if scope == "existing" else 4)
        for step in range(1, steps + 1):
            if step > 1:
                page.keyboard.press("PageDown")
            page.wait_for_url(f"**step={step}**" if step > 1 else "**view=present**")
            wait_idle(page)
            got = page.evaluate(FITS)
            assert got["cut"] == [], (step, got)
            assert got["card"][0] <= got["card"][1] + 1, (step, got)
            if size[0] >= 1900:
                assert got["body"] >= 24 and all(f >= 40 for f in got["figure"]), (step, got)
    finally:
        context.close()


# the outline colour and weight of each host region (a filled polygon drawn with fillOpacity >= 0.5)
HOST_OUTLINES = """() => { const out = [];
  map.eachLayer(l => {
    if (l instanceof L.Polygon && l.feature && l.feature.properties.host)
      out.push(l.options.color + ' ' + l.options.weight);
  });
  return out.sort(); }"""
# the fill of a host region and of the others, [colour, opacity], and the container's background behind them
REGION_FILLS = """() => { const out = {host: [], other: []};
  map.eachLayer(l => { if (l instanceof L.Polygon && l.feature)
    out[l.feature.properties.host ? 'host' : 'other'].push([l.options.fillColor, l.options.fillOpacity]); });
  const [r, g, b] = getComputedStyle(map.getContainer()).backgroundColor.match(/\\d+/g).map(Number);
  out.background = '#' + [r, g, b].map(v => v.toString(16).padStart(2, '0')).join('');
  out.tiles = getComputedStyle(map.getPanes().tilePane).visibility;
  return out; }"""


def over(colour: str, opacity: float, under: str) -> str:
    """``colour`` at ``opacity`` drawn over ``under`` (hex)."""
    mix = [round(int(colour[i:i + 2], 16) * opacity + int(under[i:i + 2], 16) * (1 - opacity)) for i in (1, 3, 5)]
    return "#" + "".join(f"{v:02X}" for v in mix)


def test_the_projector_option_raises_every_caption_to_aa(big, app_url, output_dir):
    frame = open_present(big, app_url, "?view=present&step=5&projector=1")
    step_is(big, 5)
    frame.wait_for_function("() => (map.getContainer().getAttribute('data-ppm-focus') || '').includes('zoom')")
    seen = big.evaluate(SEEN_COLOURS)
    assert len(seen) > 15
    low = [(text, colour, round(contrast(colour, "#FFFFFF"), 2)) for text, colour in seen
           if contrast(colour, "#FFFFFF") < 4.5]
    assert low == []
    # the map too: heavy dark outlines of the host regions, near-black labels on an opaque plate, and each
    # host region's fill at 4.5:1 against what surrounds it (the other regions, the container beyond the border)
    assert frame.evaluate(HOST_OUTLINES) == ["#1d3d5c 3.5"] * 3  # Almaty, Almaty Region, Turkistan Region
    fills = frame.evaluate(REGION_FILLS)
    assert len(fills["host"]) == 3 and len(fills["other"]) > 10 and fills["tiles"] == "hidden"
    ground = fills["background"]
    others = {over(c, o, ground) for c, o in fills["other"]}
    for colour, opacity in fills["host"]:
        host = over(colour, opacity, ground)
        assert min(contrast(host, around) for around in [*others, ground]) >= 4.5, (host, others, ground)
    assert frame.locator(".leaflet-container.ppm-projector .ppm-label").first.evaluate(
        "e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    big.screenshot(path=str(output_dir / "present-projector-1920x1080.png"))
    toggle = big.get_by_test_id("stCheckbox").filter(has_text="Projector")
    toggle.locator("label").click()
    big.wait_for_url(lambda url: "projector" not in url)
    assert "step=5" in big.url
    frame.locator(".leaflet-container:not(.ppm-projector)").wait_for()  # no remount: the same map restyled
    assert frame.evaluate(HOST_OUTLINES) == ["#4a6f8f 2"] * 3
