"""The partners map: who brings the know-how to Kazakhstan's plants, and from where.

Pure ``build_*`` functions return the data and the folium map; ``render_partners`` draws them with
Streamlit; ``partners_story`` gives the presentation tour's "Who we work with" step.

- Country outlines are the basemap (tiles only when online): partner countries tinted, Kazakhstan
  stronger.
- One point per partner headquarters (a city point, ``partners.csv`` lat/lon); a partner without
  one is still in the table and the story, never left out, and so are the unknown rows.
- One arc per (partner, plant it serves) among the plants passed in, curved here in Python (a
  quadratic Bézier bulging north; arcs between the same two points bulge by different amounts, so
  none hides another): the browser draws polylines. A prospective partner with no plant (Saidal,
  Algeria) gets a dashed arc to Astana, labelled with the date of the talks.

The browser side is ``static/pharmamap/partners.js`` (its contract at the top) and ``partners.css``,
served like map.js; this module renders only ``PharmaPartners.init(map, cfg)`` with the data as JSON.
Texts from the data travel as plain text and are escaped by partners.js where it builds HTML; the
legend is HTML built and escaped here.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import folium
import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from branca.element import MacroElement
from jinja2 import Template

from components.map import TILES
from core import fmt
from core import keys as K
from core.assets import LEAFLET_CSS, LEAFLET_JS, PHARMAMAP_DIR, leaflet_source, publish_json, versioned
from core.context import ROLES, split
from core.data import Dataset
from core.i18n import N_, current, t

PARTNERS_JS = versioned("partners.js")  # same content hash in the URL as core.assets.MAP_JS
PARTNERS_CSS = versioned("partners.css")

HOME_ID: Final = "398"  # Kazakhstan in countries.geojson (ISO 3166-1 numeric)
ASTANA: Final = (51.1694, 71.4491)  # where a prospective link with no plant ends: Kazakhstan's capital
# Okabe & Ito, as core.domain.PALETTE: blue, vermillion, bluish green
ROLE_COLOURS: Final = {"owner": "#0072B2", "technology_partner": "#D55E00", "prospective": "#009E73"}
ARC_POINTS = 24  # segments of each arc
ARC_BULGE = 0.16  # the arc's control point lies this many chord lengths off the chord's middle
ARC_BULGE_STEP = 0.12  # each further arc between the same two points bulges this much more
NOTE_MAX = 160  # characters of a partner's note in a tooltip

STATUS_WORDS = {"active": N_("active"), "named": N_("named as partner, form not disclosed"),
                "talks": N_("talks, no agreement signed"), "not_disclosed": N_("not disclosed")}
UNKNOWN_NAME = N_("unknown (not disclosed)")

INIT_TEMPLATE = """{% macro script(this, kwargs) %}
PharmaPartners.init({{ this._parent.get_name() }}, {{ this.cfg|tojson }});
{% endmacro %}"""


class _Init(MacroElement):
    _template = Template(INIT_TEMPLATE)

    def __init__(self, cfg: dict):
        super().__init__()
        self._name = "PppInit"
        self.cfg = cfg


# --------------------------------------------------------------------------- wording


def short_name(name: str) -> str:
    """The name people use: the alias in final parentheses, else without legal suffixes.

    'China National Pharmaceutical Group Co., Ltd. (Sinopharm)' -> 'Sinopharm',
    'Groupe Saidal' -> 'Saidal', 'Polpharma Group' -> 'Polpharma'."""
    alias = re.search(r"\(([^()]+)\)\s*$", name)
    if alias:
        return alias.group(1).strip()
    out = re.sub(r"^Groupe\s+", "", name.strip())
    out = re.sub(r"(?:,?\s+(?:Co\.|Ltd\.?|Inc\.?|AG|SA|Group|LLC|LLP|PLC|JSC))+$", "", out).strip(" ,")
    return out or name


def country_name(code: str, english: str) -> str:
    """A country in the current language (Babel's territory names), from its ISO alpha-2 code."""
    if current() == "en" or not code:
        return english
    try:
        return Locale.parse(current()).territories.get(code, english)
    except (UnknownLocaleError, ValueError):
        return english


def _home_name() -> str:
    """'Kazakhstan' in the current language (CLDR's territory name)."""
    return Locale.parse(current()).territories.get("KZ", "Kazakhstan")


def since_text(value: str) -> str:
    """A date at its precision: '22 December 2025', 'October 2012', '2011'; empty: 'not known'."""
    if not value:
        return t("not known")
    parts = value.split("-")
    if len(parts) == 3:
        return fmt.date_long(value)
    if len(parts) == 2:
        text = format_skeleton("yMMMM", date(int(parts[0]), int(parts[1]), 1), locale=current())
        return text.removesuffix("\u202fг.").removesuffix(" г.")  # as fmt.date_long: no "г." in a sentence
    return value


def status_word(status: str) -> str:
    return t(STATUS_WORDS.get(status, status))


def role_word(role: str) -> str:
    return t(ROLES.get(role, role))


def shorten(text: str, limit: int = NOTE_MAX) -> str:
    """At most ``limit`` characters, cut at a word, with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _is_set(value) -> bool:
    return isinstance(value, str) and value != ""


Row = dict[str, Any]  # one row of a table, as plain values


def _rows(df: pd.DataFrame) -> list[Row]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]


def _served(row: Row, plant_ids: set[str]) -> list[str]:
    """The row's plants among those passed in, in the row's order."""
    return [p for p in split(row["plant_ids"]) if p in plant_ids]


def relevant_partners(partners: pd.DataFrame, plants: pd.DataFrame) -> list[Row]:
    """The partner rows that serve one of ``plants``, and the prospective ones (no plant yet);
    unknown rows included."""
    ids = set(plants["plant_id"])
    return [r for r in _rows(partners) if _served(r, ids) or r["role"] == "prospective"]


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class PartnersData:
    """Everything the partners map draws, in the current language.

    ``arcs``: {partner_id, plant_id (None: the prospective link to Kazakhstan), from, to ([lat, lon]),
    role, dashed, label, label_at ([lat, lon] where the label is drawn, or None), points, tip};
    ``hqs``: {partner_id, name, lat, lon, role, tip}; ``plants``: {lat, lon, tip} (one per point);
    ``places``: {lat, lon, text} (the end of a prospective link); ``labels``: {lat, lon, text, side, fan};
    each ``tip`` is {title, lines, note}, plain text (escaped in the browser)."""

    countries: dict | None
    hqs: list[dict]
    plants: list[dict]
    arcs: list[dict]
    places: list[dict]
    labels: list[dict]
    bounds: list[list[float]] | None
    legend: str
    table: pd.DataFrame
    no_point: list[str] = field(default_factory=list)  # partners without an HQ point (short names)


def arc_points(start: tuple[float, float], end: tuple[float, float], bulge: float,
               n: int = ARC_POINTS) -> list[list[float]]:
    """A quadratic Bézier from ``start`` to ``end`` ((lat, lon)) bulging north by ``bulge`` chord lengths;
    n + 1 points, the ends exactly as given."""
    (lat1, lon1), (lat2, lon2) = start, end
    dx, dy = lon2 - lon1, lat2 - lat1
    length = math.hypot(dx, dy)
    if length == 0:
        return [[lat1, lon1], [lat2, lon2]]
    nx, ny = -dy / length, dx / length
    if ny < 0 or (ny == 0 and nx < 0):  # always bulge north (or east): arcs read as a fan, not a tangle
        nx, ny = -nx, -ny
    cx = (lon1 + lon2) / 2 + nx * bulge * length
    cy = (lat1 + lat2) / 2 + ny * bulge * length
    pts = []
    for i in range(n + 1):
        s = i / n
        a, b, c = (1 - s) ** 2, 2 * (1 - s) * s, s * s
        pts.append([round(a * lat1 + b * cy + c * lat2, 4), round(a * lon1 + b * cx + c * lon2, 4)])
    pts[0], pts[-1] = [lat1, lon1], [lat2, lon2]
    return pts


def countries_payload(countries: dict, partner_ids: set[str]) -> dict:
    """Outlines for the browser: geometry and a highlight flag h (2 Kazakhstan, 1 a partner's country)."""
    feats = []
    for f in countries["features"]:
        cid = str(f["properties"].get("id") or "")
        h = 2 if cid == HOME_ID else 1 if cid in partner_ids else 0
        feats.append({"type": "Feature", "geometry": f["geometry"], "properties": {"id": cid, "h": h}})
    return {"type": "FeatureCollection", "features": feats}


def _tip(title: str, lines: list[str], note: str = "") -> dict:
    return {"title": title, "lines": lines, "note": note}


def partners_table(partners: pd.DataFrame, plants: pd.DataFrame) -> pd.DataFrame:
    """One row per partner of ``plants`` (and the prospective ones): unknown rows included and named
    so, never left out."""
    ids, names = set(plants["plant_id"]), dict(zip(plants["plant_id"], plants["name"], strict=True))
    rows = []
    for r in relevant_partners(partners, plants):
        unknown = r["role"] == "unknown"
        role = r["unknown_slot"] if unknown and _is_set(r["unknown_slot"]) else r["role"]
        rows.append({
            t("Partner"): t(UNKNOWN_NAME) if unknown or not _is_set(r["name"]) else r["name"],
            t("Country"): country_name(r["country_code"], r["country"]) if _is_set(r["country"])
            else fmt.not_disclosed(),
            t("Role"): role_word(role),
            t("Plants served"): ", ".join(names[p] for p in _served(r, ids)) or t("none yet"),
            t("Since"): since_text(r["since"]),
            t("Status"): status_word(r["status"]),
            t("Note"): r["note"],
            t("Sources"): split(r["source"]),
            "partner_id": r["partner_id"],
        })
    columns = [t("Partner"), t("Country"), t("Role"), t("Plants served"), t("Since"), t("Status"), t("Note"),
               t("Sources"), "partner_id"]
    return pd.DataFrame(rows, columns=columns)


def _plant_lines(plants: pd.DataFrame, rel: list[Row]) -> dict[str, str]:
    """'AltINFARM: Sinopharm, Sinovac Biotech, BioKangtai; owner not disclosed' per plant_id."""
    out = {}
    for pid, name in zip(plants["plant_id"], plants["name"], strict=True):
        known, unknown = [], []
        for r in rel:
            if pid not in split(r["plant_ids"]):
                continue
            if r["role"] == "unknown":
                unknown.append(t("{role} not disclosed", role=role_word(r["unknown_slot"] or "unknown")))
            else:
                known.append(short_name(r["name"]))
        parts = ([", ".join(known)] if known else []) + unknown
        out[pid] = f"{name}: {'; '.join(parts)}" if parts else t("{plant}: no partner found", plant=name)
    return out


def build_partners_data(partners: pd.DataFrame, plants: pd.DataFrame, countries: dict | None) -> PartnersData:
    """Outlines, HQ points, arcs, labels, legend and table for the partners of ``plants``.

    ``partners``: core.context.load_partners; ``plants``: rows of Dataset.plants (each arc ends at a
    plant's lat/lon); ``countries``: core.context.load_countries, or None (no outlines)."""
    rel = relevant_partners(partners, plants)
    placed = plants.loc[plants["lat"].notna() & plants["lon"].notna()]
    ids = set(placed["plant_id"])
    point = {p: (float(la), float(lo)) for p, la, lo in zip(placed["plant_id"], placed["lat"], placed["lon"],
                                                             strict=True)}
    names = dict(zip(plants["plant_id"], plants["name"], strict=True))
    mean_lon = float(placed["lon"].mean()) if len(placed) else ASTANA[1]

    hqs, arcs, places, no_point = [], [], [], []
    pairs: Counter = Counter()
    for r in rel:
        if r["role"] == "unknown":
            continue
        if pd.isna(r["lat"]) or pd.isna(r["lon"]):
            no_point.append(short_name(r["name"]))
            continue
        hq = (float(r["lat"]), float(r["lon"]))
        country = country_name(r["country_code"], r["country"])
        served = _served(r, ids)
        dashed = r["role"] == "prospective" or r["status"] == "talks"
        since = since_text(r["since"])
        hqs.append({
            "partner_id": r["partner_id"], "name": r["name"], "lat": hq[0], "lon": hq[1], "role": r["role"],
            "tip": _tip(r["name"], [
                t("{country}, headquarters: {city} (city point)", country=country, city=r["hq_city"]),
                t("Role: {value}", value=role_word(r["role"])),
                t("Since: {value}", value=since),
                t("Status: {value}", value=status_word(r["status"])),
                t("Plants: {value}", value=", ".join(names[p] for p in served) or t("none yet")),
            ], shorten(r["note"])),
        })
        targets: list[tuple[str | None, tuple[float, float]]] = [(p, point[p]) for p in served]
        if not targets and r["role"] == "prospective":
            targets = [(None, ASTANA)]
            places.append({"lat": ASTANA[0], "lon": ASTANA[1], "text": t("Astana")})
        for pid, end in targets:
            k = pairs[(hq, end)]
            pairs[(hq, end)] += 1
            pts = arc_points(hq, end, ARC_BULGE + k * ARC_BULGE_STEP)
            talks = pid is None
            label = (t("talks, {date}", date=since) if r["since"] else t("talks")) if talks else short_name(r["name"])
            plant_name = names[pid] if pid is not None else _home_name()
            arcs.append({
                "partner_id": r["partner_id"], "plant_id": pid, "from": list(hq), "to": list(end),
                "role": r["role"], "dashed": bool(dashed), "label": label,
                "label_at": pts[len(pts) // 2] if talks else None, "points": pts,
                "tip": _tip(f"{short_name(r['name'])} → {plant_name}",
                            [f"{role_word(r['role'])}, {since}", status_word(r["status"])]),
            })

    by_point: dict[tuple[float, float], list[str]] = {}
    for h in hqs:
        by_point.setdefault((h["lat"], h["lon"]), []).append(short_name(h["name"]))
    labels = [{"lat": la, "lon": lo, "text": ", ".join(ns), "side": "r" if lo > mean_lon else "l", "fan": len(ns)}
              for (la, lo), ns in by_point.items()]

    lines = _plant_lines(placed, rel)
    plant_points: dict[tuple[float, float], list[tuple[str, str]]] = {}
    for pid, basis in zip(placed["plant_id"], placed["point_basis"], strict=True):
        plant_points.setdefault(point[pid], []).append((lines[pid], str(basis)))
    plant_marks = []
    for (la, lo), found in plant_points.items():
        bases = {b for _, b in found}
        title = t("Plant in Kazakhstan") if len(found) == 1 else t("{n} plants at this point", n=len(found))
        note = fmt.point_word(bases.pop()) if len(bases) == 1 else ""  # what the drawn point is
        plant_marks.append({"lat": la, "lon": lo, "tip": _tip(title, [line for line, _ in found], note)})

    # every point and the whole of every arc (they bulge north of their ends)
    pts = [(h["lat"], h["lon"]) for h in hqs] + list(point.values()) + [(p["lat"], p["lon"]) for p in places] \
        + [(la, lo) for a in arcs for la, lo in a["points"]]
    bounds = ([[min(p[0] for p in pts), min(p[1] for p in pts)], [max(p[0] for p in pts), max(p[1] for p in pts)]]
              if pts else None)
    partner_countries = {str(r["country_numeric"]) for r in rel if _is_set(r["country_numeric"])}
    return PartnersData(
        countries=countries_payload(countries, partner_countries) if countries else None,
        hqs=hqs, plants=plant_marks, arcs=arcs, places=places, labels=labels, bounds=bounds,
        legend=legend_html(rel, hqs), table=partners_table(partners, plants), no_point=no_point,
    )


def _swatch(colour: str, dashed: bool) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return (f'<svg width="26" height="10" aria-hidden="true"><line x1="1" y1="5" x2="25" y2="5" stroke="{colour}" '
            f'stroke-width="3"{dash}/></svg>')


def legend_html(rel: list[Row], hqs: list[dict]) -> str:
    """One line per role drawn: its line style, then its partners, grouped by the date of their first dated
    involvement ('Sinopharm, Sinovac Biotech, BioKangtai (22 January 2026)'); every text escaped."""
    drawn = {h["partner_id"] for h in hqs}
    rows = []
    for role, colour in ROLE_COLOURS.items():
        members = [r for r in rel if r["role"] == role and r["partner_id"] in drawn]
        if not members:
            continue
        by_date: dict[str, list[str]] = {}
        for r in members:
            by_date.setdefault(r["since"], []).append(short_name(r["name"]))
        who = ", ".join(f"{', '.join(names)} ({since_text(since)})" for since, names in by_date.items())
        title = role_word(role) + (", " + t("dashed: talks, no agreement signed") if role == "prospective" else "")
        rows.append(f'<div class="role">{_swatch(colour, role == "prospective")}<b>{html.escape(title)}</b>: '
                    f'{html.escape(who)}</div>')
    marks = (f'<div class="mark"><span class="dot hq"></span>{html.escape(t("partner headquarters (city)"))}'
             f'<span class="dot plant"></span>{html.escape(t("plant in Kazakhstan"))}</div>')
    return (f'<details open><summary>{html.escape(t("Partners: role, since"))}</summary>'
            f'{"".join(rows)}{marks}</details>')


# --------------------------------------------------------------------------- the map


def build_partners_map(data: PartnersData, offline: bool, urls: dict[str, str] | None = None) -> folium.Map:
    """The partners map: outlines (and tiles when online), arcs, HQ and plant points, labels, legend.

    Everything is drawn by static/pharmamap/partners.js (SVG, so each arc is a path); ``urls`` may
    name a published JSON file for ``countries``, else the outlines are inlined. Assets are the app's own."""
    urls = urls or {}
    b = data.bounds or [[ASTANA[0], ASTANA[1]], [ASTANA[0], ASTANA[1]]]
    m = folium.Map(location=[(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2], zoom_start=3, tiles=None,
                   prefer_canvas=False, zoom_snap=0.25, min_zoom=2, max_zoom=10)
    m.default_js = [("leaflet", LEAFLET_JS), ("pharmapartners", PARTNERS_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS), ("pharmapartners_css", PARTNERS_CSS)]
    if not offline:
        folium.TileLayer(TILES, name="Basemap", control=False).add_to(m)
    cfg = {
        "offline": offline,
        "bounds": data.bounds,
        "colours": ROLE_COLOURS,
        "countries": urls.get("countries", data.countries),
        "arcs": [{k: a[k] for k in ("partner_id", "plant_id", "role", "dashed", "label", "label_at", "points", "tip")}
                 for a in data.arcs],
        "hqs": data.hqs,
        "plants": data.plants,
        "places": data.places,
        "labels": data.labels,
        "legend": data.legend,
        "attribution": t("Outlines: Natural Earth; headquarters points: GeoNames"),
    }
    m.add_child(_Init(cfg))
    return m


def partners_assets() -> dict[str, str]:
    """Text of every script and stylesheet the partners map loads, by URL (for a file that opens with no
    server: core.exports.standalone_html)."""
    src = leaflet_source()
    files = {LEAFLET_JS: src / "leaflet.js", LEAFLET_CSS: src / "leaflet.css",
             PARTNERS_JS: PHARMAMAP_DIR / "partners.js", PARTNERS_CSS: PHARMAMAP_DIR / "partners.css"}
    return {url: path.read_text(encoding="utf-8") for url, path in files.items()}


def clicked_partner(data: PartnersData, returned: dict | None) -> str | None:
    """The partner_id of the HQ marker (or arc) in streamlit-folium's last_active_drawing, if it is one."""
    feat = (returned or {}).get("last_active_drawing") or {}
    pid = (feat.get("properties") or {}).get("partner_id")
    return pid if isinstance(pid, str) and pid in {h["partner_id"] for h in data.hqs} else None


# --------------------------------------------------------------------------- the story


def _offer(partner_id: str, note: str, events: pd.DataFrame | None) -> str | None:
    """What the talks offered, as the data words it ('... offers X, Y and Z; ...'): the latest talks
    event naming the partner, else the partner's note."""
    texts = []
    if events is not None and len(events):
        rows = events[(events["event_type"] == "talks")
                      & events["partner_ids"].map(lambda v: partner_id in split(v))]
        texts += [str(d) for d in reversed(rows["detail"].tolist())]
    texts.append(note)
    for text in texts:
        found = re.search(r"\boffer(?:s|ed)\s+(.+?)(?:;|\.\s|\.$)", text)
        if found:
            return found.group(1).strip()
    return None


def _plant_label(pids: list[str], plants: pd.DataFrame) -> str:
    """The companies of the plants, once each; a company whose rows are all existing plants is marked so."""
    rows = [r for r in _rows(plants) if r["plant_id"] in pids]
    out = []
    for company in dict.fromkeys(r["company"] for r in rows):
        scopes = {r["scope"] for r in rows if r["company"] == company}
        out.append(f"{company} ({t('existing plant')})" if scopes == {"existing"} else str(company))
    return ", ".join(out)


def partners_story(partners: pd.DataFrame, plants: pd.DataFrame,
                   events: pd.DataFrame | None = None) -> tuple[str, list[str]]:
    """The tour's "Who we work with" step, in the current language: one line per partner country
    (partners, their role, the plants they serve; talks with their date and what was offered), then
    what is not disclosed. Plain text (escape it where drawn)."""
    rel = relevant_partners(partners, plants)
    ids = set(plants["plant_id"])
    known = [r for r in rel if r["role"] != "unknown"]
    countries = list(dict.fromkeys(r["country"] for r in known))
    # countries with a running link first, countries only in talks last
    countries.sort(key=lambda c: all(r["status"] == "talks" for r in known if r["country"] == c))
    lines = []
    for country in countries:
        rows = [r for r in known if r["country"] == country]
        groups: dict[tuple[bool, tuple[str, ...]], list[Row]] = {}
        for r in rows:
            groups.setdefault((r["status"] == "talks", tuple(_served(r, ids))), []).append(r)
        parts = []
        for (talks, served), members in groups.items():
            who = ", ".join(short_name(r["name"]) for r in members)
            roles = list(dict.fromkeys(r["role"] for r in members))
            if talks:
                first = members[0]
                offer = _offer(first["partner_id"], first["note"], events)
                when = since_text(first["since"])
                parts.append(t("{partners}, talks on {date}: offered {offer}; no agreement signed", partners=who,
                               date=when, offer=offer) if offer
                             else t("{partners}, talks on {date}; no agreement signed", partners=who, date=when))
                continue
            if len(roles) > 1:  # 'Ulkar Holding (owner), Nobel İlaç (strategic partner)'
                who = ", ".join(f"{short_name(r['name'])} ({role_word(r['role'])})" for r in members)
            else:
                who = f"{who} ({role_word(roles[0])})"
            parts.append(f"{who} → {_plant_label(list(served), plants)}")
        lines.append(f"{country_name(rows[0]['country_code'], country)}: {'; '.join(parts)}")
    slots: dict[str, list[str]] = {}
    for r in rel:
        if r["role"] == "unknown":
            for pid in _served(r, ids):
                slots.setdefault(pid, []).append(role_word(r["unknown_slot"] or "unknown"))
    if slots:
        order = [p for p in plants["plant_id"] if p in slots]
        lines.append(t("Not disclosed: {value}", value="; ".join(
            f"{_plant_label([p], plants)} ({', '.join(slots[p])})" for p in order)))
    return t("Who we work with"), lines


# --------------------------------------------------------------------------- Streamlit


def render_partners(ds: Dataset, plants: pd.DataFrame, key_suffix: str = "explore", height: int = 520,
                    on_select: Callable[[str], None] | None = None, table: bool = True) -> str | None:
    """The partners map, a caption and (``table``) the partners table; returns the partner_id last clicked
    on the map. ``on_select(partner_id)`` runs when a headquarters is clicked, before the next run."""
    import streamlit as st
    from streamlit_folium import st_folium

    from components.text import md

    data = build_partners_data(ds.partners, plants, ds.countries)
    offline = os.environ.get("PHARMAMAP_OFFLINE", "") == "1"
    urls = {}
    if data.countries is not None:
        url = publish_json(data.countries)
        if url:
            urls["countries"] = url
    if ds.countries is None:
        st.warning(t("Country outlines are unavailable (see the problems above): the map shows points and lines "
                     "only."))
    key = f"{K.PARTNERS_MAP}.{key_suffix}"

    def picked() -> None:
        pid = clicked_partner(data, st.session_state.get(key))
        if pid and on_select is not None:
            on_select(pid)

    out = st_folium(build_partners_map(data, offline, urls), key=key, height=height, use_container_width=True,
                    returned_objects=["last_active_drawing"], on_change=picked)
    notes = [t("Lines join each partner's headquarters (a city point) to the plants it works with. Hover for "
               "details; click a headquarters to select the partner.")]
    talks = [h for h in data.hqs if any(a["dashed"] and a["partner_id"] == h["partner_id"] for a in data.arcs)]
    if talks:
        rows = ds.partners.set_index("partner_id")
        notes.append(t("Dashed: talks, no agreement signed ({value})", value=md("; ".join(
            f"{country_name(rows.at[h['partner_id'], 'country_code'], rows.at[h['partner_id'], 'country'])}: "
            f"{short_name(h['name'])}, {since_text(rows.at[h['partner_id'], 'since'])}" for h in talks))))
    if data.no_point:
        notes.append(t("No headquarters city found, so no line: {value} (in the table below).",
                       value=md(", ".join(data.no_point))))
    st.caption("  \n".join(notes))
    if not table:
        return clicked_partner(data, out)
    st.dataframe(data.table, hide_index=True, width="stretch",
                 column_config={t("Partner"): st.column_config.TextColumn(width="medium"),
                                t("Plants served"): st.column_config.TextColumn(width="medium"),
                                t("Note"): st.column_config.TextColumn(width="large"),
                                t("Sources"): st.column_config.ListColumn(t("Sources")),
                                "partner_id": None})
    return clicked_partner(data, out)


def render_partners_step(ds: Dataset, plants: pd.DataFrame) -> None:
    """The tour's "Who we work with" step: the partners map beside its story card."""
    import streamlit as st

    from components.present import render_story

    title, lines = partners_story(ds.partners, plants, ds.events)
    left, right = st.columns([3, 2], gap="large")
    with left:
        render_partners(ds, plants, key_suffix="present", height=560, table=False)
    with right:
        render_story(title, lines)
