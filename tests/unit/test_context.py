"""The wider-picture tables (events, partners, market, country outlines) are checked to the same standard
as the plants: every bad input is a Problem naming file, row, column and value, with a fix; the row is
left out, the other rows stay, nothing raises and no file is changed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from core.context import period_start, status_at
from core.data import load_dataset
from tests.conftest import read_rows, set_cell, write_rows


def cell(file: str, row: int, col: str, value: str):
    def f(d: Path) -> None:
        set_cell(d / file, row, col, value)
    return f


def duplicate_first(file: str):
    def f(d: Path) -> None:
        rows = read_rows(d / file)
        write_rows(d / file, [rows[0], *rows])
    return f


def no_features(d: Path) -> None:
    (d / "countries.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")


def broken_country(d: Path) -> None:
    data = json.loads((d / "countries.geojson").read_text(encoding="utf-8"))
    data["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 1], [1, 0], [0, 0]]]}
    (d / "countries.geojson").write_text(json.dumps(data), encoding="utf-8")


# (case, mutation, file, spreadsheet row, column, words in the message)
CASES = [
    ("event-date", cell("events.csv", 0, "date", "22.01.2026"), "events.csv", 2, "date", "not YYYY"),
    ("event-impossible-date", cell("events.csv", 0, "date", "2026-02-30"), "events.csv", 2, "date", "not YYYY"),
    ("event-precision", cell("events.csv", 0, "date_precision", "day"), "events.csv", 2, "date_precision",
     "does not match"),
    ("event-unknown-plant", cell("events.csv", 0, "plant_id", "no-such-plant"), "events.csv", 2, "plant_id",
     "not in plants.csv"),
    ("event-unknown-partner", cell("events.csv", 0, "partner_ids", "nobody"), "events.csv", 2, "partner_ids",
     "not in partners.csv"),
    ("event-unknown-status", cell("events.csv", 0, "status_after", "finished"), "events.csv", 2, "status_after",
     "unknown status"),
    ("event-planned-status", cell("events.csv", 22, "status_after", "operating"), "events.csv", 24, "status_after",
     "planned event cannot change"),
    ("event-no-source", cell("events.csv", 0, "source", ""), "events.csv", 2, "source", "no source"),
    ("event-bad-source", cell("events.csv", 0, "source", "javascript:alert(1)"), "events.csv", 2, "source",
     "not a web address"),
    ("event-type", cell("events.csv", 0, "event_type", "rumour"), "events.csv", 2, "event_type", "unknown event"),
    ("event-duplicate", duplicate_first("events.csv"), "events.csv", 3, "event_id", "listed twice"),
    ("partner-role", cell("partners.csv", 0, "role", "friend"), "partners.csv", 2, "role", "unknown role"),
    ("partner-name", cell("partners.csv", 0, "name", ""), "partners.csv", 2, "name", "name is empty"),
    ("partner-unknown-plant", cell("partners.csv", 0, "plant_ids", "altinfarm;nowhere"), "partners.csv", 2,
     "plant_ids", "not in plants.csv"),
    ("partner-half-point", cell("partners.csv", 0, "lon", ""), "partners.csv", 2, "lat", "incomplete"),
    ("partner-point-off-globe", cell("partners.csv", 0, "lat", "123"), "partners.csv", 2, "lat", "outside the globe"),
    ("partner-country", cell("partners.csv", 0, "country_numeric", "999"), "partners.csv", 2, "country_numeric",
     "not in countries.geojson"),
    ("partner-since", cell("partners.csv", 0, "since", "last year"), "partners.csv", 2, "since", "not YYYY"),
    ("partner-duplicate", duplicate_first("partners.csv"), "partners.csv", 3, "partner_id", "listed twice"),
    ("market-value", cell("market.csv", 0, "value", "14,4"), "market.csv", 2, "value", "not a number"),
    ("market-range", cell("market.csv", 2, "value_high", "10"), "market.csv", 4, "value_high", "upper value"),
    ("market-kind", cell("market.csv", 0, "kind", "guess"), "market.csv", 2, "kind", "unknown kind"),
    ("market-qualifier", cell("market.csv", 0, "qualifier", "roughly"), "market.csv", 2, "qualifier",
     "unknown qualifier"),
    ("market-definition", cell("market.csv", 0, "definition", ""), "market.csv", 2, "definition", "empty"),
    ("countries-empty", no_features, "countries.geojson", None, None, "FeatureCollection with features"),
    ("countries-invalid", broken_country, "countries.geojson", None, "geometry", "not a valid polygon"),
]


@pytest.mark.parametrize("case,mutate,file,row,column,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_precisely(data_dir, case, mutate, file, row, column, words):  # noqa: ARG001 (id)
    mutate(data_dir)
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    ds = load_dataset(data_dir)  # must not raise
    hits = [p for p in ds.problems if p.file == file and p.row == row and p.column == column
            and words.lower() in p.message.lower()]
    assert hits, "\n".join(p.text() for p in ds.problems) or "no problem reported"
    assert hits[0].fix and file in hits[0].text()
    assert len(ds.plants) == 9  # a bad row elsewhere costs no plant
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before


def test_a_bad_row_costs_only_itself(data_dir):
    set_cell(data_dir / "events.csv", 0, "date", "someday")
    set_cell(data_dir / "partners.csv", 0, "role", "friend")
    ds = load_dataset(data_dir)
    assert (len(ds.events), len(ds.partners)) == (22, 13)
    assert {(p.file, p.row) for p in ds.problems} == {("partners.csv", 2), ("events.csv", 2)}


def test_missing_context_files_are_named_and_the_plants_still_load(data_dir):
    for name in ("events.csv", "partners.csv", "market.csv", "countries.geojson"):
        (data_dir / name).unlink()
    ds = load_dataset(data_dir)
    assert sorted(p.file for p in ds.problems) == ["countries.geojson", "events.csv", "market.csv", "partners.csv"]
    assert len(ds.plants) == 9 and ds.events.empty and ds.partners.empty and ds.countries is None


@pytest.mark.parametrize("value,day", [("2026", date(2026, 1, 1)), ("2025-06", date(2025, 6, 1)),
                                       ("2026-01-22", date(2026, 1, 22))])
def test_a_period_starts_on_its_first_day(value, day):
    assert period_start(value) == day


def test_statuses_on_a_day_follow_the_events(ds_all):
    before = status_at(ds_all.events, date(2026, 1, 21))
    assert {k: before[k] for k in ("khan-tengri", "chimpharm-santo", "saidal")} == {
        "khan-tengri": "approved", "chimpharm-santo": "talks", "saidal": "talks"}
    assert "altinfarm" not in before  # approved on 22 Jan 2026
    after = status_at(ds_all.events, date(2026, 2, 23))
    assert {k: after[k] for k in ("altinfarm", "nobel-aff", "chimpharm-santo")} == {
        "altinfarm": "approved", "nobel-aff": "agreement_signed", "chimpharm-santo": "approved"}
    # the statuses in plants.csv are those at the data's date
    assert all(after[p] == s for p, s in zip(ds_all.plants["plant_id"], ds_all.plants["status"], strict=True))
