"""An analyst's own plants table (the "Your data" tab): check an uploaded CSV or XLSX with the same rules
as the bundled data/plants.csv, refuse hostile files with a clear message, and build the template.
Pure Python: bytes in, a :class:`Checked` out; no Streamlit. Nothing here writes a file.

Order of the checks, cheapest first, so a hostile file costs little: size (5 MB), then the kind of file
(XLSX is a zip: its members' sizes and compression ratios are read from the zip directory before
anything is unpacked, and its rows are counted in the sheet XML before openpyxl parses it; CSV: its lines
are counted in the bytes before they are decoded), then the encoding and the separator, then the rules of
core/data.py (:func:`core.data.validate_plants`). Every message names the file, row, column, value and
the fix, in the current language.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import cast

import pandas as pd

from core.data import FLOAT_COLUMNS, INT_COLUMNS, PLANT_COLUMNS, REQUIRED_TEXT, validate_plants
from core.exports import neutralise
from core.files import parse_csv
from core.i18n import N_, t
from core.problems import Problem

MAX_MB = 5  # also [server] maxUploadSize in .streamlit/config.toml
MAX_BYTES = MAX_MB * 1024 * 1024
MAX_ROWS = 5_000  # data rows; the bundled table has nine
MAX_UNZIPPED = 50 * 1024 * 1024  # an XLSX's members together, unpacked
MAX_RATIO = 100  # unpacked / packed size of one member; real sheets stay near 10
MAX_LISTED = 50  # problems of one kind listed for a refused file (the count says how many in all)
PLANTS_SHEET = "plants"  # the sheet read from a workbook with several (the template has two)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# markup a browser would run or draw: kept as text (every output escapes it) and reported
MARKUP_RE = re.compile(r"<\s*/?\s*[a-z!][^>]*>|javascript\s*:|\bon[a-z]+\s*=", re.IGNORECASE)
SAVE_UTF8 = N_("save it again as 'CSV UTF-8 (Comma delimited)' (Excel: File → Save As; LibreOffice: "
               "character set Unicode (UTF-8), field delimiter ',')")

# what sheet 2 of the template says about each column (data/README.md, "plants.csv", in short)
COLUMN_DOCS = {
    "plant_id": N_("Unique id: lower-case letters, digits and hyphens, e.g. nobel-aff."),
    "name": N_("Display name of the plant or project, as the sources give it."),
    "company": N_("Company name, used by the Company filter and colour."),
    "legal_name": N_("Legal form and name as registered, if a source gives it."),
    "region": N_("Region exactly as in regions.geojson, e.g. Almaty, Almaty Region, Turkistan Region, Shymkent."),
    "site": N_("The site as reported, free text."),
    "lat": N_("Latitude of the point drawn, decimal degrees (40.5 to 55.5), inside the region."),
    "lon": N_("Longitude of the point drawn, decimal degrees (46.4 to 87.4), inside the region."),
    "location_precision": N_("The same value as site_precision: site, zone, district, city or region."),
    "location_note": N_("What the drawn point actually is, e.g. 'Almaty city centroid'."),
    "investment_kzt_bn": N_("Investment in billions of tenge with a decimal point (58.5); empty if not disclosed."),
    "medicines_count": N_("Medicines to be localised, a whole number; empty if not disclosed."),
    "socially_significant_count": N_("Of which socially significant, a whole number not above medicines_count; "
                                     "empty if not disclosed."),
    "jobs": N_("New jobs, a whole number; empty if not disclosed."),
    "jobs_qualifier": N_("How the source words jobs: exact, about, at_least, more_than or at_most; required "
                         "when jobs is set."),
    "therapeutic_areas": N_("Area codes separated by ';' (e.g. oncology;diabetes), only those a source gives; "
                            "may be empty."),
    "product_focus": N_("The products as reported."),
    "partners": N_("Strategic partners or owners as reported, separated by ';'."),
    "partner_countries": N_("Their countries, separated by ';'."),
    "status": N_("Status on the data date: talks, approved, agreement_signed, under_construction or operating."),
    "approved_on": N_("Date of the approval as YYYY-MM-DD, e.g. 2026-01-22; empty for an existing plant."),
    "sources": N_("The web pages the row comes from: full http(s) addresses separated by ';'. Required."),
    "scope": N_("Which set the row belongs to: approved_2026_01_22, agreement or existing."),
    "related_plant_ids": N_("plant_ids of other rows of this table (a project and its company's existing "
                            "plant), separated by ';'; may be empty."),
    "investment_qualifier": N_("How the source words the investment: exact, about, at_least, more_than or "
                               "at_most; required when investment_kzt_bn is set."),
    "site_precision": N_("What the sources know about the site: site, zone, district, city or region."),
    "point_basis": N_("What the drawn point is: site, city_centroid, region_admin_centre or unit_centroid; "
                      "anything but site is drawn as approximate."),
    "point_source": N_("Where the coordinates come from: http(s) addresses separated by ';'; may be empty."),
    "location_source": N_("The sources for what is known about the site, separated by ';'; may be empty."),
    "approved_by": N_("Which decision the approval is (government resolution, Investment Headquarters, ...)."),
    "operating_since": N_("Existing plants: start of production as reported (YYYY or a date)."),
    "employees": N_("Existing plants: staff as reported, a whole number (not new jobs)."),
    "employees_qualifier": N_("How the source words employees: exact, about, at_least, more_than or at_most."),
    "capacity": N_("Capacity as reported, with its unit."),
    "context_note": N_("What else the sources say: disagreements, earlier versions of a plan, history."),
}


@dataclass
class Checked:
    """One uploaded file after the checks. ``refused``: nothing in it can be used (the problems say why)."""

    name: str
    digest: str  # sha256 of the bytes: one check per file, and the cache key of what is drawn from it
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # about rows that are kept (markup shown as text)
    plants: pd.DataFrame = field(default_factory=pd.DataFrame)  # the valid rows, typed as Dataset.plants
    cleaned: pd.DataFrame = field(default_factory=pd.DataFrame)  # the valid rows as the file gave them
    rows: int = 0  # data rows read
    refused: bool = False

    @property
    def valid(self) -> int:
        return len(self.plants)


def check_upload(raw: bytes, name: str, region_names: list[str] | None, shapes: dict) -> Checked:
    """Check an uploaded plants table (CSV or XLSX) against the rules of the bundled one."""
    name = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1] or "upload"
    out = Checked(name, hashlib.sha256(raw).hexdigest())
    problems = out.problems
    if len(raw) > MAX_BYTES:
        return _refuse(out, t("the file is {size} MB; at most {limit} MB can be uploaded",
                              size=f"{len(raw) / 1024 / 1024:.1f}", limit=MAX_MB),
                       t("upload the plants table alone, without other sheets or pictures"))
    if raw.startswith(b"PK\x03\x04"):
        frame = _read_xlsx(raw, name, problems)
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        return _refuse(out, t("the file is an old Excel workbook (.xls)"),
                       t("save it as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8 (Comma delimited)'"))
    elif name.lower().endswith(".xlsx"):
        return _refuse(out, t("the file is named .xlsx but is not an Excel workbook"),
                       t("save it from Excel as 'Excel Workbook (.xlsx)', or upload it as CSV"))
    else:
        frame = _read_csv(raw, name, problems)
    if frame is None:
        out.refused = True
        return out
    found: list[Problem] = []
    good, out.rows, _ = validate_plants(frame, region_names, shapes, found)
    problems += [replace(p, file=name) for p in found]  # the rules name plants.csv: name the upload
    bad = {p.row - 2 for p in found if p.row is not None}
    kept = frame.drop(index=sorted(bad & set(frame.index)))
    out.notes = _markup_notes(kept, name)
    out.cleaned, out.plants = kept.reset_index(drop=True), good
    for table in (out.cleaned, out.plants):  # no ids carried in attrs: pandas copies them at every step
        table.attrs.clear()
    return out


def _refuse(out: Checked, message: str, fix: str) -> Checked:
    out.problems.append(Problem(out.name, message, fix))
    out.refused = True
    return out


# --------------------------------------------------------------------------- CSV


def _read_csv(raw: bytes, name: str, problems: list[Problem]) -> pd.DataFrame | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        problems.append(Problem(name, t("the file is UTF-16 text (Excel's 'Unicode Text'), not UTF-8"),
                                t(SAVE_UTF8)))
        return None
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    if lines - 1 > MAX_ROWS:  # counted in the bytes: a million rows are refused before any parsing
        problems.append(_too_many(name, lines - 1))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            raw.decode("cp1251")
            what = t("the file is Windows-1251 (Cyrillic) text, not UTF-8")
        except UnicodeDecodeError:
            what = t("the file is not UTF-8 text")
        row = raw[:exc.start].count(b"\n") + 1
        problems.append(Problem(name, what, t(SAVE_UTF8), row=row,
                                value=raw[max(0, exc.start - 20):exc.start + 20].decode("cp1251", "replace")))
        return None
    if not text.strip():
        problems.append(Problem(name, t("the file is empty"), t("upload the plants table with its header row")))
        return None
    header = text.splitlines()[0]
    for sep, label in ((";", t("semicolons (;)")), ("\t", t("tabs"))):
        if "," not in header and sep in header:
            problems.append(Problem(name, t("the columns are separated by {sep}, not commas", sep=label),
                                    t(SAVE_UTF8), row=1, value=header[:80]))
            return None
    return parse_csv(text, name, PLANT_COLUMNS, problems)  # no more records than the lines counted above


def _too_many(name: str, rows: int) -> Problem:
    return Problem(name, t("the file has {n} rows; at most {limit} can be uploaded", n=f"{rows:,}",
                           limit=f"{MAX_ROWS:,}"), t("split the table, or upload only the rows that changed"))


def _rows_ok(frame: pd.DataFrame | None, name: str, problems: list[Problem]) -> pd.DataFrame | None:
    if frame is not None and len(frame) > MAX_ROWS:
        problems.append(_too_many(name, len(frame)))
        return None
    return frame


# --------------------------------------------------------------------------- XLSX


def _read_xlsx(raw: bytes, name: str, problems: list[Problem]) -> pd.DataFrame | None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    fix = t("save it from Excel as 'Excel Workbook (.xlsx)', or upload it as CSV")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        problems.append(Problem(name, t("the file is a damaged zip archive, not a readable Excel workbook"), fix))
        return None
    unpacked = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if unpacked > MAX_UNZIPPED or ratio > MAX_RATIO:  # read from the zip directory: nothing unpacked yet
        problems.append(Problem(name, t("the workbook would unpack to {mb} MB (compressed up to {ratio}:1): "
                                        "it looks like a zip bomb, not a table", mb=f"{unpacked / 1024 / 1024:,.0f}",
                                        ratio=f"{ratio:,.0f}"),
                                t("upload the plants table saved from Excel or as CSV")))
        return None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        problems.append(Problem(name, t("the file is a zip archive, not an Excel workbook"), fix))
        return None
    for member in names:  # rows counted in the XML, before openpyxl builds a cell object for each
        if member.startswith("xl/worksheets/") and member.endswith(".xml"):
            rows = archive.read(member).count(b"<row ") - 1
            if rows > MAX_ROWS:
                problems.append(_too_many(name, rows))
                return None
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
    except Exception as exc:  # openpyxl raises many types for a malformed workbook
        problems.append(Problem(name, t("the workbook cannot be opened ({error})", error=type(exc).__name__), fix))
        return None
    sheets = book.sheetnames
    chosen = [s for s in sheets if s.strip().lower() == PLANTS_SHEET] or (sheets if len(sheets) == 1 else [])
    if not chosen:
        problems.append(Problem(name, t("the workbook has {n} sheets ({names}) and none is named '{plants}'",
                                        n=len(sheets), names=", ".join(sheets), plants=PLANTS_SHEET),
                                t("keep only the plants sheet, or name it '{plants}'", plants=PLANTS_SHEET)))
        return None
    sheet = book[chosen[0]]
    merged = sorted(str(r) for r in sheet.merged_cells.ranges)
    for cells in merged[:MAX_LISTED]:
        problems.append(Problem(name, t("merged cells"), t("unmerge the cells and write the value in each row"),
                                value=cells))
    if merged:
        return None
    grid = [list(r) for r in sheet.iter_rows()]
    header = [str(c.value).strip() if c.value is not None else "" for c in grid[0]] if grid else []
    formulas = [(i, j, c.value) for i, r in enumerate(grid, start=1) for j, c in enumerate(r) if c.data_type == "f"]
    for i, j, value in formulas[:MAX_LISTED]:
        problems.append(Problem(name, t("the cell holds a formula ({n} in the sheet); formulas are not read",
                                        n=len(formulas)),
                                t("copy the sheet and paste values only (Paste Special → Values)"), row=i,
                                column=header[j] if j < len(header) and header[j] else get_column_letter(j + 1),
                                value=str(value)))
    if formulas:
        return None
    buf = io.StringIO()
    csv.writer(buf).writerows([_text(c.value) for c in r] for r in grid if any(c.value is not None for c in r))
    return _rows_ok(parse_csv(buf.getvalue(), name, PLANT_COLUMNS, problems), name, problems)


def _text(value) -> str:
    """A cell as the text a CSV would hold: 58.5, 200 (not 200.0), 2026-01-22."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- what the tab offers


