"""Propose points for plants rows from their ``site`` and ``region`` text. No Streamlit.

Order: (1) the local gazetteer ``data/places.csv`` (sourced points of SEZs, subzones, cities, district
and administrative centres), matched on normalised names inside the row's region; (2) Nominatim
through geopy (descriptive user agent, at most one request a second with :class:`ClockedRateLimiter`,
a timeout, retries, ``countrycodes=kz``, a ``viewbox`` around the row's region) with a JSON cache so
each query is asked once; (3) the region's administrative centre. Offline, (2) reads the cache only.

Every proposed point must lie inside the row's region (:func:`core.data.km_outside`, the check the
data loader runs); one outside is rejected with a message. A row's point is replaced only by a
*finer* one (core.distances precision ranks: site, city, district, zone, region); the rest is kept.
:func:`geocode_frame` works on any DataFrame of plants rows (the script, or an upload panel) and
returns a new frame and one :class:`RowResult` per row (the diff); it never changes its input.

Messages are English, like the data validation messages.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from timeit import default_timer
from typing import Any, cast

import pandas as pd
from geopy.extra.rate_limiter import RateLimiter

from core.data import KZ_LAT, KZ_LON, PRECISIONS, REGION_TOLERANCE_KM, km_outside
from core.distances import PRECISION_RANK, Place, centre_of, coarser, geodesic_km, point_precision
from core.exports import neutralise
from core.files import URL_RE, read_csv
from core.problems import Problem

PLACES = "places.csv"
CACHE = Path(".cache") / "nominatim.json"  # scripts/geocode.py and the "Your data" tab: each query asked once
PLACE_COLUMNS = ["place_id", "name", "name_ru", "name_kk", "kind", "region", "lat", "lon", "precision", "source",
                 "aliases", "note"]
PLACE_KINDS = ["city", "admin_centre", "district_centre", "sez", "sez_subzone"]
USER_AGENT = ("pharma-plants-map/1.0 (Kazakhstan pharmaceutical plants dashboard: proposes points for "
              "plants rows for analysts to review; scripts/geocode.py)")
MIN_DELAY_S = 1.0  # Nominatim's usage policy: at most one request a second
TIMEOUT_S = 10.0
RETRIES = 2
ERROR_WAIT_S = 5.0
SAME_POINT_KM = 0.01  # closer than this: the same point (coordinates written to 5 decimals, ~1 m)
VIEWBOX_MARGIN_DEG = 0.05
OFFLINE_ENV = "PHARMAMAP_OFFLINE"
# Nominatim's addresstype / type -> precision (anything not a settlement or a unit is a named place,
# never taken for the plant's own site)
NOMINATIM_PRECISION = {
    **dict.fromkeys(("city", "town", "village", "hamlet", "suburb", "quarter", "neighbourhood",
                     "city_district", "borough", "isolated_dwelling"), "city"),
    **dict.fromkeys(("county", "district", "municipality"), "district"),
    **dict.fromkeys(("state", "region", "province"), "region"),
}


def offline_from_env(env=None) -> bool:
    return (env if env is not None else os.environ).get(OFFLINE_ENV, "") == "1"


# --------------------------------------------------------------------------- gazetteer


def load_places(path: Path, problems: list[Problem], regions: list[str] | None = None) -> list[Place]:
    """The gazetteer, checked: bad rows are reported (file, row, column, fix) and left out."""
    df = read_csv(path, PLACE_COLUMNS, problems)
    if df is None:
        return []
    out, seen = [], set()
    for i, rec in enumerate(df.to_dict("records")):
        row = {k: str(v) for k, v in rec.items()}
        before = len(problems)

        def report(column: str, message: str, fix: str, row=row, i=i) -> None:
            problems.append(Problem(path.name, message, fix, row=i + 2, column=column, value=row[column]))

        lat, lon = _float(row["lat"]), _float(row["lon"])
        if lat is None or not KZ_LAT[0] <= lat <= KZ_LAT[1]:
            report("lat", "lat is not a latitude inside Kazakhstan", f"write decimal degrees {KZ_LAT[0]}–{KZ_LAT[1]}")
        if lon is None or not KZ_LON[0] <= lon <= KZ_LON[1]:
            report("lon", "lon is not a longitude inside Kazakhstan", f"write decimal degrees {KZ_LON[0]}–{KZ_LON[1]}")
        if row["kind"] not in PLACE_KINDS:
            report("kind", "unknown kind", f"write one of {', '.join(PLACE_KINDS)}")
        if row["precision"] not in PRECISIONS:
            report("precision", "unknown precision", f"write one of {', '.join(PRECISIONS)}")
        if not all(URL_RE.match(u.strip()) for u in row["source"].split(";")):
            report("source", "the source is not a web address", "give the http(s) page the point comes from")
        if regions is not None and row["region"] not in regions:
            report("region", "not a region name of regions.geojson", "use a 'name' from regions.geojson")
        if not row["place_id"] or row["place_id"] in seen:
            report("place_id", "place_id is empty or repeated", "give every place its own id")
        seen.add(row["place_id"])
        if len(problems) == before and lat is not None and lon is not None:
            out.append(Place(row["place_id"], row["name"], row["name_ru"], row["name_kk"], row["kind"], row["region"],
                             lat, lon, row["precision"], row["source"],
                             tuple(a.strip() for a in row["aliases"].split(";") if a.strip()), row["note"]))
    return out


def normalise(text: object) -> str:
    """Lower case, ё→е, accents and punctuation dropped, single spaces, padded with one space each side
    so that ``f" {name} " in normalise(site)`` matches whole words."""
    if not isinstance(text, str):
        return " "
    s = unicodedata.normalize("NFKD", text.lower().replace("ё", "е"))
    s = "".join(c for c in s if not unicodedata.combining(c) or c == "\u0306")  # keep й (и + breve)
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"[^\w]+", " ", s)
    return f" {' '.join(s.split())} "


def place_names(place: Place) -> list[str]:
    names = [place.name, place.name_ru, place.name_kk, *place.aliases]
    return [n for n in (normalise(x) for x in names) if n.strip()]


def _site_text(site: object, region: str, region_names: list[str]) -> str:
    """The site, normalised, with region names taken out ("Turkistan Region" does not name Turkistan city)."""
    text = normalise(site)
    for name in sorted([*region_names, region], key=len, reverse=True):
        n = normalise(name)
        if len(n.split()) > 1:  # "almaty region"; a bare city name ("almaty") is a place name, kept
            text = text.replace(n, " ")
    return text


@dataclass
class Proposal:
    lat: float
    lon: float
    precision: str
    source: str  # URL(s) the point comes from
    place: str  # what the point is (a place name, or Nominatim's display name)
    how: str  # "gazetteer", "nominatim", "admin centre"
    point_basis: str


def _basis(precision: str, kind: str = "") -> str:
    return "site" if precision == "site" else "city_centroid" if precision in ("city", "district", "zone") \
        or kind in ("city", "admin_centre", "district_centre") else "unit_centroid"


def match_gazetteer(site: object, region: str, places: list[Place], region_names: list[str]) -> Proposal | None:
    """The finest place of ``region`` the site text names (ties: the longest name)."""
    text = _site_text(site, region, region_names)
    best: tuple[int, int, Place] | None = None
    for place in places:
        hits = [n for n in place_names(place) if n in text] if place.region == region else []
        if hits:
            key = (PRECISION_RANK[place.precision], -max(len(h) for h in hits))
            if best is None or key < best[:2]:
                best = (*key, place)
    if best is None:
        return None
    place = best[2]
    return Proposal(place.lat, place.lon, place.precision, place.source, place.name, "gazetteer",
                    _basis(place.precision, place.kind))


def admin_centre(region: str, places: list[Place]) -> Proposal | None:
    """The region's administrative centre as a region-level point (a city unit: the city itself)."""
    p = centre_of(places, region)
    if p is None:
        return None
    precision = "city" if p.kind == "city" else "region"
    return Proposal(p.lat, p.lon, precision, p.source, p.name, "admin centre",
                    "city_centroid" if precision == "city" else "region_admin_centre")


