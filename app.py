"""Pharma Plants Map: thin entry point. Loads the data once per file change, then lays out components."""

from __future__ import annotations

import json
import os

import streamlit as st

from components.charts import chart_specs, render_charts
from components.exports import brief, render_exports
from components.detail import KEY as DETAIL_KEY
from components.detail import MAX_OPTIONS
from components.detail import render_detail
from components.filters import (
    REGION_NAMES, colour_from_state, currency_from_state, filters_from_state, language_from_state, render_colour_by,
    render_currency, render_filters, render_language, render_sidebar_waiting,
)
from components.kpis import render_kpis
from components.map import INLINE_MAX, MapData, build_map_data, render_map
from components.present import (
    PRESENT_KEY, focus_for, render_card, render_present_style, render_tour, story_html,
)
from components.problems import render_problems
from components.sources import render_sources, source_notes
from components.style import render_style
from components.table import render_table, table_frame
from components.text import md
from components.urlsync import TAB_KEY, apply_link, render_dropped, tab_labels, write_link
from core import fmt
from core.assets import ensure_leaflet, publish_json
from core.i18n import t, use
from core.data import Dataset, data_dir_from_env, file_signature, load_dataset, region_names
from core.urlstate import TABS
from core.domain import COLOUR_BY, apply_filters, area_attribution, compute_kpis, convert, explain_area_selection

st.set_page_config(page_title="Pharma Plants Map: Kazakhstan", page_icon="💊", layout="wide")


@st.cache_resource(show_spinner=False)
def _leaflet() -> None:
    ensure_leaflet()


