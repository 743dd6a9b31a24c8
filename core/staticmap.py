"""The map as a picture: a Vega-Lite spec drawn offline by vl-convert, for the brief and the slide deck.

It draws what the dashboard's map draws, without a browser, tiles or network:

- the regions (the GeoJSON's own features, inline): the host regions tinted and outlined as on the
  map (``static/pharmamap/map.js``), the others pale;
- one circle per plant, its *area* proportional to investment (as ``components/map.py radius_px``),
  filled with its colour category's colour; an approximate location has a dashed outline, an
  undisclosed investment a small faint circle; plants sharing a point are fanned out around it, as
  map.js does;
- the host regions' names in the current language (``name_<lang>``), each where it covers no plant
  and no other label;
- the highlighted plant (a tour step) with a thick black ring, the others paler.

The projection is fixed (Mercator, as the dashboard's Leaflet map) and fitted to the host regions
(``projection.fit``), so the frame is the same in every language and at every step. Vega does the
projecting; ``Frame`` repeats d3's fit here only to place what lives in pixels (the fan-out, the
labels). Pure: a dict out; ``map_png`` renders it through ``core.exports.chart_png`` (the bundled
font, no URL allowed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from shapely.prepared import prep

from core.domain import category_of
from core.exports import text_width
from core.i18n import current

SCHEMA: Final = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier, never fetched
FONT: Final = "Source Sans Pro"  # as core.exports.FONT (registered from the bundled package)
PROJECTION: Final = "mercator"
HOST_FILL, HOST_STROKE = "#d9e8f5", "#4a6f8f"  # map.js: host regions
OTHER_FILL, OTHER_STROKE = "#f2f2f2", "#9a9a9a"  # map.js: the other regions
ABROAD_FILL, ABROAD_STROKE = "#fbfbfb", "#c4c4c4"  # the neighbouring countries, behind the regions
HOME_COUNTRY: Final = "398"  # Kazakhstan in countries.geojson (drawn by its regions instead)
PLANT_STROKE: Final = "#1f1f1f"
HIGHLIGHT: Final = "#000000"  # the ring around the highlighted plant; nothing else on the map is pure black
HIGHLIGHT_WIDTH: Final = 5.0
LABEL_COLOUR: Final = "#333333"
LABEL_SIZE: Final = 15
LABEL_WEIGHT: Final = "bold"  # as the brief's other bold text: one face fewer in a PDF
UNKNOWN_FILL: Final = "#888888"  # a plant whose colour category has no colour
DASH: Final = [5, 4]  # an approximate location's outline, as map.js
FAN_GAP: Final = 4.0  # px between markers fanned out around a shared point (components/map.py FAN_GAP)
R_UNKNOWN_SHARE: Final = 7 / 30  # an undisclosed investment's radius, as a share of the largest (map.py)
MARGIN: Final = 0.06  # share of the frame left around the host regions


def max_radius(width: int, height: int) -> float:
    """The largest plant's radius in px: 30 px on a 500 px frame (the dashboard's map), in proportion."""
    return max(10.0, 30.0 * min(width, height) / 500)


def radius(investment, reference: float, r_max: float) -> float:
    """Circle radius so that the circle's *area* is proportional to investment (components/map.py)."""
    if investment is None or pd.isna(investment) or not reference > 0:
        return r_max * R_UNKNOWN_SHARE
    return r_max * math.sqrt(max(float(investment), 0.0) / reference)


def local_name(feature: dict, lang: str | None = None) -> str:
    """A region's name in ``lang`` (default: the current language), from its ``name_<lang>`` property."""
    props = feature["properties"]
    return props.get(f"name_{lang or current()}") or props["name"]


def _clockwise(geometry: dict) -> dict:
    """The geometry with clockwise exterior rings, as d3-geo (Vega's projections) reads a polygon; an
    anticlockwise ring (RFC 7946's order) would be drawn as the whole globe minus the region."""
    geom = shape(geometry)
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = getattr(geom, "geoms", [geom])
    if not any(p.exterior.is_ccw for p in polygons):
        return geometry
    return dict(mapping(shapely.orient_polygons(geom, exterior_cw=True)))


# --------------------------------------------------------------------------- the frame, as d3 fits it


