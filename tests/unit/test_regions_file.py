"""The bundled regions.geojson: current units, valid, named in three languages, small."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

PATH = Path(__file__).resolve().parents[2] / "data" / "regions.geojson"


@pytest.fixture(scope="module")
def regions():
    return json.loads(PATH.read_text(encoding="utf-8"))


def test_twenty_current_units(regions):
    names = {f["properties"]["name"] for f in regions["features"]}
    assert len(names) == 20
    assert {"Abay Region", "Jetisu Region", "Ulytau Region", "Almaty", "Astana", "Shymkent",
            "Almaty Region", "Turkistan Region"} <= names


def test_every_geometry_valid_and_named_three_ways(regions):
    for f in regions["features"]:
        g = shape(f["geometry"])
        assert g.is_valid and not g.is_empty and g.geom_type in ("Polygon", "MultiPolygon")
        for key in ("name_en", "name_ru", "name_kk"):
            assert f["properties"][key].strip()


def test_turkistan_excludes_shymkent(regions):
    g = {f["properties"]["name"]: shape(f["geometry"]) for f in regions["features"]}
    assert g["Turkistan Region"].intersection(g["Shymkent"]).area < 0.01 * g["Shymkent"].area


def test_shared_borders_survived_simplification(regions):
    """Neighbours still meet: no gap between regions bigger than ~1 km² (invisible on the map).

    The source itself has 146 microscopic gaps (< 1e-8 deg²); coverage simplification and
    rounding to 4 decimals leave a few, none near 1 km². Simplifying each region on its own
    (the naive way) opens gaps of up to ~200 km² (0.025 deg²) along borders."""
    union = shapely.union_all([shape(f["geometry"]) for f in regions["features"]])
    gaps = [shapely.Polygon(i).area for p in getattr(union, "geoms", [union]) for i in p.interiors]
    assert max(gaps, default=0) < 1e-4


def test_small_enough_to_load_fast():
    assert PATH.stat().st_size <= 600 * 1024
