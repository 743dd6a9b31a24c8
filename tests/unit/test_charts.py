"""Chart builders: what each chart encodes, and that undisclosed values are absent, not zero."""

from __future__ import annotations

import pandas as pd
import pytest

from components.charts import (
    PROGRAMME_ROW,
    area_frame,
    build_area_counts,
    build_area_matrix,
    build_investment_chart,
    build_jobs_chart,
    build_medicines_chart,
    investment_frame,
    jobs_frame,
    medicines_frame,
)
from core.domain import colour_map


def test_investment_frame_sorted_and_labelled(ds):
    df = investment_frame(ds.plants, "company")
    assert df["plant"].tolist()[0] == "AltINFARM"
    assert df["label"].tolist() == ["58.5", "39.2", "39.0", "36.7"]


def test_undisclosed_investment_has_no_bar(ds):
    plants = ds.plants.copy()
    plants.loc[plants["plant_id"] == "nobel-aff", "investment_kzt_bn"] = float("nan")
    df = investment_frame(plants, "company")
    row = df[df["plant"] == "Nobel Almaty Pharmaceutical Factory"].iloc[0]
    assert row["label"] == "not disclosed" and row["x"] == 0


def test_medicines_split_and_derived(ds):
    df = medicines_frame(ds.plants)
    alt_ = df[df["plant"] == "AltINFARM"].set_index("segment")["count"].to_dict()
    assert alt_ == {"socially significant": 35, "other": 19}
    abdi = df[df["plant"] == "Abdi Ibrahim Global Pharm"]
    assert abdi["segment"].tolist() == ["split not disclosed"] and abdi["count"].tolist() == [76]
    msp = df[df["plant"] == "MSP-ROMPHARM"].iloc[0]
    assert msp["basis"] == "derived" and msp["label"] == "≈ 173 (derived)"


def test_jobs_keep_qualifiers(ds):
    df = jobs_frame(ds.plants).set_index("plant")
    assert df.loc["AltINFARM", "label"] == "about 60"
    assert df.loc["Nobel Almaty Pharmaceutical Factory", "label"] == "at least 200"
    assert df.loc["MSP-ROMPHARM", "basis"] == "derived"


def test_area_matrix_separates_attributed_from_programme_level(ds, labels):
    df = area_frame(ds.plants, ds.plants, labels)
    attributed = df[df["status"] == "attributed to this plant"]
    assert len(attributed) == 6  # 3 areas for AltINFARM, 3 for Abdi Ibrahim
    programme = df[(df["plant"] == PROGRAMME_ROW) & (df["status"] == "programme-level only")]
    assert sorted(programme["area"]) == ["Analgesic", "Anti-inflammatory", "Antimicrobial", "Cold remedies"]
    assert "MSP-ROMPHARM (areas not disclosed)" in set(df["plant"])


def test_area_matrix_keeps_programme_row_when_filtered(ds, labels):
    one = ds.plants[ds.plants["plant_id"] == "altinfarm"]
    df = area_frame(one, ds.plants, labels)
    assert set(df["plant"]) == {"AltINFARM", PROGRAMME_ROW}
    # diabetes is attributed to Abdi Ibrahim (not shown): still not "programme-level"
    prog = df[df["plant"] == PROGRAMME_ROW]
    assert dict(zip(prog["area"], prog["status"], strict=True))["Diabetes"] == "none"


def test_builders_produce_valid_specs(ds, labels):
    """Every spec validates against the Vega-Lite schema that Altair ships (no network)."""
    import json

    import jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    cm = colour_map(ds.plants, "company")
    specs = [build_investment_chart(ds.plants, cm, "company", "Company"),
             build_investment_chart(ds.plants, colour_map(ds.plants, "partner_countries"), "partner_countries",
                                    "Partner country"),
             build_medicines_chart(ds.plants), build_jobs_chart(ds.plants),
             build_area_matrix(ds.plants, ds.plants, labels), build_area_counts(ds.plants, ds.plants, labels)]
    for spec in specs:
        jsonschema.validate(json.loads(json.dumps(spec)), schema)
        assert len(spec["layer"]) == 2
    assert [spec["title"] for spec in specs] == [
        "Investment by plant (bn KZT)", "Investment by plant (bn KZT)",
        "Medicines by plant: socially significant vs other", "Jobs by plant (qualifiers as reported)",
        "Therapeutic areas: attributed by a source vs programme-level",
        "Plants per therapeutic area (attributed by a source)"]


def test_investment_chart_uses_the_map_colours(ds):
    cm = colour_map(ds.plants, "company")
    spec = build_investment_chart(ds.plants, cm, "company", "Company")
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == cm


@pytest.fixture(scope="module")
def hundred(tmp_path_factory):
    """100 synthetic plants (some figures not disclosed), as the app loads them."""
    from core.data import load_dataset as load
    from scripts.synthetic import write_synthetic

    return load(write_synthetic(tmp_path_factory.mktemp("hundred") / "d", 100)).plants


