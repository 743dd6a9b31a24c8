"""Fault injection on a copy of the data folder: a file replaced by a corrupt one, a file cut while
it is written, one broken row. The last good data stands in (core.data.LastGood); a broken row
costs that row only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.data import LastGood, file_signature, load_dataset

ALL = ["altinfarm", "nobel-aff", "abdi-ibrahim", "msp-rompharm", "khan-tengri", "chimpharm-santo",
       "nobel-aff-existing", "abdi-ibrahim-existing", "chimpharm-existing"]  # plants.csv's rows, in order


def ids(ds) -> list[str]:
    return list(ds.plants["plant_id"])


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.fixture
def plants(data_dir: Path) -> Path:
    return data_dir / "plants.csv"


def test_bundled_ids(data_dir):
    assert ids(load_dataset(data_dir)) == ALL


@pytest.mark.parametrize("corrupt,words", [
    (b"\xff\xfe\x00garbage\x81\x90", "not UTF-8"),
    (b"", "the file is empty"),
    (b"name;region\nx;y\n", "a required column is missing"),
    (b"\x00" * 64, "a required column is missing"),
])
def test_a_corrupt_file_keeps_the_last_good_data_until_it_is_fixed(data_dir, plants, corrupt, words):
    holder = LastGood()
    good = plants.read_bytes()
    first, sig, stale = holder.pick(load_dataset(data_dir), file_signature(data_dir))
    assert stale == [] and ids(first) == ALL
    plants.write_bytes(corrupt)
    broken = load_dataset(data_dir)
    assert broken.plants.empty
    shown, shown_sig, stale = holder.pick(broken, file_signature(data_dir))
    assert shown is first and shown_sig == sig  # the last good data, and the caches' key for it
    assert stale and all(p.file == "plants.csv" and p.fatal for p in stale)
    assert words in stale[0].text()
    plants.write_bytes(good.replace(b"AltINFARM,AltINFARM", b"AltINFARM fixed,AltINFARM", 1))
    fixed, fixed_sig, stale = holder.pick(load_dataset(data_dir), file_signature(data_dir))
    assert stale == [] and fixed is not first and fixed_sig != sig
    assert "AltINFARM fixed" in set(fixed.plants["name"])


def test_a_folder_never_good_is_shown_with_its_problems(data_dir, plants):
    plants.write_bytes(b"\xff\xfe")
    ds = load_dataset(data_dir)
    shown, _, stale = LastGood().pick(ds, ())
    assert shown is ds and stale == [] and ds.problems[0].fatal


def test_each_folder_has_its_own_last_good(data_dir, tmp_path):
    holder = LastGood()
    good, _, _ = holder.pick(load_dataset(data_dir), ())
    other = tmp_path / "other"
    other.mkdir()
    broken = load_dataset(other)
    assert holder.pick(broken, ())[0] is broken and holder.pick(load_dataset(data_dir), ())[0] is not broken
    assert good is not broken


@pytest.mark.parametrize("keep", [0.1, 0.3, 0.5, 0.7])
def test_a_file_cut_while_written_is_never_read_as_data(data_dir, plants, keep):
    """Cut inside the last row (in a quoted cell or not): that row is reported as cut, the rows before it
    are kept, and the problem is fatal, so an open page keeps the last good data. (A cut inside the last
    row's last cell, unquoted, cannot be told from a whole file: data/README.md says to write the file
    under another name and rename it.)"""
    rows = lines(plants)
    cut = "".join(rows[:-1]) + rows[-1][:int(len(rows[-1]) * keep)]
    plants.write_text(cut, encoding="utf-8")
    ds = load_dataset(data_dir)
    assert ids(ds) == ALL[:-1]
    [problem] = [p for p in ds.problems if p.fatal]
    assert (problem.file, problem.row) == ("plants.csv", 10) and "cut short" in problem.message
    assert LastGood().pick(ds, ())[2] == []  # never good: shown as it is, the cut row left out


def test_a_file_cut_inside_a_quoted_cell_keeps_the_other_rows(data_dir, plants):
    """The tester's case: the file ends inside a quoted cell of the last row."""
    rows = lines(plants)
    last = rows[-1]
    at = last.index(',"') + 5
    plants.write_text("".join(rows[:-1]) + last[:at], encoding="utf-8")
    ds = load_dataset(data_dir)
    assert ids(ds) == ALL[:-1] and ds.rows_total == 8
    assert [(p.row, p.fatal) for p in ds.problems if p.file == "plants.csv"] == [(10, True)]


