"""The map builder, tested on folium objects and their rendered HTML, without a browser."""

from __future__ import annotations

import base64
import json
import math
import re

import numpy as np
import pytest
import xyzservices

from components.map import (
    COORD_SCALE,
    LABEL_CLEARANCE_DEG,
    R_MAX,
    TILES,
    build_base_map,
    build_map_data,
    build_plant_group,
    clicked_plant,
    host_bounds,
    legend_html,
    nice_steps,
    radius_px,
    visible_mask,
)
from core.assets import LEAFLET_CSS, LEAFLET_JS, MAP_CSS, MAP_JS, PHARMAMAP_DIR, publish_json
from core.data import empty_plants, load_dataset
from core.domain import Filters, apply_filters
from core.i18n import use
from tests.conftest import read_rows, write_rows

XSS = "<img src=x onerror=alert(1)>"
URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
TILE_URL = xyzservices.providers.query_name(TILES).build_url()  # the online basemap's tile template
ASSETS = {LEAFLET_JS, LEAFLET_CSS, MAP_JS, MAP_CSS}
MAP_CODE = (PHARMAMAP_DIR / "map.js").read_text(encoding="utf-8")


def render(ds, plants=None, shown=None, offline=True, column="company", label="Company", urls=None):
    plants = ds.plants if plants is None else plants
    shown = plants if shown is None else shown
    data = build_map_data(plants, ds.regions)
    m = build_base_map(data, offline=offline, urls=urls)
    build_plant_group(data, shown, column, label).add_to(m)
    return data, m, m.get_root().render()


def all_elements(el):
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from all_elements(child)


def test_offline_map_loads_nothing_from_another_host(ds):
    _, _, html = render(ds, offline=True)
    assert set(URL.findall(html)) == ASSETS
    assert not re.search(r"https?://", html.split("<body>")[0]), "no absolute URL in the head"
    assert "tileLayer" not in html and TILE_URL not in html


def test_every_element_asset_is_local(ds):
    """streamlit-folium loads the default_js/css of every element: all must be app-served."""
    _, m, _ = render(ds, offline=False)
    links = [src for el in all_elements(m) for _, src in getattr(el, "default_js", []) + getattr(el, "default_css", [])]
    assert sorted(links) == sorted(ASSETS)
    assert all(link.startswith("/app/static/") for link in links)
    assert not any(type(el).__module__.startswith("branca.colormap") for el in all_elements(m))


def test_online_map_adds_only_a_tile_layer(ds):
    _, _, html = render(ds, offline=False)
    assert html.count("L.tileLayer(") == 1 and html.count(json.dumps(TILE_URL)) == 1
    assert "Esri" in html.split(json.dumps(TILE_URL), 1)[1].split("addTo", 1)[0]  # the provider's attribution
    assert set(URL.findall(html)) == ASSETS


def test_one_marker_data_layer_for_all_plants(ds):
    data, m, html = render(ds)
    assert len(data.core["lat"]) == 4 and len(data.details["t"]) == 4
    # the page hands data to the map's script, which builds one group and one marker per data row
    assert html.count("PharmaMap.init(") == 1 and html.count("PharmaMap.apply(") == 1
    assert "L.circleMarker(" not in html
    assert MAP_CODE.count("L.featureGroup()") == 1 and MAP_CODE.count("L.circleMarker(") == 1
    assert "preferCanvas" in html


def test_the_map_script_loads_after_leaflet(ds):
    _, _, html = render(ds)
    head = html.split("<body>")[0]
    assert head.index(LEAFLET_JS) < head.index(MAP_JS) and head.index(LEAFLET_CSS) < head.index(MAP_CSS)
    assert MAP_JS.startswith("/app/static/pharmamap/map.js?v=")  # a new version is a new URL


def test_marker_area_is_proportional_to_investment(ds):
    data = build_map_data(ds.plants, ds.regions)
    r = dict(zip(data.plant_ids, (v / 2 for v in data.core["r"]), strict=True))
    # investments in bn KZT as the fact sheet states them (FACTS.md §1), not read back from the data
    inv = {"altinfarm": 58.5, "nobel-aff": 39.2, "abdi-ibrahim": 39.0, "msp-rompharm": 36.7}
    assert set(r) == set(inv)
    assert r["altinfarm"] == R_MAX
    for pid, radius in r.items():
        # area ∝ investment, up to the half-pixel rounding of the payload
        assert radius == pytest.approx(R_MAX * (inv[pid] / 58.5) ** 0.5, abs=0.25)


