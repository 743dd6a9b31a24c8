"""Pharma Plants Map: set-up and load (components/page.py), then one layout per view: explore or present."""

from __future__ import annotations

import streamlit as st

from components import charts, detail, devhooks, exports, kpis, market, partners, sources, table, timeline, upload
from components import map as mapview
from components import present as tour
from components.page import Page, load_page, render_notices, select_partner
from components.style import sidebar_state
from components.urlsync import render_tabs, write_link

st.set_page_config(page_title="Pharma Plants Map: Kazakhstan", page_icon="💊", layout="wide",
                   initial_sidebar_state=sidebar_state())  # presentation mode never draws the sidebar


def explore(page: Page) -> None:
    """KPIs; tabs: the map with plant details beside the charts, then the wider picture and the data."""
    ds, shown = page.ds, page.shown
    kpis.render_kpis(page.kpis, ds.fx, filtered=page.filters.active, currency=page.currency,
                     context=page.context_only)
    render_notices(page)
    tabs = render_tabs(page.view)
    with tabs["map"]:  # always drawn, so the map stays mounted; the other tabs only run when open
        clicked = mapview.render_map(page.map_data, page.map_urls, shown, page.colour_label, page.offline,
                                     regions_ok=ds.regions is not None)
        left, right = st.columns([2, 3], gap="medium")
        with left:
            detail.render_detail(shown, ds.provenance, ds.region_name, clicked, page.view.plant, ds.events, ds.geo)
        with right:
            charts.render_charts(page.chart_specs(), shown)
    later = {
        "timeline": lambda: timeline.render_timeline(ds, page.filters.as_of, ds.plants),
        "partners": lambda: partners.render_partners(ds, ds.scope_plants(page.filters.scope), on_select=select_partner),
        "market": lambda: market.render_market(ds, shown),
        "table": lambda: table.render_table(shown, ds.region_name, page.date, page.rate),
        "sources": lambda: sources.render_sources(ds),
        "export": lambda: exports.render_export_tab(page),
        "data": lambda: upload.render_upload_tab(ds),
    }
    for code, draw in later.items():
        if tabs[code].open:
            with tabs[code]:
                draw()


def present(page: Page) -> None:
    """One screen: the tour's controls, the step's KPIs, the map (sized from the window) with the story card
    beside it; the charts below the fold. The presenters' keys last (a zero-height frame)."""
    ds, shown = page.ds, page.shown
    names = dict(zip(shown["plant_id"], shown["name"], strict=True))
    step, projector = tour.render_tour(shown, names, partners=not ds.partners.empty, projector=page.view.projector)
    tour.render_projector_style(projector)
    tour.render_step_kpis(step, page)
    render_notices(page)
    if step == tour.PARTNERS_STEP:  # "Who we work with"
        partners.render_partners_step(ds, shown)
    else:
        left, right = st.columns([2.5, 1], gap="small")
        with left:
            mapview.render_map(page.map_data, page.map_urls, shown, page.colour_label, page.offline,
                               regions_ok=ds.regions is not None, height=600, focus=tour.focus_for(step, shown),
                               projector=projector)
        with right:
            # the overview and the summary offer the tour as slides: for a room with no connection
            tour.render_card(tour.story_card(step, shown, page.kpis, ds.fx, page.date, ds.region_name),
                             extra=(lambda: exports.render_deck_button(page)) if step in ("overview", "closing")
                             else None)
        tour.render_step_charts(page.chart_specs(highlight=names.get(step)), shown)
    tour.render_keys()


def main() -> None:
    page = load_page()
    (present if page.touring else explore)(page)
    write_link(page.filters, page.colour_label, page.currency)


devhooks.run(main)
