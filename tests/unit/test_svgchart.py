"""The side charts as server-drawn SVG (core/svgchart.py): geometry true to the values, every text escaped,
nothing drawn outside the drawing, in every language, for every chart the page builds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from components.charts import ALT, build_investment_chart, build_medicines_chart, chart_specs
from core import i18n, svgchart
from core.data import load_dataset
from core.domain import colour_map
from core.exports import text_width

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def view_width(root: ET.Element) -> float:
    return float(root.get("viewBox", "").split()[2])


def bars_by_plant(root: ET.Element) -> dict[str, list[ET.Element]]:
    """Bar rects by the plant their tooltip names (first line 'Plant: …' or 'plant: …')."""
    out: dict[str, list[ET.Element]] = {}
    for rect in root.iter(f"{{{NS['s']}}}rect"):
        title = rect.find("s:title", NS)
        if title is not None and title.text:
            name = title.text.splitlines()[0].split(": ", 1)[1]
            out.setdefault(name, []).append(rect)
    return out


def specs_for(ds, lang: str = "en", highlight: str | None = None) -> dict[str, dict]:
    i18n.use(lang)
    try:
        return chart_specs(ds.plants, ds.plants, colour_map(ds.plants, "company"), "company", "Company",
                           ds.area_labels("approved"), highlight=highlight)
    finally:
        i18n.use("en")


def drawn(spec: dict, name: str, lang: str = "en") -> str:
    i18n.use(lang)
    try:
        return svgchart.svg(spec, ALT[name], name)
    finally:
        i18n.use("en")


def test_investment_bars_are_proportional_to_the_values(ds):
    spec = specs_for(ds)["Investment"]
    root = parse(drawn(spec, "Investment"))
    bars = {k: float(v[0].get("width", 0)) for k, v in bars_by_plant(root).items()}
    assert sorted(bars) == sorted(ds.plants["name"])
    # 58.5 / 36.7 bn KZT
    assert bars["AltINFARM"] / bars["MSP-ROMPHARM"] == pytest.approx(58.5 / 36.7, rel=0.01)
    labels = [t.text for t in root.iter(f"{{{NS['s']}}}text")]
    assert labels[:1] == ["Investment by plant (bn KZT)"]
    for value in ("58.5", "39.2", "39.0", "36.7"):
        assert value in labels
    assert root.get("role") == "img"
    assert root.get("aria-label", "").startswith("Investment by plant (bn KZT). Bar chart")


def test_stacked_segments_touch_and_follow_the_legend_order(ds):
    root = parse(drawn(specs_for(ds)["Medicines"], "Medicines"))
    altinfarm = bars_by_plant(root)["AltINFARM"]
    first, second = altinfarm  # socially significant 35, then other 19
    assert "socially significant" in first.find("s:title", NS).text  # type: ignore[union-attr]
    end_of_first = float(first.get("x", 0)) + float(first.get("width", 0))
    assert end_of_first == pytest.approx(float(second.get("x", 0)), abs=0.1)
    assert float(first.get("width", 0)) / float(second.get("width", 0)) == pytest.approx(35 / 19, rel=0.02)


def test_derived_bars_are_pale_and_dashed(ds):
    root = parse(drawn(specs_for(ds)["Jobs"], "Jobs"))
    bars = bars_by_plant(root)
    (msp,) = bars["MSP-ROMPHARM"]  # derived: about 265
    (alt_,) = bars["AltINFARM"]  # reported: about 60
    assert msp.get("fill-opacity") == "0.35" and msp.get("stroke-dasharray") == "4 3"
    assert alt_.get("fill-opacity") is None and alt_.get("stroke-dasharray") is None


def test_the_tours_highlight_dims_the_other_plants(ds):
    spec = specs_for(ds, highlight="Nobel Almaty Pharmaceutical Factory")["Investment"]
    bars = bars_by_plant(parse(drawn(spec, "Investment")))
    assert {k: v[0].get("fill-opacity") for k, v in bars.items()} == {
        "AltINFARM": "0.25", "Nobel Almaty Pharmaceutical Factory": None, "Abdi Ibrahim Global Pharm": "0.25",
        "MSP-ROMPHARM": "0.25"}


def test_an_undisclosed_value_has_no_bar_and_says_so(ds):
    plants = ds.plants.copy()
    plants.loc[plants["plant_id"] == "nobel-aff", "investment_kzt_bn"] = float("nan")
    spec = build_investment_chart(plants, colour_map(plants, "company"), "company", "Company")
    root = parse(svgchart.svg(spec, "", "Investment"))
    assert "Nobel Almaty Pharmaceutical Factory" not in bars_by_plant(root)
    assert "not disclosed" in [t.text for t in root.iter(f"{{{NS['s']}}}text")]


def test_text_from_the_data_is_text(ds):
    plants = ds.plants.copy()
    evil = '<script>alert(1)</script> & "=HYPERLINK()"\n\n*emphasis* </svg><img src=x onerror=alert(2)>'
    plants.loc[plants["plant_id"] == "altinfarm", "name"] = evil
    spec = build_medicines_chart(plants)
    svg = svgchart.svg(spec, "", "Medicines")
    root = parse(svg)  # well-formed: nothing closed the drawing early
    assert "<script" not in svg and "<img" not in svg and "\n" not in svg
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "img", "foreignObject")]
    names = [t.text for t in root.iter(f"{{{NS['s']}}}text")]
    assert any(n and n.startswith("<script>") for n in names)  # shown as typed (cut to fit), not run


def assert_inside(root: ET.Element, where: tuple) -> None:
    """Every text (but the matrix's slanted column names, checked below) inside the drawing's viewBox."""
    width = view_width(root)
    height = float(root.get("viewBox", "").split()[3])
    for text in root.iter(f"{{{NS['s']}}}text"):
        if text.get("transform"):
            continue
        w = text_width(text.text or "", float(text.get("font-size", 13)))
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        anchor = text.get("text-anchor")
        lo, hi = (x - w, x) if anchor == "end" else (x - w / 2, x + w / 2) if anchor == "middle" else (x, x + w)
        assert lo >= -0.5 and hi <= width + 0.5, (*where, text.text, lo, hi, width)
        assert 0 < y <= height, (*where, text.text, y, height)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_chart_fits_its_drawing_in_every_language(ds_all, lang):
    """Every text of every chart (the four approved plants, and all twelve rows) inside the viewBox."""
    for plants in (ds_all.scope_plants("approved"), ds_all.plants):
        sub = type(ds_all)(**{**ds_all.__dict__, "plants": plants.reset_index(drop=True)})
        for name, spec in specs_for(sub, lang).items():
            assert_inside(parse(drawn(spec, name, lang)), (lang, name))


@pytest.fixture(scope="module")
def hundred(tmp_path_factory):
    from scripts.synthetic import write_synthetic

    return load_dataset(write_synthetic(tmp_path_factory.mktemp("h") / "d", 100))


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_others_bar_is_cut_with_a_break_and_its_label_stays_inside(hundred, lang):
    """100 plants: each bar chart's last bar sums 86 plants, far longer than the largest plant's; it is cut
    where the axis ends, marked with a break, its label (the whole sum) beside the cut."""
    specs = specs_for(hundred, lang)
    for name in ("Investment", "Medicines", "Jobs"):
        root = parse(drawn(specs[name], name, lang))
        assert_inside(root, (lang, name))
        bars = bars_by_plant(root)
        assert len(bars) == 15, name
        others = next(k for k in bars if k.endswith("(86)"))
        right = {k: max(float(r.get("x", 0)) + float(r.get("width", 0)) for r in v) for k, v in bars.items()}
        assert right[others] > max(v for k, v in right.items() if k != others), name  # longest, yet cut:
        cuts = [p for p in root.iter(f"{{{NS['s']}}}path") if p.get("class") == "cut"]
        assert len(cuts) == 1, name
        ticks = [float(t.get("x", 0)) for t in root.iter(f"{{{NS['s']}}}text") if t.get("text-anchor") == "middle"
                 and re.fullmatch(r"[\d\s,.\u00a0\u202f]+", t.text or "")]
        assert right[others] <= max(ticks) + 0.5, name  # within the axis


def test_slanted_column_names_stay_inside(ds):
    import math

    root = parse(drawn(specs_for(ds)["Therapeutic areas"], "Therapeutic areas"))
    width = view_width(root)
    slanted = [t for t in root.iter(f"{{{NS['s']}}}text") if t.get("transform")]
    assert len(slanted) == 9  # the programme's nine areas
    for text in slanted:
        right = float(text.get("x", 0)) + text_width(text.text or "", 13) * math.cos(math.radians(40))
        assert right <= width + 0.5, (text.text, right, width)


def test_long_names_are_cut_with_the_whole_name_as_tooltip(ds):
    root = parse(drawn(specs_for(ds)["Therapeutic areas"], "Therapeutic areas"))
    cut = [t for t in root.iter(f"{{{NS['s']}}}text") if (t.text or "").endswith("…")]
    assert cut, "the matrix's 'MSP-ROMPHARM (areas not disclosed)' row is wider than the label column"
    for text in cut:
        title = text.find("s:title", NS)
        assert title is not None and title.text and title.text.startswith(text.text[:-1])  # type: ignore[index]


def test_many_plants_draw_the_largest_fifteen_and_the_area_counts(tmp_path):
    from scripts.synthetic import write_synthetic

    ds = load_dataset(write_synthetic(tmp_path / "d", 1000))
    specs = specs_for(ds)
    inv = bars_by_plant(parse(drawn(specs["Investment"], "Investment")))
    assert len(inv) == 15
    areas = parse(drawn(specs["Therapeutic areas"], "Therapeutic areas"))
    assert len(list(areas.iter(f"{{{NS['s']}}}rect"))) == 9  # one bar an area, no plant × area matrix
    assert len(drawn(specs["Investment"], "Investment")) < 8_000  # bytes sent per chart and rerun


@pytest.mark.parametrize("span,count,step", [(58.5, 6, 10), (265, 5, 100), (0.7, 5, 0.2), (1000, 4, 250),
                                             (0, 4, 1.0)])
def test_nice_steps(span, count, step):
    assert svgchart.nice_step(span, count) == pytest.approx(step)


def test_ticks_start_at_zero_and_cover_the_largest_value(ds):
    root = parse(drawn(specs_for(ds)["Jobs"], "Jobs"))
    ticks = [t.text for t in root.iter(f"{{{NS['s']}}}text") if t.get("text-anchor") == "middle"]
    assert ticks[:4] == ["0", "100", "200", "300"]  # about 265, the longest bar


def test_ru_numbers_use_the_languages_separators(ds_all):
    spec = specs_for(ds_all, "ru")["Investment"]
    svg = drawn(spec, "Investment", "ru")
    assert re.search(r">58,5<", svg) and "млрд" in svg


def test_a_drawing_is_small_and_self_contained(ds):
    for name, spec in specs_for(ds).items():
        svg = drawn(spec, name)
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="ppm-chart"') and svg.endswith("</svg>")
        assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
        assert len(svg) < 9_000, (name, len(svg))
        assert "\n" not in svg  # one line: Markdown reads it as one HTML block



def test_every_drawing_passes_the_allowlist_and_foreign_markup_does_not(ds):
    for name, spec in specs_for(ds).items():
        svg = drawn(spec, name)
        assert svgchart.checked(svg) == svg
    ok = '<svg xmlns="http://www.w3.org/2000/svg" class="ppm-chart"><rect x="1"/></svg>'
    assert svgchart.checked(ok) == ok
    for bad in ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" style="background:url(x)"/>',
                '<svg xmlns="http://www.w3.org/2000/svg"><svg/></svg>',
                '<div><svg xmlns="http://www.w3.org/2000/svg"/></div>',
                '<svg xmlns="http://www.w3.org/2000/svg">\n\n*x*</svg>'):
        with pytest.raises(ValueError):
            svgchart.checked(bad)


@pytest.mark.parametrize("name", ["AltINFARM (analyst's update)", "A & B #1 [draft] *new* $5 `x` ~y~ | z",
                                  "Завод «Алматы» №2", "=SUM(A1:A2)"])
def test_names_read_back_exactly_as_typed(ds, name):
    plants = ds.plants.copy()
    plants.loc[plants["plant_id"] == "altinfarm", "name"] = name
    svg = svgchart.checked(svgchart.svg(build_investment_chart(plants, colour_map(plants, "company"), "company",
                                                               "Company"), "", "Investment"))
    assert name in [t.text for t in parse(svg).iter(f"{{{NS['s']}}}text")]
    assert name in bars_by_plant(parse(svg))
