"""Fuzzing the loaders (through load_dataset, as the app loads a folder) and the link parser with
hypothesis: random bytes, other encodings, huge and non-finite numbers, very long strings, in every
column of every table. Always a Dataset whose problems name a file and a fix, or a ViewState: never
an exception, and each case within its deadline. Bounded (max_examples, deadline): the file runs in
well under 30 s."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import keys as K
from core.data import Dataset, load_dataset
from core.urlstate import KEYS, MAX_VALUE, SHOWN, ViewState, parse_query
from tests.conftest import BUNDLED, copy_bundled

FILES = sorted(p.name for p in BUNDLED.iterdir() if p.suffix in (".csv", ".geojson"))
TABLES = [f for f in FILES if f.endswith(".csv")]
NASTY = ["", " ", "nan", "NaN", "inf", "-inf", "1e309", "-1e309", "9" * 400, "-0", "0x1F", "1,5", "١٢٣",
         "\x00", "\u202e", "\ufeff", "a\nb", '"', '""', "'", ";", ";;;", "=1+1", "<b>", "x" * 5000,
         "2026-02-30", "9999-12-31", "0000-00-00", "NaT", "None", "null", "true", "[]", "{}"]
FUZZ = settings(max_examples=5, deadline=2000, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return copy_bundled(tmp_path_factory.mktemp("fuzz") / "data")


def loaded(folder: Path, name: str, content: bytes) -> Dataset:
    """load_dataset with ``name`` replaced by ``content``; the folder is restored afterwards."""
    path = folder / name
    try:
        path.write_bytes(content)
        ds = load_dataset(folder)
    finally:
        shutil.copy2(BUNDLED / name, path)
    assert isinstance(ds, Dataset)
    known = set(FILES) | {str(folder)}
    for p in ds.problems:
        assert p.file in known and p.message and p.fix, p
    return ds


def table(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((BUNDLED / name).read_text(encoding="utf-8"))))


def as_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.mark.parametrize("name", TABLES)
def test_nasty_values_in_every_column_of_every_table(folder, name):
    """One row per nasty value, that value in every cell: every column of every table sees each."""
    rows = table(name)
    rows += [[value] * len(rows[0]) for value in NASTY]
    ds = loaded(folder, name, as_csv(rows))
    if name == "plants.csv":  # no plant can have one value in every column: each such row is left out, and said so
        assert (ds.rows_total, ds.rows_rejected) == (9 + len(NASTY), len(NASTY))
        assert {p.row for p in ds.problems if p.file == name} == set(range(11, 11 + len(NASTY)))


@pytest.mark.parametrize("name", FILES)
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(folder, name, data):
    loaded(folder, name, data)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1251", "latin-1", "utf-8-sig"])
@pytest.mark.parametrize("name", ["plants.csv", "partners.csv"])
def test_other_encodings(folder, name, encoding):
    text = (BUNDLED / name).read_text(encoding="utf-8")
    ds = loaded(folder, name, text.encode(encoding, errors="replace"))
    if encoding != "utf-8-sig":
        assert any(p.file == name and p.fatal for p in ds.problems)
    else:
        assert [p for p in ds.problems if p.file == name] == []


cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=300),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(min_value=-(10 ** 40), max_value=10 ** 40).map(str))


@pytest.mark.parametrize("name", TABLES)
@FUZZ
@given(data=st.data())
def test_random_cells(folder, name, data):
    """Random text, numbers and lengths in random cells of the bundled table."""
    rows = table(name)
    for _ in range(data.draw(st.integers(1, 6))):
        r = data.draw(st.integers(1, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = data.draw(cells)
    loaded(folder, name, as_csv(rows))


@pytest.mark.parametrize("name", TABLES)
@FUZZ
@given(data=st.data())
def test_random_cuts_and_splices(folder, name, data):
    """A file cut anywhere, or with bytes spliced in: the other rows are still read."""
    raw = (BUNDLED / name).read_bytes()
    at = data.draw(st.integers(0, len(raw)))
    piece = data.draw(st.sampled_from([b"", b'"', b",", b"\n", b'"\n"', b"\r", b"\xff"]))
    loaded(folder, name, raw[:at] + piece + (raw[at:] if data.draw(st.booleans()) else b""))


def test_many_unclosed_quotes_cost_their_rows_only(folder):
    """20,000 lines that each open a quote they never close, after the good rows: each is reported on its
    own, the good rows are kept (and reading restarts line by line, never over the rest of the file)."""
    raw = (BUNDLED / "market.csv").read_bytes()
    ds = loaded(folder, "market.csv", raw + b'"open,quote\n' * 20_000)
    assert len(ds.market) == 25
    broken = [p for p in ds.problems if p.file == "market.csv"]
    assert len(broken) == 20_000 and {p.row for p in broken} == set(range(27, 20_027))


# --------------------------------------------------------------------------- the link

values = st.one_of(st.text(max_size=50), st.text(min_size=MAX_VALUE - 2, max_size=MAX_VALUE + 2),
                   st.sampled_from(["oncology", "almaty", "9" * 5000, "2026-01-22", "1-2", "<script>", "present",
                                    "١", "²", "0", "99999", "-1", "1e309-1e310", "nan-inf"]))
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=30))


@settings(max_examples=150, deadline=500, database=None)
@given(params=st.dictionaries(keys, st.lists(values, max_size=40), max_size=40))
def test_any_link_parses_and_every_note_is_short(params):
    state = parse_query(params, ["oncology", "diabetes"], ["Almaty"], ["AltINFARM"], ["altinfarm"], (0.0, 100.0),
                        ["p1"])
    assert isinstance(state, ViewState)
    for note in state.dropped:
        assert len(note) <= SHOWN + 40, note  # key, '=' and the value cut to SHOWN characters
    assert all(len(v) <= MAX_VALUE for v in state.areas + state.regions + state.companies)


def test_a_100_kb_value_is_cut_before_parsing_and_noted_short():
    big = "x" * 100_000
    state = parse_query({K.Q_REGION: [big], K.Q_STEP: ["9" * 100_000], "zzz" * 10_000: ["1"]}, [], ["Almaty"], [],
                        [], (0.0, 1.0))
    assert state.dropped == ("region=" + "x" * SHOWN + "…", "step=" + "9" * SHOWN + "…", "z" * SHOWN + "…")
    assert (state.regions, state.step) == ((), 0)