def test_past_the_threshold_a_chart_draws_the_largest_and_sums_the_rest(ds, hundred):
    from components.charts import MAX_BARS, split_largest

    top, rest = split_largest(hundred, "jobs")
    assert (len(top), len(rest)) == (MAX_BARS - 1, 100 - MAX_BARS + 1)
    assert sorted([*top["plant_id"], *rest["plant_id"]]) == sorted(hundred["plant_id"])
    jobs = top["jobs"].tolist()
    assert jobs == sorted(jobs, reverse=True) and min(jobs) >= rest["jobs"].max()  # the largest, largest first
    top, rest = split_largest(ds.plants, "jobs")
    assert top is ds.plants and len(rest) == 0  # four plants: a bar each


def test_the_rest_is_a_derived_sum_never_a_made_up_zero():
    from components.charts import rest_figure

    nan = float("nan")
    assert rest_figure(pd.Series([1200.0, 34.0])) == (1234.0, "≈ 1,234 (derived)")
    assert rest_figure(pd.Series([1200.0, nan, 34.0])) == (1234.0, "at least 1,234 (derived)")  # one unknown
    assert rest_figure(pd.Series([10.0, 5.0]), pd.Series(["about", "at_least"])) == (15.0, "at least 15 (derived)")
    assert rest_figure(pd.Series([0.25, 0.5]), decimals=1) == (0.75, "≈ 0.8 (derived)")
    assert rest_figure(pd.Series([nan, nan])) == (0.0, "not disclosed")


def bars_of(spec: dict) -> list[str]:
    return spec["layer"][0]["encoding"]["y"]["sort"]


def test_each_bar_chart_of_many_plants_ends_in_one_bar_for_the_others(hundred, labels):
    from components.charts import MAX_BARS, chart_specs, rest_figure, split_largest

    colours = colour_map(hundred, "company")
    specs = chart_specs(hundred, hundred, colours, "company", "Company", labels)
    for name, column in (("Investment", "investment_kzt_bn"), ("Medicines", "medicines_count"), ("Jobs", "jobs")):
        bars = bars_of(specs[name])
        top, rest = split_largest(hundred, column)
        assert len(bars) == MAX_BARS and bars[-1] == f"Other plants ({len(rest)})", name
        assert set(bars[:-1]) == set(top["name"]), name  # each chart ranks by its own figure
        rows = [r for r in specs[name]["layer"][0]["data"]["values"] if r["plant"] == bars[-1]]
        value = {"Investment": "investment", "Medicines": "count", "Jobs": "jobs"}[name]
        assert sum(r[value] for r in rows) == pytest.approx(rest_figure(pd.Series(rest[column]))[0]), name
    investment = specs["Investment"]["layer"][0]
    scale = investment["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True))[bars_of(specs["Investment"])[-1]] == "#8C8C8C"
    # the medicines' rest keeps its split, and reads as derived
    rest = split_largest(hundred, "medicines_count")[1]
    split = rest["socially_significant_count"].notna() & rest["medicines_count"].notna()
    segments = {r["segment"]: r["count"] for r in specs["Medicines"]["layer"][0]["data"]["values"]
                if r["plant"].startswith("Other plants")}
    assert segments["socially significant"] == rest.loc[split, "socially_significant_count"].sum()
    assert {r["basis"] for r in specs["Medicines"]["layer"][0]["data"]["values"]
            if r["plant"].startswith("Other plants")} == {"derived"}


def test_four_plants_get_a_bar_each_and_no_others_bar(ds, labels):
    from components.charts import chart_specs

    specs = chart_specs(ds.plants, ds.plants, colour_map(ds.plants, "company"), "company", "Company", labels)
    for name in ("Investment", "Medicines", "Jobs"):
        assert sorted(bars_of(specs[name])) == sorted(ds.plants["name"]), name


def test_each_chart_reads_as_text(ds, labels):
    """The charts' text alternative: one line per bar with the value drawn beside it (a stacked bar with its
    segments); an undisclosed value says so, never 0."""
    from components.charts import chart_lines

    approved = ds.scope_plants("approved_2026_01_22")
    inv = chart_lines(build_investment_chart(approved, colour_map(approved, "company"), "company", "Company"))
    assert inv == ["AltINFARM: 58.5", "Nobel Almaty Pharmaceutical Factory: 39.2", "Abdi Ibrahim Global Pharm: 39.0",
                   "MSP-ROMPHARM: 36.7"]
    med = chart_lines(build_medicines_chart(approved))
    assert med[0] == "AltINFARM: 54 (socially significant 35, other 19)"
    assert len(med) == 4 and any(line.startswith("MSP-ROMPHARM: ") for line in med)
    jobs = chart_lines(build_jobs_chart(approved))
    assert len(jobs) == 4 and "0" not in [line.split(": ")[1] for line in jobs]
    assert chart_lines({"layer": []}) == []
    matrix = chart_lines(build_area_matrix(approved, approved, labels))
    assert matrix[0] == "AltINFARM (Oncology, Diabetes, Immunobiological)"
    assert "Nobel Almaty Pharmaceutical Factory (areas not disclosed)" in matrix
