"""Load and validate the data folder. Never imports streamlit.

Every problem becomes a :class:`~core.problems.Problem` naming the file, row, column, value
and fix; nothing here raises on bad input. Rows with problems are left out of
``Dataset.plants`` and counted in ``Dataset.rows_rejected`` so the page can say so.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import cast

import pandas as pd
import pandera.pandas as pa
import shapely
from geopy.distance import geodesic
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from core import context, distances
from core.context import STATUSES
from core.domain import SCOPE, SCOPES
from core.files import DATA_DIR_ENV, URL_RE, listed_ids, read_csv, read_text
from core.i18n import current
from core.problems import Problem

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"

PLANTS = "plants.csv"
REGIONS = "regions.geojson"
PROVENANCE = "provenance.csv"
PROGRAMME = "programme.csv"
FACTS = "programme_facts.csv"
AREAS = "therapeutic_areas.csv"
FX = "fx_rates.csv"

PLANT_COLUMNS = [
    "plant_id", "name", "company", "legal_name", "region", "site", "lat", "lon",
    "location_precision", "location_note", "investment_kzt_bn", "medicines_count",
    "socially_significant_count", "jobs", "jobs_qualifier", "therapeutic_areas",
    "product_focus", "partners", "partner_countries", "status", "approved_on", "sources",
    "scope", "related_plant_ids", "investment_qualifier", "site_precision", "point_basis", "point_source",
    "location_source", "approved_by", "operating_since", "employees", "employees_qualifier", "capacity",
    "context_note",
]
REQUIRED_TEXT = ["plant_id", "name", "company", "region", "location_precision", "scope", "site_precision",
                 "point_basis", "status"]
FLOAT_COLUMNS = ["lat", "lon", "investment_kzt_bn"]
INT_COLUMNS = ["medicines_count", "socially_significant_count", "jobs", "employees"]
FIGURE_FIELDS = [
    "investment_kzt_bn", "medicines_count", "socially_significant_count", "jobs",
    "therapeutic_areas", "partners", "employees", "capacity", "operating_since",
]
PRECISIONS = ["site", "zone", "district", "city", "region"]
QUALIFIERS = ["exact", "about", "at_least", "more_than", "at_most"]
# not_applicable: a figure that does not exist for the row (an existing plant has no programme investment)
BASES = ["reported", "derived", "not_disclosed", "not_applicable"]
AREA_CODES = [
    "oncology", "diabetes", "immunobiological", "antiviral", "anti_anaemic",
    "analgesic", "anti_inflammatory", "cold", "antimicrobial",
    "autoimmune", "rare_diseases", "inflammatory", "cardiovascular", "infectious", "tuberculosis",
]
# which rows a scope shows: the four approved on 22 Jan 2026, the six agreements, and the companies'
# existing plants as context (never summed into a programme figure)
ROW_SCOPES = ["approved_2026_01_22", "agreement", "existing"]
# what the drawn point is; anything but the site itself is drawn and labelled as approximate
POINT_BASES = ["site", "city_centroid", "region_admin_centre", "unit_centroid"]

# Kazakhstan's extent with a small margin; a point outside cannot be a Kazakh plant.
KZ_LAT = (40.5, 55.5)
KZ_LON = (46.4, 87.4)
MAX = {"investment_kzt_bn": 10_000.0, "medicines_count": 5_000, "socially_significant_count": 5_000,
       "jobs": 100_000}
# Simplified borders move by up to ~1 km; allow that much before calling a point misplaced.
REGION_TOLERANCE_KM = 2.0
SLUG_RE = r"^[a-z0-9][a-z0-9-]*$"


@dataclass
class Dataset:
    """Everything the app shows, already validated."""

    data_dir: Path
    plants: pd.DataFrame
    regions: dict | None
    provenance: pd.DataFrame
    programme: pd.DataFrame
    facts: dict[str, str]
    areas: pd.DataFrame
    fx: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_total: int = 0
    rows_rejected: int = 0
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    partners: pd.DataFrame = field(default_factory=pd.DataFrame)
    market: pd.DataFrame = field(default_factory=pd.DataFrame)
    countries: dict | None = None
    region_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # English name -> {lang: name}
    places: list[distances.Place] = field(default_factory=list)  # the gazetteer (places.csv; optional)

    @cached_property
    def geo(self) -> distances.Geo:
        """Places and region shapes for the detail card's distances (built once per data version)."""
        return distances.Geo(self.places, region_shapes(self.regions))

    def region_name(self, name: str) -> str:
        """A region's name in the current language (from regions.geojson), else as given."""
        return self.region_labels.get(name, {}).get(current(), name)

    @property
    def host_regions(self) -> list[str]:
        """The regions that have a plant: highlighted and labelled on the map."""
        return sorted(self.plants["region"].dropna().unique())

    def area_labels(self, scope: str) -> dict[str, str]:
        """Area code -> label for a scope: the four's programme named nine areas; the agreements added
        others (therapeutic_areas.csv ``origin``)."""
        areas = self.areas
        if scope == SCOPES[0].code and "origin" in areas:
            areas = areas[areas["origin"] != "agreement"]
        return dict(zip(areas["code"], areas["label"], strict=True))

    def scope_plants(self, scope: str) -> pd.DataFrame:
        """The rows a scope (core.domain.SCOPES code) covers."""
        rows = SCOPE.get(scope, SCOPES[0]).rows
        return cast(pd.DataFrame, self.plants[self.plants["scope"].isin(rows)])

    @property
    def as_of(self) -> date:
        """The latest day the data knows (programme_facts.csv data_as_of, else the latest event)."""
        stated = self.facts.get("data_as_of", "")
        try:
            return date.fromisoformat(stated)
        except ValueError:
            return max(self.events["day"]) if len(self.events) else date.today()