# --------------------------------------------------------------------------- Nominatim


def viewbox(geom, margin: float = VIEWBOX_MARGIN_DEG) -> list[tuple[float, float]]:
    """geopy's viewbox, [(south, west), (north, east)], around a region polygon's bounds."""
    west, south, east, north = geom.bounds
    return [(round(south - margin, 4), round(west - margin, 4)), (round(north + margin, 4), round(east + margin, 4))]


def query_text(site: object, region: str) -> str:
    """What Nominatim is asked: the site without parenthesised remarks ("(plot not disclosed)"), then
    the region unless the site names it."""
    s = re.sub(r"\([^)]*\)", " ", site if isinstance(site, str) else "")
    s = " ".join(s.split()).replace(" ,", ",").strip(" ,")
    if not s:
        return region
    return s if normalise(region) in normalise(s) else f"{s}, {region}"


def cache_key(query: str, box: list[tuple[float, float]]) -> str:
    return json.dumps({"q": normalise(query).strip(), "countrycodes": "kz", "viewbox": box}, sort_keys=True,
                      ensure_ascii=False)


@dataclass
class Cache:
    """Nominatim's good answers, one per query, in a JSON file (written only by :meth:`save`)."""

    path: Path | None
    answers: dict[str, dict] = field(default_factory=dict)
    problem: str = ""  # why an existing file could not be used

    @classmethod
    def load(cls, path: Path | None) -> Cache:
        if path is None or not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            return cls(path, problem=f"{path}: the cache cannot be read ({exc}); it is ignored and rewritten "
                                     "with this run's good answers")
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            return cls(path, problem=f"{path}: the cache is not a JSON object of answers; it is ignored and "
                                     "rewritten with this run's good answers")
        return cls(path, cast(dict[str, dict], data))

    def save(self) -> None:
        """Atomic write (a temporary file renamed over the cache)."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".geocache.", suffix=".json", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.answers, f, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(tmp, self.path)


class ClockedRateLimiter(RateLimiter):
    """geopy's RateLimiter with its clock and sleep passed in (tests give a fake clock; never a sleep).

    geopy spaces the *starts* of calls by ``min_delay_seconds`` and waits ``error_wait_seconds``
    between retries of GeocoderServiceError (timeouts, HTTP 429 and 5xx)."""

    def __init__(self, func, *, clock: Callable[[], float] = default_timer,
                 sleep: Callable[[float], None] | None = None, **kwargs) -> None:
        super().__init__(func, **kwargs)
        self._clock_fn = clock
        self._sleep_fn = sleep

    def _clock(self):
        return self._clock_fn()

    def _sleep(self, seconds):
        if self._sleep_fn is None:
            super()._sleep(seconds)
        else:
            self._sleep_fn(seconds)


def nominatim_search(domain: str = "nominatim.openstreetmap.org", scheme: str = "https", *,
                     timeout: float = TIMEOUT_S, retries: int = RETRIES, clock: Callable[[], float] = default_timer,
                     sleep: Callable[[float], None] | None = None,
                     error_wait: float = ERROR_WAIT_S) -> Callable[[str, list[tuple[float, float]]], dict | None]:
    """A function (query, viewbox) -> Nominatim's raw answer or None, rate-limited; geopy errors raise."""
    from geopy.adapters import URLLibAdapter
    from geopy.geocoders import Nominatim

    host = domain.rsplit(":", 1)[0] if not domain.startswith("[") else domain.split("]")[0] + "]"
    # a loopback server (the tests' fake Nominatim) is asked directly; otherwise the system's proxies apply
    proxies = {} if host in ("127.0.0.1", "localhost", "[::1]") else None
    # urllib, not requests: requests' adapter retries a timed-out GET itself (3 requests per try, unspaced)
    options: dict[str, Any] = {"user_agent": USER_AGENT, "domain": domain, "scheme": scheme, "timeout": timeout,
                               "proxies": proxies, "adapter_factory": URLLibAdapter}
    geocoder = Nominatim(**options)
    limited = ClockedRateLimiter(geocoder.geocode, min_delay_seconds=MIN_DELAY_S, max_retries=retries,
                                 error_wait_seconds=max(error_wait, MIN_DELAY_S), swallow_exceptions=False,
                                 clock=clock, sleep=sleep)

    def search(query: str, box: list[tuple[float, float]]) -> dict | None:
        found = limited(query, exactly_one=True, country_codes="kz", viewbox=box, bounded=True,
                        addressdetails=False, language="en")
        return None if found is None else dict(found.raw)

    return search


