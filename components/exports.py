"""Export tab: every file is generated only when its button is clicked (deferred download)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from components.map import MapData, build_base_map, build_plant_group
from components.sources import source_notes
from components.table import table_frame
from components.text import md
from components.upload import UPLOAD_STEM, upload_label
from core import exports, fmt, staticmap
from core import keys as K
from core.assets import map_assets
from core.data import Dataset
from core.deck import Slide, deck_pptx
from core.domain import SCOPE, Filters, Kpis, area_label, colour_map, convert
from core.i18n import N_, number, t

if TYPE_CHECKING:  # components/page.py builds on this module
    from components.page import Page

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def map_file(data: MapData, shown: pd.DataFrame, colour_column: str, colour_label: str) -> bytes:
    """The map as one HTML file: data, Leaflet and the map's own script and styles inlined, no tiles,
    opens with no network."""
    m = build_base_map(data, offline=True)
    build_plant_group(data, shown, colour_column, colour_label).add_to(m)
    return exports.standalone_html(m.get_root().render(), map_assets())


BRIEF_MAP = (540, 400)  # px: the brief's map, beside its two charts
MAP_NOTE = N_("Circle area: investment; colours as in the investment chart; a dashed outline is an approximate "
              "location.")


def static_map(ds: Dataset, shown: pd.DataFrame, colours: dict[str, str], colour_column: str,
               size: tuple[int, int], highlight: str | None = None) -> dict | None:
    """The map of the plants shown as a Vega-Lite spec (core.staticmap), framed on their regions;
    None without region outlines or plants."""
    if ds.regions is None or shown.empty:
        return None
    hosts = set(shown["region"].dropna())
    return staticmap.map_spec(ds.regions, shown, hosts, highlight, colours, colour_column, *size,
                              countries=ds.countries)


def brief(ds: Dataset, kpis: Kpis, shown: pd.DataFrame, filters: Filters, specs: dict[str, dict],
          currency: str, colours: dict[str, str] | None = None, colour_column: str = "company") -> dict:
    """The one-page brief of the current view: title, KPIs, the map beside two charts, sources, date.
    ``colours``: category -> colour of ``colour_column`` as on the map (default: the scope's)."""
    from components.kpis import investment_texts, kpi_texts
    from components.page import scope_statement, scope_title  # page.py imports this module

    label, value, lines = investment_texts(kpis.investment, ds.fx, currency, filters.active)
    if currency == "KZT":
        value = f"{value} KZT"
    cells = [(label, value, " · ".join(lines[:2]))]
    for name, k in ((t("Medicines"), kpis.medicines), (t("Socially significant"), kpis.socially_significant),
                    (t("Jobs"), kpis.jobs)):
        v, ls = kpi_texts(k, "", filters.active)
        cells.append((name, v, " · ".join(ls[:2])))
    # the plants the sums cover; existing plants (context) are said apart, never counted in
    plants_note = [t("of {n} in the programme", n=number(kpis.plants.programme_total))] \
        if kpis.plants.programme_total else []
    context = len(shown) - kpis.plants.n_plants
    if context > 0:
        plants_note.append(t("existing plants shown (context): {n}", n=number(context)))
    cells.append((t("Plants"), number(kpis.plants.n_plants), " · ".join(plants_note)))
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
    # the approval date only for the approved scope (the other scopes' title is the brief's title)
    approved = [scope_statement("approved", ds.facts.get("approved_on", ""))] if filters.scope == "approved" else []
    subtitle = " · ".join([*approved, *parts])
    sources = list(dict.fromkeys(u for cell in shown["sources"].dropna() for u in fmt.split_list(cell)))
    charts = [specs[k] for k in ("Investment", "Jobs") if k in specs]
    footer = t("Generated {date} by Pharma Plants Map. Figures are reported unless marked derived; 'not "
               "disclosed' means no public source was found.", date=fmt.date_long(date.today().isoformat()))
    if colours is None:
        colours = colour_map(ds.scope_plants(filters.scope), colour_column)
    return exports.brief_spec(scope_title(filters.scope), subtitle, cells, charts, sources,
                              footer=footer, source_word=t("Source"),
                              map_view=static_map(ds, shown, colours, colour_column, BRIEF_MAP),
                              map_note=t(MAP_NOTE))


# --------------------------------------------------------------------------- the slide deck

SLIDE_MAP = (520, 390)  # px: each slide's map (its labels about 12 pt on the slide), drawn at SLIDE_SCALE
SLIDE_SCALE = 2.0  # 1040 × 780 px: sharper than a projector shows it
ALT_OVERVIEW = N_("Map of the plants shown: circle area is investment, host regions tinted")
ALT_PLANT = N_("Map of the plants shown, {plant} ringed in black")
ALT_PARTNERS = N_("Map of the partners' headquarters, each joined by a line to the plants it works with")
PARTNERS_FIGURE = N_("companies named as partners or in talks, in {n} countries")


def _sources(cells) -> list[str]:
    """The distinct URLs of ';'-separated source cells, in order."""
    return list(dict.fromkeys(u for cell in cells if isinstance(cell, str) for u in fmt.split_list(cell)))


def _notes(urls: list[str]) -> str:
    return "\n".join([t("Sources") + ":", *urls]) if urls else ""


def _plant_figure(plant: pd.Series, fx: pd.DataFrame, currency: str) -> str:
    """A plant's investment in the chosen currency (KZT as reported, else converted at the dated rate)."""
    value = plant.at["investment_kzt_bn"]
    if pd.isna(value) or currency == "KZT":
        return fmt.bn_kzt(value, plant.get("investment_qualifier"), str(plant.get("basis_investment_kzt_bn")))
    converted, _ = convert(float(value), fx, currency)
    qualifier = plant.get("investment_qualifier")
    return fmt.not_disclosed() if converted is None else \
        fmt.converted_prefix(qualifier if isinstance(qualifier, str) else None) + fmt.millions(converted, currency)


def deck_slides(ds: Dataset, shown: pd.DataFrame, kpis: Kpis, filters: Filters, currency: str,
                colours: dict[str, str], colour_column: str, date: str) -> list[Slide]:
    """The presentation tour as slides, one per step of components/present.py tour_steps (overview, each
    plant largest investment first, "Who we work with" when there are partners, the summary), each with
    the card's texts (story_lines, partners_story, closing_lines) in the current language, its key
    figure in ``currency``, the map (the step's plant ringed; the partners map for the partners step)
    and its sources as speaker notes. ``date``: the approval date (Page.date)."""
    from components.kpis import investment_texts
    from components.partners import (
        ROLE_COLOURS,
        build_partners_data,
        partners_story,
        relevant_partners,
        role_word,
    )
    from components.present import (
        PARTNERS_STEP,
        closing_lines,
        overview_title,
        programme_shares,
        step_kpis,
        story_lines,
        tour_steps,
    )

    def picture(highlight: str | None = None) -> bytes | None:
        spec = static_map(ds, shown, colours, colour_column, SLIDE_MAP, highlight)
        return staticmap.map_png(spec, SLIDE_SCALE) if spec else None

    all_sources = _sources(shown["sources"])
    programme = ds.programme  # the stated totals the KPIs are measured against
    if "scope" in programme:
        programme = programme[programme["scope"] == SCOPE[filters.scope].programme]
    programme_sources = _sources(programme["source"]) if "source" in programme else []
    label, value, _ = investment_texts(kpis.investment, ds.fx, currency, filters.active)
    if currency == "KZT":
        value = f"{value} KZT"
    overview_map = picture()
    regions = [ds.region_name(r) for r in sorted(shown["region"].unique())]
    slides = []
    for step in tour_steps(shown, partners=not ds.partners.empty):
        if step == "overview":
            order = shown.assign(_inv=shown["investment_kzt_bn"].fillna(-1)).sort_values("_inv", ascending=False,
                                                                                         kind="stable")
            lines = [f"{p['name']} ({ds.region_name(str(p['region']))}): {_plant_figure(p, ds.fx, currency)}"
                     for _, p in order.iterrows()]
            lines.append(t("Next: each plant, largest investment first. Sizes are investment; dashed outlines "
                           "are approximate locations."))
            title, statuses = overview_title(shown, date)
            slides.append(Slide(title, [*([statuses] if statuses else []), *lines], value, label, overview_map,
                                t(ALT_OVERVIEW), _notes(list(dict.fromkeys(all_sources + programme_sources)))))
        elif step == "closing":  # the tour's summary card leads with the investment too
            slides.append(Slide(t("Summary"), closing_lines(kpis, shown, regions), value, label,
                                overview_map, t(ALT_OVERVIEW),
                                _notes(list(dict.fromkeys(all_sources + programme_sources)))))
        elif step == PARTNERS_STEP:
            title, lines = partners_story(ds.partners, shown, ds.events)
            data = build_partners_data(ds.partners, shown, ds.countries)
            related = relevant_partners(ds.partners, shown)  # unknown rows too: their sources say so
            known = [r for r in related if r["role"] != "unknown"]
            countries = {r["country"] for r in known if isinstance(r["country"], str)}
            if ds.countries is not None:
                spec = staticmap.partners_spec(data.countries, data.arcs, data.hqs, data.plants, data.places,
                                               data.labels, ROLE_COLOURS, {r: role_word(r) for r in ROLE_COLOURS},
                                               *SLIDE_MAP)
                pic, alt = staticmap.map_png(spec, SLIDE_SCALE), t(ALT_PARTNERS)
            else:
                pic, alt = overview_map, t(ALT_OVERVIEW)
            slides.append(Slide(title, lines, number(len(known)), t(PARTNERS_FIGURE, n=number(len(countries))),
                                pic, alt, _notes(_sources(r["source"] for r in related))))
        else:
            plant = shown.loc[shown["plant_id"] == step].iloc[0]
            own = step_kpis(step, shown, ds.programme, filters.scope)  # its share, as the tour's KPIs give it
            share = programme_shares(own) if own is not None else None
            slides.append(Slide(str(plant["name"]), [*story_lines(plant, ds.region_name(str(plant["region"]))),
                                                     *([share] if share else [])],
                                _plant_figure(plant, ds.fx, currency), t("Investment"), picture(step),
                                t(ALT_PLANT, plant=str(plant["name"])), _notes(_sources([plant["sources"]]))))
    return slides


def deck_file(ds: Dataset, shown: pd.DataFrame, kpis: Kpis, filters: Filters, currency: str,
              colours: dict[str, str], colour_column: str, date: str) -> bytes:
    """The tour as a .pptx file (core.deck), in the current language."""
    from components.page import scope_statement, scope_title  # page.py imports this module

    slides = deck_slides(ds, shown, kpis, filters, currency, colours, colour_column, date)
    footer = "Pharma Plants Map · " + scope_statement(filters.scope, date)
    return deck_pptx(slides, scope_title(filters.scope), footer)


def deck_help() -> str:
    return t("The presentation tour as a file that needs no connection: one slide per step, with its map; the "
             "sources are in the speaker notes. Opens in PowerPoint, Keynote, LibreOffice and Google Slides.")


def page_deck(page: Page) -> bytes:
    """The deck of the view as it is: its plants, KPIs, filters, currency and map colours."""
    return deck_file(page.ds, page.shown, page.kpis, page.filters, page.currency,
                     page.map_data.colours.get(page.column, {}), page.column, page.date)


def render_deck_button(page: Page, key: str = K.TOUR_DECK) -> None:
    """The tour as slides (PowerPoint), for the view as it is; made when clicked."""
    if page.shown.empty:
        return
    st.download_button(t("Slide deck (PowerPoint)"), lambda: page_deck(page), f"pharma-plants-{page.date}-deck.pptx",
                       PPTX, key=key, on_click="ignore", width="stretch", icon=":material/slideshow:", help=deck_help())


def render_exports(table: pd.DataFrame, notes: list[tuple[str, str]], charts: dict[str, dict], brief: dict,
                   data: MapData, shown: pd.DataFrame, colour_column: str, colour_label: str, stem: str,
                   deck: Callable[[], bytes] | None = None) -> None:
    """``charts``: title -> Vega-Lite spec as drawn on the page; ``brief``: the one-page spec; ``deck``:
    makes the slide deck (called only when its button is clicked)."""
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
        if deck is not None:
            st.markdown(f"**{t('Slides')}**")
            st.download_button(t("Slide deck (PowerPoint)"), deck, f"{stem}-deck.pptx", PPTX,
                               key=K.EXPORT_PREFIX + "deck", on_click="ignore", width="stretch", help=deck_help())
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
    """The Export tab for the view as it is: the same rows, charts, KPIs, map colours and tour as the page."""
    ds, shown = page.ds, page.shown
    specs = page.chart_specs()
    colours = page.map_data.colours.get(page.column, {})
    notes, stem = source_notes(ds, page.filters.scope), f"pharma-plants-{page.date}"
    label = upload_label()
    if label is not None:  # an analyst's upload (components/upload.py): said in the files' names and notes
        st.warning(md(label), icon=":material/edit_note:")
        notes, stem = [(t("Data"), label), *notes], f"{stem}-{UPLOAD_STEM}"
    render_exports(table_frame(shown, ds.region_name, page.rate), notes, specs,
                   brief(ds, page.kpis, shown, page.filters, specs, page.currency, colours, page.column),
                   page.map_data, shown, page.column, page.colour_label, stem,
                   deck=(lambda: page_deck(page)) if not shown.empty else None)
