"""A data problem the user can act on: which file, row, column, value, and the fix."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    ``row`` is the spreadsheet row number (the header is row 1, the first plant row 2),
    or ``None`` when the problem concerns the whole file.
    """

    file: str
    message: str
    fix: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    fatal: bool = False  # the file could not be used at all (or is still being written): see core.data.LastGood

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def text(self) -> str:
        value = f" Value: {self.value!r}." if self.value is not None else ""
        return f"{self.where}: {self.message}.{value} Fix: {self.fix}"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table (file, row, column, value, problem, fix): shown, and downloaded as CSV."""
    return pd.DataFrame([{"file": p.file, "row": p.row, "column": p.column, "value": p.value,
                          "problem": p.message, "fix": p.fix} for p in problems],
                        columns=["file", "row", "column", "value", "problem", "fix"]).astype({"row": "Int64"})
