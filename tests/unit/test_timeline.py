"""The timeline: one point per event at its own date, statuses and shapes, the as-of rule,
disagreements in the tooltip and the table, a valid spec, and data text kept out of markup."""

from __future__ import annotations

from datetime import date

import jsonschema
import pandas as pd
import pytest
from altair.vegalite.v6.schema.core import load_schema

from components.timeline import (
    AFTER_OPACITY,
    FOCUS,
    axis_stops,
    event_group,
    events_table,
    position,
    row_order,
    timeline_frame,
    timeline_spec,
)
from core.data import DEFAULT_DATA_DIR, load_dataset
from core.dates import date_text, period_text
from core.i18n import use

NOBEL = "2026-01-30-nobel-agreement-signed"
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def full():
    """Every bundled row (the session ``ds`` may hold only the default plants)."""
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def spec(full):
    return timeline_spec(full.events, full.plants, full.partners, None)


@pytest.fixture(autouse=True)
def english_after():
    yield
    use("en")


def points(spec: dict) -> list[dict]:
    return next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")["data"]["values"]


def layer(spec: dict, mark: str) -> dict:
    return next(lay for lay in spec["layer"] if lay["mark"]["type"] == mark)


def test_one_point_per_event(full, spec):
    values = points(spec)
    assert len(full.events) == 23
    assert len(values) == len(full.events)
    assert [v["event_id"] for v in values] == full.events["event_id"].tolist()
    assert values[0]["day"] == "2002-01-01" and values[-1]["day"] == "2029-01-01"


def test_spec_is_valid_vega_lite(full, spec):
    schema = load_schema()
    jsonschema.validate(spec, schema)
    jsonschema.validate(timeline_spec(full.events.iloc[15:20], full.plants, full.partners, date(2026, 1, 22)),
                        schema)


def test_rule_at_the_as_of_date(full):
    spec = timeline_spec(full.events, full.plants, full.partners, date(2026, 1, 22))
    assert layer(spec, "rule")["data"]["values"] == [{"day": "2026-01-22", "label": "as of 22 January 2026"}]
    label = next(lay for lay in spec["layer"] if lay["mark"]["type"] == "text" and lay["data"]["values"][0].get("day"))
    assert (label["mark"]["align"], label["mark"]["dx"]) == ("right", -4)  # near the right: reads leftwards
    early = timeline_spec(full.events, full.plants, full.partners, date(2024, 6, 1))
    label = next(lay for lay in early["layer"] if lay["mark"]["type"] == "text" and lay["data"]["values"][0].get("day"))
    assert (label["mark"]["align"], label["mark"]["dx"]) == ("left", 4)
    after = {v["event_id"] for v in points(spec) if v["after"]}
    assert after == {"2026-01-29-government-meeting", NOBEL, "2026-02-23-chimpharm-approved",
                     "2026-02-23-six-agreements-total", "2029-chimpharm-phase1-planned"}
    opacity = next(lay for lay in spec["layer"] if lay["mark"]["type"] == "point")["encoding"]["opacity"]
    assert opacity == {"condition": {"test": "datum.after", "value": AFTER_OPACITY}, "value": 1}


def test_rule_defaults_to_the_latest_event_that_happened(spec):
    """Not the planned 2029 milestone: it has not happened."""
    assert layer(spec, "rule")["data"]["values"][0]["day"] == "2026-02-23"
    assert not any(v["after"] for v in points(spec) if not v["event_id"].startswith("2029"))


def test_nobel_disagreement_in_tooltip_and_table(full, spec):
    nobel = next(v for v in points(spec) if v["event_id"] == NOBEL)
    assert "40 bn KZT" in nobel["figures"] and "39.2 bn KZT and 53 medicines" in nobel["figures"]
    assert "17 socially significant drugs and 40 items" in nobel["figures"]
    assert (nobel["when"], nobel["row"], nobel["status"], nobel["kind"]) == (
        "30 January 2026", "Nobel Almaty Pharmaceutical Factory", "agreement signed", "agreement")
    tooltip = next(lay for lay in spec["layer"] if lay["mark"]["type"] == "point")["encoding"]["tooltip"]
    assert {"field": "figures", "type": "nominal", "title": "Figures and disagreements"} in tooltip
    table = events_table(full.events, full.plants, full.partners)
    row = table[table["Event"] == "Nobel signs its investment agreement (40 bn KZT)"].iloc[0]
    assert "40 bn KZT" in row["Figures and disagreements"] and "39.2 bn" in row["Figures and disagreements"]
    assert row["Date"] == "30 January 2026" and row["Status after"] == "agreement signed"