@st.cache_resource(show_spinner=False, max_entries=8)
def _dataset(path: str, signature: tuple) -> Dataset:  # signature: reload when a file changes
    return load_dataset(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def _attribution(path: str, signature: tuple) -> dict[str, list[str]]:
    """Which plants each therapeutic area is attributed to, for all plants (used by three components)."""
    ds = _dataset(path, signature)
    return area_attribution(ds.plants, list(ds.areas["code"]))


@st.cache_resource(show_spinner=False, max_entries=8)
def _map_data(path: str, signature: tuple, lang: str) -> tuple[MapData, dict[str, str]]:
    """Marker data for all plants, published once per data version and language as cacheable static JSON."""
    use(lang)
    ds = _dataset(path, signature)
    data = build_map_data(ds.plants, ds.regions)
    urls = {}
    for name, obj in (("core", data.core), ("details", data.details), ("regions", data.regions)):
        if obj is None or (name != "regions" and len(json.dumps(obj)) < INLINE_MAX):
            continue  # small: inlined in the map script, one round trip fewer before the markers
        url = publish_json(obj)
        if url:
            urls[name] = url
    return data, urls


COMPLETE_KEY = "page.complete"


def _page_complete() -> bool:
    """False on a session's first run only. That run sends the title, the KPIs and the map, and the
    sidebar, charts and plant details follow in the next run, which the map asks for as soon as its
    markers are drawn (or any click starts): the browser then draws the map without competing with the
    code of a dozen other widgets (docs/performance.md)."""
    complete = bool(st.session_state.get(COMPLETE_KEY))
    st.session_state[COMPLETE_KEY] = True
    return complete


def main() -> None:
    _leaflet()
    render_style()
    offline = os.environ.get("PHARMAMAP_OFFLINE", "") == "1"
    data_dir = data_dir_from_env()
    signature = file_signature(data_dir)
    ds = _dataset(str(data_dir), signature)
    plants = ds.plants
    labels = dict(zip(ds.areas["code"], ds.areas["label"]))
    date = ds.facts.get("approved_on", "")

    dropped = apply_link(ds)  # first: the link decides the language, the mode and every widget's value
    # the map no longer asks for the rest of the page once drawn (no ping): every run draws all of it
    complete = True
    lang = use(render_language() if complete else language_from_state())
    REGION_NAMES.update(region_names(ds.regions))
    present = bool(st.session_state.get(PRESENT_KEY))
    st.title(t("Kazakhstan's four approved pharmaceutical plants"))
    if not present:
        st.caption(md(t("Investment agreements approved by the Government on {date}. Figures are reported unless "
                        "marked derived; empty means not disclosed. Sources in the third tab.",
                        date=fmt.date_long(date))))
    render_problems(ds)
    if plants.empty:
        st.warning(t("No plant could be loaded, so the KPIs, map markers, charts and table are empty."))

    attribution = _attribution(str(data_dir), signature)
    if complete:
        filters = render_filters(plants, labels, attribution)
        colour_label = render_colour_by()
        currency = render_currency(ds.fx)
        present = st.sidebar.toggle(t("Presentation mode"), key=PRESENT_KEY,
                                    help=t("Large type, a large map and a guided tour, for screen sharing."))
    else:
        render_sidebar_waiting()
        filters, colour_label, currency = filters_from_state(plants), colour_from_state(), currency_from_state(ds.fx)
    if present:
        render_present_style()
    shown = apply_filters(plants, filters)
    rate = convert(1.0, ds.fx, currency)[1] if currency != "KZT" else None
    # Slots for the KPIs and the notices, filled *after* the map: the map's delta (and the code of
    # its component) then reaches the browser first, and a filter change redraws it sooner. The
    # notices keep one container whatever the filters say, so everything after it keeps its place
    # in the page and the map component is not remounted (the user's zoom is kept).
    kpi_slot, notes_slot = st.container(), st.container()

    column = COLOUR_BY[colour_label]
    map_data, urls = _map_data(str(data_dir), signature, lang)
    touring = present and not shown.empty
    names = dict(zip(shown["plant_id"], shown["name"])) if touring else {}
    current = render_tour(shown, names) if touring else None  # overview, a plant_id, or closing
    kpis = None
    if touring:
        # full-width map with the story card drawn over it; the same card follows as page text
        kpis = compute_kpis(shown, ds.provenance, ds.programme)
        render_map(map_data, urls, shown, colour_label, offline, regions_ok=ds.regions is not None,
                   height=440, focus=focus_for(current, shown),
                   story=story_html(current, shown, kpis, ds.fx, date))
    else:
        overview, table, sources, export = st.tabs(tab_labels(), key=TAB_KEY, on_change="rerun")
        with overview:
            left, right = st.columns([3, 2], gap="medium")
            with left:
                clicked = render_map(map_data, urls, shown, colour_label, offline,
                                     regions_ok=ds.regions is not None)
    if kpis is None:
        kpis = compute_kpis(shown, ds.provenance, ds.programme)
    with kpi_slot:
        render_kpis(kpis, ds.fx, filtered=filters.active, currency=currency, compact=present)
    with notes_slot:
        render_dropped(dropped)
        for msg in explain_area_selection(filters.areas, plants, labels, attribution):
            st.info(md(msg), icon="ℹ️")
        if shown.empty and not plants.empty:
            st.warning(t("No plant matches these filters. Use 'Reset filters' in the sidebar to see all plants."))

    if not complete:  # the map asks for the rest once it is drawn
        if not touring:
            with right:
                st.caption(t("The charts follow as soon as the map is drawn."))
        write_link(filters, colour_label, currency)
        return
    specs = chart_specs(shown, plants, ds.provenance, map_data.colours[column], column, colour_label, labels,
                        attribution, rate, highlight=names.get(current))
    if touring:
        render_card(current, shown, kpis, ds.fx, date)
        left, right = st.columns(2, gap="large")
        with left:
            render_charts({k: specs[k] for k in ("Investment", "Medicines")}, len(shown))
        with right:
            render_charts({k: specs[k] for k in ("Jobs", "Therapeutic areas")}, len(shown))
    else:
        with left:
            if clicked and clicked != st.session_state.get("map.last_clicked"):
                st.session_state["map.last_clicked"] = clicked
                if len(shown) <= MAX_OPTIONS:
                    st.session_state[DETAIL_KEY] = clicked
            render_detail(shown, ds.provenance, st.session_state.get("map.last_clicked"))
        with right:
            render_charts(specs, len(shown))
        # the map tab always renders, so the map stays mounted; the others only when open
        with table:
            if table.open:
                render_table(shown, ds.provenance, date, rate)
        with sources:
            if sources.open:
                render_sources(ds)
        with export:
            if export.open:
                render_exports(table_frame(shown, ds.provenance, rate), source_notes(ds), specs,
                               brief(ds, kpis, shown, filters, specs, currency), map_data, shown, column,
                               colour_label, f"pharma-plants-{date}")
    write_link(filters, colour_label, currency)


if os.environ.get("PHARMAMAP_PROFILE"):  # scripts/profile_rerun.py: pyinstrument report of each rerun
    from pyinstrument import Profiler

    _profiler = Profiler(interval=0.0005)
    _profiler.start()
    main()
    _profiler.stop()
    with open(os.environ["PHARMAMAP_PROFILE"], "w", encoding="utf-8") as _fh:
        _fh.write(_profiler.output_text(unicode=True, color=False))
elif os.environ.get("PHARMAMAP_TIMING") == "1":  # read by scripts/benchmark.py from the server log
    import time

    _t0 = time.perf_counter()
    main()
    print(json.dumps({"rerun_ms": round((time.perf_counter() - _t0) * 1000, 1)}), flush=True)
else:
    main()
