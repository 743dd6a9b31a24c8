"""The map drawn offline (core/staticmap.py): what it shows, where, and that vl-convert fetches nothing."""

from __future__ import annotations

import io
import json
import math
import re
from typing import Any

import pytest
from PIL import Image

from components.partners import ROLE_COLOURS, build_partners_data, role_word
from core import exports, staticmap
from core.domain import colour_map
from core.i18n import use

W, H = 600, 450
HOSTS = {"Almaty", "Almaty Region", "Turkistan Region"}


@pytest.fixture(scope="module")
def colours(ds):
    return colour_map(ds.plants, "company")


def spec_of(ds, colours, highlight=None, plants=None, **kw):
    plants = ds.plants if plants is None else plants
    return staticmap.map_spec(ds.regions, plants, set(plants["region"]), highlight, colours, "company", W, H, **kw)


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def count(im: Image.Image, colour: str) -> int:
    """Pixels of exactly ``colour`` (#RRGGBB)."""
    rgb = tuple(bytes.fromhex(colour[1:]))
    return sum(n for n, c in im.getcolors(maxcolors=1 << 24) or [] if c == rgb)


def layer(spec: dict, mark: str, n: int = 0) -> dict:
    return [x for x in spec["layer"] if (x["mark"]["type"] if isinstance(x["mark"], dict) else x["mark"]) == mark][n]


def urls(obj) -> list[str]:
    """Every ``url`` key anywhere in a spec."""
    if isinstance(obj, dict):
        return [v for k, v in obj.items() if k == "url"] + [u for v in obj.values() for u in urls(v)]
    if isinstance(obj, list):
        return [u for v in obj for u in urls(v)]
    return []


def circles(svg: str) -> list[tuple[float, float, float, str]]:
    """(x, y, r, attributes) of each symbol drawn, from vl-convert's SVG."""
    return [(float(x), float(y), float(r), attrs) for attrs, x, y, r in re.findall(
        r'<path (aria-label="lon[^>]*?transform="translate\(([\d.-]+),([\d.-]+)\)" d="M([\d.]+),0A[^>]*)/>', svg)]


def test_the_spec_carries_its_data_inline_and_fits_the_host_regions(ds, colours):
    spec = spec_of(ds, colours)
    assert urls(spec) == [] and "$schema" in spec
    shapes = layer(spec, "geoshape")
    assert len(shapes["data"]["values"]) == len(ds.regions["features"])  # every region drawn, inline
    assert spec["projection"]["type"] == "mercator"
    fitted = {f["properties"]["name"] for f in spec["projection"]["fit"]["features"]}
    assert fitted == HOSTS
    assert (spec["width"], spec["height"], spec["padding"]) == (W, H, 0)
    json.dumps(spec)  # plain JSON


