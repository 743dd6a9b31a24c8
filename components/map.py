"""The map: pure ``build_*`` functions returning folium objects, and ``render_map`` (Streamlit).

The base map (regions, labels, view) is built the same way on every rerun, so
streamlit-folium keeps the same component and the user's zoom; the plants travel in a
``FeatureGroup`` passed as ``feature_group_to_add`` and are swapped without a remount.
Plants are one GeoJSON layer drawn on a canvas, not one Python object per plant.
"""

from __future__ import annotations

import html
import math

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from core import fmt
from core.assets import LEAFLET_CSS, LEAFLET_JS
from core.domain import NOT_DISCLOSED, category_of

HOST_REGIONS = ("Almaty", "Almaty Region", "Turkistan Region")
R_MAX = 30.0  # px radius of the largest investment
R_UNKNOWN = 7.0  # px radius of a plant whose investment is not disclosed
FAN_GAP = 4.0  # px between fanned-out markers
TILES = "CartoDB positron"  # light, low-contrast: the data stays in front

CSS = """
<style>
.ppm-legend{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:6px;
  box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.3 "Source Sans Pro",Arial,sans-serif;color:#1f1f1f;
  max-width:200px}
.ppm-legend summary{cursor:pointer;font-weight:700}
.ppm-legend h4{margin:0 0 4px;font-size:13px;font-weight:700}
.ppm-legend .sw{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:6px;
  vertical-align:-1px;border:1px solid #333}
.ppm-legend .ap{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:6px;
  vertical-align:-1px;border:2px dashed #222}
.ppm-legend svg text{font-size:11px;fill:#1f1f1f}
.ppm-label{font:600 14px "Source Sans Pro",Arial,sans-serif;color:#333;white-space:nowrap;
  text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;text-align:center}
.leaflet-tooltip.ppm-tip{font-size:14px;line-height:1.4}
</style>
"""


class _BaseExtras(MacroElement):
    """Initial view and region labels.

    The view is set without animation: an animated fitBounds right after creation can leave
    the canvas mid-transition (scaled and clipped) when the iframe is not painted yet.
    Labels sit in a pane under the markers, so a label never hides a plant.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map){
            var pane = map.getPane('ppm-labels') || map.createPane('ppm-labels');
            pane.style.zIndex = 350; pane.style.pointerEvents = 'none';
            var labels = {{ this.labels|tojson }};
            // the iframe is sized after the map is made: keep Leaflet's canvas matching it
            if (window.ResizeObserver) {
                new ResizeObserver(function(){ map.invalidateSize(); }).observe(map.getContainer());
            }
            var bounds = {{ this.bounds|tojson }};
            // a wide map shows the legend open at the top right: keep the plants clear of it
            var right = map.getSize().x >= 700 ? 215 : 10;
            if (bounds) { map.fitBounds(bounds, {animate: false, paddingTopLeft: [10, 10],
                                                 paddingBottomRight: [right, 10]}); }
            L.control.scale({imperial: false}).addTo(map);
            labels.forEach(function(l){
                L.marker([l.lat, l.lon], {pane: 'ppm-labels', interactive: false, keyboard: false,
                    icon: L.divIcon({className: 'ppm-label', html: l.html, iconSize: [200, 20],
                                     iconAnchor: [100, 10 - l.dy]})}).addTo(map);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[dict], bounds: list[list[float]] | None):
        super().__init__()
        self._name = "PpmBase"
        self.labels = labels
        self.bounds = bounds


class PlantLayer(MacroElement):
    """All plants as one ``L.geoJSON`` layer of canvas circle markers.

    Tooltip text is escaped in the browser as well as here: whatever a CSV holds is shown
    as text. Markers that share a point are fanned out in screen pixels at every zoom.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(group){
            var map = {{ this._parent._parent.get_name() }};
            function esc(s){ return String(s).replace(/[&<>"']/g, function(c){
                return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]; }); }
            var layer = L.geoJSON({{ this.data|tojson }}, {
                pointToLayer: function(f, ll){
                    var p = f.properties;
                    return L.circleMarker(ll, {radius: p.r, color: '#1f1f1f', weight: p.a ? 2 : 1.2,
                        dashArray: p.a ? '5 4' : null, fillColor: p.c, fillOpacity: p.u ? 0.25 : 0.8});
                },
                onEachFeature: function(f, l){
                    var p = f.properties;
                    l.bindTooltip(function(){
                        return '<b>' + esc(p.n) + '</b><br>Investment: ' + esc(p.i) +
                               '<br>Medicines: ' + esc(p.m) + '<br>Jobs: ' + esc(p.j) +
                               (p.a ? '<br><i>' + esc(p.al) + '</i>' : '') +
                               '<br><span style="color:#555">Click for details</span>';
                    }, {direction: 'top', className: 'ppm-tip', offset: [0, -p.r]});
                }
            });
            function fan(){
                layer.eachLayer(function(l){
                    var p = l.feature.properties;
                    if (!(p.fc > 1)) return;
                    if (!l._ppmOrigin) l._ppmOrigin = l.getLatLng();
                    var o = map.project(l._ppmOrigin, map.getZoom());
                    var ang = Math.PI + 2 * Math.PI * p.fi / p.fc;  // first to the left
                    l.setLatLng(map.unproject(o.add([p.fd * Math.cos(ang), p.fd * Math.sin(ang)]),
                                              map.getZoom()));
                });
            }
            layer.on('add', function(){ fan(); map.on('zoomend', fan); });
            layer.on('remove', function(){ map.off('zoomend', fan); });
            layer.addTo(group);
            return layer;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict):
        super().__init__()
        self._name = "PlantLayer"
        self.data = data


