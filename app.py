"""Pharma Plants Map: set-up and load (components/page.py), then one layout per view: explore or present."""

from __future__ import annotations

import streamlit as st

from components import devhooks
from components.charts import render_charts
from components.detail import render_detail
from components.exports import brief, render_exports
from components.kpis import render_kpis
from components.map import render_map
from components.market import render_market
from components.page import Page, load_page, render_notices
from components.present import focus_for, render_card, render_present_style, render_tour, story_html
from components.sources import render_sources, source_notes
from components.table import render_table, table_frame
from components.timeline import render_timeline
from components.urlsync import render_tabs, write_link

st.set_page_config(page_title="Pharma Plants Map: Kazakhstan", page_icon="💊", layout="wide")


def explore(page: Page) -> None:
    """KPIs; tabs: the map with plant details beside the charts, then the wider picture and the data."""
    ds, shown = page.ds, page.shown
    render_kpis(page.kpis, ds.fx, filtered=page.filters.active, currency=page.currency)
    render_notices(page)
    tabs = render_tabs(page.view)
    specs = page.chart_specs()
    with tabs["map"]:  # always drawn, so the map stays mounted; the other tabs only run when open
        left, right = st.columns([3, 2], gap="medium")
        with left:
            clicked = render_map(page.map_data, page.map_urls, shown, page.colour_label, page.offline,
                                 regions_ok=ds.regions is not None)
            render_detail(shown, ds.provenance, ds.region_name, clicked, page.view.plant, ds.events)
        with right:
            render_charts(specs, len(shown))
    later = {
        "timeline": lambda: render_timeline(ds, page.filters.as_of, ds.plants),
        "market": lambda: render_market(ds, shown),
        "table": lambda: render_table(shown, ds.region_name, page.date, page.rate),
        "sources": lambda: render_sources(ds),
        "export": lambda: render_exports(table_frame(shown, ds.region_name, page.rate), source_notes(ds), specs,
                                         brief(ds, page.kpis, shown, page.filters, specs, page.currency),
                                         page.map_data, shown, page.column, page.colour_label,
                                         f"pharma-plants-{page.date}"),
    }
    for code, draw in later.items():
        if tabs[code].open:
            with tabs[code]:
                draw()


def present(page: Page) -> None:
    """No sidebar, large type; the tour: a full-width map with the story card over it, then the charts."""
    ds, shown, kpis = page.ds, page.shown, page.kpis
    render_present_style()
    render_kpis(kpis, ds.fx, filtered=page.filters.active, currency=page.currency, compact=True)
    render_notices(page)
    names = dict(zip(shown["plant_id"], shown["name"], strict=True))
    step = render_tour(shown, names)  # 'overview', a plant_id or 'closing'
    render_map(page.map_data, page.map_urls, shown, page.colour_label, page.offline, regions_ok=ds.regions is not None,
               height=440, focus=focus_for(step, shown),
               story=story_html(step, shown, kpis, ds.fx, page.date, ds.region_name))
    specs = page.chart_specs(highlight=names.get(step))
    render_card(step, shown, kpis, ds.fx, page.date, ds.region_name)
    for column, charts in zip(st.columns(2, gap="large"), (("Investment", "Medicines"), ("Jobs", "Therapeutic areas")),
                              strict=True):
        with column:
            render_charts({k: specs[k] for k in charts}, len(shown))


def main() -> None:
    page = load_page()
    # with no plant to tour, presentation mode shows the explore layout (its notices say what to change)
    (present if page.present and not page.shown.empty else explore)(page)
    write_link(page.filters, page.colour_label, page.currency)


devhooks.run(main)
