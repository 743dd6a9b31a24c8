"""The map: pure ``build_*`` functions returning folium objects, and ``render_map`` (Streamlit).

Three layers of data, sent three different ways, so a filter change costs almost nothing:

1. ``MapData`` (per data version): regions, one compact columnar record of *all* plants
   (coordinates as 1e-4° integers, radius, flags, colour categories) and their tooltip texts.
   The app publishes it as static JSON files (``core.assets.publish_json``); the browser
   fetches them once and caches them. Without a writable static folder (or for a standalone
   file) they are inlined instead.
2. The base map (tiles or none, panes, labels, view, and the script that builds every marker
   once) is the same on every rerun, so streamlit-folium keeps its component and the zoom.
3. Per rerun, a tiny ``FeatureGroup`` script says which plants are visible (a bitset), which
   colour scheme and legend to use: ``PharmaMap.apply({...})``.

The browser side is ``static/pharmamap/map.js`` (and ``map.css``), served like Leaflet and inlined
in the offline map file; this module renders only ``PharmaMap.init(map, cfg)`` and
``PharmaMap.apply(spec)`` with their data as JSON (the fields are documented at the top of map.js).
All markers are canvas circle markers in one layer group; tooltips are built in the browser
and escaped there, and every text from the data is escaped in Python as well.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import shape

from core import fmt
from core.assets import GUARD_JS, LEAFLET_CSS, LEAFLET_JS, MAP_CSS, MAP_JS
from core.domain import COLOUR_BY, NOT_DISCLOSED, OTHER_COLOUR, category_of, colour_map
from core.i18n import current, number, t

R_MAX = 30.0  # px radius of the largest investment
R_UNKNOWN = 7.0  # px radius of a plant whose investment is not disclosed
FAN_GAP = 4.0  # px between fanned-out markers
COORD_SCALE = 10_000  # coordinates travel as integers of 1e-4 degree (about 11 m)
# light grey, low-contrast, so the data stays in front; needs no API key (CARTO's Positron now does,
# per xyzservices 2026.9, and would load no tiles)
TILES = "Esri.WorldGrayCanvas"

# The browser code lives in static/pharmamap/map.js (its contract: data in, events out, globals) and
# map.css; the map loads them after Leaflet. Python hands over only data, as JSON.
BASE_TEMPLATE = """{% macro script(this, kwargs) %}
PharmaMap.init({{ this._parent.get_name() }}, {{ this.cfg|tojson }});
{% endmacro %}"""

APPLY_TEMPLATE = """{% macro script(this, kwargs) %}
PharmaMap.apply({{ this.spec|tojson }});
{% endmacro %}"""


class _Base(MacroElement):
    _template = Template(BASE_TEMPLATE)

    def __init__(self, cfg: dict):
        super().__init__()
        self._name = "PpmBase"
        self.cfg = cfg


class _Apply(MacroElement):
    _template = Template(APPLY_TEMPLATE)

    def __init__(self, spec: dict):
        super().__init__()
        self._name = "PpmApply"
        self.spec = spec


# --------------------------------------------------------------------------- pure helpers


def radius_px(investment: float | None, reference: float) -> float:
    """Circle radius so that the circle's *area* is proportional to investment."""
    if investment is None or pd.isna(investment) or not reference > 0:
        return R_UNKNOWN
    return R_MAX * math.sqrt(max(investment, 0.0) / reference)


def nice_steps(reference: float) -> list[float]:
    """Three round values up to ``reference`` for the size legend."""
    if not reference > 0:  # also catches NaN
        return []
    exp = 10 ** math.floor(math.log10(reference))
    top = max(m * exp for m in (1, 2, 2.5, 5, 10) if m * exp <= reference)
    return [top / 4, top / 2, top]


