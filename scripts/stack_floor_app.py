"""The benchmark's second reference: the mandated stack's own minimum, a page holding only an
offline streamlit-folium map with one canvas marker (local Leaflet, no data, no charts).

scripts/benchmark.py runs it from a temporary folder whose ``static`` links to the app's, since
Streamlit serves ``static/`` from beside the main script."""

import folium
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import st_folium

from core.assets import LEAFLET_CSS, LEAFLET_JS, ensure_leaflet

ensure_leaflet()
m = folium.Map(location=[43.3, 72.5], zoom_start=5, tiles=None, prefer_canvas=True)
m.default_js = [("leaflet", LEAFLET_JS)]
m.default_css = [("leaflet_css", LEAFLET_CSS)]
folium.CircleMarker([43.3, 72.5], radius=10).add_to(m)


class _Drawn(MacroElement):  # scripts/benchmark.py reads when the marker is painted, as the app's map records it
    _template = Template("""{% macro script(this, kwargs) %}
(function painted(){ requestAnimationFrame(function(){
    if (!window.innerHeight) { painted(); return; }
    window.__drawnAt = Date.now();
}); })();
{% endmacro %}""")


m.add_child(_Drawn())
st_folium(m, key="map", height=520, returned_objects=[])