def data_dir_from_env(env: Mapping[str, str] | None = None) -> Path:
    values = os.environ if env is None else env
    value = values.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else DEFAULT_DATA_DIR


def file_signature(data_dir: Path) -> tuple:
    """Modification times and sizes of the data files: a cache key that changes with them."""
    sig = []
    for name in (PLANTS, REGIONS, PROVENANCE, PROGRAMME, FACTS, AREAS, FX, *context.FILES):
        p = Path(data_dir) / name
        try:
            st = p.stat()
            sig.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            sig.append((name, None, None))
    return tuple(sig)


# --------------------------------------------------------------------------- reading


# --------------------------------------------------------------------------- regions


def load_regions(path: Path, problems: list[Problem]) -> dict | None:
    """Load the region boundaries; each feature needs a ``name`` and a valid polygon."""
    text = read_text(path, problems)
    if text is None:
        return None
    name = path.name
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, f"the file is not valid JSON ({exc.msg} at line {exc.lineno}, "
                                f"column {exc.colno})", "rebuild it with scripts/build_regions.py",
                                row=exc.lineno, fatal=True))
        return None
    except RecursionError:
        problems.append(Problem(name, "the file is not valid JSON (nested too deeply)",
                                "rebuild it with scripts/build_regions.py", fatal=True))
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list) or not data["features"]:
        problems.append(Problem(name, "the file is not a GeoJSON FeatureCollection with features",
                                "rebuild it with scripts/build_regions.py", fatal=True))
        return None
    good = []
    for i, feat in enumerate(data["features"], start=1):
        props = context.properties(feat)
        label = props.get("name")
        where = f"feature {i}" + (f" ({label})" if label else "")
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(name, f"{where} has no 'name' property", "give every feature a name",
                                    column="properties.name"))
            continue
        try:
            geom = shape(feat["geometry"])
        except Exception as exc:  # shapely raises several types for malformed geometry
            problems.append(Problem(name, f"{where} has a malformed geometry ({exc})",
                                    "rebuild the file with scripts/build_regions.py", column="geometry"))
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
            problems.append(Problem(name, f"{where} is not a valid polygon "
                                    f"({shapely.is_valid_reason(geom)})",
                                    "rebuild the file with scripts/build_regions.py", column="geometry"))
            continue
        good.append(feat)
    if not good:
        problems.append(Problem(name, "no feature of the file can be used", "rebuild it with scripts/build_regions.py",
                                fatal=True))
        return None
    return {**data, "features": good}


def localised_region_names(regions: dict | None) -> dict[str, dict[str, str]]:
    """English name -> {"en": ..., "ru": ..., "kk": ...} from the name_<lang> properties."""
    out = {}
    for f in (regions or {}).get("features", []):
        p = f["properties"]
        out[p["name"]] = {lang: p.get(f"name_{lang}") or p["name"] for lang in ("en", "ru", "kk")}
    return out