def test_an_unclosed_quote_in_a_middle_row_costs_that_row_only(data_dir, plants):
    rows = lines(plants)
    rows[2] = rows[2].replace(',"', ',"never closed ', 1).replace('",', ",", 1)
    plants.write_text("".join(rows), encoding="utf-8")
    ds = load_dataset(data_dir)
    [problem] = [p for p in ds.problems if p.file == "plants.csv"]
    assert (problem.row, problem.fatal) == (3, False) and "cells but the header has 35" in problem.message
    assert ids(ds) == [ALL[0], *ALL[2:]]


def test_rows_after_a_broken_row_keep_their_row_numbers(data_dir, plants):
    rows = lines(plants)
    rows.insert(2, "just,three,cells\n")
    rows[5] = rows[5].replace(",zone,", ",nowhere,", 1)  # msp-rompharm's precision, now on row 6
    plants.write_text("".join(rows), encoding="utf-8")
    ds = load_dataset(data_dir)
    found = [(p.row, p.column) for p in ds.problems if p.file == "plants.csv"]
    assert found == [(3, None), (6, "location_precision")]  # spreadsheet rows, the short row counted
    assert ids(ds) == [i for i in ALL if i != "msp-rompharm"] and ds.rows_rejected == 1


def test_a_blank_line_and_trailing_empty_cells_are_not_errors(data_dir, plants):
    rows = lines(plants)
    rows[1] = rows[1].rstrip("\n") + ",,\n"
    rows.insert(3, "\n")
    plants.write_text("".join(rows), encoding="utf-8")
    ds = load_dataset(data_dir)
    assert [p for p in ds.problems if p.file == "plants.csv"] == [] and len(ds.plants) == 9


def test_a_cell_over_the_csv_size_limit_costs_its_row_only(data_dir, plants):
    rows = lines(plants)
    rows[1] = rows[1].replace(',"', ',"' + "x" * 200_000, 1)
    plants.write_text("".join(rows), encoding="utf-8")
    ds = load_dataset(data_dir)
    [problem] = [p for p in ds.problems if p.file == "plants.csv"]
    assert problem.row == 2 and "field larger than field limit" in problem.message and not problem.fatal
    assert ids(ds) == ALL[1:]


@pytest.mark.parametrize("name", ["regions.geojson", "countries.geojson"])
@pytest.mark.parametrize("text", ['{"type": "FeatureCollection", "features": [', "[" * 100_000,
                                  '{"type": "FeatureCollection", "features": [1, "x", null, []]}'])
def test_a_broken_geojson_is_fatal_never_a_crash(data_dir, name, text):
    (data_dir / name).write_text(text, encoding="utf-8")
    ds = load_dataset(data_dir)
    assert any(p.file == name and p.fatal for p in ds.problems)


def test_an_unreadable_file_is_a_problem(data_dir, plants):
    plants.unlink()
    plants.mkdir()  # a folder where the file should be
    ds = load_dataset(data_dir)
    assert [(p.file, p.fatal) for p in ds.problems if p.file == "plants.csv"] == [("plants.csv", True)]


def test_the_loaded_tables_carry_no_ids_in_attrs(ds):
    """The loaders pass the ids of rows left out along in ``attrs``; pandas deep-copies ``attrs`` into the
    result of every operation, so the dataset's tables must not keep them (a rerun at 10,000 plants spent
    about half its time copying the list)."""
    tables = {name: v for name, v in vars(ds).items() if isinstance(v, pd.DataFrame)}
    assert {"plants", "partners", "events", "market"} <= set(tables)
    assert {name: dict(t.attrs) for name, t in tables.items() if t.attrs} == {}
    assert ds.plants[ds.plants["investment_kzt_bn"] > 0].attrs == {}