@pytest.mark.parametrize(("event_id", "row", "project"), [
    ("2025-12-22-algeria-talks", "Groupe Saidal (partner)", "Groupe Saidal"),
    ("2026-01-29-government-meeting", "Programme", "Programme"),
    ("2026-01-22-four-resolutions", "AltINFARM, Nobel, Abdi, MSP-ROMPHARM",
     "AltINFARM; Nobel Almaty Pharmaceutical Factory; Abdi Ibrahim Global Pharm; MSP-ROMPHARM"),
    ("2025-06-chimpharm-talks", "Chimpharm (SANTO) expansion, Shymkent", "Chimpharm (SANTO) expansion, Shymkent"),
])
def test_rows(spec, event_id, row, project):
    point = next(v for v in points(spec) if v["event_id"] == event_id)
    assert (point["row"], point["project"]) == (row, project)


def test_row_order_programme_projects_existing_partners(full):
    frame = timeline_frame(full.events, full.plants, full.partners, date(2026, 2, 23))
    assert row_order(frame) == [
        "Programme", "Nobel Almaty Pharmaceutical Factory", "Chimpharm (SANTO) expansion, Shymkent",
        "Khan Tengri Biopharma", "AltINFARM, Nobel, Abdi, MSP-ROMPHARM",
        "Nobel AFF existing factory, Almaty", "Chimpharm (SANTO) existing plant, Shymkent",
        "Abdi Ibrahim Global Pharm existing plant, Ili district",
        "China National Pharmaceutical Group Co., Ltd. (Sinopharm) (partner)", "Groupe Saidal (partner)"]


def test_unknown_plants_are_shown_by_id(full):
    """With only some plants given, an event about another keeps its id rather than vanishing."""
    four = full.plants[full.plants["scope"] == "approved_2026_01_22"]
    point = next(v for v in points(timeline_spec(full.events, four, full.partners)) if v["event_id"].endswith(
        "chimpharm-approved"))
    assert point["row"] == "chimpharm-santo"


@pytest.mark.parametrize(("event_type", "group"), [
    ("approval", "approval"), ("agreement", "agreement"), ("talks", "talks"), ("meeting", "meeting"),
    ("milestone", "milestone"), ("planned", "planned"), ("programme", "other"), ("ownership", "other"),
    ("company", "other"), ("plan_history", "other"), ("partner_context", "other"),
])
def test_event_groups(event_type, group):
    assert event_group(event_type) == group


def test_statuses_shapes_and_hollow_planned(spec):
    by_id = {v["event_id"]: v for v in points(spec)}
    assert by_id["2026-01-22-four-resolutions"]["status"] == "approved"
    assert by_id["2025-06-chimpharm-talks"]["status"] == "talks (prospective)"
    assert by_id["2026-01-29-government-meeting"]["status"] == "no status change"
    assert {k for k, v in by_id.items() if v["planned"]} == {"2026-nobel-construction-planned",
                                                             "2029-chimpharm-phase1-planned"}
    enc = layer(spec, "point")["encoding"]
    assert enc["fillOpacity"] == {"condition": {"test": "datum.planned", "value": 0}, "value": 1}
    assert enc["color"]["scale"]["domain"] == ["talks (prospective)", "approved", "agreement signed",
                                               "under construction", "operating", "no status change"]
    assert enc["color"]["scale"] == enc["stroke"]["scale"]
    assert dict(zip(enc["shape"]["scale"]["domain"], enc["shape"]["scale"]["range"], strict=True)) == {
        "approval": "circle", "agreement": "diamond", "talks": "square", "meeting": "cross",
        "milestone": "triangle-up", "other event": "triangle-down",
        "planned (hollow): not yet happened": "triangle-right"}


def test_dates_as_written(spec):
    by_id = {v["event_id"]: v["when"] for v in points(spec)}
    assert by_id["2002-nobel-aff-founded"] == "2002"
    assert by_id["2025-06-chimpharm-talks"] == "June 2025"
    assert by_id["2025-12-22-algeria-talks"] == "22 December 2025"