def km_outside(geom, lat: float, lon: float) -> float:
    """How far (geodesic km) the point lies outside ``geom``; 0 inside. Points within
    REGION_TOLERANCE_KM count as inside the region (simplified borders): the plants check and the
    geocoder (core/geocode.py) both use this."""
    if shapely.intersects_xy(geom, lon, lat):
        return 0.0
    near = nearest_points(geom, Point(lon, lat))[0]
    return float(geodesic((lat, lon), (near.y, near.x)).km)


def region_shapes(regions: dict | None) -> dict[str, object]:
    if not regions:
        return {}
    return {f["properties"]["name"]: shape(f["geometry"]) for f in regions["features"]}


# --------------------------------------------------------------------------- plants


def _plant_schema(region_names: list[str] | None) -> pa.DataFrameSchema:
    """Column rules. The ``error`` texts are what the user reads after 'expected'."""

    def text(*checks, nullable=False, unique=False):
        return pa.Column(str, list(checks), nullable=nullable, unique=unique)

    def number(dtype, lo, hi, what):
        return pa.Column(dtype, pa.Check.in_range(lo, hi, error=what), nullable=True)

    return pa.DataFrameSchema(
        {
            "plant_id": text(pa.Check.str_matches(SLUG_RE, error="a slug: lower-case letters, digits "
                                                  "and hyphens, e.g. 'nobel-aff'"), unique=True),
            "name": text(pa.Check.str_length(1, 200, error="a name of 1 to 200 characters")),
            "company": text(pa.Check.str_length(1, 200, error="a company name of 1 to 200 characters")),
            "region": text(pa.Check.isin(region_names, error="a region name exactly as in "
                                         f"regions.geojson: {', '.join(sorted(region_names))}"))
            if region_names is not None else text(),
            "location_precision": text(pa.Check.isin(PRECISIONS, error=f"one of {', '.join(PRECISIONS)}")),
            "jobs_qualifier": text(pa.Check.isin(QUALIFIERS, error=f"one of {', '.join(QUALIFIERS)}"),
                                   nullable=True),
            "investment_qualifier": text(pa.Check.isin(QUALIFIERS, error=f"one of {', '.join(QUALIFIERS)}"),
                                         nullable=True),
            "employees_qualifier": text(pa.Check.isin(QUALIFIERS, error=f"one of {', '.join(QUALIFIERS)}"),
                                        nullable=True),
            "scope": text(pa.Check.isin(ROW_SCOPES, error=f"one of {', '.join(ROW_SCOPES)}")),
            "site_precision": text(pa.Check.isin(PRECISIONS, error=f"one of {', '.join(PRECISIONS)}")),
            "point_basis": text(pa.Check.isin(POINT_BASES, error=f"one of {', '.join(POINT_BASES)}")),
            "status": text(pa.Check.isin(list(STATUSES), error=f"one of {', '.join(STATUSES)}")),
            "lat": pa.Column(float, pa.Check.in_range(*KZ_LAT, error=f"a latitude inside Kazakhstan "
                                                      f"({KZ_LAT[0]} to {KZ_LAT[1]})")),
            "lon": pa.Column(float, pa.Check.in_range(*KZ_LON, error=f"a longitude inside Kazakhstan "
                                                      f"({KZ_LON[0]} to {KZ_LON[1]})")),
            "investment_kzt_bn": number(float, 0, MAX["investment_kzt_bn"],
                                        f"billions of tenge between 0 and {MAX['investment_kzt_bn']:,.0f} "
                                        "(write 58.5, not 58 500 000 000), or empty if not disclosed"),
            "medicines_count": number("Int64", 0, MAX["medicines_count"],
                                      f"a count between 0 and {MAX['medicines_count']:,}, or empty"),
            "socially_significant_count": number("Int64", 0, MAX["socially_significant_count"],
                                                 "a count between 0 and the plant's medicines_count, or empty"),
            "jobs": number("Int64", 0, MAX["jobs"], f"a count between 0 and {MAX['jobs']:,}, or empty"),
            "employees": number("Int64", 0, MAX["jobs"], f"a count between 0 and {MAX['jobs']:,}, or empty"),
        },
        strict=False,
    )


