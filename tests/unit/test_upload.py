"""The "Your data" tab's checks (core/upload.py): the bundled rules on an uploaded table, every problem at
once, hostile files refused with a clear message, the template that passes its own checks."""

from __future__ import annotations

import io
import time

import openpyxl
import pandas as pd
import pytest

from core.data import PLANT_COLUMNS, attach_basis, region_shapes
from core.exports import csv_bytes
from core.files import read_csv
from core.i18n import use
from core.problems import problems_frame
from core.upload import COLUMN_DOCS, check_upload, template_xlsx
from tests import upload_files as F


@pytest.fixture(scope="module")
def shapes(ds_all):
    return region_shapes(ds_all.regions)


def check(raw: bytes, name: str, shapes):
    return check_upload(raw, name, list(shapes), shapes)


def test_the_bundled_table_uploaded_passes_with_every_row(shapes, ds_all):
    out = check(F.BUNDLED.read_bytes(), "plants.csv", shapes)
    assert (out.refused, out.problems, out.rows, out.valid) == (False, [], 9, 9)
    assert list(out.plants["plant_id"]) == list(ds_all.plants["plant_id"])


def test_a_good_file_keeps_its_rows_and_values(shapes):
    out = check(F.good(), "update.csv", shapes)
    assert (out.refused, out.problems, out.valid) == (False, [], 2)
    assert out.plants.loc[0, "name"] == "AltINFARM (analyst's update)"
    assert out.plants.loc[0, "investment_kzt_bn"] == 58.5


def test_five_problems_are_reported_at_once_with_file_row_column_value(shapes):
    out = check(F.five_problems(), "five.csv", shapes)
    assert not out.refused
    assert sorted((p.file, p.row, p.column, p.value) for p in out.problems) == [
        ("five.csv", row, column, value) for row, column, value in F.FIVE]
    assert all(p.fix for p in out.problems)
    assert (out.rows, out.valid) == (9, 4)
    assert len(out.cleaned) == 4 and set(out.cleaned["plant_id"]) == set(out.plants["plant_id"])


def test_the_report_and_the_cleaned_table_download_as_safe_csv(shapes):
    out = check(F.five_problems(), "five.csv", shapes)
    report = pd.read_csv(io.BytesIO(csv_bytes(problems_frame(out.problems))), dtype=str, encoding="utf-8-sig")
    assert list(report.columns) == ["file", "row", "column", "value", "problem", "fix"]
    assert sorted(report["row"]) == ["2", "3", "4", "5", "6"]
    assert report.loc[report["row"] == "2", "value"].tolist() == ["forty-three"]
    # a value that looks like a formula is neutralised in the report
    odd = check(F.csv_text([{**F.rows()[0], "region": "=HYPERLINK(\"http://x\")"}]).encode(), "odd.csv", shapes)
    assert pd.read_csv(io.BytesIO(csv_bytes(problems_frame(odd.problems))), dtype=str,
                       encoding="utf-8-sig").loc[0, "value"] == "'=HYPERLINK(\"http://x\")"
    cleaned = pd.read_csv(io.BytesIO(csv_bytes(out.cleaned)), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(cleaned.columns) == PLANT_COLUMNS and len(cleaned) == 4


@pytest.mark.parametrize("case", list(F.hostile()))
def test_a_hostile_file_is_refused_with_its_message(case, shapes):
    name, raw, expected = F.hostile()[case]
    start = time.perf_counter()
    out = check(raw, name, shapes)
    took = time.perf_counter() - start
    assert out.refused and out.valid == 0
    assert any(expected in p.message for p in out.problems), [p.message for p in out.problems]
    assert all(p.file == name and p.fix for p in out.problems)
    assert took < 3, f"{case}: {took:.1f} s"


def test_hostile_messages_name_the_row_column_value_and_fix(shapes):
    cases = F.hostile()
    formula = check(cases["formula"][1], "plants.xlsx", shapes).problems
    assert [(p.row, p.column, p.value) for p in formula] == [(2, "jobs", "=50+10")]
    assert "Paste Special" in formula[0].fix
    merged = check(cases["merged"][1], "plants.xlsx", shapes).problems
    assert [p.value for p in merged] == ["B2:B3"]
    cp1251 = check(cases["cp1251"][1], "plants.csv", shapes).problems
    assert cp1251[0].row == 2 and "UTF-8" in cp1251[0].fix
    semicolons = check(cases["semicolons"][1], "plants.csv", shapes).problems
    assert semicolons[0].row == 1 and str(semicolons[0].value).startswith("plant_id;name;company")


def test_a_million_row_csv_is_refused_before_it_is_parsed(shapes):
    _, raw, _ = F.hostile()["million_rows"]
    start = time.perf_counter()
    check(raw, "plants.csv", shapes)
    assert time.perf_counter() - start < 0.5


def test_markup_is_kept_as_text_with_a_remark_and_escaped_on_the_map(shapes, ds_all):
    from components.map import build_base_map, build_map_data

    out = check(F.with_markup(), "xss.csv", shapes)
    assert (out.refused, out.problems, out.valid) == (False, [], 2)
    assert out.plants.loc[0, "name"] == F.XSS
    assert [(n.row, n.column, n.value) for n in out.notes] == [(2, "name", F.XSS)]
    plants = attach_basis(out.plants, ds_all.provenance)
    html = build_base_map(build_map_data(plants, ds_all.regions), offline=True).get_root().render()
    assert "<script>alert(1)" not in html


def test_messages_are_translated(shapes):
    use("ru")
    try:
        out = check(F.hostile()["semicolons"][1], "plants.csv", shapes)
    finally:
        use("en")
    assert "точкой с запятой" in out.problems[0].message


def test_the_template_explains_every_column_and_passes_its_own_checks(shapes):
    example = read_csv(F.BUNDLED, [], [])
    assert example is not None
    raw = template_xlsx(example.iloc[0].to_dict())
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["plants", "columns"]
    assert [c.value for c in book["plants"][1]] == PLANT_COLUMNS
    assert book["plants"]["A2"].value == "altinfarm" and book["plants"]["G2"].value == 43.2775
    about = [[c.value for c in r] for r in book["columns"].iter_rows(min_row=2)]
    assert [r[0] for r in about] == PLANT_COLUMNS and all(r[2] for r in about)
    assert set(COLUMN_DOCS) == set(PLANT_COLUMNS)
    out = check(raw, "pharma-plants-template.xlsx", shapes)
    assert (out.refused, out.problems, out.valid) == (False, [], 1)
    assert out.cleaned.iloc[0].to_dict() == example.iloc[0].to_dict() | {"lat": "43.2775", "lon": "76.89583"}


def test_the_template_is_in_the_chosen_language():
    use("kk")
    try:
        raw = template_xlsx({})
    finally:
        use("en")
    about = openpyxl.load_workbook(io.BytesIO(raw))["columns"]
    assert about["A1"].value != "Column" and about["C2"].value != COLUMN_DOCS["plant_id"]
