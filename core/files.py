"""Reading the data files: UTF-8 text and CSV with a checked header. Every failure becomes a Problem
that names the file and says how to fix it; nothing here raises on bad input."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from core.problems import Problem

DATA_DIR_ENV = "PHARMAMAP_DATA_DIR"
URL_RE = re.compile(r"^https?://[^\s<>\"'()\[\]]+$")


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """Read a UTF-8 file, or record why it cannot be read."""
    name = path.name
    if not path.exists():
        problems.append(Problem(name, f"file not found in {path.parent}",
                                f"put {name} in that folder, or point {DATA_DIR_ENV} at a folder that has it",
                                fatal=True))
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, f"the file cannot be read ({exc.strerror})",
                                "check that it is a file the app may read", fatal=True))
        return None
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
                                "save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')", fatal=True))
        return None
    if not text.strip():
        problems.append(Problem(name, "the file is empty", "restore the header row and the data rows", fatal=True))
        return None
    return text


def _records(text: str, name: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, cells) for each CSV record, the header (row 1) first.

    A record that cannot be read costs that record only: one that runs over several lines to the
    wrong number of cells (a quote never closed) is read as its first line alone, and one the parser
    rejects (a cell over its size limit) is reported; reading starts again on the next line."""
    lines = io.StringIO(text).readlines()  # at '\n' only, as csv splits records
    pos = 0  # the next physical line to read

    def feed() -> Iterator[str]:
        nonlocal pos
        while pos < len(lines):
            pos += 1
            yield lines[pos - 1]

    row, width = 0, None
    reader = csv.reader(feed())
    while pos < len(lines):
        first = pos
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row += 1
            problems.append(Problem(name, f"the row cannot be read as CSV ({exc})",
                                    "check the row's quotes and shorten very long cells", row=row, fatal=row == 1))
            pos, reader = first + 1, csv.reader(feed())
            continue
        row += 1
        width = len(cells) if width is None else width
        if pos - first > 1 and len(cells) != width:
            cells = next(csv.reader([lines[first]]), [])
            pos, reader = first + 1, csv.reader(feed())
        elif pos == len(lines) and not lines[-1].endswith("\n") and _open_quote("".join(lines[first:])):
            cells = cells[:-1]  # the file ends inside this quoted cell: cut while being written (read_csv)
        yield row, cells


def _open_quote(record: str) -> bool:
    """Whether a record ends inside a quoted cell."""
    try:
        list(csv.reader([record], strict=True))
    except csv.Error:
        return True
    return False


def read_csv(path: Path, columns: list[str], problems: list[Problem],
             allow_empty: bool = False) -> pd.DataFrame | None:
    """Read a CSV as stripped text cells; check the header. ``None`` if the file is unusable.

    Row by row: a row with the wrong number of cells, or that cannot be parsed, is reported and left
    out, and the other rows are kept. The frame's index is each row's spreadsheet row minus 2, so
    ``idx + 2`` names the row even when rows were left out. A last row cut short in a file that does
    not end with a line break is a file still being written: that problem is ``fatal`` (the app keeps
    the last good data, core.data.LastGood). ``df.attrs["unread"]``: the cells of the rows left out, by
    column, so that a row naming one (by its id) is not rejected as well."""
    text = read_text(path, problems)
    if text is None:
        return None
    return parse_csv(text, path.name, columns, problems, allow_empty)


def parse_csv(text: str, name: str, columns: list[str], problems: list[Problem],
              allow_empty: bool = False) -> pd.DataFrame | None:
    """CSV text as text cells with the header checked, as ``read_csv`` describes (also an upload's,
    core/upload.py)."""
    records = _records(text, name, problems)
    first = next(records, None)
    header = [c.strip() for c in first[1]] if first else []
    if not any(header):
        problems.append(Problem(name, "the file has no header row", "restore the header row", fatal=True))
        return None
    dupes = sorted({c for c in header if header.count(c) > 1})
    for col in dupes:
        problems.append(Problem(name, "the column appears twice in the header", "keep one of them",
                                row=1, column=col, fatal=True))
    if dupes:
        return None
    missing = [c for c in columns if c not in header]
    for col in missing:
        problems.append(Problem(name, "a required column is missing",
                                f"add a column named '{col}' to the header row (see data/README.md)",
                                row=1, column=col, fatal=True))
    if missing:
        return None
    body = list(records)
    # a file that does not end with a line break may have been cut while being written: its last row
    # is cut if it has too few cells or ends inside a quoted cell (whose text _records leaves out)
    cut_row = body[-1][0] if body and not text.endswith("\n") else None
    good, labels = [], []
    unread: list[dict[str, str]] = []  # the cells of rows left out: another row may name them
    for row, cells in body:
        while len(cells) > len(header) and not cells[-1].strip():
            cells = cells[:-1]  # trailing empty cells, as a spreadsheet may write them
        if row == cut_row and len(cells) < len(header):
            problems.append(Problem(name, "the last row is cut short (no line break at the end of the file): the "
                                    "file is incomplete or still being written",
                                    "save the whole file again (write it to another name, then rename it)",
                                    row=row, fatal=True))
        elif cells in ([], [""]):
            continue  # a blank line
        elif len(cells) != len(header):
            problems.append(Problem(name, f"the row has {len(cells)} cells but the header has {len(header)}",
                                    "check that text with commas is in double quotes and that every quote "
                                    "is closed", row=row))
        else:
            good.append([c.strip() for c in cells])
            labels.append(row - 2)
            continue
        unread.append(dict(zip(header, (c.strip() for c in cells), strict=False)))
    df = pd.DataFrame(good, columns=header, index=pd.Index(labels, dtype="int64"), dtype=object)
    df.attrs["unread"] = unread
    if df.empty and allow_empty:
        return df
    if df.empty:
        problems.append(Problem(name, "the file has a header but no data rows", "add at least one row",
                                fatal=not any(p.file == name for p in problems)))
        return None
    return df


def listed_ids(df: pd.DataFrame, column: str) -> list[str]:
    """Every row's id in ``column``, and those of the rows read_csv could not read (``attrs["unread"]``):
    what other rows and tables may name, whether or not the row passed its checks."""
    return df[column].tolist() + [r[column] for r in df.attrs.get("unread", []) if r.get(column)]