_TYPE_EXPECT = {
    "lat": "a decimal latitude such as 43.2775",
    "lon": "a decimal longitude such as 76.8958",
    "investment_kzt_bn": "a number of billions of tenge such as 58.5 (decimal point, no units), "
                         "or empty if not disclosed",
    "medicines_count": "a whole number such as 54, or empty if not disclosed",
    "socially_significant_count": "a whole number such as 35, or empty if not disclosed",
    "jobs": "a whole number such as 200 (put 'about'/'at least' in jobs_qualifier), or empty",
    "employees": "a whole number such as 300 (put 'about'/'at least' in employees_qualifier), or empty",
}


def _typed(df: pd.DataFrame, problems: list[Problem], bad_rows: set[int]) -> pd.DataFrame:
    """Convert text cells to numbers and dates, recording each cell that does not convert."""
    out = df.copy()
    for col in FLOAT_COLUMNS + INT_COLUMNS:
        raw = cast(pd.Series, df[col]).replace("", None)
        num = cast(pd.Series, pd.to_numeric(raw, errors="coerce"))  # a Series in, a Series out
        num = num.where(num.abs() < 1e15)  # inf, nan, 1e309 and 20-digit counts are no figure (nor fit Int64)
        if col in INT_COLUMNS:
            ok = num.isna() | (num == num.round())
            num = num.where(ok)
        failed = raw.notna() & num.isna()
        for idx in df.index[failed]:
            problems.append(Problem(PLANTS, "the value is not of the right type", f"write {_TYPE_EXPECT[col]}",
                                    row=idx + 2, column=col, value=df.at[idx, col]))
            bad_rows.add(idx)
        out[col] = num.astype("Int64") if col in INT_COLUMNS else num.astype(float)
    for col in ("lat", "lon"):
        for idx in df.index[cast(pd.Series, df[col]) == ""]:
            problems.append(Problem(PLANTS, "the coordinate is empty",
                                    f"write {_TYPE_EXPECT[col]}; use the city or region centre with "
                                    "location_precision 'city' or 'region' if the site is unknown",
                                    row=idx + 2, column=col, value=""))
            bad_rows.add(idx)
    dates = pd.to_datetime(cast(pd.Series, df["approved_on"]).replace("", None), format="%Y-%m-%d", errors="coerce")
    needs_date = cast(pd.Series, df["scope"]) != "existing"  # an existing plant was never approved in the programme
    for idx in df.index[dates.isna() & (needs_date | (cast(pd.Series, df["approved_on"]) != ""))]:
        problems.append(Problem(PLANTS, "the date is missing or not an ISO date",
                                "write the date as YYYY-MM-DD, e.g. 2026-01-22",
                                row=idx + 2, column="approved_on", value=df.at[idx, "approved_on"]))
        bad_rows.add(idx)
    out["approved_on"] = dates.dt.date
    for col in ("jobs_qualifier", "legal_name", "site", "location_note", "therapeutic_areas",
                "product_focus", "partners", "partner_countries", "sources", "related_plant_ids",
                "investment_qualifier", "point_source", "location_source", "approved_by", "operating_since",
                "employees_qualifier", "capacity", "context_note"):
        out[col] = df[col].replace("", None)
    return out


def _schema_problems(df: pd.DataFrame, region_names: list[str] | None, problems: list[Problem],
                     bad_rows: set[int]) -> None:
    schema = _plant_schema(region_names)
    frame = df.copy()
    for col in REQUIRED_TEXT:
        frame[col] = frame[col].replace("", None)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        for case in cases.itertuples(index=False):
            idx = case.index
            if idx is None or pd.isna(idx):
                continue
            idx = int(idx)
            col = case.column
            check = str(case.check)
            if check == "not_nullable":
                msg, fix = "a required value is empty", "fill it in"
                if col in ("lat", "lon"):
                    continue  # reported by _typed with a better fix
            elif check == "field_uniqueness":
                msg, fix = "this plant_id is used by another row too", "give every plant a unique plant_id"
            elif check.startswith("dtype("):
                continue  # type problems were reported by _typed
            else:
                msg, fix = "the value is not allowed", f"write {check}"
            value = df.at[idx, col] if col in df.columns else None
            problems.append(Problem(PLANTS, msg, fix, row=idx + 2, column=col,
                                    value=None if value is None or pd.isna(value) else str(value)))
            bad_rows.add(idx)


