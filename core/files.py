"""Reading the data files: UTF-8 text and CSV with a checked header. Every failure becomes a Problem
that names the file and says how to fix it; nothing here raises on bad input."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import cast

import pandas as pd

from core.problems import Problem

DATA_DIR_ENV = "PHARMAMAP_DATA_DIR"
URL_RE = re.compile(r"^https?://[^\s<>\"'()\[\]]+$")


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """Read a UTF-8 file, or record why it cannot be read."""
    name = path.name
    if not path.exists():
        problems.append(Problem(name, f"file not found in {path.parent}",
                                f"put {name} in that folder, or point {DATA_DIR_ENV} at a folder that has it"))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            raw.decode("cp1251")
            hint = " It looks like Windows-1251 (Cyrillic)."
        except UnicodeDecodeError:
            pass
        problems.append(Problem(name, f"the file is not UTF-8 text (byte {raw[exc.start]:#04x} at position "
                                f"{exc.start}).{hint}",
                                "save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')"))
        return None
    if not text.strip():
        problems.append(Problem(name, "the file is empty", "restore the header row and the data rows"))
        return None
    return text


def read_csv(path: Path, columns: list[str], problems: list[Problem],
             allow_empty: bool = False) -> pd.DataFrame | None:
    """Read a CSV as text cells; check the header. ``None`` if the file is unusable."""
    text = read_text(path, problems)
    if text is None:
        return None
    return parse_csv(text, path.name, columns, problems, allow_empty)


def parse_csv(text: str, name: str, columns: list[str], problems: list[Problem],
              allow_empty: bool = False) -> pd.DataFrame | None:
    """CSV text as text cells with the header checked (also an upload's, core/upload.py)."""
    header = [c.strip() for c in next(csv.reader(io.StringIO(text)), [])]
    dupes = sorted({c for c in header if header.count(c) > 1})
    for col in dupes:
        problems.append(Problem(name, "the column appears twice in the header", "keep one of them",
                                row=1, column=col))
    if dupes:
        return None
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=False)
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        row = int(m.group(1)) if m else None
        problems.append(Problem(name, f"the file cannot be read as CSV ({exc})".rstrip(".\n"),
                                "check that every row has as many comma-separated cells as the header, "
                                "and that text with commas is in double quotes", row=row))
        return None
    except pd.errors.EmptyDataError:
        problems.append(Problem(name, "the file has no header row", "restore the header row"))
        return None
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    for col in missing:
        problems.append(Problem(name, "a required column is missing",
                                f"add a column named '{col}' to the header row (see data/README.md)",
                                row=1, column=col))
    if missing:
        return None
    if df.empty and allow_empty:
        return df
    if df.empty:
        problems.append(Problem(name, "the file has a header but no data rows", "add at least one row"))
        return None
    return cast(pd.DataFrame, df.apply(lambda s: s.str.strip()))  # one Series per column in, so a DataFrame out
