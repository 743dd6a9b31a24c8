"""Export files are valid and safe: formula cells neutralised, charts render, the map opens offline."""

from __future__ import annotations

import io
import json
import re
import zlib
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from PIL import Image, ImageChops

from components.charts import chart_specs
from components.exports import brief, map_file
from components.map import build_map_data
from components.table import table_frame
from core import exports
from core.domain import Filters, colour_map, compute_kpis, programme_rows
from core.i18n import use

PNG = b"\x89PNG\r\n\x1a\n"
XSS = "<img src=x onerror=alert(1)>"
NAMES = ["AltINFARM", "Nobel Almaty Pharmaceutical Factory", "Abdi Ibrahim Global Pharm", "MSP-ROMPHARM"]
# the letters of Kazakh's Cyrillic alphabet that Russian lacks, and the tenge sign
KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі₸"
MISSING = "\u0378"  # unassigned: no font has it, so it is drawn as the font's missing-glyph box


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def svg_size(svg: str) -> tuple[float, float]:
    m = re.match(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    assert m, svg[:200]
    return float(m.group(1)), float(m.group(2))


def colours(im: Image.Image) -> set[str]:
    """Every colour in an RGB image, as #RRGGBB."""
    return {"#" + bytes(pixel).hex().upper() for _, pixel in im.getcolors(maxcolors=1 << 24) or []
            if isinstance(pixel, tuple)}


def pdf_objects(pdf: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in re.findall(rb"(?ms)^(\d+) 0 obj\s*(.*?)\s*endobj", pdf)}


def pdf_stream(body: bytes) -> bytes:
    m = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
    assert m, body[:200]
    return zlib.decompress(m.group(1)) if b"/FlateDecode" in body[:m.start()] else m.group(1)


def pdf_fonts(pdf: bytes) -> dict[str, str]:
    """Each embedded font (subset tag dropped) and the characters its glyphs stand for (ToUnicode)."""
    objects, fonts = pdf_objects(pdf), {}
    for body in objects.values():
        font = re.search(rb"/Subtype /Type0\s.*?/BaseFont /(?:[A-Z]{6}\+)?(\S+)", body, re.S)
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if font and to_unicode:
            cmap = pdf_stream(objects[int(to_unicode.group(1))])
            pairs = [u for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S)
                     for u in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block)]
            name = font.group(1).decode()
            # UTF-16BE: a ligature's glyph stands for several characters
            fonts[name] = fonts.get(name, "") + "".join(bytes.fromhex(u.decode()).decode("utf-16-be") for u in pairs)
    return fonts


@pytest.fixture
def kazakh():
    use("kk")
    yield
    use("en")


@pytest.fixture(scope="module")
def specs(ds, labels):
    return chart_specs(ds.plants, ds.plants, colour_map(ds.plants, "company"), "company", "Company", labels)


