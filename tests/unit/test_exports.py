"""Export files are valid and safe: formula cells neutralised, charts render, the map opens offline."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from components.charts import chart_specs
from components.exports import map_file
from components.map import build_map_data
from components.table import table_frame
from core import exports
from core.domain import colour_map

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def specs(ds, labels):
    return chart_specs(ds.plants, ds.plants, ds.provenance, colour_map(ds.plants, "company"), "company", "Company",
                       labels)


def test_xlsx_is_readable_and_formula_safe(ds):
    plants = ds.plants.copy()
    plants.loc[0, "name"] = "=HYPERLINK(\"http://x\",\"y\")"
    data = exports.xlsx_bytes(table_frame(plants, ds.provenance), [("Data", "22 Jan 2026"), ("@x", "-1")])
    book = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert set(book) == {"Plants", "Sources"}
    assert len(book["Plants"]) == 4 and book["Plants"].loc[0, "Plant"].startswith("'=")
    assert book["Sources"].iloc[1].tolist() == ["'@x", "'-1"]
    assert book["Plants"]["Legal name"].str.contains("«").all()


@pytest.mark.parametrize("name", ["Investment", "Medicines", "Jobs", "Therapeutic areas"])
def test_each_chart_renders_to_png_and_svg(specs, name):
    png = exports.chart_png(specs[name])
    assert png.startswith(PNG) and len(png) > 5_000
    svg = exports.chart_svg(specs[name]).decode()
    assert svg.startswith("<svg") and "AltINFARM" in svg


def test_static_spec_does_not_touch_the_page_spec(specs):
    before = specs["Jobs"]["width"]
    assert exports.static_spec(specs["Jobs"])["width"] == exports.STATIC_WIDTH
    assert specs["Jobs"]["width"] == before == "container"


def test_map_file_is_self_contained(ds):
    html = map_file(build_map_data(ds.plants, ds.regions), ds.plants, "company", "Company").decode()
    assert not re.search(r"<script[^>]*\ssrc=|<link[^>]*\shref=", html), "no script or stylesheet is fetched"
    assert "L.circleMarker(" in html and "MSP-ROMPHARM" in html  # the map's script and data inlined
    assert html.count("<script>") >= 1 and "Leaflet 1.9.3" in html
    assert "global.PharmaMap = {init: init, apply: apply}" in html and ".ppm-legend{" in html  # map.js, map.css
    assert html.index("Leaflet 1.9.3") < html.index("global.PharmaMap =") < html.index("PharmaMap.init(map_")


def test_brief_pdf_and_png(ds, specs):
    spec = exports.brief_spec("Title", "Subtitle", [("Investment", "173.4 bn KZT", "note")],
                              [specs["Investment"]], ["https://example.org"])
    assert exports.brief_pdf(spec).startswith(b"%PDF-")
    assert exports.brief_png(spec).startswith(PNG)


def test_standalone_html_refuses_an_unexpected_page():
    with pytest.raises(ValueError):
        exports.standalone_html("<html></html>", {"/app/static/leaflet/leaflet.js": "js"})


def test_exports_use_a_font_with_every_kazakh_letter(specs):
    """Exports name the bundled Source Sans Pro (checked to hold ә ғ қ ң ө ұ ү һ і and ₸ when it was
    chosen); vl-convert's own sans-serif lacks ұ, ң, қ and ₸."""
    from pathlib import Path

    import font_source_sans_pro

    files = {p.name for p in Path(font_source_sans_pro.font_directory).glob("*.ttf")}
    assert {"SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf"} <= files
    config = exports.static_spec(specs["Jobs"])["config"]
    assert config["font"] == config["title"]["font"] == config["axis"]["labelFont"] == "Source Sans Pro"
    svg = exports.chart_svg(specs["Jobs"]).decode()
    assert "Source Sans Pro" in svg