def _report(problems: list[Problem], file: str, df: pd.DataFrame, mask, message: str | Callable[[pd.Series], str],
            fix: str, column: str) -> pd.Index:
    """One Problem per row where ``mask`` holds (``message`` may be a function of the row);
    returns the rows reported."""
    rows = df.index[pd.Series(mask, index=df.index).fillna(False).astype(bool)]
    for idx in rows:
        row = df.loc[idx]
        value = row[column] if column in df.columns else None
        problems.append(Problem(file, message(row) if callable(message) else message, fix, row=idx + 2,
                                column=column, value=None if value is None or pd.isna(value) else str(value)))
    return rows


def _split_cells(series: pd.Series) -> pd.Series:
    """';'-separated cells -> one stripped, non-empty item per row (index kept)."""
    items = series.dropna().str.split(";").explode().str.strip()
    return items[items != ""]


def _row_problems(df: pd.DataFrame, shapes: dict, problems: list[Problem], bad_rows: set[int]) -> None:
    """Rules across columns and against the region boundaries (vectorised: 10,000 rows in well under 1 s)."""
    med, ss = df["medicines_count"], df["socially_significant_count"]
    bad_rows.update(_report(
        problems, PLANTS, df, med.notna() & ss.notna() & (ss > med),
        lambda r: f"socially significant medicines ({r['socially_significant_count']}) exceed all medicines "
                  f"({r['medicines_count']})", "check both counts against the source", "socially_significant_count"))
    for fld in ("jobs", "investment", "employees"):
        value = df["investment_kzt_bn" if fld == "investment" else fld]
        bad_rows.update(_report(problems, PLANTS, df, value.notna() & df[f"{fld}_qualifier"].isna(),
                                f"{fld} has a value but no qualifier",
                                f"write one of {', '.join(QUALIFIERS)} (as the source words it)", f"{fld}_qualifier"))
    known_ids = set(df.attrs.get("listed_ids", df["plant_id"]))
    related = _split_cells(cast(pd.Series, df["related_plant_ids"]))
    for label, pid in cast(pd.Series, related[~related.isin(known_ids)]).items():
        idx = cast(int, label)
        problems.append(Problem(PLANTS, f"'{pid}' is not a plant_id in this file",
                                "list plant_ids of other rows, separated by ';'", row=idx + 2,
                                column="related_plant_ids", value=df.at[idx, "related_plant_ids"]))
        bad_rows.add(idx)
    codes = _split_cells(cast(pd.Series, df["therapeutic_areas"]))
    for label, code in cast(pd.Series, codes[~codes.isin(AREA_CODES)]).items():
        idx = cast(int, label)  # the rows' labels: the RangeIndex read_csv gives
        problems.append(Problem(PLANTS, f"unknown therapeutic area code '{code}'",
                                f"use ';'-separated codes from: {', '.join(AREA_CODES)}", row=idx + 2,
                                column="therapeutic_areas", value=df.at[idx, "therapeutic_areas"]))
        bad_rows.add(idx)
    urls = _split_cells(cast(pd.Series, df["sources"]))
    for label, url in cast(pd.Series, urls[~urls.str.match(URL_RE)]).items():
        idx = cast(int, label)
        problems.append(Problem(PLANTS, f"'{url}' is not a web address", "list full http(s) URLs separated by ';'",
                                row=idx + 2, column="sources", value=df.at[idx, "sources"]))
        bad_rows.add(idx)
    bad_rows.update(_report(problems, PLANTS, df, ~df.index.isin(urls.index), "no source is given",
                            "list the URL(s) the figures come from", "sources"))
    checkable = df["region"].isin(list(shapes)) & df["lat"].notna() & df["lon"].notna() & ~df.index.isin(bad_rows)
    for region, rows in cast(pd.DataFrame, df[checkable]).groupby("region"):
        geom = shapes[region]
        lons, lats = rows["lon"].to_numpy(), rows["lat"].to_numpy()
        outside = ~shapely.intersects_xy(geom, lons, lats)
        # plain Python ints and floats, as iterrows gave them
        for idx, lat, lon in zip(rows.index[outside].tolist(), lats[outside].tolist(), lons[outside].tolist(),
                                 strict=True):
            km = km_outside(geom, lat, lon)
            if km > REGION_TOLERANCE_KM:
                problems.append(Problem(
                    PLANTS, f"the point ({lat}, {lon}) lies {km:.0f} km outside "
                    f"{region}, the region this row names",
                    "check that lat and lon are not swapped and that the region is right", row=idx + 2,
                    column="lat/lon", value=f"{lat}, {lon}"))
                bad_rows.add(idx)