def test_vl_convert_refuses_any_url():
    remote = {"data": {"url": "https://example.org/plants.json"}, "mark": "point",
              "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    with pytest.raises(ValueError, match="not allowed"):
        exports.chart_png(remote)


def test_the_png_has_the_frame_size_and_draws_regions_and_plants(ds, colours):
    im = image(staticmap.map_png(spec_of(ds, colours), scale=2))
    assert im.size == (2 * W, 2 * H)
    found: list[tuple[int, Any]] = im.getcolors(maxcolors=1 << 24) or []
    assert len(found) > 200  # outlines, fills, circles and text: not a blank or flat image
    assert count(im, staticmap.HOST_FILL) > 10_000 and count(im, staticmap.OTHER_FILL) > 10_000
    # every plant is drawn in its company's colour (over the pale fill: blended, so look for its hue)
    for colour in colours.values():
        r, g, b = bytes.fromhex(colour[1:])
        assert any(abs(c[0] - r) < 40 and abs(c[1] - g) < 40 and abs(c[2] - b) < 40 and n > 50
                   for n, c in found), colour


def test_the_highlighted_plant_gets_a_black_ring(ds, colours):
    plain = image(staticmap.map_png(spec_of(ds, colours)))
    ringed = image(staticmap.map_png(spec_of(ds, colours, highlight="msp-rompharm")))
    assert count(plain, staticmap.HIGHLIGHT) == 0  # nothing else on the map is pure black
    assert count(ringed, staticmap.HIGHLIGHT) > 300
    # the ring is around MSP-ROMPHARM (Turkistan, the western plant), nowhere else
    svg = exports.chart_svg(spec_of(ds, colours, highlight="msp-rompharm"), width=W).decode()
    ring = [c for c in circles(svg) if 'stroke="#000000"' in c[3]]
    assert len(ring) == 1
    msp = next(c for c in circles(svg) if "#CC79A7" in c[3] and 'fill="#' in c[3])
    assert math.isclose(ring[0][0], msp[0], abs_tol=0.01) and ring[0][2] > msp[2]
    # the other plants are paler
    rows = layer(spec_of(ds, colours, highlight="msp-rompharm"), "point")["data"]["values"]
    assert {r["plant_id"]: r["opacity"] for r in rows}["msp-rompharm"] > max(
        r["opacity"] for r in rows if r["plant_id"] != "msp-rompharm")


def test_circle_area_is_proportional_to_investment(ds, colours):
    rows = {r["plant_id"]: r for r in layer(spec_of(ds, colours), "point")["data"]["values"]}
    inv = dict(zip(ds.plants["plant_id"], ds.plants["investment_kzt_bn"], strict=True))
    for pid in rows:
        assert rows[pid]["size"] / rows["altinfarm"]["size"] == pytest.approx(inv[pid] / inv["altinfarm"], rel=1e-3)


def test_approximate_points_are_dashed(ds, colours):
    plants = ds.plants.copy()
    plants.loc[plants["plant_id"] == "msp-rompharm", "point_basis"] = "site"
    svg = exports.chart_svg(spec_of(ds, colours, plants=plants), width=W).decode()
    drawn = {c[3].split("fill: ")[1][:7]: c[3] for c in circles(svg) if "fill: " in c[3]}
    assert 'stroke-dasharray="5,4"' not in drawn["#CC79A7"]  # MSP-ROMPHARM, now at its site: solid
    assert all('stroke-dasharray="5,4"' in drawn[c] for c in ("#0072B2", "#E69F00", "#009E73"))


def test_plants_sharing_a_point_are_fanned_out_and_drawn_where_vega_projects_them(ds, colours):
    spec = spec_of(ds, colours)
    svg = exports.chart_svg(spec, width=W).decode()
    drawn = circles(svg)
    assert len(drawn) == 4
    # AltINFARM and Nobel share Almaty's centroid: side by side, not on top of each other
    by_fill = {c[3].split("fill: ")[1][:7]: c for c in drawn}
    a, b = by_fill[colours["AltINFARM"]], by_fill[colours["Nobel Almaty Pharmaceutical Factory"]]
    gap = math.hypot(a[0] - b[0], a[1] - b[1])
    assert gap > a[2] + b[2]
    assert gap == pytest.approx(2 * max(a[2], b[2]) + staticmap.FAN_GAP, abs=0.1)  # as map.js fans them
    # the frame computed here (for labels and fan-out) is the one Vega draws
    extent = spec["projection"]["extent"]
    frame = staticmap.Frame.fit([f["geometry"] for f in spec["projection"]["fit"]["features"]],
                                (tuple(extent[0]), tuple(extent[1])))
    rows = layer(spec, "point")["data"]["values"]
    for row, (x, y, _, _) in zip(rows, drawn, strict=True):
        px, py = frame.px(row["lon"], row["lat"])
        assert abs(px - x) < 0.5 and abs(py - y) < 0.5


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_host_regions_are_labelled_in_the_language_clear_of_plants_and_each_other(ds, colours, lang):
    use(lang)
    try:
        spec = spec_of(ds, colours)
    finally:
        use("en")
    labels = layer(spec, "text", 1)["data"]["values"]
    names = {f["properties"]["name"]: f["properties"].get(f"name_{lang}") for f in ds.regions["features"]}
    assert sorted(x["text"] for x in labels) == sorted(names[h] for h in HOSTS)
    svg = exports.chart_svg(spec, width=W).decode()
    drawn = circles(svg)
    extent = spec["projection"]["extent"]
    frame = staticmap.Frame.fit([f["geometry"] for f in spec["projection"]["fit"]["features"]],
                                (tuple(extent[0]), tuple(extent[1])))
    boxes = []
    for x in labels:
        cx, cy = frame.px(x["lon"], x["lat"])
        w = exports.text_width(x["text"], staticmap.LABEL_SIZE, staticmap.LABEL_WEIGHT)
        box = (cx - w / 2, cx + w / 2, cy - staticmap.LABEL_SIZE / 2, cy + staticmap.LABEL_SIZE / 2)
        assert box[0] >= 0 and box[1] <= W and box[2] >= 0 and box[3] <= H, x  # inside the frame: never clipped
        for px, py, r, _ in drawn:
            nx, ny = min(max(px, box[0]), box[1]) - px, min(max(py, box[2]), box[3]) - py
            assert math.hypot(nx, ny) >= r, (x["text"], "covers a plant")
        assert not any(box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in boxes)
        boxes.append(box)


def test_anticlockwise_rings_are_rewound_for_d3():
    square = {"type": "Polygon", "coordinates": [[[70, 40], [72, 40], [72, 42], [70, 42], [70, 40]]]}  # RFC 7946
    from shapely.geometry import Polygon

    assert Polygon(square["coordinates"][0]).exterior.is_ccw
    assert not Polygon(staticmap._clockwise(square)["coordinates"][0]).exterior.is_ccw
    clockwise = {"type": "Polygon", "coordinates": [list(reversed(square["coordinates"][0]))]}
    assert staticmap._clockwise(clockwise) is clockwise  # already as d3 reads it: untouched


def test_neighbouring_countries_are_drawn_behind_without_kazakhstan(ds, colours):
    spec = spec_of(ds, colours, countries=ds.countries)
    abroad = spec["layer"][0]
    assert abroad["mark"]["fill"] == staticmap.ABROAD_FILL
    assert 0 < len(abroad["data"]["values"]) < len(ds.countries["features"])  # only those in the frame
    assert urls(spec) == []


def test_the_partners_map(ds):
    data = build_partners_data(ds.partners, ds.plants, ds.countries)
    spec = staticmap.partners_spec(data.countries, data.arcs, data.hqs, data.plants, data.places, data.labels,
                                   ROLE_COLOURS, {r: role_word(r) for r in ROLE_COLOURS}, W, H)
    assert urls(spec) == []
    lines = [x for x in spec["layer"] if x["mark"]["type"] == "geoshape" and x["mark"].get("filled") is False]
    (arcs,) = lines
    assert len(arcs["data"]["values"]) == len(data.arcs)
    assert sum(f["properties"]["dashed"] for f in arcs["data"]["values"]) == sum(a["dashed"] for a in data.arcs) >= 1
    im = image(staticmap.map_png(spec, scale=1))
    assert im.size == (W, H)
    assert count(im, staticmap.PARTNER_HOME_FILL) > 1000  # Kazakhstan
    for role in {a["role"] for a in data.arcs}:
        assert count(im, ROLE_COLOURS[role]) > 20, role
    # every name beside a headquarters fits in the frame
    extent = spec["projection"]["extent"]
    pts = spec["projection"]["fit"]["geometry"]["coordinates"]
    import shapely

    frame = staticmap.Frame.fit([shapely.multipoints(pts)], (tuple(extent[0]), tuple(extent[1])))
    for label in data.labels:
        x = frame.px(label["lon"], label["lat"])[0]
        w = exports.text_width(label["text"], 15, staticmap.LABEL_WEIGHT) + 11
        assert (x - w >= 0) if label["side"] == "l" else (x + w <= W), label["text"]