def _merc(lon: float, lat: float) -> tuple[float, float]:
    """d3.geoMercator's raw projection, at scale 1 (y grows southward, as on screen)."""
    lat = max(-85.0, min(85.0, lat))
    return math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@dataclass(frozen=True)
class Frame:
    """Mercator fitted to an extent as d3's ``fitExtent`` does (what Vega does with ``projection.fit``):
    ``px`` and ``lonlat`` convert between degrees and the view's pixels."""

    k: float
    tx: float
    ty: float

    @classmethod
    def fit(cls, geometries: list, extent: tuple[tuple[float, float], tuple[float, float]]) -> Frame:
        xs, ys = [], []
        for g in geometries:
            coords = shapely.get_coordinates(shape(g) if isinstance(g, dict) else g)
            for lon, lat in coords:
                x, y = _merc(float(lon), float(lat))
                xs.append(x)
                ys.append(y)
        (x0, y0), (x1, y1) = extent
        w, h = x1 - x0, y1 - y0
        bx0, bx1, by0, by1 = min(xs), max(xs), min(ys), max(ys)
        k = min(w / max(bx1 - bx0, 1e-9), h / max(by1 - by0, 1e-9))
        return cls(k, x0 + (w - k * (bx1 + bx0)) / 2, y0 + (h - k * (by1 + by0)) / 2)

    def px(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = _merc(lon, lat)
        return self.k * x + self.tx, self.k * y + self.ty

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        lon = math.degrees((x - self.tx) / self.k)
        lat = math.degrees(2 * math.atan(math.exp(-(y - self.ty) / self.k)) - math.pi / 2)
        return lon, lat


# --------------------------------------------------------------------------- plants and labels


def _fan(points: list[tuple[float, float]], radii: list[float]) -> list[tuple[float, float]]:
    """Pixel offsets (dx, dy) fanning out the plants that share a point, as map.js does: the first to the
    left, the others around a circle at a distance that keeps the largest of them clear."""
    offsets = [(0.0, 0.0)] * len(points)
    groups: dict[tuple[float, float], list[int]] = {}
    for i, p in enumerate(points):
        groups.setdefault(p, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        r_max = max(radii[i] for i in members)
        dist = (2 * r_max + FAN_GAP) / (2 * math.sin(math.pi / max(len(members), 2)))
        for j, i in enumerate(members):
            a = math.pi + 2 * math.pi * j / len(members)
            offsets[i] = (dist * math.cos(a), dist * math.sin(a))
    return offsets


def _plant_rows(plants: pd.DataFrame, frame: Frame, highlight: str | None, colours: dict[str, str],
                colour_column: str, r_max: float) -> list[dict]:
    """One row per plant: where it is drawn (fanned out), its size, colour, outline and ring."""
    inv = [None if pd.isna(v) else float(v) for v in plants["investment_kzt_bn"]]
    known = [v for v in inv if v is not None]
    reference = max(known) if known else 0.0
    radii = [radius(v, reference, r_max) for v in inv]
    points = [(float(la), float(lo)) for la, lo in zip(plants["lat"], plants["lon"], strict=True)]
    offsets = _fan(points, radii)
    basis = plants["point_basis"].tolist() if "point_basis" in plants else ["site"] * len(plants)
    rows = []
    for i, (pid, name, category) in enumerate(zip(plants["plant_id"], plants["name"], plants[colour_column],
                                                  strict=True)):
        r, (lat, lon), (dx, dy) = radii[i], points[i], offsets[i]
        x, y = frame.px(lon, lat)
        lon_drawn, lat_drawn = frame.lonlat(x + dx, y + dy)
        chosen = highlight is not None and pid == highlight
        faint = inv[i] is None or (highlight is not None and not chosen)
        rows.append({
            "plant_id": str(pid), "name": str(name),
            "lon": round(lon_drawn, 5), "lat": round(lat_drawn, 5), "x": x + dx, "y": y + dy, "r": r,
            "size": round((2 * r) ** 2, 1),  # a Vega symbol's size is the area of its bounding square
            "ring": round((2 * r + HIGHLIGHT_WIDTH) ** 2, 1),
            "fill": colours.get(category_of(category), UNKNOWN_FILL),
            "opacity": 0.35 if faint else 0.85,
            "approx": basis[i] != "site",
            "highlight": bool(chosen),
        })
    rows.sort(key=lambda row: -row["r"])  # the largest underneath: every circle stays visible
    return rows


def _labels(features: list[dict], rows: list[dict], frame: Frame, width: int, height: int) -> list[dict]:
    """One label per host region, centred on the point nearest the region's middle where its box covers
    no plant, no other label and stays in the frame; inside the region if it can (a city is too small:
    its label goes beside it)."""
    cx = np.array([r["x"] for r in rows])
    cy = np.array([r["y"] for r in rows])
    cr = np.array([r["r"] + (HIGHLIGHT_WIDTH if r["highlight"] else 0) + 3 for r in rows])
    boxes: list[tuple[float, float, float, float]] = []
    out = []
    h = LABEL_SIZE * 1.25
    order = sorted(features, key=lambda f: shape(f["geometry"]).area)  # the smallest has the least room: first
    for f in order:
        text = f["properties"]["label"]
        w = text_width(text, LABEL_SIZE, LABEL_WEIGHT) + 8
        geom = shape(f["geometry"])
        inside = prep(geom)
        mid = frame.px(*geom.representative_point().coords[0])
        lon0, lat0, lon1, lat1 = geom.bounds
        (ax, ay), (bx, by) = frame.px(lon0, lat1), frame.px(lon1, lat0)
        span = max(bx - ax, by - ay, 1.0)
        candidates = [(ax + (bx - ax) * i / 16, ay + (by - ay) * j / 16) for i in range(17) for j in range(17)]
        candidates += [(mid[0] + d * math.cos(a), mid[1] + d * math.sin(a))
                       for d in (span / 2 + h, span / 2 + 2 * h, span / 2 + w / 2, span + w / 2)
                       for a in np.linspace(0, 2 * math.pi, 16, endpoint=False)]
        best, best_cost = mid, math.inf
        for x, y in candidates:
            x0, x1, y0, y1 = x - w / 2, x + w / 2, y - h / 2, y + h / 2
            if x0 < 2 or y0 < 2 or x1 > width - 2 or y1 > height - 2:
                continue
            if len(cx):  # distance from each circle's centre to the box
                nx, ny = np.clip(cx, x0, x1) - cx, np.clip(cy, y0, y1) - cy
                if bool(((nx * nx + ny * ny) < cr * cr).any()):
                    continue
            if any(x0 < b1 and b0 < x1 and y0 < d1 and d0 < y1 for b0, b1, d0, d1 in boxes):
                continue
            cost = math.hypot(x - mid[0], y - mid[1]) + (0 if inside.contains(shapely.Point(frame.lonlat(x, y)))
                                                         else 4 * span)
            if cost < best_cost:
                best, best_cost = (x, y), cost
        boxes.append((best[0] - w / 2, best[0] + w / 2, best[1] - h / 2, best[1] + h / 2))
        lon, lat = frame.lonlat(*best)
        out.append({"lon": round(lon, 5), "lat": round(lat, 5), "text": text})
    return out


def _abroad(countries: dict, frame: Frame, width: int, height: int) -> list[dict]:
    """The countries in the frame but Kazakhstan, clockwise, without their properties."""
    (lon0, lat0), (lon1, lat1) = frame.lonlat(0, height), frame.lonlat(width, 0)
    box = shapely.box(lon0, lat0, lon1, lat1)
    out = []
    for f in countries.get("features", []):
        if str(f["properties"].get("id")) == HOME_COUNTRY or not shape(f["geometry"]).intersects(box):
            continue
        out.append({"type": "Feature", "geometry": _clockwise(f["geometry"]), "properties": {}})
    return out


def map_spec(regions: dict, plants: pd.DataFrame, hosts: set[str], highlight: str | None,
             colours: dict[str, str], colour_column: str, width: int, height: int,
             countries: dict | None = None) -> dict:
    """A Vega-Lite spec of the map: ``regions`` (a GeoJSON FeatureCollection with ``name`` and
    ``name_<lang>`` properties), the host regions (``hosts``: their ``name``) tinted, labelled in the
    current language and framed; ``plants`` (rows of Dataset.plants) as circles coloured by
    ``colours[category_of(plant[colour_column])]``; ``highlight``: a plant_id to ring, or None;
    ``countries`` (countries.geojson, optional): the neighbours, drawn pale behind.

    Every datum inline (no URL); the view is ``width`` × ``height`` px with no padding."""
    features = [{"type": "Feature", "geometry": _clockwise(f["geometry"]),
                 "properties": {"name": f["properties"]["name"], "label": local_name(f),
                                "host": f["properties"]["name"] in hosts}}
                for f in regions["features"]]
    framed = [f for f in features if f["properties"]["host"]] or features
    mx, my = round(width * MARGIN), round(height * MARGIN)
    frame = Frame.fit([f["geometry"] for f in framed], ((mx, my), (width - mx, height - my)))
    placed = plants.loc[plants["lat"].notna() & plants["lon"].notna()]
    rows = _plant_rows(placed, frame, highlight, colours, colour_column, max_radius(width, height))
    hosts_drawn = [f for f in features if f["properties"]["host"]]
    labels = _labels(hosts_drawn, rows, frame, width, height)
    geo = {"longitude": {"field": "lon", "type": "quantitative"},
           "latitude": {"field": "lat", "type": "quantitative"}}
    text = {"type": "text", "font": FONT, "fontSize": LABEL_SIZE, "fontWeight": LABEL_WEIGHT, "align": "center",
            "baseline": "middle", "clip": True}
    layers: list[dict] = []
    abroad = _abroad(countries, frame, width, height) if countries else []
    if abroad:
        layers.append({"data": {"values": abroad},
                       "mark": {"type": "geoshape", "clip": True, "fill": ABROAD_FILL, "stroke": ABROAD_STROKE,
                                "strokeWidth": 0.7}})
    layers += [
        {"data": {"values": features},
         "mark": {"type": "geoshape", "clip": True},
         "encoding": {
             "fill": {"condition": {"test": "datum.properties.host", "value": HOST_FILL}, "value": OTHER_FILL},
             "stroke": {"condition": {"test": "datum.properties.host", "value": HOST_STROKE},
                        "value": OTHER_STROKE},
             "strokeWidth": {"condition": {"test": "datum.properties.host", "value": 1.6}, "value": 0.7}}},
    ]
    if rows:
        plant_rows = [{k: v for k, v in r.items() if k not in ("x", "y", "r")} for r in rows]
        layers.append({
            "data": {"values": plant_rows},
            "mark": {"type": "point", "shape": "circle", "filled": True, "stroke": PLANT_STROKE, "opacity": 1,
                     "clip": True},
            "encoding": {**geo,
                         "size": {"field": "size", "type": "quantitative", "scale": None},
                         "fill": {"field": "fill", "type": "nominal", "scale": None},
                         "fillOpacity": {"field": "opacity", "type": "quantitative", "scale": None},
                         "strokeWidth": {"condition": {"test": "datum.approx", "value": 2}, "value": 1.2},
                         "strokeDash": {"condition": {"test": "datum.approx", "value": DASH}, "value": [1, 0]}}})
        ringed = [r for r in plant_rows if r["highlight"]]
        if ringed:
            layers.append({
                "data": {"values": ringed},
                "mark": {"type": "point", "shape": "circle", "filled": False, "stroke": HIGHLIGHT,
                         "strokeWidth": HIGHLIGHT_WIDTH, "opacity": 1, "clip": True},
                "encoding": {**geo, "size": {"field": "ring", "type": "quantitative", "scale": None}}})
    if labels:
        layers += [  # a white halo under each name, as the map's text-shadow
            {"data": {"values": labels}, "mark": {**text, "stroke": "white", "strokeWidth": 4, "strokeJoin": "round"},
             "encoding": {**geo, "text": {"field": "text"}}},
            {"data": {"values": labels}, "mark": {**text, "color": LABEL_COLOUR},
             "encoding": {**geo, "text": {"field": "text"}}},
        ]
    return {
        "$schema": SCHEMA, "width": width, "height": height, "padding": 0, "background": "white",
        "autosize": {"type": "none"},
        "projection": {"type": PROJECTION, "fit": {"type": "FeatureCollection", "features": framed},
                       "extent": [[mx, my], [width - mx, height - my]]},
        "layer": layers, "view": {"stroke": "#c4c4c4"},
    }


def map_png(spec: dict, scale: float = 2.0) -> bytes:
    """The map as PNG (``scale`` × its size), through the exports' renderer: the bundled font, no URL
    allowed."""
    from core import exports

    return exports.chart_png(spec, scale=scale, width=spec["width"])


# --------------------------------------------------------------------------- the partners map

PARTNER_HOME_FILL, PARTNER_HOME_STROKE = "#f3d9a4", "#8a6d2f"  # partners.js: Kazakhstan
PARTNER_FILL, PARTNER_STROKE = "#d6e6f4", "#5b7e9e"  # partners.js: a partner's country
NEUTRAL_FILL, NEUTRAL_STROKE = "#ebebeb", "#b5b5b5"  # partners.js: the others
ARC_DASH: Final = [8, 6]


def partners_spec(countries: dict | None, arcs: list[dict], hqs: list[dict], plants: list[dict], places: list[dict],
                  labels: list[dict], colours: dict[str, str], role_names: dict[str, str], width: int,
                  height: int) -> dict:
    """The partners map as a Vega-Lite spec, from components/partners.py PartnersData's fields:
    ``countries`` (outlines with a highlight flag ``h``: 2 Kazakhstan, 1 a partner's country), ``arcs``
    ({points: [[lat, lon], …], role, dashed, label, label_at}), ``hqs`` and ``plants`` ({lat, lon}),
    ``places`` and ``labels`` ({lat, lon, text[, side]}); ``colours`` and ``role_names`` by role (the
    legend: the roles drawn, in the current language). Fitted to every point and arc; all data inline."""
    points = [(p["lon"], p["lat"]) for p in [*hqs, *plants, *places]] + \
        [(lon, lat) for a in arcs for lat, lon in a["points"]]
    if not points:
        points = [(71.4491, 51.1694)]  # Astana: a frame even with nothing to draw
    texts = [{"lon": p["lon"], "lat": p["lat"], "text": p["text"], "side": p.get("side", "r")}
             for p in [*labels, *places]]
    mx, my = round(width * MARGIN), round(height * MARGIN)
    left, right = mx, width - mx
    for _ in range(4):  # leave room for the names beside the points at the frame's edges
        frame = Frame.fit([shapely.multipoints(points)], ((left, my), (right, height - my)))
        need_left, need_right = 0.0, 0.0
        for x in texts:
            px = frame.px(x["lon"], x["lat"])[0]
            w = text_width(x["text"], 15, LABEL_WEIGHT) + 11 + 6
            need_left = max(need_left, w - px if x["side"] == "l" else 0.0)
            need_right = max(need_right, px + w - width if x["side"] != "l" else 0.0)
        if need_left <= 0.5 and need_right <= 0.5:
            break
        left, right = left + max(need_left, 0.0), right - max(need_right, 0.0)
    fit = {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [list(p) for p in points]},
           "properties": {}}
    geo = {"longitude": {"field": "lon", "type": "quantitative"},
           "latitude": {"field": "lat", "type": "quantitative"}}
    layers: list[dict] = []
    if countries:
        (lon0, lat0), (lon1, lat1) = frame.lonlat(0, height), frame.lonlat(width, 0)
        box = shapely.box(lon0, lat0, lon1, lat1)
        shown = [{"type": "Feature", "geometry": _clockwise(f["geometry"]), "properties": {"h": f["properties"]["h"]}}
                 for f in countries["features"] if shape(f["geometry"]).intersects(box)]
        layers.append({
            "data": {"values": shown}, "mark": {"type": "geoshape", "clip": True},
            "encoding": {
                "fill": {"condition": [{"test": "datum.properties.h == 2", "value": PARTNER_HOME_FILL},
                                       {"test": "datum.properties.h == 1", "value": PARTNER_FILL}],
                         "value": NEUTRAL_FILL},
                "stroke": {"condition": [{"test": "datum.properties.h == 2", "value": PARTNER_HOME_STROKE},
                                         {"test": "datum.properties.h == 1", "value": PARTNER_STROKE}],
                           "value": NEUTRAL_STROKE},
                "strokeWidth": {"condition": {"test": "datum.properties.h > 0", "value": 1.2}, "value": 0.6}}})
    drawn_roles = [r for r in colours if any(a["role"] == r for a in arcs)]
    if arcs:
        lines = [{"type": "Feature",
                  "properties": {"role": role_names.get(a["role"], a["role"]), "dashed": a["dashed"]},
                  "geometry": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in a["points"]]}}
                 for a in arcs]
        names = [role_names.get(r, r) for r in drawn_roles]
        layers.append({
            "data": {"values": lines},
            "mark": {"type": "geoshape", "filled": False, "strokeWidth": 3, "clip": True, "strokeCap": "butt"},
            "encoding": {
                "stroke": {"field": "properties.role", "type": "nominal", "title": None,
                           "scale": {"domain": names, "range": [colours[r] for r in drawn_roles]},
                           "legend": {"orient": "bottom-left", "labelFont": FONT, "labelFontSize": 15,
                                      "symbolType": "stroke", "symbolStrokeWidth": 3, "labelLimit": 0,
                                      "fillColor": "white", "padding": 6}},
                "strokeDash": {"condition": {"test": "datum.properties.dashed", "value": ARC_DASH}, "value": [1, 0]}}})
        talk_labels = [{"lon": a["label_at"][1], "lat": a["label_at"][0], "text": a["label"],
                        "colour": colours.get(a["role"], "#555555")} for a in arcs if a.get("label_at")]
        if talk_labels:
            mark = {"type": "text", "font": FONT, "fontSize": 14, "fontWeight": LABEL_WEIGHT, "dy": -14, "clip": True}
            layers += [{"data": {"values": talk_labels},
                        "mark": {**mark, "stroke": "white", "strokeWidth": 4, "strokeJoin": "round"},
                        "encoding": {**geo, "text": {"field": "text"}}},
                       {"data": {"values": talk_labels}, "mark": mark,
                        "encoding": {**geo, "text": {"field": "text"},
                                     "color": {"field": "colour", "type": "nominal", "scale": None}}}]
    dot = {"type": "point", "shape": "circle", "filled": True, "opacity": 1, "clip": True}
    if places:
        layers.append({"data": {"values": [{"lon": p["lon"], "lat": p["lat"]} for p in places]},
                       "mark": {**dot, "size": 90, "fill": "white", "stroke": PLANT_STROKE, "strokeWidth": 1.5},
                       "encoding": geo})
    if plants:
        layers.append({"data": {"values": [{"lon": p["lon"], "lat": p["lat"]} for p in plants]},
                       "mark": {**dot, "size": 130, "fill": PLANT_STROKE, "stroke": "white", "strokeWidth": 1.5},
                       "encoding": geo})
    if hqs:
        layers.append({"data": {"values": [{"lon": h["lon"], "lat": h["lat"],
                                            "fill": colours.get(h["role"], "#555555")} for h in hqs]},
                       "mark": {**dot, "size": 260, "stroke": "white", "strokeWidth": 2},
                       "encoding": {**geo, "fill": {"field": "fill", "type": "nominal", "scale": None}}})
    for side, align, dx in (("r", "left", 11), ("l", "right", -11)):
        rows = [x for x in texts if x["side"] == side]
        if not rows:
            continue
        text = {"type": "text", "font": FONT, "fontSize": 15, "fontWeight": LABEL_WEIGHT, "align": align, "dx": dx,
                "baseline": "middle", "clip": True}
        halo = {**text, "stroke": "white", "strokeWidth": 4, "strokeJoin": "round"}
        layers += [{"data": {"values": rows}, "mark": halo, "encoding": {**geo, "text": {"field": "text"}}},
                   {"data": {"values": rows}, "mark": {**text, "color": LABEL_COLOUR},
                    "encoding": {**geo, "text": {"field": "text"}}}]
    return {
        "$schema": SCHEMA, "width": width, "height": height, "padding": 0, "background": "white",
        "autosize": {"type": "none"},
        "projection": {"type": PROJECTION, "fit": fit,
                       "extent": [[round(left, 1), my], [round(right, 1), height - my]]},
        "layer": layers, "view": {"stroke": "#c4c4c4"},
    }
