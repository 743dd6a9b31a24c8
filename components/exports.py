"""Export tab: every file is generated only when its button is clicked (deferred download)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.map import MapData, build_base_map, build_plant_group
from core import exports
from core.assets import leaflet_source


def map_file(data: MapData, shown: pd.DataFrame, colour_column: str, colour_label: str) -> bytes:
    """The map as one HTML file: data and Leaflet inlined, no tiles, opens with no network."""
    m = build_base_map(data, offline=True)
    build_plant_group(data, shown, colour_column, colour_label).add_to(m)
    src = leaflet_source()
    return exports.standalone_html(m.get_root().render(), (src / "leaflet.js").read_text(encoding="utf-8"),
                                   (src / "leaflet.css").read_text(encoding="utf-8"))


def brief(ds, kpis, shown: pd.DataFrame, filters, specs: dict[str, dict], currency: str) -> dict:
    """The one-page brief of the current view: title, KPIs, two charts, sources, date."""
    from components.kpis import investment_texts, kpi_texts
    from core import fmt

    label, value, lines = investment_texts(kpis.investment, ds.fx, currency, filters.active)
    if currency == "KZT":
        value = value.replace(" bn", " bn KZT")
    cells = [(label, value, " · ".join(lines[:2]))]
    for name, k in (("Medicines", kpis.medicines), ("Socially significant", kpis.socially_significant),
                    ("Jobs", kpis.jobs)):
        v, ls = kpi_texts(k, "", filters.active)
        cells.append((name, v, " · ".join(ls[:2])))
    cells.append(("Plants", str(len(shown)), f"of {len(ds.plants)} in the data"))
    parts = [f"{len(shown)} of {len(ds.plants)} plants"]
    if filters.areas:
        parts.append("areas: " + ", ".join(filters.areas))
    if filters.regions:
        parts.append("regions: " + ", ".join(filters.regions))
    if filters.companies:
        parts.append("companies: " + ", ".join(filters.companies))
    if filters.investment:
        parts.append(f"investment {filters.investment[0]:g}–{filters.investment[1]:g} bn KZT")
    subtitle = (f"Investment agreements approved on {fmt.date_long(ds.facts.get('approved_on', ''))} · "
                + " · ".join(parts))
    sources = list(dict.fromkeys(u for cell in shown["sources"].dropna() for u in fmt.split_list(cell)))
    charts = [specs[k] for k in ("Investment", "Jobs") if k in specs]
    return exports.brief_spec("Kazakhstan's approved pharmaceutical plants", subtitle, cells, charts, sources)


def render_exports(table: pd.DataFrame, notes: list[tuple[str, str]], charts: dict[str, dict], brief: dict,
                   data: MapData, shown: pd.DataFrame, colour_column: str, colour_label: str, stem: str) -> None:
    """``charts``: title -> Vega-Lite spec as drawn on the page; ``brief``: the one-page spec."""
    st.caption(f"Everything here follows the current filters ({len(shown):,} plants). Files are made when "
               "you click, and open without the internet.")
    cols = st.columns([1, 1, 1, 1.6], gap="medium")
    with cols[0]:
        st.markdown("**Data**")
        st.download_button("Table (CSV)", lambda: exports.csv_bytes(table), f"{stem}.csv", "text/csv",
                           key="export.csv", on_click="ignore", width="stretch")
        st.download_button("Table (Excel)", lambda: exports.xlsx_bytes(table, notes), f"{stem}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="export.xlsx", on_click="ignore", width="stretch")
    with cols[1]:
        st.markdown("**Map**")
        st.download_button("Map (offline HTML)", lambda: map_file(data, shown, colour_column, colour_label),
                           f"{stem}-map.html", "text/html", key="export.map", on_click="ignore", width="stretch")
    with cols[2]:
        st.markdown("**One-page brief**")
        st.download_button("Brief (PDF)", lambda: exports.brief_pdf(brief), f"{stem}-brief.pdf",
                           "application/pdf", key="export.brief_pdf", on_click="ignore", width="stretch")
        st.download_button("Brief (PNG)", lambda: exports.brief_png(brief), f"{stem}-brief.png", "image/png",
                           key="export.brief_png", on_click="ignore", width="stretch")
    with cols[3]:
        st.markdown("**Charts**")
        for i, (title, spec) in enumerate(charts.items()):
            c0, c1, c2 = st.columns([1.4, 1, 1], vertical_alignment="center")
            c0.write(title)
            c1.download_button("PNG", (lambda s=spec: exports.chart_png(s)), f"{stem}-chart{i + 1}.png",
                               "image/png", key=f"export.chart{i}.png", on_click="ignore", width="stretch",
                               help=f"{title} chart as a PNG image (2× resolution)")
            c2.download_button("SVG", (lambda s=spec: exports.chart_svg(s)), f"{stem}-chart{i + 1}.svg",
                               "image/svg+xml", key=f"export.chart{i}.svg", on_click="ignore", width="stretch",
                               help=f"{title} chart as an SVG vector file")