class Legend(MacroElement):
    """Colour and size legend; replaces the previous one when the plants are redrawn."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map){
            if (window.__ppmLegend) { window.__ppmLegend.remove(); }
            var c = L.control({position: 'topright'});
            c.onAdd = function(){
                var div = L.DomUtil.create('div', 'ppm-legend');
                div.innerHTML = {{ this.html|tojson }};
                // on a narrow map the open legend would hide plants: start it folded
                var d = div.querySelector('details');
                if (d && map.getSize().x < 700) { d.open = false; }
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            c.addTo(map);
            window.__ppmLegend = c;
        })({{ this._parent._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str):
        super().__init__()
        self._name = "PpmLegend"
        self.html = legend_html


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


def fan_groups(plants: pd.DataFrame, radii: pd.Series) -> pd.DataFrame:
    """For plants sharing a point: index in the group, group size, fan distance in px."""
    if plants.empty:
        return pd.DataFrame({"fi": [], "fc": [], "fd": []}, index=plants.index)
    key = plants["lat"].round(5).astype(str) + "," + plants["lon"].round(5).astype(str)
    out = pd.DataFrame(index=plants.index)
    out["fi"] = key.groupby(key).cumcount()
    out["fc"] = key.map(key.value_counts())
    rmax = radii.groupby(key).transform("max")
    n = out["fc"].clip(lower=2)
    out["fd"] = ((2 * rmax + FAN_GAP) / (2 * (math.pi / n).map(math.sin))).round(1)
    out.loc[out["fc"] < 2, "fd"] = 0.0
    return out


def plants_geojson(plants: pd.DataFrame, colours: dict[str, str], colour_column: str,
                   reference: float, provenance: pd.DataFrame) -> dict:
    """The marker layer's data: only what the map needs, coordinates to 5 decimals (~1 m)."""
    from core.domain import basis_of  # local: keeps this module's import surface small

    radii = plants["investment_kzt_bn"].map(lambda v: radius_px(v, reference))
    fans = fan_groups(plants, radii)
    feats = []
    for idx, p in plants.iterrows():
        pid = p["plant_id"]
        approx = p["location_precision"] != "site"
        jq = p["jobs_qualifier"] if isinstance(p["jobs_qualifier"], str) else "exact"
        feats.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(p["lon"]), 5), round(float(p["lat"]), 5)]},
            "properties": {
                "plant_id": pid,
                "n": p["name"],
                "c": colours.get(category_of(p[colour_column]), colours.get(NOT_DISCLOSED, "#8C8C8C")),
                "r": round(float(radii[idx]), 1),
                "u": int(pd.isna(p["investment_kzt_bn"])),
                "a": int(approx),
                "al": "Approximate location: " + fmt.PRECISION_WORDS[p["location_precision"]].split(": ", 1)[-1]
                if approx else "",
                "i": fmt.bn_kzt(p["investment_kzt_bn"]),
                "m": fmt.figure(p["medicines_count"], "exact",
                                basis_of(provenance, pid, "medicines_count")),
                "j": fmt.figure(p["jobs"], jq, basis_of(provenance, pid, "jobs")),
                "fi": int(fans.at[idx, "fi"]),
                "fc": int(fans.at[idx, "fc"]),
                "fd": float(fans.at[idx, "fd"]),
            },
        })
    return {"type": "FeatureCollection", "features": feats}


