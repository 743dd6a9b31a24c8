"""Shared fixtures: every test works on its own copy of the bundled data, in a temp folder."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data"


def copy_bundled(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for p in BUNDLED.iterdir():
        if p.is_file() and p.suffix in (".csv", ".geojson"):
            shutil.copy2(p, dest / p.name)
    return dest


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict], fieldnames: list[str] | None = None) -> None:
    fieldnames = fieldnames or list(rows[0])
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fieldnames, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, plant_index: int, column: str, value: str) -> None:
    """Change one cell; ``plant_index`` 0 is spreadsheet row 2."""
    rows = read_rows(path)
    rows[plant_index][column] = value
    write_rows(path, rows)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private, writable copy of data/ (scenario: the user's own folder)."""
    return copy_bundled(tmp_path / "data")