def legend_html(colours: dict[str, str], colour_label: str, reference: float,
                any_approx: bool, any_unknown: bool, statuses: tuple[str, ...] = ()) -> str:
    """Legend markup; every category name is escaped. Past the palette, one 'other' row. ``statuses``:
    the statuses shown, each drawn as its marker style (left out when every plant is approved)."""
    named = {k: v for k, v in colours.items() if v != OTHER_COLOUR}
    others = len(colours) - len(named)
    rows = "".join(
        f'<div><span class="sw" style="background:{c}"></span>'
        f'{html.escape(t(cat) if cat == NOT_DISCLOSED else cat)}</div>'
        for cat, c in named.items()
    )
    if others:
        rows += (f'<div><span class="sw" style="background:{OTHER_COLOUR}"></span>'
                 f'{html.escape(t("{n} others", n=number(others)))}</div>')

    steps = nice_steps(reference)
    size = ""
    if steps:
        radii = [radius_px(v, reference) for v in steps]
        h = int(2 * radii[-1] + 18)
        x, parts = 2.0, []
        for v, r in zip(steps, radii, strict=True):
            cx = x + r
            parts.append(f'<circle cx="{cx:.1f}" cy="{h - 16 - r:.1f}" r="{r:.1f}" fill="#eee" stroke="#333"/>'
                         f'<text x="{cx:.1f}" y="{h - 3}" text-anchor="middle">{number(v, 1 if v % 1 else 0)}</text>')
            x += 2 * r + 12
        size = (f'<h4 style="margin-top:6px">{html.escape(t("Investment, bn KZT (circle area)"))}</h4>'
                f'<svg width="{int(x)}" height="{h}" role="img" aria-label="{html.escape(t("circle sizes"))}">'
                f'{"".join(parts)}</svg>')
    extra = ""
    if set(statuses) - {"approved"}:
        extra += f'<h4 style="margin-top:6px">{html.escape(t("Status"))}</h4>'
        for code in (c for c in STATUS_STYLES if c in statuses):
            style = STATUS_STYLES[code]
            extra += (f'<div><svg width="16" height="14" aria-hidden="true"><circle cx="8" cy="7" r="5" '
                      f'fill="#666" fill-opacity="{style["fill"]}" stroke="#1f1f1f" '
                      f'stroke-width="{style["weight"]}"/></svg> {html.escape(fmt.status_word(code))}</div>')
    if any_approx:
        extra += f'<div><span class="ap"></span>{html.escape(t("approximate location"))}</div>'
    if any_unknown:
        extra += f'<div>{html.escape(t("faint small circle: investment not disclosed"))}</div>'
    return (f'<details open><summary>{html.escape(t("Legend"))}</summary><h4>{html.escape(t(colour_label))}</h4>'
            f'{rows}{size}{extra}</details>')


def host_bounds(regions: dict, names: set[str]) -> list[list[float]] | None:
    geoms = [shape(f["geometry"]) for f in regions["features"] if f["properties"]["name"] in names]
    if not geoms:
        return None
    minx, miny, maxx, maxy = shapely.union_all(geoms).bounds
    return [[miny, minx], [maxy, maxx]]


LABEL_CLEARANCE_DEG = 0.8  # about the largest marker's radius at the first zoom: labels keep this far from plants


def _region_labels(regions: dict, hosts: set[str], plants: pd.DataFrame) -> list[dict]:
    """One label per host region, where no plant is drawn: at a point of the region away from its
    plants; a region too small for that (a city) is labelled below the plants drawn on it."""
    points = shapely.points(plants["lon"].to_numpy(float), plants["lat"].to_numpy(float))
    clear = shapely.union_all(shapely.buffer(points, LABEL_CLEARANCE_DEG)) if len(plants) else None
    labels = []
    for f in regions["features"]:
        if f["properties"]["name"] not in hosts:
            continue
        geom = shape(f["geometry"])
        free = geom.difference(clear) if clear is not None else geom
        dy = 0
        if free.is_empty or free.area < 0.05 * geom.area:
            free, dy = geom, int(R_MAX + 14)
        pt = free.representative_point()
        labels.append({"lat": round(pt.y, 4), "lon": round(pt.x, 4), "dy": dy, "text": _local_name(f)})
    return labels


def _local_name(feature: dict) -> str:
    """A region's name in the current language, from its name_<lang> property."""
    props = feature["properties"]
    return props.get(f"name_{current()}") or props["name"]


def regions_payload(regions: dict, hosts: set[str]) -> dict:
    """Regions for the browser: escaped names (current language) and a host flag, nothing else."""
    feats = [{"type": "Feature", "geometry": f["geometry"],
              "properties": {"name": html.escape(_local_name(f)),
                             "host": int(f["properties"]["name"] in hosts)}}
             for f in regions["features"]]
    return {"type": "FeatureCollection", "features": feats}


@dataclass(frozen=True)
class MapData:
    """Everything the browser needs about the plants, once per data version."""

    core: dict
    details: dict
    regions: dict | None
    plant_ids: list[str]
    reference: float
    colours: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> category -> colour
    bounds: list | None = None
    labels: list[dict] = field(default_factory=list)




