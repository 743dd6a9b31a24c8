"""Distances in the detail card (core/distances.py, components/detail.distance_lines): geodesic figures and
the stated error of approximate points, in three languages."""

from __future__ import annotations

import pytest

from components.detail import distance_lines
from core import distances
from core.i18n import use


@pytest.fixture
def four(ds):
    return ds.plants.copy()


def plant(plants, pid):
    return plants[plants["plant_id"] == pid].iloc[0].copy()


@pytest.mark.parametrize(("site", "basis", "expected"), [
    ("site", "site", "site"), ("city", "city_centroid", "city"), ("zone", "city_centroid", "zone"),
    ("district", "region_admin_centre", "region"), ("site", "city_centroid", "city"), (None, "site", "region"),
])
def test_point_precision_is_the_coarser_of_site_and_point(site, basis, expected):
    assert distances.point_precision(site, basis) == expected


def test_error_table_bounded_by_the_regions_reach(ds, four):
    geo = ds.geo
    assert geo.reach("Almaty", 43.2775, 76.89583) == 31
    assert geo.reach("Almaty Region", 43.8778, 77.0678) == 347
    assert {pid: geo.plant_error(plant(four, pid)) for pid in four["plant_id"]} == {
        "altinfarm": ("zone", 31), "nobel-aff": ("city", 30), "abdi-ibrahim": ("region", 347),
        "msp-rompharm": ("zone", 313)}
    assert distances.error_km("district", 40.0) == 40 and distances.error_km("site", None) == 1
    assert distances.error_km("region", None) is None


def test_card_lines_in_english(ds, four):
    use("en")
    places, near, note = distance_lines(plant(four, "abdi-ibrahim"), four, ds.geo, 100, ds.region_name)
    assert places == [("Konaev, administrative centre of Almaty Region", "≈ 1.3 km (± 347 km, approximate location)"),
                      ("Almaty", "≈ 68 km (± 347 km, approximate location)"),
                      ("Astana", "≈ 915 km (± 347 km, approximate location)")]
    assert near == [("AltINFARM", "≈ 68 km (± 378 km, approximate location)"),
                    ("Nobel Almaty Pharmaceutical Factory", "≈ 68 km (± 377 km, approximate location)")]
    assert note.startswith("Approximate points give approximate distances: this plant's point (approximate: region "
                           "only) may be up to 347 km from its site")
    _, near50, _ = distance_lines(plant(four, "abdi-ibrahim"), four, ds.geo, 50, ds.region_name)
    assert near50 == []


def test_a_sourced_site_has_no_approximation_note(ds, four):
    use("en")
    p = plant(four, "altinfarm")
    p["site_precision"], p["point_basis"] = "site", "site"
    places, _, note = distance_lines(p, four, ds.geo, 25, ds.region_name)
    assert places == [("Almaty", "0.0 km (± 1 km)"), ("Astana", "970 km (± 1 km)")] and note == ""


@pytest.mark.parametrize(("lang", "centre", "astana"), [
    ("ru", "Туркестан (административный центр, Туркестанская область)",
     "≈ 908 км (± 313 км, приблизительное местоположение)"),
    ("kk", "Түркістан (әкімшілік орталық, Түркістан облысы)", "≈ 908 км (± 313 км, шамамен алынған орын)"),
])
def test_card_lines_in_russian_and_kazakh(ds, four, lang, centre, astana):
    use(lang)
    try:
        places, _, _ = distance_lines(plant(four, "msp-rompharm"), four, ds.geo, 100, ds.region_name)
    finally:
        use("en")
    assert places[0][0] == centre and places[2][1] == astana