def test_coordinates_are_compact_integers(ds):
    data = build_map_data(ds.plants, ds.regions)
    i = data.plant_ids.index("msp-rompharm")
    assert (data.core["lat"][i], data.core["lon"][i]) == (433019, 682692)
    assert data.core["lat"][i] / COORD_SCALE == pytest.approx(43.30194, abs=1e-4)


def test_flags_mark_approximate_and_undisclosed(ds):
    plants = ds.plants.copy()
    plants.loc[0, "investment_kzt_bn"] = float("nan")
    plants.loc[1, "point_basis"] = "site"
    data = build_map_data(plants, ds.regions)
    assert data.core["f"][0] == 3  # approximate + investment not disclosed
    assert data.core["f"][1] == 0  # exact site, investment known
    assert data.core["r"][0] / 2 < radius_px(36.7, 58.5)
    assert data.details["t"][0][1] == "not disclosed"


def test_hover_texts_have_the_four_facts(ds):
    data = build_map_data(ds.plants, ds.regions)
    t = dict(zip(data.plant_ids, data.details["t"], strict=True))
    assert t["msp-rompharm"][:4] == ["MSP-ROMPHARM", "36.7 bn KZT", "≈ 173 (derived)", "≈ 265 (derived)"]
    assert t["nobel-aff"][3] == "at least 200"
    assert t["nobel-aff"][4] == "approximate: the city's centre"


def test_colour_categories_for_every_colour_by(ds):
    data = build_map_data(ds.plants, ds.regions)
    for column, cats in data.core["c"].items():
        pal = data.core["p"][column]
        assert len(cats) == 4 and max(cats) < len(pal)
    countries = dict(zip(data.plant_ids, data.core["c"]["partner_countries"], strict=True))
    pal = data.core["p"]["partner_countries"]
    assert pal[countries["msp-rompharm"]] == "#BDBDBD"  # not disclosed: grey
    assert pal[countries["nobel-aff"]] == pal[countries["abdi-ibrahim"]]  # both Turkey


def test_visible_mask_is_a_bitset(ds):
    ids = ds.plants["plant_id"].tolist()
    assert visible_mask(ids, ids) is None
    onco = apply_filters(ds.plants, Filters(areas=("oncology",)))["plant_id"]
    bits = np.unpackbits(np.frombuffer(base64.b64decode(visible_mask(ids, onco) or ""), np.uint8), bitorder="little")
    assert [ids[i] for i in np.flatnonzero(bits[:len(ids)])] == ["altinfarm"]
    assert visible_mask(ids, []) == base64.b64encode(bytes([0])).decode()


def test_filter_changes_only_the_plant_group(ds):
    """streamlit-folium keys the component on the base map's script: it must not change."""
    from streamlit_folium import _get_map_string

    data = build_map_data(ds.plants, ds.regions)
    a = _get_map_string(build_base_map(data, offline=True))
    b = _get_map_string(build_base_map(data, offline=True))
    assert a == b
    g1 = build_plant_group(data, ds.plants, "company", "Company")
    g2 = build_plant_group(data, ds.plants.iloc[:1], "company", "Company")
    spec1, spec2 = (vars(next(iter(g._children.values())))["spec"] for g in (g1, g2))
    assert spec1["mask"] is None and spec2["mask"] == base64.b64encode(bytes([0b0001])).decode()  # plant 0 only


def test_published_data_is_fetched_not_inlined(ds, tmp_path):
    data = build_map_data(ds.plants, ds.regions)
    urls: dict[str, str] = {}
    for k in ("core", "details", "regions"):
        url = publish_json(getattr(data, k), tmp_path)
        assert isinstance(url, str) and url.startswith("/app/static/cache/"), url
        urls[k] = url
    m = build_base_map(data, offline=True, urls=urls)
    html = m.get_root().render()
    assert "MSP-ROMPHARM" not in html and "Turkistan Region" in html  # names fetched; labels stay inline
    assert all(u in html for u in urls.values())
    saved = json.loads((tmp_path / "cache" / urls["core"].rsplit("/", 1)[1]).read_text())
    assert saved == data.core
    assert publish_json(data.core, tmp_path) == urls["core"]  # same content, same name


def test_markup_from_data_never_reaches_the_page_as_markup(ds):
    plants = ds.plants.copy()
    plants.loc[0, ["name", "company"]] = [XSS, XSS]
    _, _, html = render(ds, plants)
    assert "<img src=x" not in html
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html  # legend: escaped, then JSON-escaped
    assert "function esc(s)" in MAP_CODE and "esc(t[0])" in MAP_CODE  # tooltips escape in the browser too