@pytest.mark.parametrize(("lang", "value", "expected"), [
    ("en", "2025-06", "June 2025"), ("ru", "2025-06", "июнь 2025"), ("kk", "2025-06", "2025\u202fж. маусым"),
    ("en", "2026", "2026"), ("en", "2026-01-30", "30 January 2026"), ("en", "latest (not stated)",
                                                                      "latest (not stated)"),
])
def test_date_text(lang, value, expected):
    use(lang)
    assert date_text(value) == expected


def test_period_text():
    assert period_text("2024-H1") == "first half of 2024"
    assert period_text("2025 (mid-year)") == "2025 (mid-year)"


def test_broken_axis(full, spec):
    assert axis_stops([date(2002, 1, 1), date(2029, 1, 1)]) == [
        (date(2002, 1, 1), 0.0), (FOCUS[0], 0.14), (FOCUS[1], 0.92), (date(2030, 1, 1), 1.0)]
    assert axis_stops([date(2025, 6, 1)]) == [(FOCUS[0], 0.0), (FOCUS[1], 1.0)]
    scale = layer(spec, "point")["encoding"]["x"]["scale"]
    assert scale["domain"] == {"expr": "[utc(2002, 0, 1), utc(2024, 0, 1), utc(2027, 0, 1), utc(2030, 0, 1)]"}
    assert scale["range"] == [0, {"expr": "width * 0.14"}, {"expr": "width * 0.92"}, {"expr": "width"}]
    assert position(date(2024, 1, 1), axis_stops([date(2002, 1, 1), date(2029, 1, 1)])) == 0.14
    assert position(date(2025, 7, 2), axis_stops([date(2025, 6, 1)])) == pytest.approx(0.5, abs=0.001)
    bands = layer(spec, "rect")["data"]["values"]
    assert [b["label"] for b in bands] == ["2002–2023\ncompressed", "2027–2029\ncompressed"]
    assert len(points(timeline_spec(full.events.iloc[15:20], full.plants, full.partners))) == 5


def test_table(full):
    table = events_table(full.events, full.plants, full.partners)
    assert table.columns.tolist() == ["Date", "Project", "Event", "Type", "Status after",
                                      "Figures and disagreements", "What happened", "Source", "More sources"]
    assert len(table) == 23
    assert table["Date"].tolist()[:3] == ["2029", "23 February 2026", "23 February 2026"]  # newest first
    algiers = table[table["Project"] == "Groupe Saidal"].iloc[0]
    assert algiers["Source"] == "https://lenational.dz/?p=56750"
    assert algiers["More sources"] == ["https://www.algerie360.com/exportations-les-medicaments-made-in-algeria-"
                                       "prets-a-conquerir-ce-marche-asiatique/", "https://just-infodz.com/66h7"]
    programme = table.loc[table["Project"] == "Programme", "Status after"].tolist()
    assert [pd.isna(v) for v in programme] == [True, True]  # no status change: an empty cell


def test_data_text_stays_data(full):
    """Markup in a title or a name goes into the spec as a data value only, never into its labels."""
    events = full.events.copy()
    events.loc[events["event_id"] == NOBEL, "title"] = MARKUP
    plants = full.plants.copy()
    plants.loc[plants["plant_id"] == "khan-tengri", "name"] = MARKUP
    spec = timeline_spec(events, plants, full.partners)
    assert next(v for v in points(spec) if v["event_id"] == NOBEL)["title"] == MARKUP

    def outside_data(node) -> list[str]:
        if isinstance(node, dict):
            return [s for k, v in node.items() if k != "data" for s in outside_data(v)]
        if isinstance(node, list):
            return [s for v in node for s in outside_data(v)]
        return [node] if isinstance(node, str) else []

    sort = layer(spec, "point")["encoding"]["y"]["sort"]
    assert MARKUP in sort  # the row order names the row, as data for Vega's scale
    assert not [s for s in outside_data(spec) if "<img" in s and s != MARKUP]


def _timeline_app() -> None:
    from datetime import date

    from components.timeline import render_timeline
    from core.data import DEFAULT_DATA_DIR, load_dataset

    ds = load_dataset(DEFAULT_DATA_DIR)
    render_timeline(ds, date(2026, 1, 22))
    render_timeline(ds, None)


def test_render_timeline_smoke():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_timeline_app, default_timeout=30).run()
    assert not at.exception, at.exception
    assert [s.value for s in at.header] == ["What happened when"] * 2
    assert len(at.dataframe) == 2 and len(at.dataframe[0].value) == 23
    assert at.caption[0].value.startswith("Colour\\: the status the event sets")