def nominatim_proposal(raw: dict) -> Proposal | None:
    """A proposal from Nominatim's raw answer; None if it has no usable point."""
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    precision = NOMINATIM_PRECISION.get(kind, "zone")
    osm_type, osm_id = raw.get("osm_type"), raw.get("osm_id")
    source = f"https://www.openstreetmap.org/{osm_type}/{osm_id}" if osm_type in ("node", "way", "relation") \
        and str(osm_id).isdigit() else "https://nominatim.openstreetmap.org/"
    return Proposal(round(lat, 5), round(lon, 5), precision, source, str(raw.get("display_name") or kind),
                    "nominatim", _basis(precision))


def describe_error(exc: Exception, query: str) -> str:
    """A geopy error as one clear sentence."""
    from geopy import exc as gx

    name = type(exc).__name__
    # requests reports a read timeout as a connection error, which geopy calls "unavailable"
    if isinstance(exc, gx.GeocoderTimedOut) or (isinstance(exc, gx.GeocoderUnavailable) and "timed out" in str(exc)):
        what = "Nominatim did not answer in time (timeout)"
    elif isinstance(exc, gx.GeocoderRateLimited):
        what = "Nominatim refused: too many requests (HTTP 429)"
    elif isinstance(exc, gx.GeocoderParseError):
        what = "Nominatim's answer is not valid JSON"
    elif isinstance(exc, gx.GeocoderUnavailable):
        what = "Nominatim cannot be reached"
    elif isinstance(exc, gx.GeocoderServiceError):
        what = f"Nominatim failed ({exc})"
    else:
        what = f"Nominatim failed ({name}: {exc})"
    return f"{what} for '{query}' after {RETRIES + 1} tries; nothing cached, try again later"


