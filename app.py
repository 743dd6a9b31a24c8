"""Pharma Plants Map: set-up and load (components/page.py), then one layout per view: explore or present."""

from __future__ import annotations

import streamlit as st

from components import devhooks
from components import present as tour
from components.charts import render_charts
from components.detail import render_detail
from components.exports import render_export_tab
from components.kpis import render_kpis
from components.map import render_map
from components.market import render_market
from components.page import Page, load_page, render_notices, select_partner
from components.partners import render_partners, render_partners_step
from components.sources import render_sources
from components.style import sidebar_state
from components.table import render_table
from components.timeline import render_timeline
from components.upload import render_upload_tab
from components.urlsync import render_tabs, write_link
from core import keys as K

st.set_page_config(page_title="Pharma Plants Map: Kazakhstan", page_icon="💊", layout="wide",
                   initial_sidebar_state=sidebar_state())  # presentation mode never draws the sidebar


def explore(page: Page) -> None:
    """KPIs; tabs: the map with plant details beside the charts, then the wider picture and the data."""
    ds, shown = page.ds, page.shown
    render_kpis(page.kpis, ds.fx, filtered=page.filters.active, currency=page.currency)
    render_notices(page)
    tabs = render_tabs(page.view)
    with tabs["map"]:  # always drawn, so the map stays mounted; the other tabs only run when open
        clicked = render_map(page.map_data, page.map_urls, shown, page.colour_label, page.offline,
                             regions_ok=ds.regions is not None)
        left, right = st.columns([2, 3], gap="medium")
        with left:
            render_detail(shown, ds.provenance, ds.region_name, clicked, page.view.plant, ds.events,
                          ds.geo)
        with right:
            render_charts(page.chart_specs(), shown)
    later = {
        "timeline": lambda: render_timeline(ds, page.filters.as_of, ds.plants),
        "partners": lambda: render_partners(ds, ds.scope_plants(page.filters.scope), on_select=select_partner),
        "market": lambda: render_market(ds, shown),
        "table": lambda: render_table(shown, ds.region_name, page.date, page.rate),
        "sources": lambda: render_sources(ds),
        "export": lambda: render_export_tab(page),
        "data": lambda: render_upload_tab(ds),
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
    plant_kpis = tour.step_kpis(step, shown, ds.programme, page.filters.scope)
    with st.container(key=K.TOUR_KPIS):  # a plant's step: its figures and its share of the programme
        render_kpis(plant_kpis or page.kpis, ds.fx, filtered=plant_kpis is not None or page.filters.active,
                    currency=page.currency, compact=plant_kpis is None, split=False)
    render_notices(page)
    if step == tour.PARTNERS_STEP:  # "Who we work with"
        render_partners_step(ds, shown)
    else:
        left, right = st.columns([2.5, 1], gap="small")
        with left:
            render_map(page.map_data, page.map_urls, shown, page.colour_label, page.offline,
                       regions_ok=ds.regions is not None, height=600, focus=tour.focus_for(step, shown),
                       projector=projector)
        with right:
            tour.render_card(tour.story_card(step, shown, page.kpis, ds.fx, page.date, ds.region_name))
        specs = page.chart_specs(highlight=names.get(step))
        for column, charts in zip(st.columns(2, gap="large"),
                                  (("Investment", "Medicines"), ("Jobs", "Therapeutic areas")), strict=True):
            with column:
                render_charts({k: specs[k] for k in charts}, shown)
    tour.render_keys()


def main() -> None:
    page = load_page()
    (present if page.touring else explore)(page)
    write_link(page.filters, page.colour_label, page.currency)


devhooks.run(main)
