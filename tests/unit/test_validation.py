"""Every bad input becomes a Problem naming file, row, column and value; none raises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.data import load_dataset
from tests.conftest import read_rows, set_cell, write_rows

ALMATY = ("43.2775", "76.89583")


def plants(d: Path) -> Path:
    return d / "plants.csv"


def drop_column(col):
    def f(d):
        rows = read_rows(plants(d))
        for r in rows:
            r.pop(col)
        write_rows(plants(d), rows)
    return f


def cell(row, col, value, file="plants.csv"):
    def f(d):
        set_cell(d / file, row, col, value)
    return f


def cells(row, **values):
    def f(d):
        for col, v in values.items():
            set_cell(plants(d), row, col, v)
    return f


def write(name, text, encoding="utf-8"):
    def f(d):
        (d / name).write_bytes(text.encode(encoding))
    return f


def remove(name):
    def f(d):
        (d / name).unlink()
    return f


def cp1251(d):
    text = plants(d).read_text(encoding="utf-8").replace("İ", "I").replace("ç", "c")
    plants(d).write_bytes(text.encode("cp1251", errors="replace"))  # ≈, – and the like have no cp1251 byte


def duplicate_id(d):
    set_cell(plants(d), 1, "plant_id", "altinfarm")


def duplicate_header(d):
    text = plants(d).read_text(encoding="utf-8").splitlines()
    text[0] = text[0].replace("company", "name", 1)
    plants(d).write_text("\n".join(text) + "\n", encoding="utf-8")


def ragged(d):
    with plants(d).open("a", encoding="utf-8") as fh:
        fh.write("extra,row,with,too,many,cells," + ",".join(["x"] * 30) + "\n")


def regions_edit(fn):
    def f(d):
        data = json.loads((d / "regions.geojson").read_text(encoding="utf-8"))
        fn(data)
        (d / "regions.geojson").write_text(json.dumps(data), encoding="utf-8")
    return f


def _unnamed(data):
    data["features"][0]["properties"].pop("name")


def _bowtie(data):
    data["features"][0]["geometry"] = {"type": "Polygon",
                                       "coordinates": [[[60, 45], [62, 47], [62, 45], [60, 47], [60, 45]]]}


def prov_missing_row(d):
    rows = [r for r in read_rows(d / "provenance.csv") if not (r["plant_id"] == "altinfarm" and r["field"] == "jobs")]
    write_rows(d / "provenance.csv", rows)


def prov_set(plant_id, field, **values):
    def f(d):
        rows = read_rows(d / "provenance.csv")
        for r in rows:
            if r["plant_id"] == plant_id and r["field"] == field:
                r.update(values)
        write_rows(d / "provenance.csv", rows)
    return f


# (id, mutation, file, row, column, words in the message)
CASES = [
    ("missing-file", remove("plants.csv"), "plants.csv", None, None, "not found"),
    ("empty-file", write("plants.csv", ""), "plants.csv", None, None, "empty"),
    ("header-only", write("plants.csv", "plant_id,name\n"), "plants.csv", 1, "company", "missing"),
    ("header-no-rows", lambda d: plants(d).write_text(plants(d).read_text().splitlines()[0] + "\n"),
     "plants.csv", None, None, "no data rows"),
    ("missing-column", drop_column("lat"), "plants.csv", 1, "lat", "missing"),
    ("duplicate-column", duplicate_header, "plants.csv", 1, "name", "appears twice"),
    ("wrong-encoding", cp1251, "plants.csv", None, None, "Windows-1251"),
    ("ragged-row", ragged, "plants.csv", 11, None, "has 36 cells but the header has 35"),
    ("lat-text", cell(0, "lat", "north"), "plants.csv", 2, "lat", "not of the right type"),
    ("lat-empty", cell(0, "lat", ""), "plants.csv", 2, "lat", "coordinate is empty"),
    ("investment-comma", cell(0, "investment_kzt_bn", "58,5"), "plants.csv", 2, "investment_kzt_bn",
     "not of the right type"),
    ("investment-negative", cell(1, "investment_kzt_bn", "-5"), "plants.csv", 3, "investment_kzt_bn",
     "not allowed"),
    ("investment-absurd", cell(1, "investment_kzt_bn", "39200000000"), "plants.csv", 3, "investment_kzt_bn",
     "not allowed"),
    ("medicines-fraction", cell(0, "medicines_count", "54.5"), "plants.csv", 2, "medicines_count",
     "not of the right type"),
    ("jobs-negative", cell(2, "jobs", "-150"), "plants.csv", 4, "jobs", "not allowed"),
    ("jobs-no-qualifier", cell(2, "jobs_qualifier", ""), "plants.csv", 4, "jobs_qualifier", "no qualifier"),
    ("qualifier-unknown", cell(2, "jobs_qualifier", "approx"), "plants.csv", 4, "jobs_qualifier", "not allowed"),
    ("ss-exceeds-medicines", cell(0, "socially_significant_count", "60"), "plants.csv", 2,
     "socially_significant_count", "exceed"),
    ("lat-outside-kz", cell(0, "lat", "60.1"), "plants.csv", 2, "lat", "not allowed"),
    ("lon-outside-kz", cell(0, "lon", "20"), "plants.csv", 2, "lon", "not allowed"),
    ("lat-lon-swapped", cells(3, lat="68.26917", lon="43.30194"), "plants.csv", 5, "lat", "not allowed"),
    ("point-outside-region", cells(3, lat=ALMATY[0], lon=ALMATY[1]), "plants.csv", 5, "lat/lon",
     "outside Turkistan Region"),
    ("unknown-region", cell(1, "region", "Almaty Oblast"), "plants.csv", 3, "region", "not allowed"),
    ("unknown-area", cell(0, "therapeutic_areas", "oncology;cardiology"), "plants.csv", 2, "therapeutic_areas",
     "cardiology"),
    ("duplicate-id", duplicate_id, "plants.csv", 3, "plant_id", "another row"),
    ("empty-id", cell(0, "plant_id", ""), "plants.csv", 2, "plant_id", "required value is empty"),
    ("bad-slug", cell(0, "plant_id", "Alt INFARM"), "plants.csv", 2, "plant_id", "not allowed"),
    ("empty-name", cell(0, "name", ""), "plants.csv", 2, "name", "required value is empty"),
    ("bad-precision", cell(0, "location_precision", "exact"), "plants.csv", 2, "location_precision",
     "not allowed"),
    ("bad-date", cell(0, "approved_on", "22/01/2026"), "plants.csv", 2, "approved_on", "ISO date"),
    ("bad-source", cell(0, "sources", "astanatimes.com"), "plants.csv", 2, "sources", "not a web address"),
    ("no-source", cell(0, "sources", ""), "plants.csv", 2, "sources", "no source"),
    ("regions-missing", remove("regions.geojson"), "regions.geojson", None, None, "not found"),
    ("regions-broken-json", write("regions.geojson", '{"type": "FeatureCollection", "features": ['),
     "regions.geojson", 1, None, "not valid JSON"),
    ("regions-not-collection", write("regions.geojson", '{"type": "Point", "coordinates": [1, 2]}'),
     "regions.geojson", None, None, "FeatureCollection"),
    ("regions-unnamed", regions_edit(_unnamed), "regions.geojson", None, "properties.name", "no 'name'"),
    ("regions-invalid-polygon", regions_edit(_bowtie), "regions.geojson", None, "geometry", "not a valid polygon"),
    ("provenance-bad-basis", prov_set("altinfarm", "jobs", basis="rumoured"), "provenance.csv", 5, "basis",
     "unknown basis"),
    ("provenance-no-source", prov_set("altinfarm", "jobs", source=""), "provenance.csv", 5, "source",
     "needs its source"),
    ("provenance-derived-no-method", prov_set("msp-rompharm", "jobs", method=""), "provenance.csv", 23, "method",
     "needs its method"),
    ("provenance-contradiction", prov_set("altinfarm", "jobs", basis="not_disclosed", source=""),
     "provenance.csv", 5, "basis", "marked not disclosed"),
    ("provenance-missing-row", prov_missing_row, "provenance.csv", None, "field", "no provenance row"),
    ("fx-not-a-number", cell(0, "kzt_per_unit", "five hundred", file="fx_rates.csv"), "fx_rates.csv", 2,
     "kzt_per_unit", "not a positive number"),
    ("programme-not-a-number", cell(0, "value", "many", file="programme.csv"), "programme.csv", 2, "value",
     "not a non-negative number"),
]


@pytest.mark.parametrize("mutate,file,row,column,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named_precisely(data_dir, mutate, file, row, column, words):
    mutate(data_dir)
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    ds = load_dataset(data_dir)  # must not raise
    hits = [p for p in ds.problems if p.file == file and p.row == row and p.column == column
            and words.lower() in p.message.lower()]
    assert hits, "\n".join(p.text() for p in ds.problems) or "no problem reported"
    assert hits[0].fix, "every problem says how to fix it"
    text = hits[0].text()
    assert file in text and (row is None or f"row {row}" in text)
    # nothing the user had is changed
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before


def test_there_are_enough_bad_inputs():
    assert len(CASES) >= 25


def test_bundled_data_has_no_problem():
    from core.data import DEFAULT_DATA_DIR

    ds = load_dataset(DEFAULT_DATA_DIR)
    assert ds.problems == []
    assert ds.rows_total == 9 and ds.rows_rejected == 0  # the six agreements and three existing plants
    assert len(ds.plants) == 9
    assert list(ds.plants["scope"].value_counts().sort_index().items()) == [
        ("agreement", 2), ("approved_2026_01_22", 4), ("existing", 3)]
    assert ds.countries is not None and len(ds.countries["features"]) == 128
    assert (len(ds.events), len(ds.partners), len(ds.market)) == (23, 14, 25)


def test_a_bad_row_is_left_out_and_counted(data_dir):
    set_cell(data_dir / "plants.csv", 1, "lat", "north")
    ds = load_dataset(data_dir)
    assert ds.rows_total == 9 and ds.rows_rejected == 1
    assert "nobel-aff" not in set(ds.plants["plant_id"])
    # the events and partners that name it are kept: one broken row costs nothing else
    assert [p for p in ds.problems if p.file != "plants.csv"] == []


def test_plants_still_load_when_regions_are_broken(data_dir):
    (data_dir / "regions.geojson").write_text("not json", encoding="utf-8")
    ds = load_dataset(data_dir)
    assert ds.regions is None
    assert len(ds.plants) == 9
    assert any("not checked" in p.message for p in ds.problems)


def test_missing_data_folder(tmp_path):
    ds = load_dataset(tmp_path / "nowhere")
    assert any("does not exist" in p.message for p in ds.problems)
    assert ds.plants.empty


def test_value_in_message_is_the_cell_as_typed(data_dir):
    set_cell(data_dir / "plants.csv", 0, "investment_kzt_bn", "58,5")
    ds = load_dataset(data_dir)
    (p,) = [p for p in ds.problems if p.column == "investment_kzt_bn"]
    assert p.value == "58,5"
    assert "58.5" in p.fix


def test_env_var_points_at_another_folder(tmp_path):
    from core.data import DEFAULT_DATA_DIR, data_dir_from_env

    assert data_dir_from_env({}) == DEFAULT_DATA_DIR
    assert data_dir_from_env({"PHARMAMAP_DATA_DIR": str(tmp_path)}) == tmp_path


def test_file_signature_changes_with_the_file(data_dir):
    import os

    from core.data import file_signature

    before = file_signature(data_dir)
    p = data_dir / "plants.csv"
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))
    assert file_signature(data_dir) != before