def build_map_data(plants: pd.DataFrame, regions: dict | None,
                   region_name: Callable[[str], str] | None = None) -> MapData:
    """Compact columnar marker data for *all* plants (the browser filters with a bitset).

    The regions that have a plant are highlighted, labelled and framed. Texts (tooltips, the plants'
    accessible names, region names, labels) are in the current language: build one per language;
    ``region_name`` gives a region's name in it (else the data's name)."""
    hosts = set(plants["region"].dropna())
    inv = plants["investment_kzt_bn"]
    known = inv.dropna().to_numpy(float)
    reference = float(known.max()) if len(known) else 0.0
    radii = inv.map(lambda v: radius_px(v, reference))
    approx = (plants["point_basis"] != "site").to_numpy()
    unknown = inv.isna().to_numpy()
    context = (plants["scope"] == "existing").to_numpy()  # an existing plant: no programme figures
    cats, pals, colours = {}, {}, {}
    for column in COLOUR_BY.values():
        cmap = colour_map(plants, column)
        names = list(cmap)
        index = {c: k for k, c in enumerate(names)}
        cats[column] = [index[category_of(v)] for v in plants[column]]
        pals[column] = [cmap[c] for c in names]
        colours[column] = cmap
    core = {
        "lat": np.rint(plants["lat"].to_numpy(float) * COORD_SCALE).astype(int).tolist(),
        "lon": np.rint(plants["lon"].to_numpy(float) * COORD_SCALE).astype(int).tolist(),
        "r": np.rint(radii.to_numpy(float) * 2).astype(int).tolist(),  # half-pixel steps
        "f": (approx.astype(int) | (unknown.astype(int) << 1) | (context.astype(int) << 2)).tolist(),
        "c": cats,
        "p": pals,
    }
    jq = plants["jobs_qualifier"].where(plants["jobs_qualifier"].notna(), "exact")
    name_of = region_name or str
    tips = [
        [name, fmt.bn_kzt(i, iq, ib), fmt.figure(m, "exact", mb), fmt.figure(j, q, jb),
         fmt.point_word(p) if p != "site" else "", name_of(str(r))]
        for name, i, iq, ib, m, mb, j, q, jb, p, r in zip(
            plants["name"], inv, plants["investment_qualifier"],
            plants["basis_investment_kzt_bn"] if "basis_investment_kzt_bn" in plants
            else pd.Series("reported", index=plants.index),
            plants["medicines_count"],
            plants["basis_medicines_count"], plants["jobs"], jq, plants["basis_jobs"], plants["point_basis"],
            plants["region"], strict=True)
    ]
    return MapData(
        core=core, details={"t": tips, "id": plants["plant_id"].tolist()},
        regions=regions_payload(regions, hosts) if regions else None,
        plant_ids=plants["plant_id"].tolist(), reference=reference, colours=colours,
        bounds=host_bounds(regions, hosts) if regions else None,
        labels=_region_labels(regions, hosts, plants) if regions else [],
    )


def visible_mask(all_ids: list[str], shown_ids) -> str | None:
    """Base64 bitset of visible plants (bit i = plant i), or None when all are shown."""
    shown = set(shown_ids.tolist() if hasattr(shown_ids, "tolist") else shown_ids)  # not a loop over Arrow
    if len(shown) == len(all_ids) and shown.issuperset(all_ids):
        return None
    bits = np.fromiter((pid in shown for pid in all_ids), dtype=bool, count=len(all_ids))
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


# --------------------------------------------------------------------------- builders


INLINE_MAX = 16_384  # bytes: marker data smaller than this travels inside the map script


def build_base_map(data: MapData, offline: bool, urls: dict[str, str] | None = None) -> folium.Map:
    """The part of the map that never changes for a data version.

    ``urls`` maps ``core``/``details``/``regions`` to published JSON files; whatever is not
    published is inlined. Leaflet's JS/CSS and the map's own (static/pharmamap) point at the app's
    own static files.
    """
    urls = urls or {}
    m = folium.Map(location=[43.5, 72.5], zoom_start=6, tiles=None, prefer_canvas=True,
                   zoom_snap=0.25, min_zoom=4, max_zoom=14)
    m.default_js = [("leaflet", LEAFLET_JS), ("pharmamap", MAP_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS), ("pharmamap_css", MAP_CSS)]
    if not offline:
        folium.TileLayer(TILES, name="Basemap", control=False).add_to(m)
    cfg = {
        "offline": offline,
        "scale": COORD_SCALE,
        "gap": FAN_GAP,
        "bounds": data.bounds,
        "labels": data.labels,
        "regions": urls.get("regions", data.regions),
        "core": urls.get("core", data.core),
        "details": urls.get("details", data.details),
        "words": {"investment": t("Investment"), "medicines": t("Medicines"), "jobs": t("Jobs"),
                  "click": t("Click for details"), "title": t("Map of the pharmaceutical plants"),
                  "plants": t("Plants on the map, largest investment first. Arrow keys: the next or previous "
                              "plant; Enter: its details; Esc: back to the map."),
                  "more": t("{n} more plants are not listed here: the Table tab lists every plant."),
                  "none": t("No plant matches these filters. Use 'Reset filters' in the sidebar to see all plants.")},
    }
    m.add_child(_Base(cfg))
    return m


