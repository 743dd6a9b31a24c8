"""Filters, KPIs, qualifiers, currency and area attribution on the bundled data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.domain import (
    NOT_DISCLOSED,
    Filters,
    apply_filters,
    area_attribution,
    category_of,
    colour_map,
    combine_qualifiers,
    compute_kpis,
    convert,
    explain_area_selection,
    investment_bounds,
)


def ids(frame):
    return sorted(frame["plant_id"])


@pytest.mark.parametrize("filters,expected", [
    (Filters(), ["abdi-ibrahim", "altinfarm", "msp-rompharm", "nobel-aff"]),
    (Filters(areas=("oncology",)), ["altinfarm"]),
    (Filters(areas=("diabetes",)), ["abdi-ibrahim", "altinfarm"]),
    (Filters(areas=("oncology", "antiviral")), ["abdi-ibrahim", "altinfarm"]),
    (Filters(areas=("cold",)), []),
    (Filters(regions=("Almaty",)), ["altinfarm", "nobel-aff"]),
    (Filters(regions=("Turkistan Region", "Almaty Region")), ["abdi-ibrahim", "msp-rompharm"]),
    (Filters(companies=("MSP-ROMPHARM",)), ["msp-rompharm"]),
    (Filters(investment=(39.0, 40.0)), ["abdi-ibrahim", "nobel-aff"]),
    (Filters(investment=(36.7, 36.7)), ["msp-rompharm"]),
    (Filters(areas=("diabetes",), regions=("Almaty",)), ["altinfarm"]),
    (Filters(areas=("oncology",), companies=("MSP-ROMPHARM",)), []),
])
def test_apply_filters(ds, filters, expected):
    assert ids(apply_filters(ds.plants, filters)) == expected


def test_filters_active_flag():
    assert not Filters().active
    assert Filters(areas=("cold",)).active
    assert Filters(investment=(1, 2)).active


def test_investment_range_drops_undisclosed_only_when_set(ds):
    plants = ds.plants.copy()
    plants.loc[plants["plant_id"] == "msp-rompharm", "investment_kzt_bn"] = float("nan")
    assert len(apply_filters(plants, Filters())) == 4
    assert "msp-rompharm" not in ids(apply_filters(plants, Filters(investment=(0, 100))))


def test_kpis_all_plants(ds):
    """Sums over the four plants against the fact sheet (FACTS.md §1 and §4), not against the data."""
    k = compute_kpis(ds.plants, ds.programme)
    assert k.investment.value == pytest.approx(173.4)  # 58.5 + 39.2 + 39 + 36.7
    assert k.investment.programme_total == 173  # stated; the plant figures add up to 173.4
    assert k.medicines.value == 54 + 53 + 76 + 173 == 356 and k.medicines.qualifier == "about"
    assert k.medicines.derived == (("MSP-ROMPHARM", 173.0),)  # 356 − 54 − 53 − 76
    assert k.medicines.programme_total == 356
    assert k.socially_significant.value == 35 + 17 == 52
    assert k.socially_significant.qualifier == "at_least"  # two plants undisclosed: a lower bound
    assert k.investment.qualifier == "exact"  # every plant disclosed: as the sources give it
    assert set(k.socially_significant.not_disclosed) == {"Abdi Ibrahim Global Pharm", "MSP-ROMPHARM"}
    assert k.socially_significant.programme_total == 72
    assert k.jobs.value == 60 + 200 + 150 + 265 == 675 and k.jobs.qualifier == "about"
    assert k.jobs.derived == (("MSP-ROMPHARM", 265.0),)  # 675 − 60 − 200 − 150
    assert (k.jobs.programme_total, k.jobs.programme_qualifier) == (675, "about")
    assert k.plants.value == 4 and k.plants.programme_total == 4


def test_kpis_oncology_are_altinfarms(ds):
    shown = apply_filters(ds.plants, Filters(areas=("oncology",)))
    k = compute_kpis(shown, ds.programme)
    assert (k.investment.value, k.medicines.value, k.socially_significant.value, k.jobs.value) == (58.5, 54, 35, 60)
    assert k.jobs.qualifier == "about" and k.medicines.qualifier == "exact" and not k.medicines.derived
    assert k.investment.share == pytest.approx(58.5 / 173)


def test_kpi_of_nothing_is_not_zero(ds):
    shown = apply_filters(ds.plants, Filters(companies=("Abdi Ibrahim Global Pharm",)))
    k = compute_kpis(shown, ds.programme)
    assert k.socially_significant.value is None  # not disclosed, never 0
    assert k.socially_significant.share is None
    empty = compute_kpis(ds.plants.iloc[0:0], ds.programme)
    assert empty.investment.value is None and empty.plants.value == 0


def test_at_least_is_kept(ds):
    shown = apply_filters(ds.plants, Filters(companies=("Nobel Almaty Pharmaceutical Factory",
                                                        "Abdi Ibrahim Global Pharm")))
    k = compute_kpis(shown, ds.programme)
    assert k.jobs.value == 350 and k.jobs.qualifier == "at_least"


@pytest.mark.parametrize("qs,expected", [
    ([], "exact"), (["exact"], "exact"), (["exact", "at_least"], "at_least"), (["at_least"], "at_least"),
    (["about", "at_least"], "about"), (["exact", "about"], "about"),
])
def test_combine_qualifiers(qs, expected):
    assert combine_qualifiers(qs) == expected


def test_convert_uses_dated_rate(ds):
    usd, rate = convert(58.5, ds.fx, "USD")
    assert usd == pytest.approx(58.5e3 / 503.35)
    assert isinstance(rate, dict) and (rate["rate_date"], rate["rate_type"]) == ("2026-01-23", "official")
    assert convert(None, ds.fx, "USD") == (None, None)
    assert convert(1.0, ds.fx, "JPY") == (None, None)


def test_area_attribution_follows_sources(ds, labels):
    att = area_attribution(ds.plants, list(labels))
    assert att["oncology"] == ["altinfarm"]
    assert sorted(att["diabetes"]) == ["abdi-ibrahim", "altinfarm"]
    assert all(att[c] == [] for c in ("analgesic", "anti_inflammatory", "cold", "antimicrobial"))


def test_programme_level_area_is_explained(ds, labels):
    msgs = explain_area_selection(("cold",), ds.plants, labels)
    assert any("Cold remedies" in m and "no source attributes" in m for m in msgs)
    assert any("MSP-ROMPHARM" in m and "not disclosed" in m for m in msgs)
    assert explain_area_selection((), ds.plants, labels) == []
    assert not any("no source attributes" in m for m in explain_area_selection(("oncology",), ds.plants, labels))


def test_colour_map_is_stable_and_marks_unknown(ds):
    cm = colour_map(ds.plants, "partner_countries")
    assert cm[NOT_DISCLOSED] == "#BDBDBD"
    assert cm["Turkey"] != cm["China"]
    assert list(colour_map(ds.plants, "company")) == ["AltINFARM", "Nobel Almaty Pharmaceutical Factory",
                                                       "Abdi Ibrahim Global Pharm", "MSP-ROMPHARM"]


@pytest.mark.parametrize("value,expected", [
    (None, NOT_DISCLOSED), (float("nan"), NOT_DISCLOSED), ("", NOT_DISCLOSED), ("China", "China"),
    ("China;Turkey", "China / Turkey"),
])
def test_category_of(value, expected):
    assert category_of(value) == expected


def test_investment_bounds(ds):
    assert investment_bounds(ds.plants) == (36.0, 59.0)
    assert investment_bounds(ds.plants.iloc[0:0]) == (0.0, 0.0)
    assert not math.isnan(investment_bounds(pd.DataFrame({"investment_kzt_bn": [1.2]}))[0])
