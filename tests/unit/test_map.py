"""The map builder, tested on folium objects and their rendered HTML, without a browser."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from components.map import (
    HOST_REGIONS, PlantLayer, R_MAX, build_base_map, build_plant_group, fan_groups, host_bounds, legend_html,
    nice_steps, plants_geojson, radius_px,
)
from core.assets import LEAFLET_CSS, LEAFLET_JS
from core.data import DEFAULT_DATA_DIR, load_dataset
from core.domain import colour_map

XSS = "<img src=x onerror=alert(1)>"
URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DEFAULT_DATA_DIR)


def render(ds, plants=None, offline=True, column="company", label="Company"):
    plants = ds.plants if plants is None else plants
    m = build_base_map(ds.regions, offline=offline)
    fg = build_plant_group(plants, colour_map(plants, column), column, label,
                           float(plants["investment_kzt_bn"].max()), ds.provenance)
    fg.add_to(m)
    return m, fg, m.get_root().render()


def all_elements(el):
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from all_elements(child)


def test_offline_map_loads_nothing_from_another_host(ds):
    m, _, html = render(ds, offline=True)
    urls = set(URL.findall(html))
    assert urls == {LEAFLET_JS, LEAFLET_CSS}
    assert not re.search(r"https?://", html.split("<body>")[0]), "no absolute URL in the head"
    assert "tileLayer" not in html


def test_every_element_asset_is_local(ds):
    """streamlit-folium loads the default_js/css of every element: all must be app-served."""
    m, _, _ = render(ds, offline=False)
    links = [src for el in all_elements(m) for _, src in getattr(el, "default_js", []) + getattr(el, "default_css", [])]
    assert links and all(link.startswith("/app/static/") for link in links)
    assert not any(type(el).__module__.startswith("branca.colormap") for el in all_elements(m))


def test_online_map_adds_only_a_tile_layer(ds):
    _, _, html = render(ds, offline=False)
    assert "tileLayer" in html
    assert set(URL.findall(html)) == {LEAFLET_JS, LEAFLET_CSS}


def test_one_marker_layer_not_one_object_per_plant(ds):
    _, fg, html = render(ds)
    layers = [c for c in fg._children.values() if isinstance(c, PlantLayer)]
    assert len(layers) == 1
    assert len(layers[0].data["features"]) == 4
    assert html.count("L.geoJSON(") == 1
    assert "L.circleMarker(" in html and "preferCanvas" in html


def test_marker_area_is_proportional_to_investment(ds):
    data = plants_geojson(ds.plants, colour_map(ds.plants, "company"), "company", 58.5, ds.provenance)
    by_id = {f["properties"]["plant_id"]: f["properties"]["r"] for f in data["features"]}
    inv = dict(zip(ds.plants["plant_id"], ds.plants["investment_kzt_bn"]))
    assert by_id["altinfarm"] == R_MAX
    for pid, r in by_id.items():
        assert r ** 2 / R_MAX ** 2 == pytest.approx(inv[pid] / 58.5, rel=0.01)


def test_radius_of_undisclosed_investment_is_small_and_flagged(ds):
    plants = ds.plants.copy()
    plants.loc[0, "investment_kzt_bn"] = float("nan")
    data = plants_geojson(plants, colour_map(plants, "company"), "company", 58.5, ds.provenance)
    p = data["features"][0]["properties"]
    assert p["u"] == 1 and p["i"] == "not disclosed" and p["r"] < radius_px(36.7, 58.5)


def test_approximate_locations_are_flagged(ds):
    data = plants_geojson(ds.plants, colour_map(ds.plants, "company"), "company", 58.5, ds.provenance)
    assert all(f["properties"]["a"] == 1 for f in data["features"])  # no plant has a sourced site
    assert all(f["properties"]["al"].startswith("Approximate location") for f in data["features"])
    site = ds.plants.assign(location_precision="site")
    data = plants_geojson(site, colour_map(site, "company"), "company", 58.5, ds.provenance)
    assert all(f["properties"]["a"] == 0 for f in data["features"])


def test_plants_sharing_a_point_are_fanned_out(ds):
    fans = fan_groups(ds.plants, pd.Series(20.0, index=ds.plants.index))
    almaty = fans[ds.plants["region"] == "Almaty"]
    assert sorted(almaty["fi"]) == [0, 1] and set(almaty["fc"]) == {2}
    assert (almaty["fd"] >= 20).all()  # far enough apart that 20 px circles do not overlap
    assert set(fans[ds.plants["region"] != "Almaty"]["fc"]) == {1}


def test_hover_data_has_the_four_facts(ds):
    data = plants_geojson(ds.plants, colour_map(ds.plants, "company"), "company", 58.5, ds.provenance)
    msp = next(f["properties"] for f in data["features"] if f["properties"]["plant_id"] == "msp-rompharm")
    assert (msp["n"], msp["i"], msp["m"], msp["j"]) == ("MSP-ROMPHARM", "36.7 bn KZT", "≈ 173 (derived)",
                                                        "≈ 265 (derived)")
    nobel = next(f["properties"] for f in data["features"] if f["properties"]["plant_id"] == "nobel-aff")
    assert nobel["j"] == "at least 200"


def test_markup_from_data_never_reaches_the_page_as_markup(ds):
    plants = ds.plants.copy()
    plants.loc[0, ["name", "company"]] = [XSS, XSS]
    _, _, html = render(ds, plants)
    assert "<img src=x" not in html
    # the legend carries it entity-escaped (then JSON-escaped: & is \u0026), so it shows as text
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html
    assert "function esc(s)" in html  # tooltips escape in the browser too


def test_legend_escapes_and_lists_sizes():
    out = legend_html({XSS: "#000"}, "Company", 58.5, any_approx=True, any_unknown=True)
    assert XSS not in out and "&lt;img" in out
    assert ">50<" in out and "approximate location" in out and "not disclosed" in out


@pytest.mark.parametrize("ref,steps", [(58.5, [12.5, 25, 50]), (100, [25, 50, 100]), (7, [1.25, 2.5, 5]),
                                       (0, [])])
def test_nice_steps(ref, steps):
    assert nice_steps(ref) == steps


def test_default_view_frames_the_host_regions(ds):
    (s, w), (n, e) = host_bounds(ds.regions)
    assert w < 68.3 < 76.9 < e  # Turkistan to Almaty
    assert s < 43.3 < n
    _, _, html = render(ds)
    assert "fitBounds" in html
    for name in HOST_REGIONS:
        assert json.dumps(name) in html or name in html


def test_base_map_is_the_same_on_every_build(ds):
    """streamlit-folium keys the component on the base map's script: it must not change."""
    from streamlit_folium import _get_map_string

    a = _get_map_string(build_base_map(ds.regions, offline=True))
    b = _get_map_string(build_base_map(ds.regions, offline=True))
    assert a == b


def test_map_without_regions_still_builds(ds):
    m = build_base_map(None, offline=True)
    assert "L.geoJson" not in m.get_root().render()


def test_no_plants_builds_an_empty_layer(ds):
    from core.data import empty_plants

    _, fg, html = render(ds, ds.plants.iloc[0:0])
    layer = next(c for c in fg._children.values() if isinstance(c, PlantLayer))
    assert layer.data["features"] == []
    m = build_base_map(ds.regions, offline=True)
    build_plant_group(empty_plants(), {}, "company", "Company", 0.0, ds.provenance).add_to(m)
    assert "L.geoJSON(" in m.get_root().render()
