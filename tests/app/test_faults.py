"""Faults under AppTest: the data file broken and fixed under an open session; an overlong link."""

from __future__ import annotations

from core import keys as K
from tests.app.test_app import metrics, plain, run_app
from tests.conftest import set_cell


def warnings(at) -> str:
    """The warnings as the reader sees them (Markdown escapes of components/text.md removed)."""
    return plain("\n".join(w.value for w in at.warning))


def test_a_corrupt_file_keeps_the_last_good_data_and_the_filters_until_it_is_fixed(monkeypatch, data_dir):
    at = run_app(monkeypatch, data_dir, query={"region": "almaty"})
    assert at.multiselect(key=K.REGION).value == ["Almaty"]
    good = metrics(at)
    assert good["Plants"] == "2"
    plants = data_dir / "plants.csv"
    original = plants.read_bytes()

    plants.write_bytes(b"\xff\xfe not a CSV at all")
    at.run()
    assert not at.exception, at.exception
    text = warnings(at)
    assert "The data files were changed and cannot be used" in text and "plants.csv" in text
    assert "not UTF-8" in text
    assert metrics(at) == good  # the last good data
    assert at.multiselect(key=K.REGION).value == ["Almaty"]  # the filter is kept

    plants.write_bytes(original[:len(original) // 2])  # half a file, as while it is written
    at.run()
    assert "cut short" in warnings(at) and metrics(at) == good

    plants.write_bytes(original)
    set_cell(plants, 0, "investment_kzt_bn", "99.5")  # AltINFARM, in Almaty: the fixed file differs
    at.run()
    assert "cannot be used" not in warnings(at)
    assert at.multiselect(key=K.REGION).value == ["Almaty"]
    assert metrics(at)["Plants"] == "2" and metrics(at)["Investment, KZT"] != good["Investment, KZT"]


def test_a_100_kb_link_value_is_cut_and_noted_briefly(monkeypatch):
    at = run_app(monkeypatch, query={"region": "x" * 100_000, "<script>alert(1)</script>": "1"})
    notes = [c.value for c in at.caption if "Ignored in the link" in c.value]
    assert len(notes) == 1 and len(notes[0]) < 200, notes
    assert "x" * 40 in notes[0] and "x" * 41 not in notes[0]
    assert "<script>" not in notes[0]  # escaped Markdown (components/text.md)
    assert metrics(at)["Plants"] == "4"


def test_a_value_from_a_broken_file_is_shown_as_text(monkeypatch, data_dir):
    """The warning quotes what it found in the file: as text, never as a link or markup."""
    at = run_app(monkeypatch, data_dir)
    plants = data_dir / "plants.csv"
    evil = "[x](javascript:alert(1))"  # a column named twice: the problem names it
    header, rest = plants.read_text(encoding="utf-8").split("\n", 1)
    plants.write_text(f"{header},{evil},{evil}\n{rest}", encoding="utf-8")
    at.run()
    raw = "\n".join(w.value for w in at.warning)
    assert "The data files were changed and cannot be used" in raw
    assert evil in warnings(at)  # quoted for the reader
    assert evil not in raw  # but never as live Markdown