def empty_plants() -> pd.DataFrame:
    """A plants frame with no rows but the right dtypes, so every consumer works unchanged."""
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in PLANT_COLUMNS + ["areas"]})
    for c in FLOAT_COLUMNS:
        df[c] = df[c].astype(float)
    for c in INT_COLUMNS:
        df[c] = df[c].astype("Int64")
    return df


def load_plants(path: Path, region_names: list[str] | None, shapes: dict,
                problems: list[Problem]) -> tuple[pd.DataFrame, int, int]:
    """Return the valid plants, the number of data rows and the number rejected."""
    df = read_csv(path, PLANT_COLUMNS, problems)
    if df is None:
        return empty_plants(), 0, 0
    return validate_plants(df, region_names, shapes, problems)


def validate_plants(df: pd.DataFrame, region_names: list[str] | None, shapes: dict,
                    problems: list[Problem]) -> tuple[pd.DataFrame, int, int]:
    """The plants rules on a frame of text cells with the header checked (read_csv's output; also an
    upload's, core/upload.py): the valid plants, the number of rows and the number rejected."""
    bad: set[int] = set()
    # ids other rows and tables may name: every row, valid or not, and the rows that could not be read
    listed = listed_ids(df, "plant_id")
    typed = _typed(df, problems, bad)
    typed.attrs["listed_ids"] = listed
    _schema_problems(typed, region_names, problems, bad)
    _row_problems(typed, shapes, problems, bad)
    good = typed.drop(index=sorted(bad)).reset_index(drop=True)
    good.attrs["listed_ids"] = listed
    good["areas"] = good["therapeutic_areas"].map(
        lambda s: tuple(c.strip() for c in s.split(";") if c.strip()) if isinstance(s, str) else ())
    return good, len(df), len(bad)


# --------------------------------------------------------------------------- provenance and reference


