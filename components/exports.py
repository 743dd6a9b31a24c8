"""Export tab: every file is generated only when its button is clicked (deferred download)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from components.map import MapData, build_base_map, build_plant_group
from components.sources import source_notes
from components.table import table_frame
from core import exports
from core import keys as K
from core.assets import map_assets
from core.data import Dataset
from core.domain import SCOPE, Filters, Kpis, area_label
from core.i18n import number, t

if TYPE_CHECKING:  # components/page.py builds on this module
    from components.page import Page


def map_file(data: MapData, shown: pd.DataFrame, colour_column: str, colour_label: str) -> bytes:
    """The map as one HTML file: data, Leaflet and the map's own script and styles inlined, no tiles,
    opens with no network."""
    m = build_base_map(data, offline=True)
    build_plant_group(data, shown, colour_column, colour_label).add_to(m)
    return exports.standalone_html(m.get_root().render(), map_assets())


def brief(ds: Dataset, kpis: Kpis, shown: pd.DataFrame, filters: Filters, specs: dict[str, dict],
          currency: str) -> dict:
    """The one-page brief of the current view: title, KPIs, two charts, sources, date."""
    from components.kpis import investment_texts, kpi_texts
    from core import fmt

    label, value, lines = investment_texts(kpis.investment, ds.fx, currency, filters.active)
    if currency == "KZT":
        value = f"{value} KZT"
    cells = [(label, value, " · ".join(lines[:2]))]
    for name, k in ((t("Medicines"), kpis.medicines), (t("Socially significant"), kpis.socially_significant),
                    (t("Jobs"), kpis.jobs)):
        v, ls = kpi_texts(k, "", filters.active)
        cells.append((name, v, " · ".join(ls[:2])))
    cells.append((t("Plants"), str(len(shown)), t("of {n} in the data", n=len(ds.scope_plants(filters.scope)))))
    scope_rows = ds.scope_plants(filters.scope)
    parts = [t(SCOPE[filters.scope].label), t("{k} of {n} plants", k=len(shown), n=len(scope_rows))]
    if filters.as_of is not None:
        parts.append(t("Statuses as of {date}.", date=fmt.date_long(filters.as_of.isoformat())))
    if filters.areas:
        parts.append(t("areas: {value}", value=", ".join(t(area_label(a)) for a in filters.areas)))
    if filters.regions:
        parts.append(t("regions: {value}", value=", ".join(ds.region_name(r) for r in filters.regions)))
    if filters.companies:
        parts.append(t("companies: {value}", value=", ".join(filters.companies)))
    if filters.investment:
        parts.append(t("investment {lo}–{hi} bn KZT", lo=number(filters.investment[0], 1),
                       hi=number(filters.investment[1], 1)))
    subtitle = " · ".join([t("Investment agreements approved on {date}",
                             date=fmt.date_long(ds.facts.get("approved_on", ""))), *parts])
    sources = list(dict.fromkeys(u for cell in shown["sources"].dropna() for u in fmt.split_list(cell)))
    charts = [specs[k] for k in ("Investment", "Jobs") if k in specs]
    footer = t("Generated {date} by Pharma Plants Map. Figures are reported unless marked derived; 'not "
               "disclosed' means no public source was found.", date=fmt.date_long(date.today().isoformat()))
    return exports.brief_spec(t("Kazakhstan's approved pharmaceutical plants"), subtitle, cells, charts, sources,
                              footer=footer, source_word=t("Source"))


def render_exports(table: pd.DataFrame, notes: list[tuple[str, str]], charts: dict[str, dict], brief: dict,
                   data: MapData, shown: pd.DataFrame, colour_column: str, colour_label: str, stem: str) -> None:
    """``charts``: title -> Vega-Lite spec as drawn on the page; ``brief``: the one-page spec."""
    st.caption(t("Everything here follows the current filters ({n} plants). Files are made when you click, "
                 "and open without the internet.", n=number(len(shown))))
    cols = st.columns([1, 1, 1, 1.6], gap="medium")
    with cols[0]:
        st.markdown(f"**{t('Data')}**")
        st.download_button(t("Table (CSV)"), lambda: exports.csv_bytes(table), f"{stem}.csv", "text/csv",
                           key=K.EXPORT_PREFIX + "csv", on_click="ignore", width="stretch")
        st.download_button(t("Table (Excel)"), lambda: exports.xlsx_bytes(table, notes), f"{stem}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=K.EXPORT_PREFIX + "xlsx", on_click="ignore", width="stretch")
    with cols[1]:
        st.markdown(f"**{t('Map')}**")
        st.download_button(t("Map (offline HTML)"), lambda: map_file(data, shown, colour_column, colour_label),
                           f"{stem}-map.html", "text/html", key=K.EXPORT_PREFIX + "map", on_click="ignore",
                           width="stretch")
    with cols[2]:
        st.markdown(f"**{t('One-page brief')}**")
        st.download_button(t("Brief (PDF)"), lambda: exports.brief_pdf(brief), f"{stem}-brief.pdf",
                           "application/pdf", key=K.EXPORT_PREFIX + "brief_pdf", on_click="ignore", width="stretch")
        st.download_button(t("Brief (PNG)"), lambda: exports.brief_png(brief), f"{stem}-brief.png", "image/png",
                           key=K.EXPORT_PREFIX + "brief_png", on_click="ignore", width="stretch")
    with cols[3]:
        st.markdown(f"**{t('Charts')}**")
        for i, (title, spec) in enumerate(charts.items()):
            c0, c1, c2 = st.columns([1.4, 1, 1], vertical_alignment="center")
            c0.write(t(title))
            c1.download_button("PNG", (lambda s=spec: exports.chart_png(s)), f"{stem}-chart{i + 1}.png",
                               "image/png", key=f"{K.EXPORT_PREFIX}chart{i}.png", on_click="ignore", width="stretch",
                               help=t("{chart}: PNG image (2× resolution)", chart=t(title)))
            c2.download_button("SVG", (lambda s=spec: exports.chart_svg(s)), f"{stem}-chart{i + 1}.svg",
                               "image/svg+xml", key=f"{K.EXPORT_PREFIX}chart{i}.svg", on_click="ignore",
                               width="stretch",
                               help=t("{chart}: SVG vector file", chart=t(title)))


def render_export_tab(page: Page) -> None:
    """The Export tab for the view as it is: the same rows, charts and KPIs as the page."""
    ds, shown = page.ds, page.shown
    specs = page.chart_specs()
    render_exports(table_frame(shown, ds.region_name, page.rate), source_notes(ds), specs,
                   brief(ds, page.kpis, shown, page.filters, specs, page.currency), page.map_data, shown,
                   page.column, page.colour_label, f"pharma-plants-{page.date}")
