"""Injection from the data, in one place: a copy of data/ in which every free-text field of every table
holds markup or a spreadsheet formula, driven through the outputs built from it (the map and its
offline file, the table's CSV and Excel, the rendered page under AppTest: detail card, table,
partners view, presentation card, notices). Each output also has its own test next to its module."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from components.exports import map_file
from components.map import build_base_map, build_map_data, build_plant_group
from components.table import table_frame
from core import exports
from core.data import load_dataset
from tests.app.test_app import APP
from tests.conftest import copy_bundled, read_rows, write_rows

PAYLOADS = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "+cmd",
            "@SUM(1)"]
MARKUP = ("<img src=x", "<script>alert")
FORMULA = ("=", "+", "@", "-")


def _spoil(folder, name: str, columns: set[str]) -> None:
    rows = read_rows(folder / name)
    fields = list(rows[0])
    for k, col in enumerate(fields):
        if col in columns:
            for r in rows:
                r[col] = PAYLOADS[k % len(PAYLOADS)]
    write_rows(folder / name, rows, fields)


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """The folder, and the (file, column) pairs that hold a payload in every row. A column whose payload
    the loader rejects (an id, a code, a number, a URL, a date) keeps its bundled values."""
    folder = copy_bundled(tmp_path_factory.mktemp("inject") / "data")
    spoiled: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.csv")):
        original = path.read_bytes()
        columns = set(read_rows(path)[0])
        for _ in range(6):  # revert the columns the loader names, until nothing is rejected
            _spoil(folder, path.name, columns)
            problems = load_dataset(folder).problems
            path.write_bytes(original)
            named = {part for p in problems for part in (p.column or "").split("/")} & columns
            if not problems or not named:
                break
            columns -= named
        if problems:  # a problem named another column than the one that caused it (lat for lon): one by one
            for col in sorted(columns):
                _spoil(folder, path.name, {col})
                if load_dataset(folder).problems:
                    columns.discard(col)
                path.write_bytes(original)
        _spoil(folder, path.name, columns)
        spoiled[path.name] = columns
    return folder, spoiled


@pytest.fixture(scope="module")
def ds(injected):
    ds = load_dataset(injected[0])
    assert ds.problems == [] and len(ds.plants) == 9
    return ds


def test_every_table_has_free_text_that_holds_a_payload(injected):
    _, spoiled = injected
    assert {"name", "company", "legal_name", "site", "location_note", "product_focus",
            "context_note"} <= spoiled["plants.csv"]
    assert {"title", "detail"} <= spoiled["events.csv"] and {"name", "note"} <= spoiled["partners.csv"]
    assert {"measure", "note"} <= spoiled["market.csv"] and "label" in spoiled["therapeutic_areas.csv"]
    assert all(spoiled[name] for name in ("programme.csv", "fx_rates.csv", "provenance.csv"))


def test_the_map_and_its_offline_file_carry_no_markup(ds):
    data = build_map_data(ds.plants, ds.regions)
    m = build_base_map(data, offline=True)
    build_plant_group(data, ds.plants, "company", "Company").add_to(m)
    html = m.get_root().render()
    offline = map_file(data, ds.plants, "company", "Company").decode("utf-8")
    for text in (html, offline):
        assert not [m for m in MARKUP if m in text]
    # the marker data is plain text in JSON (tojson escapes '<' in the page; map.js escapes it for tooltips,
    # checked in test_map.py); the payload was there to be escaped
    assert "\\u003cscript\\u003ealert(1)" in html and "<script>alert(1)" in json.dumps(data.details or data.core)


def test_csv_and_xlsx_neutralise_every_formula(ds):
    frame = table_frame(ds.plants, ds.region_name)
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(frame).decode("utf-8-sig"))))
    cells = [c for r in rows[1:] for c in r]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and "'+cmd" in cells
    assert [c for c in cells if c.startswith(FORMULA) and not c.lstrip("-").replace(".", "").isdigit()] == []
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(frame, [("Note", "=1+1")])))
    values = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in values if c.data_type == "f"] == []
    assert not [c.value for c in values if isinstance(c.value, str) and c.value.startswith(FORMULA)]


@pytest.mark.parametrize("query", [{"plant": "altinfarm"}, {"tab": "table"}, {"tab": "partners"},
                                   {"tab": "timeline"}, {"tab": "market"}, {"tab": "sources"},
                                   {"view": "present", "step": "2"}])
def test_the_page_shows_markup_from_the_data_as_text(monkeypatch, injected, query):
    """Every Markdown body, caption, notice and title of the page: payloads escaped, never raw."""
    monkeypatch.setenv("PHARMAMAP_OFFLINE", "1")
    monkeypatch.setenv("PHARMAMAP_DATA_DIR", str(injected[0]))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    texts = [e.value for kind in (at.markdown, at.caption, at.info, at.warning, at.error, at.title, at.subheader)
             for e in kind]
    assert not [t for t in texts if any(m in t for m in MARKUP)]
    assert any("\\<img src\\=x onerror\\=alert\\(1\\)\\>" in t or "\\<script\\>" in t for t in texts)