# --------------------------------------------------------------------------- rows


@dataclass
class RowResult:
    """One row of the diff."""

    row: int  # spreadsheet row (header = 1)
    plant_id: str
    region: str
    old: tuple[float, float] | None
    new: tuple[float, float] | None
    precision: str
    source: str
    place: str
    how: str
    status: str  # "changed", "kept", "unresolved"
    messages: list[str] = field(default_factory=list)


def _float(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _inside(p: Proposal, region: str, geom, messages: list[str]) -> bool:
    km = km_outside(geom, p.lat, p.lon)
    if km > REGION_TOLERANCE_KM:
        messages.append(f"{p.how} point ({p.lat}, {p.lon}) for '{p.place}' lies {km:.0f} km outside {region}, "
                        "the row's region: rejected")
        return False
    return True


def _ask(query: str, region: str, geom, cache: Cache, offline: bool, search, messages: list[str]) -> Proposal | None:
    box = viewbox(geom)
    key = cache_key(query, box)
    raw = cache.answers.get(key)
    if raw is None:
        if offline or search is None:
            messages.append(f"'{query}' is not in the Nominatim cache" + (" (offline)" if offline else ""))
            return None
        try:
            raw = search(query, box)
        except Exception as exc:  # geopy raises its own errors; each becomes a message, never a traceback
            messages.append(describe_error(exc, query))
            return None
        if raw is None:
            messages.append(f"Nominatim found nothing for '{query}' in {region}")
            return None
        p = nominatim_proposal(raw)
        if p is None:
            messages.append(f"Nominatim's answer for '{query}' has no usable point")
            return None
        if not _inside(p, region, geom, messages):
            return None
        cache.answers[key] = raw  # only good answers are cached
        return p
    p = nominatim_proposal(raw)
    return p if p is not None and _inside(p, region, geom, messages) else None


def propose(site: object, region: str, places: list[Place], shapes: dict, *, cache: Cache, offline: bool,
            search=None) -> tuple[Proposal | None, list[str]]:
    """The best point for a row's site and region, and what happened on the way."""
    messages: list[str] = []
    if region not in shapes:
        return None, [f"region '{region}' is not a name in regions.geojson: nothing can be checked"]
    geom = shapes[region]
    gaz = match_gazetteer(site, region, places, list(shapes))
    if gaz is not None and PRECISION_RANK[gaz.precision] < PRECISION_RANK["region"] \
            and _inside(gaz, region, geom, messages):
        return gaz, messages
    nom = _ask(query_text(site, region), region, geom, cache, offline, search, messages)
    if nom is not None and nom.precision != "region":
        return nom, messages
    centre = admin_centre(region, places)
    if centre is not None and _inside(centre, region, geom, messages):
        return centre, messages
    return None, messages


def geocode_frame(df: pd.DataFrame, places: list[Place], shapes: dict, *, cache: Cache, offline: bool,
                  search=None) -> tuple[pd.DataFrame, list[RowResult]]:
    """A copy of the plants rows with finer points where found, and the diff. Columns used: ``site``,
    ``region``, ``lat``, ``lon`` and, if present, ``plant_id``, ``site_precision``, ``point_basis``.
    Changed rows get new ``lat``, ``lon``, ``point_basis``, ``point_source`` and a ``location_note``
    saying what the point now is; every row gets ``geocode_precision``, ``geocode_source`` and
    ``geocode_status``."""
    out = df.copy()
    for col in ("point_basis", "point_source", "location_note", "geocode_precision", "geocode_source",
                "geocode_status"):
        if col not in out:
            out[col] = ""
    out = out.astype({c: object for c in ("lat", "lon", "point_basis", "point_source", "location_note")})
    results = []
    for i, idx in enumerate(df.index):
        row = df.loc[idx]
        region = str(row.get("region", "") or "")
        lat, lon = _float(row.get("lat")), _float(row.get("lon"))
        old = (lat, lon) if lat is not None and lon is not None else None
        p, messages = propose(row.get("site"), region, places, shapes, cache=cache, offline=offline, search=search)
        res = RowResult(i + 2, str(row.get("plant_id", "") or f"row {i + 2}"), region, old, None, "", "", "", "",
                        "unresolved", messages)
        if p is not None:
            # a point is no finer than what is known of the site (a zone's plot unknown: zone at best)
            site_precision = row.get("site_precision")
            precision = coarser(str(site_precision), p.precision) if site_precision in PRECISION_RANK \
                else p.precision
            res.new, res.precision, res.source, res.place, res.how = (p.lat, p.lon), precision, p.source, \
                p.place, p.how
            current = point_precision(site_precision, row.get("point_basis")) if old else None
            if old is not None and geodesic_km(old, (p.lat, p.lon)) < SAME_POINT_KM:
                res.status = "kept"
                messages.append("the same point as now: kept")
            elif current is not None and PRECISION_RANK[precision] >= PRECISION_RANK[current]:
                res.status = "kept"
                messages.append(f"the current point is as precise ({current}) or better: kept")
            else:
                res.status = "changed"
                note = str(row.get("location_note", "") or "")
                out.at[idx, "lat"], out.at[idx, "lon"] = f"{p.lat:.5f}", f"{p.lon:.5f}"
                out.at[idx, "point_basis"], out.at[idx, "point_source"] = p.point_basis, p.source
                out.at[idx, "location_note"] = (f"Point proposed by scripts/geocode.py from {p.how}: {p.place} "
                                                f"(precision {precision}), not the site unless precision is site. "
                                                + (f"Earlier note: {note}" if note else "")).strip()
        out.at[idx, "geocode_precision"], out.at[idx, "geocode_source"] = res.precision, res.source
        out.at[idx, "geocode_status"] = res.status
        results.append(res)
    return out, results


# --------------------------------------------------------------------------- the diff


DIFF_COLUMNS = ["row", "plant_id", "region", "old_point", "new_point", "precision", "source", "point_is", "status",
                "messages"]


def _pt(p: tuple[float, float] | None) -> str:
    return "" if p is None else f"{p[0]:.5f}, {p[1]:.5f}"


def diff_frame(results: list[RowResult]) -> pd.DataFrame:
    """The readable diff, one row per input row; cells neutralised against spreadsheet formulas."""
    rows = [[r.row, r.plant_id, r.region, _pt(r.old), _pt(r.new), r.precision, r.source,
             f"{r.place} ({r.how})" if r.place else "", r.status, "; ".join(r.messages)] for r in results]
    return cast(pd.DataFrame, pd.DataFrame(rows, columns=DIFF_COLUMNS).map(neutralise))


def diff_markdown(results: list[RowResult]) -> str:
    """The diff as a Markdown table (pipes and backslashes escaped)."""
    def cell(v) -> str:
        return str(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(DIFF_COLUMNS) + " |", "|" + "---|" * len(DIFF_COLUMNS)]
    lines += ["| " + " | ".join(cell(v) for v in rec) + " |" for rec in diff_frame(results).itertuples(index=False)]
    return "\n".join(lines) + "\n"


def unresolved(results: list[RowResult]) -> list[RowResult]:
    """Rows with no point proposed, or whose Nominatim query could not be asked (offline, errors)."""
    return [r for r in results if r.status == "unresolved"
            or any("not in the Nominatim cache" in m or m.startswith("Nominatim") for m in r.messages)]
