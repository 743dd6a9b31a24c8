"""Formatting of figures and KPI captions; escaping of data text; CSV safety."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from components.kpis import investment_texts, kpi_texts
from components.table import table_frame
from components.text import link, md
from core import fmt
from core.data import DEFAULT_DATA_DIR, load_dataset
from core.domain import Filters, Kpi, apply_filters, compute_kpis
from core.exports import csv_bytes, neutralise


@pytest.mark.parametrize("value,qualifier,basis,expected", [
    (60, "about", "reported", "about 60"),
    (200, "at_least", "reported", "at least 200"),
    (173, "exact", "derived", "≈ 173 (derived)"),
    (265, "about", "derived", "≈ 265 (derived)"),
    (None, "exact", "not_disclosed", "not disclosed"),
    (float("nan"), "exact", "reported", "not disclosed"),
    (1200, "exact", "reported", "1,200"),
])
def test_figure(value, qualifier, basis, expected):
    assert fmt.figure(value, qualifier, basis) == expected


def test_bn_kzt():
    assert fmt.bn_kzt(58.5) == "58.5 bn KZT"
    assert fmt.bn_kzt(None) == "not disclosed"


@pytest.mark.parametrize("raw", ["<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
                                 "![x](http://evil.example/x.png)", ":red[alarm]", "$x^2$", "**bold**"])
def test_md_escapes_every_markup(raw):
    out = md(raw)
    for ch in "<>[]()!*$:":
        assert f"\\{ch}" in out or ch not in raw


def test_link_only_for_http():
    assert link("https://astanatimes.com/a(b)") == "[astanatimes\\.com](https://astanatimes.com/a%28b%29)"
    assert link("javascript:alert(1)") == md("javascript:alert(1)")


def test_kpi_texts_unfiltered_and_filtered():
    k = Kpi(field="medicines_count", value=356.0, qualifier="about", n_plants=4,
            derived=(("MSP-ROMPHARM", 173.0),), programme_total=356.0)
    value, lines = kpi_texts(k, "", filtered=False)
    assert value == "about 356"
    assert lines == ["incl. ≈ 173 derived for MSP-ROMPHARM", "Stated programme total: 356"]
    k2 = Kpi(field="jobs", value=60.0, qualifier="about", programme_total=675.0, programme_qualifier="about")
    assert kpi_texts(k2, "", filtered=True)[1] == ["9% of the stated programme total (about 675)"]
    k3 = Kpi(field="socially_significant_count", value=None, not_disclosed=("X",), programme_total=72.0)
    assert kpi_texts(k3, "", filtered=True) == ("not disclosed", ["not disclosed for X",
                                                                  "Stated programme total: 72"])


def test_kpi_texts_oncology():
    ds = load_dataset(DEFAULT_DATA_DIR)
    k = compute_kpis(apply_filters(ds.plants, Filters(areas=("oncology",))), ds.programme)
    assert kpi_texts(k.investment, " bn", True, " bn") == ("58.5 bn", ["34% of the stated programme total (173 bn)"])


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+7 777", "'+7 777"), ("-x", "'-x"),
                                            ("@SUM(A1)", "'@SUM(A1)"), ("Almaty", "Almaty"), (5, 5)])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_download_is_safe_and_complete():
    ds = load_dataset(DEFAULT_DATA_DIR)
    plants = ds.scope_plants("approved").reset_index(drop=True)
    plants.loc[0, "name"] = "=HYPERLINK(\"http://x\")"
    frame = table_frame(plants, ds.region_name)
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back.loc[0, "Plant"].startswith("'=")
    assert len(back) == 4 and back["Legal name"].str.contains("«").all()
    assert pd.isna(back.loc[back["plant_id"] == "abdi-ibrahim", "Socially significant"]).all()  # empty, not 0


def test_presentation_kpi_lines_are_short_and_name_no_plant():
    """Presentation mode's caption lines (short=True): the sums and counts, the share first-class; the names
    stay in the help's long lines. Each fits a fifth of a 1366 px screen (checked in the browser)."""
    k = Kpi(field="medicines_count", value=356.0, qualifier="about", n_plants=4,
            derived=(("MSP-ROMPHARM", 173.0),), not_disclosed=("A", "B"), programme_total=356.0)
    assert kpi_texts(k, "", filtered=False, short=True)[1] == ["incl. ≈ 173 derived", "not disclosed: 2",
                                                               "Stated programme total: 356"]
    k2 = Kpi(field="jobs", value=60.0, qualifier="about", programme_total=675.0, programme_qualifier="about")
    assert kpi_texts(k2, "", filtered=True, short=True)[1] == ["9% of the programme (about 675)"]
    ds = load_dataset(DEFAULT_DATA_DIR)
    one = compute_kpis(ds.plants.loc[ds.plants["plant_id"] == "altinfarm", :], ds.programme)
    assert investment_texts(one.investment, ds.fx, "KZT", True, short=True) == (
        "Investment, KZT", "58.5 bn", ["≈ US$116.2 M at 503.35 KZT/USD", "34% of the programme (173 bn)"])
    assert investment_texts(one.investment, ds.fx, "KZT", True)[2][0] == (
        "≈ US$116.2 M at 503.35 KZT/USD (official rate, 2026-01-23)")  # the help's line: kind and date


def test_kpi_texts_stay_short_with_many_plants():
    k = Kpi(field="jobs", value=1000.0, qualifier="about", derived=tuple((f"P{i}", 10.0) for i in range(50)),
            not_disclosed=tuple(f"Q{i}" for i in range(100)), programme_total=675.0)
    _, lines = kpi_texts(k, "", filtered=False)
    assert lines[0] == "incl. ≈ 500 derived for 50 plants"
    assert lines[1] == "not disclosed for Q0, Q1, Q2 and 97 more plants"


@pytest.mark.parametrize("n,page,expected", [(10_000, 1, (0, 500)), (10_000, 20, (9_500, 10_000)),
                                             (10_001, 21, (10_000, 10_001)), (10_000, 99, (9_500, 10_000)),
                                             (4, 1, (0, 4)), (0, 1, (0, 0))])
def test_the_table_pages_large_selections(n, page, expected):
    from components.table import page_slice

    assert page_slice(n, page) == expected


def test_a_lower_bound_stays_a_lower_bound_everywhere():
    """Khan Tengri: "more than 103 bn KZT". Its card, its conversion, its bar's label, the six agreements'
    converted sum and the table kept the figure and lost the "more than"."""
    from components.charts import chart_specs
    from components.present import story_card
    from core.domain import colour_map

    ds = load_dataset(DEFAULT_DATA_DIR)
    six = ds.scope_plants("six")
    kpis = compute_kpis(six, ds.programme, "six")
    card = story_card("khan-tengri", six, kpis, ds.fx, "2026-01-22", ds.region_name)
    assert (card.figure, card.figure_note) == ("more than 103.0 bn KZT", "> US$204.6 M at 503.35 KZT/USD, 2026-01-23")
    specs = chart_specs(six, six, colour_map(six, "company"), "company", "Company", ds.area_labels("six"))
    assert specs["Investment"]["layer"][0]["data"]["values"][0]["label"] == "> 103.0"
    assert investment_texts(kpis.investment, ds.fx, "USD", False)[1] == "> US$627.6 M"
    table = table_frame(six, ds.region_name)
    assert table.loc[table["plant_id"] == "khan-tengri", "Investment qualifier"].tolist() == ["more than"]
    assert table.loc[table["plant_id"] == "altinfarm", "Investment qualifier"].tolist() == ["exact"]