def _markup_notes(frame: pd.DataFrame, name: str) -> list[Problem]:
    notes = []
    for col in frame.columns:
        hits = cast(pd.Series, frame[col]).astype(str).str.contains(MARKUP_RE)
        for idx in frame.index[hits][:MAX_LISTED]:
            notes.append(Problem(name, t("the text looks like HTML or script; it is kept and shown as plain "
                                         "text, never run"), t("remove the markup if it was not meant"),
                                 row=int(idx) + 2, column=str(col),
                                 value=str(frame.at[idx, col])[:200]))
    return notes


def template_xlsx(example: dict[str, str]) -> bytes:
    """Sheet 'plants': the columns and one example row (numbers as numbers); sheet 'columns': what each
    column holds, in the current language. Uploaded back unchanged, it passes every check."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = PLANTS_SHEET
    sheet.append(PLANT_COLUMNS)
    row = []
    for col in PLANT_COLUMNS:
        value = example.get(col, "")
        if value and col in FLOAT_COLUMNS + INT_COLUMNS:
            row.append(float(value) if col in FLOAT_COLUMNS else int(value))
        else:
            row.append(neutralise(value))
    sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    about = book.create_sheet("columns")
    about.append([t("Column"), t("Required"), t("What to write")])
    for col in PLANT_COLUMNS:
        about.append([col, t("yes") if col in REQUIRED_TEXT + ["lat", "lon", "sources"] else "", t(COLUMN_DOCS[col])])
    for cell in about[1]:
        cell.font = Font(bold=True)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["C"].width = 100
    for cells in about.iter_rows(min_row=2, min_col=3, max_col=3):
        cells[0].alignment = Alignment(wrap_text=True)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