def test_xlsx_is_readable_and_formula_safe(ds):
    plants = ds.plants.copy()
    plants.loc[0, "name"] = "=HYPERLINK(\"http://x\",\"y\")"
    frame = table_frame(plants, ds.region_name)
    data = exports.xlsx_bytes(frame, [("Data", "22 Jan 2026"), ("@x", "-1")])
    book = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert set(book) == {"Plants", "Sources"}
    assert len(book["Plants"]) == 4 and book["Plants"].loc[0, "Plant"].startswith("'=")
    assert book["Sources"].iloc[1].tolist() == ["'@x", "'-1"]
    assert book["Plants"]["Legal name"].str.contains("«").all()
    # the workbook itself: sheet order, the header as given, text kept as text and figures as numbers
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Plants", "Sources"]
    sheet = wb["Plants"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(frame.columns) and len(rows) == 5
    assert rows[1][0] == "'=HYPERLINK(\"http://x\",\"y\")"
    nobel = next(r for r in rows[1:] if r[0] == "Nobel Almaty Pharmaceutical Factory")
    header = list(rows[0])
    assert nobel[header.index("Investment, bn KZT")] == 39.2 and nobel[header.index("Medicines")] == 53
    assert nobel[header.index("Legal name")] == "АО «Нобел Алматинская фармацевтическая фабрика»"
    assert sheet.cell(row=3, column=header.index("Investment, bn KZT") + 1).data_type == "n"
    assert [list(r) for r in wb["Sources"].iter_rows(values_only=True)] == [
        ["About", "Value"], ["Data", "22 Jan 2026"], ["'@x", "'-1"]]


def declared_colours(spec: dict) -> set[str]:
    """The fill colours the chart's first layer declares: its colour scale, or the mark's own."""
    layer = spec["layer"][0]
    scale = ((layer.get("encoding") or {}).get("color") or {}).get("scale") or {}
    found = scale.get("range") or [layer["mark"].get("color") or layer["mark"].get("fill")]
    return {c.upper() for c in found}


@pytest.mark.parametrize("name", ["Investment", "Medicines", "Jobs", "Therapeutic areas"])
def test_each_chart_renders_to_png_and_svg(specs, name):
    png = exports.chart_png(specs[name])
    svg = exports.chart_svg(specs[name]).decode()
    assert png.startswith(PNG) and svg.startswith("<svg") and "AltINFARM" in svg
    drawn = image(png)
    width, height = svg_size(svg)
    assert drawn.size == (round(2 * width), round(2 * height))  # the same chart, at 2x
    assert width >= exports.STATIC_WIDTH
    assert declared_colours(specs[name]) <= colours(drawn)  # its marks are drawn, in their colours
    if name == "Investment":
        assert declared_colours(specs[name]) == {"#0072B2", "#E69F00", "#009E73", "#CC79A7"}  # one per company


def test_static_spec_does_not_touch_the_page_spec(specs):
    before = specs["Jobs"]["width"]
    assert exports.static_spec(specs["Jobs"])["width"] == exports.STATIC_WIDTH
    assert specs["Jobs"]["width"] == before == "container"


class Tags(HTMLParser):
    """Start tags of an HTML page (script and style contents are text to the parser, as to a browser)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_map_file_is_self_contained(ds):
    plants = ds.plants.copy()
    plants.loc[0, "name"] = XSS
    html = map_file(build_map_data(plants, ds.regions), plants, "company", "Company").decode()
    assert not re.search(r"<script[^>]*\ssrc=|<link[^>]*\shref=", html), "no script or stylesheet is fetched"
    assert "L.circleMarker(" in html and "Leaflet 1.9.3" in html  # Leaflet inlined
    parser = Tags()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert "img" not in tags and not any(a.get("src") or a.get("href") for _, a in parser.tags)
    assert tags.count("script") >= 3  # Leaflet, map.js and the map
    assert "global.PharmaMap = {init: init, apply: apply}" in html and ".ppm-legend{" in html  # map.js, map.css
    assert html.index("Leaflet 1.9.3") < html.index("global.PharmaMap =") < html.index("PharmaMap.init(map_")
    # every plant's name travels inline, JSON-escaped, so the markup in the first is never markup
    assert XSS not in html and json.dumps(XSS).replace("<", "\\u003c").replace(">", "\\u003e")[1:-1] in html
    start = html.index(", ", html.index("PharmaMap.init(map_")) + 2  # PharmaMap.init(map_…, {cfg});
    cfg, _ = json.JSONDecoder().raw_decode(html, start)
    assert [t[0] for t in cfg["details"]["t"]] == [XSS, *NAMES[1:]]
    assert cfg["details"]["id"] == ["altinfarm", "nobel-aff", "abdi-ibrahim", "msp-rompharm"]


def test_brief_pdf_and_png(specs):
    spec = exports.brief_spec("Title", "Subtitle", [("Investment", "173.4 bn KZT", "note")],
                              [specs["Investment"]], ["https://example.org"])
    pdf, png = exports.brief_pdf(spec), exports.brief_png(spec)
    assert pdf.startswith(b"%PDF-") and png.startswith(PNG)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # one page
    (box,) = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    page_w, page_h = float(box[0]), float(box[1])
    assert page_w >= exports.BRIEF_WIDTH + 2 * 28  # the page's text width, and the padding
    w, h = image(png).size  # the same page at 1.5x
    assert abs(w - 1.5 * page_w) <= 1 and abs(h - 1.5 * page_h) <= 1
    fonts = pdf_fonts(pdf)
    assert set(fonts) == {"SourceSansPro-Bold", "SourceSansPro-Regular-Identity-H"}
    assert set("Title173.4bnKZTInvestment") <= set(fonts["SourceSansPro-Bold"])  # title and KPI, in bold
    assert set("Subtitlenote") <= set(fonts["SourceSansPro-Regular-Identity-H"])


def test_standalone_html_refuses_an_unexpected_page():
    with pytest.raises(ValueError):
        exports.standalone_html("<html></html>", {"/app/static/leaflet/leaflet.js": "js"})


def letter(text: str, font: str | None = None) -> Image.Image:
    """``text`` as a chart's only mark, through the export path; ``font`` overrides the exports' font."""
    mark = {"type": "text", "fontSize": 60, **({"font": font} if font else {})}
    return image(exports.chart_png({"data": {"values": [{"t": text}]}, "mark": mark,
                                    "encoding": {"text": {"field": "t"}}, "height": 80}))


def differ(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox() is not None


@pytest.mark.parametrize("ch", list(KAZAKH))
def test_every_kazakh_letter_is_drawn_by_the_bundled_font(ch):
    """The exports name Source Sans Pro, registered from the bundled package (core/exports.py). Each
    Kazakh letter must come out as its own glyph: not blank (vl-convert draws nothing for a family it
    does not know, so an unregistered font gives blank text), not the missing-glyph box, and not the
    machine's sans-serif (vl-convert's own lacks ұ ң қ ₸; another may have them)."""
    drawn = letter(ch)
    assert differ(drawn, letter("")), "blank: the bundled font is not registered"
    assert differ(drawn, letter(MISSING)), "the missing-glyph box"
    assert differ(drawn, letter(ch, "sans-serif")), "drawn by the fallback font, not the bundled one"


@pytest.mark.usefixtures("kazakh")
def test_a_kazakh_chart_shows_its_letters(ds, labels):
    """A real chart in Kazakh, against the same chart with its Kazakh letters missing from every font."""
    spec = chart_specs(ds.plants, ds.plants, colour_map(ds.plants, "company"), "company",
                       "Company", labels)["Jobs"]
    assert spec["title"] == "Зауыттар бойынша жұмыс орындары (дереккөздегідей ескертулермен)"
    missing = json.loads(re.sub(f"[{KAZAKH}]", MISSING, json.dumps(spec, ensure_ascii=False)))
    assert missing["title"] != spec["title"]
    assert differ(image(exports.chart_png(spec)), image(exports.chart_png(missing)))


@pytest.mark.usefixtures("kazakh")
def test_the_kazakh_brief_is_set_in_the_bundled_font(ds, labels):
    """The one-page brief of the whole programme, in Kazakh: every glyph of the PDF comes from the
    embedded Source Sans Pro, and its glyphs stand for the title's letters."""
    specs = chart_specs(ds.plants, ds.plants, colour_map(ds.plants, "company"), "company",
                        "Company", labels)
    spec = brief(ds, compute_kpis(ds.plants, ds.programme), ds.plants, Filters(), specs, "KZT")
    title = spec["vconcat"][0]["data"]["values"][0]["t"]
    assert title == "Қазақстанның мақұлданған төрт фармацевтикалық зауыты"  # the page's title
    pdf = exports.brief_pdf(spec)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    fonts = pdf_fonts(pdf)
    assert set(fonts) == {"SourceSansPro-Bold", "SourceSansPro-Regular-Identity-H"}
    assert set(title.replace(" ", "")) <= set(fonts["SourceSansPro-Bold"])
    assert set("ҚқұңғӘәө₸") <= set(fonts["SourceSansPro-Bold"]) | set(fonts["SourceSansPro-Regular-Identity-H"])