def legend_html(colours: dict[str, str], colour_label: str, reference: float,
                any_approx: bool, any_unknown: bool) -> str:
    """Legend markup; every category name is escaped."""
    rows = "".join(
        f'<div><span class="sw" style="background:{c}"></span>{html.escape(cat)}</div>'
        for cat, c in colours.items()
    )
    steps = nice_steps(reference)
    size = ""
    if steps:
        radii = [radius_px(v, reference) for v in steps]
        h = int(2 * radii[-1] + 18)
        x, parts = 2.0, []
        for v, r in zip(steps, radii):
            cx = x + r
            parts.append(f'<circle cx="{cx:.1f}" cy="{h - 16 - r:.1f}" r="{r:.1f}" fill="#eee" stroke="#333"/>'
                         f'<text x="{cx:.1f}" y="{h - 3}" text-anchor="middle">{v:g}</text>')
            x += 2 * r + 12
        w = int(x)
        circles = "".join(parts)
        size = (f'<h4 style="margin-top:6px">Investment, bn KZT (circle area)</h4>'
                f'<svg width="{w}" height="{h}" role="img" aria-label="circle sizes">{circles}</svg>')
    extra = ""
    if any_approx:
        extra += '<div><span class="ap"></span>approximate location</div>'
    if any_unknown:
        extra += '<div>faint small circle: investment not disclosed</div>'
    return (f'<details open><summary>Legend</summary><h4>{html.escape(colour_label)}</h4>{rows}{size}{extra}'
            '</details>')


def host_bounds(regions: dict, names=HOST_REGIONS) -> list[list[float]] | None:
    from shapely.geometry import shape
    import shapely

    geoms = [shape(f["geometry"]) for f in regions["features"] if f["properties"]["name"] in names]
    if not geoms:
        return None
    minx, miny, maxx, maxy = shapely.union_all(geoms).bounds
    return [[miny, minx], [maxy, maxx]]


def _escaped_regions(regions: dict) -> dict:
    feats = []
    for f in regions["features"]:
        props = {k: html.escape(str(v)) for k, v in f["properties"].items()}
        feats.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": feats}


# --------------------------------------------------------------------------- builders


