"""The wider picture: dated events and statuses, partners, the market, and country outlines.

Each table is validated to the same standard as the plants: every problem names the file, the
spreadsheet row, the column, the value and the fix, all problems are reported at once, and a row
with a problem is left out (the others stay). Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

import pandas as pd
from shapely.geometry import shape

from core import fmt
from core.files import URL_RE, listed_ids, read_csv, read_text
from core.i18n import N_
from core.problems import Problem

EVENTS = "events.csv"
PARTNERS = "partners.csv"
MARKET = "market.csv"
COUNTRIES = "countries.geojson"
FILES = (EVENTS, PARTNERS, MARKET, COUNTRIES)

# the status vocabulary of project trackers, in the order a project moves through it (labels: core.fmt)
STATUSES = tuple(fmt.STATUSES)
EVENT_TYPES = ("approval", "agreement", "talks", "meeting", "programme", "milestone", "ownership", "company",
               "plan_history", "partner_context", "planned")
ROLES = {"owner": N_("owner"), "technology_partner": N_("strategic partner"), "prospective": N_("prospective"),
         "unknown": N_("unknown")}
PARTNER_STATUSES = ("active", "named", "talks", "not_disclosed")
MARKET_KINDS = ("actual", "target", "statement")
MARKET_QUALIFIERS = ("exact", "about", "at_least", "more_than", "at_most")
BASES = ("reported", "derived", "not_disclosed")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PRECISION_OF = {4: "year", 7: "month", 10: "day"}

EVENT_COLUMNS = ["event_id", "date", "plant_id", "status_after", "title", "detail", "figures_note", "source",
                 "date_precision", "date_note", "partner_ids", "event_type"]
PARTNER_COLUMNS = ["partner_id", "name", "country_code", "country", "country_numeric", "hq_city", "lat", "lon",
                   "location_precision", "role", "plant_ids", "since", "status", "note", "source", "hq_basis",
                   "hq_source", "point_source", "unknown_slot"]
MARKET_COLUMNS = ["measure_id", "measure", "definition", "value", "value_high", "unit", "qualifier", "period",
                  "date", "kind", "basis", "source", "note"]


def split(cell: str) -> list[str]:
    """A ``;``-separated cell as a list (empty cell: empty list)."""
    return [p.strip() for p in str(cell).split(";") if p.strip()]


def period_start(value: str) -> date:
    """The first day of a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` period."""
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], *(parts[1:] + [1, 1])[:2])


def _valid_date(value: str) -> bool:
    if not DATE_RE.match(value):
        return False
    try:
        period_start(value)
    except ValueError:
        return False
    return True


def _number(value: str) -> float | None:
    try:
        out = float(value)
    except ValueError:
        return None
    return out if pd.notna(out) and abs(out) != float("inf") else None


@dataclass(frozen=True)
class Rule:
    """A cell must pass ``ok(cell, row)``; otherwise the row is reported and left out."""

    column: str
    ok: Callable[[str, dict[str, str]], bool]
    message: str
    fix: str


def check_rows(df: pd.DataFrame, file: str, rules: Iterable[Rule], problems: list[Problem],
               key: str | None = None) -> pd.DataFrame:
    """Apply every rule to every row (all problems at once); ``key`` must be unique. Returns good rows."""
    # the frame's labels are spreadsheet rows minus 2 (core.files.read_csv), kept through rows left out
    records: list[tuple[int, dict[str, str]]] = [
        (cast(int, i), {str(k): str(v) for k, v in r.items()}) for i, r in zip(df.index, df.to_dict("records"),
                                                                               strict=True)]
    bad: set[int] = set()
    if key is not None:
        seen: set[str] = set()
        for i, row in records:
            if row[key] in seen:
                problems.append(Problem(file, f"'{row[key]}' is listed twice", f"keep one row per {key}",
                                        row=i + 2, column=key, value=row[key]))
                bad.add(i)
            seen.add(row[key])
    for rule in rules:
        for i, row in records:
            if not rule.ok(row[rule.column], row):
                problems.append(Problem(file, rule.message, rule.fix, row=i + 2, column=rule.column,
                                        value=row[rule.column]))
                bad.add(i)
    return df.drop(index=sorted(bad)).reset_index(drop=True)


def _urls(cell: str, required: bool = True) -> bool:
    urls = split(cell)
    return (bool(urls) or not required) and all(URL_RE.match(u) for u in urls)


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_events(path: Path, plant_ids: Iterable[str] | None, partner_ids: Iterable[str],
                problems: list[Problem]) -> pd.DataFrame:
    """Dated events (one per row); ``plant_id`` and ``partner_ids`` name rows of the other tables
    (``plant_ids`` None: plants.csv could not be read, so its ids are not checked)."""
    df = read_csv(path, EVENT_COLUMNS, problems, allow_empty=True)
    if df is None:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    plants, partners = None if plant_ids is None else set(plant_ids), set(partner_ids)
    rules = [
        Rule("event_id", lambda v, _: bool(SLUG.match(v)), "the id is empty or not a slug",
             "use lower-case letters, digits and hyphens, starting with the date"),
        Rule("date", lambda v, _: _valid_date(v), "the date is not YYYY, YYYY-MM or YYYY-MM-DD",
             "write the date in ISO form at its precision, e.g. 2026-01-22 or 2025-06"),
        Rule("date_precision", lambda v, r: PRECISION_OF.get(len(r["date"])) == v,
             "the precision does not match the date", "use day for YYYY-MM-DD, month for YYYY-MM, year for YYYY"),
        Rule("plant_id", lambda v, _: plants is None or set(split(v)) <= plants, "a plant_id is not in plants.csv",
             "use plant_ids from plants.csv, separated by ';'"),
        Rule("partner_ids", lambda v, _: set(split(v)) <= partners, "a partner_id is not in partners.csv",
             "use partner_ids from partners.csv, separated by ';'"),
        Rule("status_after", lambda v, _: v == "" or v in STATUSES, "unknown status",
             f"leave empty or use one of {', '.join(STATUSES)}"),
        Rule("status_after", lambda v, r: not (v and r["event_type"] == "planned"),
             "a planned event cannot change a status", "leave status_after empty for planned events"),
        Rule("status_after", lambda v, r: not v or bool(r["plant_id"] or r["partner_ids"]),
             "a status change names no plant or partner", "fill plant_id or partner_ids, or leave status_after empty"),
        Rule("event_type", lambda v, _: v in EVENT_TYPES, "unknown event type", f"use one of {', '.join(EVENT_TYPES)}"),
        Rule("title", lambda v, _: bool(v), "the title is empty", "give the event a short title"),
        Rule("source", lambda v, _: _urls(v), "no source, or a source that is not a web address",
             "give at least one http(s) URL; separate several with ';'"),
    ]
    good = check_rows(df, path.name, rules, problems, key="event_id")
    return good.assign(day=[period_start(d) for d in good["date"]]).sort_values(["day", "event_id"],
                                                                                 kind="stable").reset_index(drop=True)


def status_at(events: pd.DataFrame, day: date) -> dict[str, str]:
    """Each plant's (and partner's) status on ``day``: that of its latest status-setting event on or
    before it, periods compared on their first day. Not in the result: not yet in the programme."""
    out: dict[str, str] = {}
    changes = events[(events["status_after"] != "") & (events["day"] <= day)]
    for plants, partners, status in zip(changes["plant_id"], changes["partner_ids"], changes["status_after"],
                                        strict=True):
        for ident in split(plants) or split(partners):
            out[ident] = str(status)
    return out


def load_partners(path: Path, plant_ids: Iterable[str] | None, country_ids: Iterable[str] | None,
                  problems: list[Problem]) -> pd.DataFrame:
    """Partners, one row per company and role; unknown owners and partners are rows too
    (``plant_ids`` None: plants.csv could not be read, so its ids are not checked)."""
    df = read_csv(path, PARTNER_COLUMNS, problems, allow_empty=True)
    if df is None:
        return pd.DataFrame(columns=PARTNER_COLUMNS)
    plants = None if plant_ids is None else set(plant_ids)
    countries = None if country_ids is None else set(country_ids)

    def coords(_: str, r: dict[str, str]) -> bool:
        lat, lon = _number(r["lat"]), _number(r["lon"])
        if r["lat"] == "" and r["lon"] == "":
            return True
        return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180

    rules = [
        Rule("partner_id", lambda v, _: bool(SLUG.match(v)), "the id is empty or not a slug",
             "use lower-case letters, digits and hyphens"),
        Rule("role", lambda v, _: v in ROLES, "unknown role", f"use one of {', '.join(ROLES)}"),
        Rule("name", lambda v, r: bool(v) or r["role"] == "unknown", "the name is empty",
             "give the company's name, or set role to 'unknown'"),
        Rule("plant_ids", lambda v, _: plants is None or set(split(v)) <= plants, "a plant_id is not in plants.csv",
             "use plant_ids from plants.csv, separated by ';'"),
        Rule("plant_ids", lambda v, r: bool(split(v)) or r["role"] == "prospective",
             "no plant is named", "name the plants it serves, or set role to 'prospective'"),
        Rule("lat", coords, "the point is incomplete or outside the globe",
             "give both lat and lon in degrees (lat −90..90, lon −180..180), or leave both empty"),
        Rule("country_numeric", lambda v, _: v == "" or countries is None or v in countries,
             "the country is not in countries.geojson", "use the ISO 3166-1 numeric code, e.g. 156 for China"),
        Rule("status", lambda v, _: v in PARTNER_STATUSES, "unknown status",
             f"use one of {', '.join(PARTNER_STATUSES)}"),
        Rule("since", lambda v, _: v == "" or _valid_date(v), "the date is not YYYY, YYYY-MM or YYYY-MM-DD",
             "write the date in ISO form, or leave it empty"),
        Rule("hq_basis", lambda v, _: v in BASES, "unknown basis", f"use one of {', '.join(BASES)}"),
        Rule("source", lambda v, r: _urls(v, required=r["role"] != "unknown"),
             "no source, or a source that is not a web address",
             "give at least one http(s) URL; separate several with ';'"),
    ]
    good = check_rows(df, path.name, rules, problems, key="partner_id")
    out = good.assign(lat=pd.to_numeric(good["lat"]), lon=pd.to_numeric(good["lon"]))
    out.attrs["listed_ids"] = listed_ids(df, "partner_id")  # rows left out too: events may name them
    return out


def load_market(path: Path, problems: list[Problem]) -> pd.DataFrame:
    """Market measures, each with its own definition, unit, date and source: never one series."""
    df = read_csv(path, MARKET_COLUMNS, problems)
    if df is None:
        return pd.DataFrame(columns=MARKET_COLUMNS)
    rules = [
        Rule("measure_id", lambda v, _: bool(re.match(r"^[a-z0-9_]+$", v)), "the id is empty or not a code",
             "use lower-case letters, digits and underscores"),
        Rule("value", lambda v, _: _number(v) is not None, "the value is not a number",
             "write a number with a dot for decimals, e.g. 15.1"),
        Rule("value_high", lambda v, r: v == "" or ((_number(v) or 0) >= (_number(r["value"]) or 0)
                                                    and _number(v) is not None),
             "the upper value is not a number at least the value", "leave empty, or give the top of the range"),
        Rule("qualifier", lambda v, _: v in MARKET_QUALIFIERS, "unknown qualifier",
             f"use one of {', '.join(MARKET_QUALIFIERS)}"),
        Rule("kind", lambda v, _: v in MARKET_KINDS, "unknown kind", f"use one of {', '.join(MARKET_KINDS)}"),
        Rule("basis", lambda v, _: v in BASES, "unknown basis", f"use one of {', '.join(BASES)}"),
        Rule("definition", lambda v, _: bool(v), "the definition is empty",
             "say what is measured, by whom, and what is not known"),
        Rule("source", lambda v, _: _urls(v), "no source, or a source that is not a web address",
             "give at least one http(s) URL; separate several with ';'"),
    ]
    good = check_rows(df, path.name, rules, problems, key="measure_id")
    return good.assign(value=pd.to_numeric(good["value"]), value_high=pd.to_numeric(good["value_high"]))


def load_countries(path: Path, problems: list[Problem]) -> dict | None:
    """Country outlines for the partners map: a FeatureCollection of valid polygons with a name."""
    text = read_text(path, problems)
    if text is None:
        return None
    fix = "rebuild it with scripts/build_countries.py"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(path.name, f"the file is not valid JSON ({exc.msg})", fix, row=exc.lineno,
                                fatal=True))
        return None
    except RecursionError:
        problems.append(Problem(path.name, "the file is not valid JSON (nested too deeply)", fix, fatal=True))
        return None
    if not isinstance(data, dict) or not isinstance(data.get("features"), list) or not data["features"]:
        problems.append(Problem(path.name, "the file is not a GeoJSON FeatureCollection with features", fix,
                                fatal=True))
        return None
    good = []
    for i, feat in enumerate(data["features"], start=1):
        props = properties(feat)
        try:
            geom = shape(feat["geometry"])
            valid = geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid and not geom.is_empty
        except Exception:  # shapely raises several types for malformed geometry
            valid = False
        if not isinstance(props.get("name"), str) or not valid:
            reason = "has no name" if not isinstance(props.get("name"), str) else "is not a valid polygon"
            problems.append(Problem(path.name, f"feature {i} {reason}", fix, column="geometry"))
            continue
        good.append(feat)
    if not good:
        problems.append(Problem(path.name, "no feature of the file can be used", fix, fatal=True))
        return None
    return {**data, "features": good}


def properties(feature: object) -> dict:
    """A GeoJSON feature's properties, or {} when the feature or its properties are not objects."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    return props if isinstance(props, dict) else {}


def country_ids(countries: dict | None) -> list[str] | None:
    if countries is None:
        return None
    return [str(f["properties"].get("id")) for f in countries["features"] if f["properties"].get("id")]