# --------------------------------------------------------------------------- the brief: map, no value cut, axes


def charts_of(ds_all, scope: str, currency: str, shown) -> dict:
    """The side charts of a scope's plants ``shown``, in ``currency``, as the Export tab builds them."""
    rate = None
    if currency != "KZT":
        from core.domain import convert

        rate = convert(1.0, ds_all.fx, currency)[1]
    colours = colour_map(ds_all.scope_plants(scope), "company")
    return chart_specs(shown, ds_all.plants, colours, "company", "Company", ds_all.area_labels(scope), rate=rate)


def brief_of(ds_all, scope: str, currency: str, plants=None) -> dict:
    """The brief of a whole scope, as the Export tab builds it."""
    from core.domain import SCOPE

    shown = ds_all.scope_plants(scope) if plants is None else plants
    colours = colour_map(ds_all.scope_plants(scope), "company")
    specs = charts_of(ds_all, scope, currency, shown)
    kpis = compute_kpis(shown, ds_all.programme, scope)
    assert SCOPE[scope]
    return brief(ds_all, kpis, shown, Filters(scope=scope), specs, currency, colours, "company")


def svg_texts(svg: str) -> list[str]:
    """The visible texts of an SVG (a label Vega hid for overlap has opacity 0)."""
    from html import unescape

    return [unescape(text) for attrs, text in re.findall(r"<text([^>]*)>([^<]*)</text>", svg)
            if 'opacity="0"' not in attrs]