def build_base_map(regions: dict | None, offline: bool, host_regions=HOST_REGIONS) -> folium.Map:
    """Regions as a vector basemap, host regions highlighted and labelled, framed on them.

    Leaflet's JS/CSS point at the app's own static files; no element brings a CDN asset.
    """
    m = folium.Map(location=[43.5, 72.5], zoom_start=6, tiles=None, prefer_canvas=True,
                   zoom_snap=0.25, min_zoom=4, max_zoom=14)
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    m.get_root().header.add_child(Element(CSS))
    if not offline:
        folium.TileLayer(TILES, name="Basemap", control=False).add_to(m)
    if regions:
        hosts = set(host_regions)

        def style(feat):
            host = html.unescape(feat["properties"]["name"]) in hosts
            return {"fillColor": "#d9e8f5" if host else "#f2f2f2", "color": "#4a6f8f" if host else "#9a9a9a",
                    "weight": 2 if host else 0.8, "fillOpacity": 0.55 if host else (0.35 if offline else 0.1)}

        folium.GeoJson(_escaped_regions(regions), name="Regions", style_function=style,
                       highlight_function=lambda f: {"weight": 2.5, "color": "#333"},
                       tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False), control=False).add_to(m)
        import shapely.geometry
        from shapely.geometry import shape

        labels = []
        for f in regions["features"]:
            name = f["properties"]["name"]
            if name not in hosts:
                continue
            geom = shape(f["geometry"])
            pt = geom.representative_point()
            lat, lon = pt.y, pt.x
            dy = 0
            if name == "Almaty":  # tiny city polygon: label it below the plants drawn there, at any zoom
                dy = int(R_MAX + 14)
            elif name == "Turkistan Region":  # plants sit at its centre: label its northern part, away from plants at its centre
                lat = geom.bounds[3] - 0.25 * (geom.bounds[3] - geom.bounds[1])
                lon = geom.intersection(shapely.geometry.box(geom.bounds[0], lat - 0.05, geom.bounds[2],
                                                             lat + 0.05)).centroid.x
            labels.append({"lat": round(lat, 4), "lon": round(lon, 4), "dy": dy, "html": html.escape(name)})
        m.add_child(_BaseExtras(labels, host_bounds(regions, host_regions)))
    return m


def build_plant_group(plants: pd.DataFrame, colours: dict[str, str], colour_column: str,
                      colour_label: str, reference: float, provenance: pd.DataFrame) -> folium.FeatureGroup:
    """The dynamic part of the map: one marker layer and its legend.

    Its scripts find the map through the group's parent, which streamlit-folium (or
    ``add_to``) sets when the group is attached.
    """
    fg = folium.FeatureGroup(name="Plants", control=False)
    data = plants_geojson(plants, colours, colour_column, reference, provenance)
    fg.add_child(PlantLayer(data))
    shown = {category_of(v) for v in plants[colour_column]} if len(plants) else set()
    legend_colours = {k: v for k, v in colours.items() if k in shown}
    fg.add_child(Legend(
        legend_html(legend_colours, colour_label, reference,
                    any_approx=bool((plants["location_precision"] != "site").any()),
                    any_unknown=bool(plants["investment_kzt_bn"].isna().any()))))
    return fg


# --------------------------------------------------------------------------- Streamlit


def render_map(ds, shown: pd.DataFrame, colour_label: str, offline: bool, height: int = 520) -> str | None:
    """Draw the map; return the plant_id of the plant last clicked, if any."""
    import streamlit as st
    from streamlit_folium import st_folium

    from core.domain import COLOUR_BY, colour_map

    if ds.regions is None:
        st.warning("Region boundaries are unavailable (see the problems above), so the map shows plants "
                   "without regions.")
    column = COLOUR_BY[colour_label]
    colours = colour_map(ds.plants, column)
    inv = ds.plants["investment_kzt_bn"].dropna()
    reference = float(inv.max()) if len(inv) else 0.0
    base = build_base_map(ds.regions, offline)
    group = build_plant_group(shown, colours, column, colour_label, reference, ds.provenance)
    out = st_folium(base, key="map", feature_group_to_add=group, height=height, use_container_width=True,
                    returned_objects=["last_active_drawing"])
    feat = (out or {}).get("last_active_drawing") or {}
    return (feat.get("properties") or {}).get("plant_id")