# a status on the marker: fill opacity and outline width, in the order of the status vocabulary.
# Approved is the first: the default view (four approved plants) looks as it always has.
STATUS_STYLES = {"approved": {"fill": 0.8, "weight": 1.2}, "talks": {"fill": 0.12, "weight": 2.0},
                 "agreement_signed": {"fill": 0.8, "weight": 3.0}, "under_construction": {"fill": 0.45, "weight": 3.0},
                 "operating": {"fill": 0.95, "weight": 4.5}}


def status_codes(plant_ids: list[str], shown: pd.DataFrame) -> str | None:
    """One digit per plant, its status's index in STATUS_STYLES; None when every plant shown is approved."""
    status = dict(zip(shown["plant_id"], shown["status"], strict=True)) if "status" in shown else {}
    if set(status.values()) <= {"approved"}:
        return None
    order = {code: str(k) for k, code in enumerate(STATUS_STYLES)}
    return "".join(order.get(status.get(pid, "approved"), "0") for pid in plant_ids)


def build_plant_group(data: MapData, shown: pd.DataFrame, colour_column: str, colour_label: str,
                      focus: dict | None = None, projector: bool = False) -> folium.FeatureGroup:
    """The per-rerun part: which plants are visible, their colours and the legend.

    ``focus`` ({"lat", "lon", "zoom"} or {"home": True}) flies the map there when it changes; ``projector``
    (presentation mode's option) darkens the regions, their outlines and labels."""
    fg = folium.FeatureGroup(name="Plants", control=False)
    shown_cats = {category_of(v) for v in shown[colour_column].unique()} if len(shown) else set()
    colours = {k: v for k, v in data.colours.get(colour_column, {}).items() if k in shown_cats}
    legend = legend_html(colours, colour_label, data.reference,
                         any_approx=bool((shown["point_basis"] != "site").any()),
                         any_unknown=bool(shown["investment_kzt_bn"].isna().any()),
                         statuses=tuple(shown["status"].unique()) if "status" in shown else ())
    fg.add_child(_Apply({"mask": visible_mask(data.plant_ids, shown["plant_id"]), "col": colour_column,
                         "styles": list(STATUS_STYLES.values()), "status": status_codes(data.plant_ids, shown),
                         "legend": legend, "focus": focus, "projector": projector}))
    return fg


def clicked_plant(data: MapData, returned: dict | None) -> str | None:
    """The plant_id of the marker in streamlit-folium's last_active_drawing, if it is one."""
    feat = (returned or {}).get("last_active_drawing") or {}
    i = (feat.get("properties") or {}).get("i")
    if isinstance(i, int) and 0 <= i < len(data.plant_ids):
        return data.plant_ids[i]
    return None


# --------------------------------------------------------------------------- Streamlit


def render_map(data: MapData, urls: dict[str, str], shown: pd.DataFrame, colour_label: str, offline: bool,
               regions_ok: bool, height: int = 520, focus: dict | None = None, projector: bool = False) -> str | None:
    """Draw the map; return the plant_id of the plant last clicked, if any."""
    import streamlit as st
    from streamlit_folium import st_folium

    if not regions_ok:
        st.warning(t("Region boundaries are unavailable (see the problems above), so the map shows plants "
                     "without regions."))
    base = build_base_map(data, offline, urls)
    message = t("The map could not be loaded (a script of the map is missing or was blocked). The figures, "
                "filters, charts and table still work; reload the page to try again.")
    base.default_js = [("guard", f"{GUARD_JS}&{urlencode({'m': message})}"), *base.default_js]  # first: see guard.js
    out = st_folium(base, key="map",
                    feature_group_to_add=build_plant_group(data, shown, COLOUR_BY[colour_label], colour_label, focus,
                                                           projector),
                    height=height, use_container_width=True, returned_objects=["last_active_drawing"])
    return clicked_plant(data, out)