def units(spec: dict):
    """Every unit or layer view of a (concatenated) spec."""
    for key in ("vconcat", "hconcat", "concat"):
        for view in spec.get(key, []):
            yield from units(view)
    if "mark" in spec or "layer" in spec:
        yield spec


def spec_keys(obj) -> set[str]:
    """Every key of a spec, at any depth."""
    if isinstance(obj, dict):
        return set(obj) | {k for v in obj.values() for k in spec_keys(v)}
    if isinstance(obj, list):
        return {k for v in obj for k in spec_keys(v)}
    return set()


def limits(obj) -> list[tuple[str, object]]:
    if isinstance(obj, dict):
        return [(k, v) for k, v in obj.items() if k in ("limit", "labelLimit")] + [
            x for v in obj.values() for x in limits(v)]
    if isinstance(obj, list):
        return [x for v in obj for x in limits(v)]
    return []


def x_axis_labels(svg: str) -> dict[str, list[tuple[float, float, str]]]:
    """Each x axis of an SVG (by title): its visible tick labels as (left, right, text), left to right, their
    extent measured in the bundled font (the one the SVG names)."""
    from html import unescape

    out = {}
    for m in re.finditer(r"aria-label=\"X-axis titled '([^']*)'", svg):
        block = svg[m.end():svg.find("role-axis-domain", m.end())]
        labels = []
        for anchor, x, size, opacity, text in re.findall(
                r'<text text-anchor="(\w+)" transform="translate\(([\d.-]+),[\d.-]+\)"[^>]*font-size="([\d.]+)px"'
                r'[^>]*opacity="([\d.]+)"[^>]*>([^<]*)</text>', block):
            if float(opacity) == 0:
                continue
            text = unescape(text)
            w = exports.text_width(text, float(size))
            left = {"start": float(x), "middle": float(x) - w / 2, "end": float(x) - w}[anchor]
            labels.append((left, left + w, text))
        out[unescape(m.group(1))] = sorted(labels)
    return out


def test_text_is_measured_as_vl_convert_draws_it():
    """The brief sizes every cell by measuring its text (core.exports.text_width): the measure is the
    drawn width, to the pixel."""
    for text, size, weight in (("173,4 млрд KZT", 32, "bold"), ("Түркістан облысы", 15, "bold"),
                               ("≈ 344,5 млн $ 503,35 ₸/USD", 11, "normal")):
        spec = {"data": {"values": [{"t": text}]}, "width": 600, "height": 60, "padding": 0,
                "autosize": {"type": "none"},
                "mark": {"type": "text", "fontSize": size, "fontWeight": weight, "align": "left", "x": 0, "y": 30},
                "encoding": {"text": {"field": "t"}}}
        im = image(exports._vlc().vegalite_to_png(exports.static_spec(spec, 600) | {"padding": 0}, scale=1))
        ink = ImageChops.invert(im.convert("L")).getbbox()
        assert ink is not None
        assert abs((ink[2] - ink[0]) - exports.text_width(text, size, weight)) <= 3, text


def test_the_brief_has_the_map_beside_its_charts(ds_all):
    spec = brief_of(ds_all, "approved", "KZT")
    body = next(v for v in spec["vconcat"] if "hconcat" in v and "projection" in json.dumps(v))
    left, right = body["hconcat"]
    mapped = next(u for u in units(left) if "projection" in u)
    assert mapped["projection"]["type"] == "mercator"
    assert {f["properties"]["name"] for f in mapped["projection"]["fit"]["features"]} == {
        "Almaty", "Almaty Region", "Turkistan Region"}
    assert [u["title"]["text"][0] for u in units(right)] == ["Investment by plant (bn KZT)",
                                                            "Jobs by plant (qualifiers as reported)"]
    assert "url" not in spec_keys(spec)  # no data fetched
    from core import staticmap

    drawn = image(exports.brief_png(spec))
    assert staticmap.HOST_FILL.upper() in colours(drawn)  # the host regions, tinted
    assert {"#0072B2", "#E69F00", "#009E73", "#CC79A7"} <= colours(drawn)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize(("scope", "currency"), [("approved", "KZT"), ("six", "USD"), ("existing", "EUR")])
