"""Files an analyst might upload to the "Your data" tab (core/upload.py), good and hostile, built from the
bundled plants.csv; shared by the unit and browser tests."""

from __future__ import annotations

import csv
import io
import zipfile
from functools import cache

from core.data import DEFAULT_DATA_DIR, PLANTS

BUNDLED = DEFAULT_DATA_DIR / PLANTS
XSS = "<script>alert(1)</script>"


def rows() -> list[dict[str, str]]:
    with BUNDLED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def csv_text(table: list[dict[str, str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(table[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buf.getvalue()


def good() -> bytes:
    """The four approved plants, one renamed: a table that passes every check."""
    table = [r for r in rows() if r["scope"] == "approved_2026_01_22" and not r["related_plant_ids"]]
    table[0]["name"] = "AltINFARM (analyst's update)"
    return csv_text(table).encode()


# (row, column, value): five distinct problems, one per row; the other four rows pass
FIVE = [(2, "lat", "forty-three"), (3, "region", "Atlantis"), (4, "approved_on", "22.01.2026"),
        (5, "jobs_qualifier", "roughly"), (6, "investment_kzt_bn", "58 500 000 000")]


def five_problems() -> bytes:
    table = rows()
    for row, column, value in FIVE:
        table[row - 2][column] = value
    return csv_text(table).encode()


def with_markup() -> bytes:
    table = [r for r in rows() if r["scope"] == "approved_2026_01_22" and not r["related_plant_ids"]]
    table[0]["name"] = XSS
    return csv_text(table).encode()


def xlsx(sheets: dict[str, list[list]], merge: str | None = None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, cells in sheets.items():
        sheet = book.create_sheet(title)
        for line in cells:
            sheet.append(line)
        if merge:
            sheet.merge_cells(merge)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def table_cells(table: list[dict[str, str]]) -> list[list]:
    return [list(table[0])] + [list(r.values()) for r in table]


def zip_bomb() -> bytes:
    """A small .xlsx-looking zip whose sheet unpacks to 200 MB of spaces (about 200 KB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            block = b" " * (1 << 20)
            for _ in range(200):
                f.write(block)
    return buf.getvalue()


@cache
def hostile() -> dict[str, tuple[str, bytes, str]]:
    """name -> (file name, bytes, a part of the expected message). Built once (the zip bomb takes a second)."""
    table = rows()
    text = csv_text(table)
    formula = table_cells(table)
    formula[1][PLANTS_COLUMN_JOBS] = "=50+10"
    return {
        "utf16": ("plants.csv", text.encode("utf-16"), "UTF-16"),
        "cp1251": ("plants.csv", text.encode("cp1251", errors="replace"), "Windows-1251"),
        "semicolons": ("plants.csv", csv_text(table, delimiter=";").encode(), "separated by semicolons"),
        "sheets": ("plants.xlsx", xlsx({"Sheet1": table_cells(table), "Sheet2": [["notes"]]}),
                   "the workbook has 2 sheets (Sheet1, Sheet2) and none is named 'plants'"),
        "merged": ("plants.xlsx", xlsx({"Sheet1": table_cells(table)}, merge="B2:B3"), "merged cells"),
        "formula": ("plants.xlsx", xlsx({"Sheet1": formula}), "the cell holds a formula"),
        "zip_bomb": ("plants.xlsx", zip_bomb(), "zip bomb"),
        "million_rows": ("plants.csv", text.splitlines()[0].encode() + b"\n" + b"x\n" * 1_000_000,
                         "the file has 1,000,000 rows; at most 5,000 can be uploaded"),
        "too_big": ("plants.csv", text.encode() + b" " * (6 * 1024 * 1024), "at most 5 MB can be uploaded"),
        "not_xlsx": ("plants.xlsx", text.encode(), "is named .xlsx but is not an Excel workbook"),
    }


PLANTS_COLUMN_JOBS = list(rows()[0]).index("jobs")
