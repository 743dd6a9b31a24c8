"""The bundled data states what the fact sheet states (/work/shared/FACTS.md, §1, §4, §5 and §7).

Every expected value below is copied from the fact sheet, with its label, never read back from
data/: a figure edited in plants.csv, programme.csv or fx_rates.csv without a source fails here.
"""

from __future__ import annotations

import pandas as pd
import pytest

NOT_DISCLOSED = None

# plant_id: (investment bn KZT, medicines, socially significant, jobs, jobs qualifier) -- FACTS.md §1
PLANTS = {
    "altinfarm": (58.5, 54, 35, 60, "about"),  # article 000; Astana Times, ICE
    "nobel-aff": (39.2, 53, 17, 200, "at_least"),  # article 000; Astana Times, ICE
    "abdi-ibrahim": (39.0, 76, NOT_DISCLOSED, 150, "at_least"),  # article 000; ICE
    # article 000; medicines and jobs derived; 265 jobs is what is left of "about 675" after the others'
    # "at least" figures, so an upper bound (issue "The wider picture" §5)
    "msp-rompharm": (36.7, 173, NOT_DISCLOSED, 265, "about"),
}
# plant_id: how the medicines and jobs figures are known -- FACTS.md §1
BASIS = {
    "altinfarm": ("reported", "reported"),
    "nobel-aff": ("reported", "reported"),
    "abdi-ibrahim": ("reported", "reported"),
    "msp-rompharm": ("derived", "derived"),  # 356 − 54 − 53 − 76 = 173; 675 − 60 − 200 − 150 = 265
}
# plant_id: (lat, lon, precision, region) -- FACTS.md §5: city or regional-centre points, none a site
PLACES = {
    "altinfarm": (43.27750, 76.89583, "zone", "Almaty"),  # Almaty centroid; the park has no sourced point
    "nobel-aff": (43.27750, 76.89583, "city", "Almaty"),
    "abdi-ibrahim": (43.8778, 77.0678, "region", "Almaty Region"),  # Konaev, the regional centre
    "msp-rompharm": (43.30194, 68.26917, "zone", "Turkistan Region"),  # Turkistan city centroid
}
PARTNER_COUNTRIES = {"altinfarm": "China", "nobel-aff": "Turkey", "abdi-ibrahim": "Turkey",
                     "msp-rompharm": NOT_DISCLOSED}


def value(v):
    """A cell as the fact sheet writes it: missing (NaN, <NA>, empty) is None."""
    return None if v is None or pd.isna(v) or v == "" else v


@pytest.fixture(scope="module")
def plants(ds):
    return ds.plants.set_index("plant_id")


def test_the_four_plants_and_only_they(plants):
    assert sorted(plants.index) == sorted(PLANTS)
    assert list(plants["approved_on"].astype(str).unique()) == ["2026-01-22"]  # FACTS.md §0


@pytest.mark.parametrize("plant_id", list(PLANTS))
def test_plant_figures(plants, plant_id):
    row = plants.loc[plant_id]
    got = (float(row["investment_kzt_bn"]), value(row["medicines_count"]), value(row["socially_significant_count"]),
           value(row["jobs"]), row["jobs_qualifier"])
    assert got == PLANTS[plant_id]
    assert (row["basis_medicines_count"], row["basis_jobs"]) == BASIS[plant_id]


@pytest.mark.parametrize("plant_id", list(PLACES))
def test_plant_places(plants, plant_id):
    row = plants.loc[plant_id]
    lat, lon, precision, region = PLACES[plant_id]
    assert (row["lat"], row["lon"]) == pytest.approx((lat, lon), abs=1e-5)
    assert (row["location_precision"], row["region"]) == (precision, region)
    assert value(row["partner_countries"]) == PARTNER_COUNTRIES[plant_id]


def test_programme_totals(ds):
    """FACTS.md §4: 173 bn KZT, 356 medicines, 72 socially significant, about 675 jobs, 4 plants;
    §6: the six agreements, 316.3 bn KZT (Qazinform, 23 Feb 2026), more than 1,000 jobs and 400 medicines (Trend)."""
    kzt = ds.programme[~ds.programme["metric"].str.startswith("investment_usd")]
    four = kzt[kzt["scope"] == "approved_2026_01_22"]
    programme = {r.metric: (float(r.value), r.qualifier) for r in four.itertuples()}
    assert programme == {"investment_kzt_bn": (173.0, "exact"), "medicines_count": (356.0, "exact"),
                         "socially_significant_count": (72.0, "exact"), "jobs": (675.0, "about"),
                         "plants_count": (4.0, "exact")}
    six = kzt[kzt["scope"] == "six_agreements"]
    assert {r.metric: (float(r.value), r.qualifier) for r in six.itertuples()} == {
        "investment_kzt_bn": (316.3, "exact"), "plants_count": (6.0, "exact"), "jobs": (1000.0, "more_than"),
        "medicines_count": (400.0, "exact")}
    # the US$ totals are conversions (derived), the press figures are listed apart and disagree
    usd = ds.programme[ds.programme["metric"] == "investment_usd_m"]
    assert set(usd["basis"]) == {"derived"}
    press = ds.programme[ds.programme["metric"] == "investment_usd_m_reported"]
    assert sorted(press.loc[press["scope"] == "approved_2026_01_22", "value"]) == [340.586, 370.0, 400.0]


def test_derived_figures_are_the_programme_total_less_the_other_plants(ds, plants):
    """MSP-ROMPHARM's medicines and jobs are derived (FACTS.md §1): edit another plant's figure, or the
    programme total, without deriving them again, and this fails."""
    four = ds.programme[ds.programme["scope"] == "approved_2026_01_22"]
    programme = dict(zip(four["metric"], four["value"], strict=True))
    others = plants.drop(index="msp-rompharm")
    for column in ("medicines_count", "jobs"):
        assert plants.loc["msp-rompharm", column] == programme[column] - others[column].sum(), column
    assert round(float(plants["investment_kzt_bn"].sum()), 1) == 173.4  # "the four plant figures add up to 173.4"


def test_exchange_rates(ds):
    """FACTS.md §7: the official USD rate set for 23 Jan 2026, and the mid-point of the Almaty exchange-office
    quotes for EUR, (590.88 + 597.32) / 2 = 594.10; the other USD rates are listed, not used."""
    default = ds.fx[ds.fx["use"] == "default"]
    fx = {r.currency: (float(r.kzt_per_unit), str(r.rate_date), r.rate_type) for r in default.itertuples()}
    assert fx == {"USD": (503.35, "2026-01-23", "official"), "EUR": (594.10, "2026-01-22", "market")}
    assert round((590.88 + 597.32) / 2, 2) == 594.10
    assert 505.71 in set(ds.fx.loc[ds.fx["currency"] == "USD", "kzt_per_unit"])  # the conflicting rate, listed