def test_no_value_in_the_brief_is_cut(ds_all, lang, scope, currency):
    """Every KPI label and value, every axis label and every line of the brief is drawn whole: no mark has
    a limit, no axis a label limit, each text view is as wide as its widest text, and the SVG has no text
    ending in an ellipsis (Vega's mark of a cut text). The Kazakh investment KPI was '173,4 млрд …'."""
    use(lang)
    try:
        spec = brief_of(ds_all, scope, currency)
        kpis = [(cell["vconcat"][0]["data"]["values"][0]["t"], cell["vconcat"][1]["data"]["values"][0]["t"])
                for cell in spec["vconcat"][2]["hconcat"]]
        svg = exports.brief_svg(spec)
    finally:
        use("en")
    assert all(v in (0, None) for _, v in limits(spec)), limits(spec)
    assert spec["config"]["axis"]["labelLimit"] == 0 and spec["config"]["legend"]["labelLimit"] == 0
    for unit in units(spec):
        mark = unit.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text" and isinstance(unit.get("width"), int | float):
            for row in unit["data"]["values"]:
                assert exports.text_width(row["t"], mark["fontSize"], mark["fontWeight"]) <= unit["width"], row
    texts = svg_texts(svg)
    assert not [x for x in texts if x.rstrip().endswith("…")]
    for label, value in kpis:
        assert label in texts and value in texts
    if lang == "kk" and scope == "approved":
        assert "173,4 млрд KZT" in texts
    for name in programme_rows(ds_all.scope_plants(scope))["name"]:  # each charted plant, whole
        assert name in texts, name


def test_a_long_plant_name_is_never_cut(ds):
    plants = ds.plants.copy()
    long = "Pharmaceutical Plant of the Special Economic Zone «TURAN», Turkistan Region, Phase Two"
    plants.loc[plants["plant_id"] == "msp-rompharm", "name"] = long
    spec = brief(ds, compute_kpis(plants, ds.programme), plants, Filters(),
                 chart_specs(plants, plants, colour_map(plants, "company"), "company", "Company",
                             ds.area_labels("approved")), "KZT")
    texts = svg_texts(exports.brief_svg(spec))
    assert texts.count(long) >= 2  # a y-axis label of both charts
    assert not [x for x in texts if x.rstrip().endswith("…")]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize(("scope", "currency"), [("approved", "KZT"), ("six", "USD"), ("existing", "EUR")])
@pytest.mark.parametrize("with_map", [True, False])
def test_axis_labels_of_the_brief_never_collide(ds_all, lang, scope, currency, with_map):
    """The jobs axis ended in '270280': two tick labels run together. Each x axis of the brief keeps at
    least 4 px between its visible labels, beside the map (430 px charts) and full width (820 px), in every
    language, scope and currency the no-cut test covers."""
    use(lang)
    try:
        spec = brief_of(ds_all, scope, currency)
        if not with_map:
            specs = charts_of(ds_all, scope, currency, ds_all.scope_plants(scope))
            spec = exports.brief_spec("Title", "Subtitle", [("a", "1", "n")], [specs["Investment"], specs["Jobs"]],
                                      ["https://example.org"])
        axes = x_axis_labels(exports.brief_svg(spec))
    finally:
        use("en")
    assert len(axes) == 2
    for title, ticks in axes.items():
        assert len(ticks) >= 4, title  # still an axis to read
        for (_, right, a), (left, _, b) in zip(ticks, ticks[1:], strict=False):
            assert left - right >= 4, f"{title}: {a!r} and {b!r} run together"
        assert len({t for _, _, t in ticks}) == len(ticks)


def test_a_wider_scopes_brief_and_sources_sheet_claim_no_single_approval_date(ds_all):
    """'Kazakhstan's approved pharmaceutical plants · Investment agreements approved on 22 January 2026' headed
    the brief of every scope; its Plants cell counted the existing plants the sums leave out."""
    from components.sources import source_notes

    spec = brief_of(ds_all, "existing", "KZT")
    texts = svg_texts(exports.brief_svg(spec))
    joined = " ".join(texts)
    assert "Kazakhstan's pharmaceutical investment agreements and existing plants" in texts
    assert "approved on" not in joined and "With existing plants · 9 of 9 plants" in joined
    plants = spec["vconcat"][2]["hconcat"][-1]
    assert plants["vconcat"][1]["data"]["values"][0]["t"] == "6"  # the six agreements the sums cover
    assert "of 6 in the programme · existing plants shown (context): 3" in joined
    assert source_notes(ds_all, "existing")[0] == ("Data", "Kazakhstan's pharmaceutical investment agreements and "
                                                           "existing plants")
    assert source_notes(ds_all)[0] == ("Data", "Investment agreements approved on 22 January 2026")
    approved = " ".join(svg_texts(exports.brief_svg(brief_of(ds_all, "approved", "KZT"))))
    assert "Kazakhstan's four approved pharmaceutical plants" in approved
    assert "Investment agreements approved on 22 January 2026 · Approved 22 Jan 2026 · 4 of 4 plants" in approved