def test_legend_escapes_and_lists_sizes():
    out = legend_html({XSS: "#000"}, "Company", 58.5, any_approx=True, any_unknown=True)
    assert XSS not in out and "&lt;img" in out
    assert ">50<" in out and "approximate location" in out and "not disclosed" in out


@pytest.mark.parametrize("ref,steps", [(58.5, [12.5, 25, 50]), (100, [25, 50, 100]), (7, [1.25, 2.5, 5]),
                                       (0, []), (float("nan"), [])])
def test_nice_steps(ref, steps):
    assert nice_steps(ref) == steps


def test_default_view_frames_the_host_regions(ds):
    bounds = host_bounds(ds.regions, {"Almaty", "Almaty Region", "Turkistan Region"})
    assert isinstance(bounds, list)
    (s, w), (n, e) = bounds
    assert w < 68.3 < 76.9 < e  # Turkistan to Almaty
    assert s < 43.3 < n
    data, _, html = render(ds)
    assert '"bounds": [[' in html and "map.fitBounds(cfg.bounds" in MAP_CODE
    assert data.regions is not None
    hosts = {f["properties"]["name"] for f in data.regions["features"] if f["properties"]["host"]}
    assert hosts == {"Almaty", "Almaty Region", "Turkistan Region"}


def test_a_plant_in_a_new_region_highlights_and_labels_it(data_dir):
    """Host regions come from plants.csv: a plant in Karaganda Region needs no code change."""
    rows = read_rows(data_dir / "plants.csv")
    rows.append({**rows[0], "plant_id": "karaganda-test", "name": "Test plant", "region": "Karaganda Region",
                 "lat": "49.8047", "lon": "73.1094", "location_precision": "city"})
    write_rows(data_dir / "plants.csv", rows)
    with (data_dir / "provenance.csv").open("a", encoding="utf-8") as fh:
        fh.write("".join(line.replace("altinfarm,", "karaganda-test,", 1) + "\n"
                         for line in (data_dir / "provenance.csv").read_text(encoding="utf-8").splitlines()
                         if line.startswith("altinfarm,")))
    ds = load_dataset(data_dir)
    assert ds.problems == []
    assert ds.host_regions == ["Almaty", "Almaty Region", "Karaganda Region", "Shymkent", "Turkistan Region"]
    data = build_map_data(ds.scope_plants("approved"), ds.regions)
    assert data.regions is not None and data.bounds is not None
    hosts = {f["properties"]["name"] for f in data.regions["features"] if f["properties"]["host"]}
    assert hosts == {"Almaty", "Almaty Region", "Karaganda Region", "Turkistan Region"}
    assert [lab["text"] for lab in data.labels] == ["Almaty", "Almaty Region", "Karaganda Region",
                                                    "Turkistan Region"]
    assert data.bounds[1][0] > 49.8  # the frame reaches north to Karaganda


def test_region_labels_keep_clear_of_the_plants(ds):
    """A label sits away from every plant of its region, or (a city too small for that) below them."""
    data = build_map_data(ds.plants, ds.regions)
    for lab in data.labels:
        if lab["dy"]:
            assert lab["text"] == "Almaty"  # the city polygon is smaller than a marker
            continue
        nearest = min(math.dist((lab["lat"], lab["lon"]), (lat, lon)) for lat, lon in zip(
            ds.plants["lat"], ds.plants["lon"], strict=True))
        assert nearest >= LABEL_CLEARANCE_DEG


def test_region_labels_in_the_current_language(ds):
    use("kk")
    try:
        data = build_map_data(ds.plants, ds.regions)
    finally:
        use("en")
    assert [lab["text"] for lab in data.labels] == ["Алматы", "Алматы облысы", "Түркістан облысы"]
    assert ds.region_name("Almaty Region") == "Almaty Region"  # back in English


def test_click_maps_back_to_plant_id(ds):
    data = build_map_data(ds.plants, ds.regions)
    assert clicked_plant(data, {"last_active_drawing": {"properties": {"i": 3}}}) == "msp-rompharm"
    assert clicked_plant(data, {"last_active_drawing": {"properties": {"name": "Almaty"}}}) is None
    assert clicked_plant(data, {"last_active_drawing": {"properties": {"i": 99}}}) is None
    assert clicked_plant(data, None) is None


def test_no_plants_and_no_regions_still_build():
    data = build_map_data(empty_plants().assign(**{f"basis_{f}": [] for f in (
        "medicines_count", "jobs")}), None)
    m = build_base_map(data, offline=True)
    build_plant_group(data, empty_plants(), "company", "Company").add_to(m)
    assert "PharmaMap.init(" in m.get_root().render()
    assert data.core["lat"] == [] and data.regions is None