def load_provenance(path: Path, plants: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """One row per plant and figure: reported (with source), derived (with method) or not disclosed.

    Checked against plants.csv: a not-disclosed figure must be empty there, a reported or
    derived one must have a value. Vectorised: 60,000 rows load in well under a second.
    """
    cols = ["plant_id", "field", "basis", "source", "method"]
    df = read_csv(path, cols, problems)
    if df is None:
        return pd.DataFrame(columns=cols)
    name = path.name
    bad = pd.Series(False, index=df.index)

    def report(mask, message, fix, column):  # one problem per row: rows already bad are skipped
        mask = pd.Series(mask, index=df.index).fillna(False).astype(bool) & ~bad
        bad[_report(problems, name, df, mask, message, fix, column)] = True

    report(~df["field"].isin(FIGURE_FIELDS), "unknown field", f"use one of {', '.join(FIGURE_FIELDS)}", "field")
    report(~df["basis"].isin(BASES), "unknown basis", f"use one of {', '.join(BASES)}", "basis")
    urls_ok = df["source"].map(lambda s: bool(fmt_urls := [u.strip() for u in s.split(";") if u.strip()])
                               and all(URL_RE.match(u) for u in fmt_urls))
    report((df["basis"] == "reported") & ~urls_ok, "a reported figure needs its source URL(s)",
           "list http(s) URLs separated by ';'", "source")
    report((df["basis"] == "derived") & (df["method"] == ""), "a derived figure needs its method",
           "say how it was worked out", "method")
    present = plants.set_index("plant_id")[FIGURE_FIELDS]
    has = present.notna() & (present.astype(str) != "")
    has_long = has.stack()
    key = pd.MultiIndex.from_arrays([df["plant_id"], df["field"]])
    has_value = pd.Series(has_long.reindex(key).to_numpy(), index=df.index)
    known = has_value.notna()
    report(known & (df["basis"] == "not_disclosed") & (has_value == True),  # noqa: E712 (NA-aware)
           lambda r: f"marked not disclosed, but plants.csv gives a value for {r['field']}",
           "empty the value in plants.csv, or give its basis and source", "basis")
    report(known & df["basis"].isin(["reported", "derived"]) & (has_value == False),  # noqa: E712
           lambda r: f"marked {r['basis']}, but plants.csv has no {r['field']} for {r['plant_id']}",
           "fill the value in plants.csv, or mark it not_disclosed", "basis")
    report(df.duplicated(["plant_id", "field"], keep="first"),
           lambda r: f"{r['plant_id']} / {r['field']} is listed twice", "keep one row per plant and field", "field")
    listed = set(zip(df["plant_id"], df["field"], strict=True))
    for pid in plants["plant_id"]:
        for fld in FIGURE_FIELDS:
            if (pid, fld) not in listed:
                problems.append(Problem(name, f"no provenance row for {pid} / {fld}",
                                        "add a row saying whether it is reported, derived or not_disclosed",
                                        column="field", value=fld))
    return cast(pd.DataFrame, df[~bad]).reset_index(drop=True)


def attach_basis(plants: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    """Add ``basis_<field>`` columns (reported / derived / not_disclosed / unsourced) to the plants."""
    pivot = provenance.pivot_table(index="plant_id", columns="field", values="basis", aggfunc="first")
    out = plants.copy()
    ids = cast(pd.Series, out["plant_id"])
    for fld in FIGURE_FIELDS:
        col = cast(pd.Series, pivot[fld]) if fld in pivot.columns else pd.Series(dtype=object)
        out[f"basis_{fld}"] = ids.map(col).fillna("unsourced").astype(object)
    return out


PROGRAMME_SCOPES = ["approved_2026_01_22", "six_agreements"]


def load_programme(path: Path, problems: list[Problem]) -> pd.DataFrame:
    """The government's stated totals, one row per scope (the four, the six agreements) and metric."""
    cols = ["metric", "value", "qualifier", "basis", "source", "note", "scope"]
    df = read_csv(path, cols, problems)
    if df is None:
        return pd.DataFrame(columns=cols)
    ok = pd.Series(True, index=df.index)
    values = cast(pd.Series, pd.to_numeric(df["value"], errors="coerce"))
    for idx in df.index:
        if pd.isna(values.at[idx]) or values.at[idx] < 0:
            problems.append(Problem(path.name, "the value is not a non-negative number", "write a number",
                                    row=idx + 2, column="value", value=df.at[idx, "value"]))
            ok[idx] = False
        if df.at[idx, "qualifier"] not in QUALIFIERS:
            problems.append(Problem(path.name, "unknown qualifier", f"use one of {', '.join(QUALIFIERS)}",
                                    row=idx + 2, column="qualifier", value=df.at[idx, "qualifier"]))
            ok[idx] = False
        if df.at[idx, "scope"] not in PROGRAMME_SCOPES:
            problems.append(Problem(path.name, "unknown scope", f"use one of {', '.join(PROGRAMME_SCOPES)}",
                                    row=idx + 2, column="scope", value=df.at[idx, "scope"]))
            ok[idx] = False
    return cast(pd.DataFrame, df.assign(value=values)[ok]).reset_index(drop=True)


def load_facts(path: Path, problems: list[Problem]) -> dict[str, str]:
    df = read_csv(path, ["key", "value", "source"], problems)
    return {} if df is None else dict(zip(df["key"], df["value"], strict=True))


def load_areas(path: Path, problems: list[Problem]) -> pd.DataFrame:
    cols = ["code", "label", "source"]
    df = read_csv(path, cols, problems)
    if df is None:
        # the codes are fixed; fall back to them so filters still work
        return pd.DataFrame({"code": AREA_CODES, "label": [c.replace("_", "-").capitalize() for c in AREA_CODES],
                             "source": ""})
    known = cast(pd.Series, df["code"]).isin(AREA_CODES)
    for idx in df.index[~known]:
        problems.append(Problem(path.name, "unknown therapeutic area code", f"use one of {', '.join(AREA_CODES)}",
                                row=idx + 2, column="code", value=df.at[idx, "code"]))
    return cast(pd.DataFrame, df[known]).reset_index(drop=True)


def load_fx(path: Path, problems: list[Problem]) -> pd.DataFrame:
    """Dated rates; per currency, the row whose ``use`` is ``default`` converts, the others are listed."""
    cols = ["currency", "kzt_per_unit", "rate_date", "rate_type", "source", "note", "basis", "use"]
    df = read_csv(path, cols, problems)
    if df is None:
        return pd.DataFrame(columns=cols)
    rate = cast(pd.Series, pd.to_numeric(df["kzt_per_unit"], errors="coerce"))
    ok = rate.notna() & (rate > 0)
    for idx in df.index[~ok]:
        problems.append(Problem(path.name, "the rate is not a positive number", "write tenge per unit, e.g. 503.35",
                                row=idx + 2, column="kzt_per_unit", value=df.at[idx, "kzt_per_unit"]))
    return cast(pd.DataFrame, df.assign(kzt_per_unit=rate)[ok]).reset_index(drop=True)


def load_context(data_dir: Path, plants: pd.DataFrame, problems: list[Problem]) -> dict:
    """The wider picture (core/context.py): events, partners, market, country outlines."""
    # ids another table may name: every row of plants.csv, valid or not; None if it could not be read
    ids = plants.attrs.get("listed_ids")
    countries = context.load_countries(data_dir / context.COUNTRIES, problems)
    partners = context.load_partners(data_dir / context.PARTNERS, ids, context.country_ids(countries), problems)
    partner_ids = partners.attrs.get("listed_ids", partners["partner_id"].tolist())
    return {"events": context.load_events(data_dir / context.EVENTS, ids, partner_ids, problems),
            "partners": partners, "market": context.load_market(data_dir / context.MARKET, problems),
            "countries": countries}


def without_attrs(ds: Dataset) -> Dataset:
    """The dataset's tables without the ids the loaders pass along in ``attrs`` (``listed_ids``, ``unread``):
    pandas deep-copies ``attrs`` into the result of every operation, so a list of 10,000 ids in them made
    each filter, KPI and chart step of a rerun copy it (a rerun at 10,000 plants: about half its time)."""
    for value in vars(ds).values():
        if isinstance(value, pd.DataFrame):
            value.attrs.clear()
    return ds


def load_dataset(data_dir: Path) -> Dataset:
    """Load and validate every file in ``data_dir``; problems are collected, never raised."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        problems.append(Problem(str(data_dir), "the data folder does not exist",
                                f"create it, or set {DATA_DIR_ENV} to a folder holding plants.csv and regions.geojson"))
    regions = load_regions(data_dir / REGIONS, problems)
    shapes = region_shapes(regions)
    # without boundaries the plants still load, but their regions cannot be checked
    region_names = list(shapes) if regions is not None else None
    plants, total, rejected = load_plants(data_dir / PLANTS, region_names, shapes, problems)
    if regions is None and total:
        problems.append(Problem(PLANTS, "region names and coordinates were not checked against the "
                                "boundaries, because regions.geojson could not be used",
                                "fix regions.geojson"))
    provenance = load_provenance(data_dir / PROVENANCE, plants, problems)
    return without_attrs(Dataset(
        data_dir=data_dir,
        plants=attach_basis(plants, provenance),
        regions=regions,
        provenance=provenance,
        programme=load_programme(data_dir / PROGRAMME, problems),
        facts=load_facts(data_dir / FACTS, problems),
        areas=load_areas(data_dir / AREAS, problems),
        fx=load_fx(data_dir / FX, problems),
        problems=problems,
        rows_total=total,
        rows_rejected=rejected,
        region_labels=localised_region_names(regions),
        places=load_places(data_dir, region_names, problems),
        **load_context(data_dir, plants, problems),
    ))


def load_places(data_dir: Path, region_names: list[str] | None, problems: list[Problem]) -> list[distances.Place]:
    """The gazetteer (core/geocode.py), if the folder has one: it only adds distances to the detail card."""
    from core.geocode import PLACES  # here: core.geocode uses this module's region check
    from core.geocode import load_places as load

    path = data_dir / PLACES
    return load(path, problems, region_names) if path.exists() else []


class LastGood:
    """Per data folder, the last dataset whose files could all be used (no ``fatal`` problem).

    When the files are replaced by unusable ones (not UTF-8, not CSV, a header without its columns,
    a file cut short while it is being written), an open page keeps showing that dataset with a
    warning naming the problem, and its filters keep their options; once the files are fixed, the
    next load is used. A folder that was never good is shown as it is, with its problems."""

    def __init__(self) -> None:
        self._good: dict[str, tuple[tuple, Dataset]] = {}
        self._lock = threading.Lock()  # one holder serves every session of the server

    def pick(self, ds: Dataset, signature: tuple) -> tuple[Dataset, tuple, list[Problem]]:
        """The dataset to show, its file signature and, when an older one stands in for ``ds``, the
        problems that made ``ds`` unusable (else [])."""
        fatal = [p for p in ds.problems if p.fatal]
        key = str(ds.data_dir)
        with self._lock:
            if not fatal:
                self._good[key] = (signature, ds)
                return ds, signature, []
            held = self._good.get(key)
        if held is None:
            return ds, signature, []
        return held[1], held[0], fatal
