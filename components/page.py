"""What both views share: the data (cached per file version), the link, the sidebar, and what follows
from them (the plants shown, their KPIs, the map's data). app.py then lays out one view with it.

The whole page is drawn in one script run. (An earlier design drew the map alone first and the
rest in a second run the map asked for; it lost a user's first input after a server restart and
made the whole page later: docs/performance.md.)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from components.charts import chart_specs
from components.filters import (
    relabel,
    render_as_of,
    render_colour_by,
    render_currency,
    render_filters,
    render_language,
    render_partner,
    render_present_toggle,
    render_scope,
)
from components.map import INLINE_MAX, MapData, build_map_data
from components.present import present_css
from components.problems import render_problems, render_stale
from components.style import presenting, render_style
from components.text import md
from components.upload import active, render_upload_banner, session_dataset
from components.urlsync import apply_link, first_run, render_dropped, rerun_if_relabelled
from core import fmt
from core import keys as K
from core.assets import ensure_leaflet, publish_json
from core.data import Dataset, LastGood, data_dir_from_env, file_signature, load_dataset
from core.domain import (
    COLOUR_BY,
    Filters,
    Kpis,
    apply_filters,
    area_attribution,
    compute_kpis,
    convert,
    explain_area_selection,
    programme_rows,
    status_on,
)
from core.i18n import t, use
from core.problems import Problem
from core.urlstate import TABS, ViewState


@st.cache_resource(show_spinner=False)
def _leaflet() -> None:
    ensure_leaflet()


@st.cache_resource(show_spinner=False, max_entries=8)
def _dataset(path: str, signature: tuple) -> Dataset:  # noqa: ARG001 (signature: reload when a file changes)
    return load_dataset(Path(path))


@st.cache_resource(show_spinner=False)
def _last_good() -> LastGood:
    """The last usable dataset per folder, shared by every session: it stands in while the files are broken."""
    return LastGood()


# the caches below are keyed by the folder and the signature of the dataset shown, which is passed in
# (``_ds``, not hashed): while the files are broken, that is the last good one, not what is on disk
@st.cache_resource(show_spinner=False, max_entries=24)
def _attribution(path: str, signature: tuple, digest: str | None, scope: str,  # noqa: ARG001 (the cache key)
                 _ds: Dataset) -> dict[str, list[str]]:
    """Which plants of the scope each therapeutic area is attributed to (``digest``: the session's upload)."""
    return area_attribution(_ds.scope_plants(scope), list(_ds.areas["code"]))


@st.cache_resource(show_spinner=False, max_entries=24)
def _map_data(path: str, signature: tuple, lang: str, scope: str,  # noqa: ARG001 (the cache key)
              _ds: Dataset) -> tuple[MapData, dict[str, str]]:
    """Marker data for the scope's plants, published once per data version, language and scope as
    cacheable static JSON. The scope sets the host regions, the frame and the circle sizes."""
    return _publish_map(_ds, lang, scope)


@st.cache_resource(show_spinner=False, max_entries=8)
def _upload_map_data(digest: str, signature: tuple, lang: str, scope: str,  # noqa: ARG001 (the cache key)
                     _ds: Dataset) -> tuple[MapData, dict[str, str]]:
    """The same for a session's upload (components/upload.py): one per uploaded file."""
    return _publish_map(_ds, lang, scope)


def _publish_map(ds: Dataset, lang: str, scope: str) -> tuple[MapData, dict[str, str]]:
    use(lang)
    data = build_map_data(ds.scope_plants(scope), ds.regions, ds.region_name)
    urls = {}
    for name, obj in (("core", data.core), ("details", data.details), ("regions", data.regions)):
        if obj is None or (name != "regions" and len(json.dumps(obj)) < INLINE_MAX):
            continue  # small: inlined in the map script, one round trip fewer before the markers
        url = publish_json(obj)
        if url:
            urls[name] = url
    return data, urls


@dataclass
class Page:
    """The state of one run: what the data holds and what the user chose."""

    ds: Dataset
    view: ViewState  # what the link asked for: the widgets' defaults
    attribution: dict[str, list[str]]
    filters: Filters
    colour_label: str
    currency: str
    present: bool
    offline: bool
    map_data: MapData
    map_urls: dict[str, str]
    stale: list[Problem] = field(default_factory=list)  # why the files on disk are not shown (LastGood)

    @property
    def labels(self) -> dict[str, str]:
        return self.ds.area_labels(self.filters.scope)

    @property
    def context_only(self) -> int:
        """How many existing plants are shown when no programme plant is (0 otherwise)."""
        return len(self.shown) if len(self.shown) and programme_rows(self.shown).empty else 0

    @property
    def date(self) -> str:
        return self.ds.facts.get("approved_on", "")

    @property
    def column(self) -> str:
        return COLOUR_BY[self.colour_label]

    @property
    def touring(self) -> bool:
        """Presentation mode with a plant to tour (with none, the explore layout is shown)."""
        return self.present and not self.shown.empty

    @cached_property
    def shown(self) -> pd.DataFrame:
        """The scope's plants as they stood on the as-of day, that match the filters."""
        plants = status_on(self.ds.scope_plants(self.filters.scope), self.ds.events, self.filters.as_of)
        return apply_filters(plants, self.filters, self.ds.partners)

    @cached_property
    def kpis(self) -> Kpis:
        return compute_kpis(self.shown, self.ds.programme, self.filters.scope)

    @property
    def rate(self) -> dict | None:
        return convert(1.0, self.ds.fx, self.currency)[1] if self.currency != "KZT" else None

    def chart_specs(self, highlight: str | None = None) -> dict[str, dict]:
        return chart_specs(self.shown, self.ds.plants, self.map_data.colours[self.column],
                           self.column, self.colour_label, self.labels, self.attribution, self.rate, highlight)


def load_page() -> Page:
    """Set-up, the data, the link (first run of a session), the sidebar, the title and the notices."""
    _leaflet()
    present_style = render_style(present_css() if presenting() else "")
    data_dir = data_dir_from_env()
    signature = file_signature(data_dir)
    ds, signature, stale = _last_good().pick(_dataset(str(data_dir), signature), signature)
    up = active()  # the session's own table, while the "Your data" tab shows it
    if up is not None:
        ds = session_dataset(ds, signature, up)
    first = first_run()
    view = apply_link(ds)  # first: the link decides the language and every widget's default
    # the browser sends select widgets' values as labels: on a session's first run they are in the link's language
    # and scope, those the page shows (components/urlsync.py); later, relabelled values are sent again (filters.py)
    relabel(first, view, (signature, up.digest if up is not None else None))
    chosen_lang = render_language(view)
    lang = use(view.lang if first else chosen_lang)
    chosen_scope = render_scope(view)
    scope = view.scope if first else chosen_scope
    as_of = render_as_of(view, ds.events, ds.as_of)
    attribution = _attribution(str(data_dir), signature, up.digest if up is not None else None, scope, ds)
    filters = replace(render_filters(ds.scope_plants(scope), ds.area_labels(scope), ds.region_name, view,
                                     attribution, ds.plants),
                      scope=scope, as_of=as_of, partner=render_partner(view, ds.partners))
    colour_label, currency = render_colour_by(view), render_currency(ds.fx, view)
    present = render_present_toggle(view)
    rerun_if_relabelled(first, view, chosen_lang, chosen_scope)  # a reconnected page's language or scope switch
    map_data, urls = _map_data(str(data_dir), signature, lang, scope, ds) if up is None else \
        _upload_map_data(up.digest, signature, lang, scope, ds)
    page = Page(ds, view, attribution, filters, colour_label, currency, present,
                offline=os.environ.get("PHARMAMAP_OFFLINE", "") == "1", map_data=map_data, map_urls=urls, stale=stale)
    if present and page.shown.empty and present_style is not None:
        present_style.empty()  # no plant to tour: the explore layout (its notices say what to change), sidebar too
    _render_header(page, view.dropped)
    return page


def scope_title(scope: str) -> str:
    """The page's title for a scope (and the slide deck's)."""
    return {"six": t("Kazakhstan's six pharmaceutical investment agreements"),
            "existing": t("Kazakhstan's pharmaceutical investment agreements and existing plants")}.get(
        scope, t("Kazakhstan's four approved pharmaceutical plants"))


def scope_statement(scope: str, approved_on: str) -> str:
    """What an export's data is: "Investment agreements approved on 22 January 2026" for the approved scope; the
    scope's title otherwise (its plants were not all approved that day)."""
    if scope == "approved":
        return t("Investment agreements approved on {date}", date=fmt.date_long(approved_on))
    return scope_title(scope)


def _render_header(page: Page, dropped: tuple[str, ...]) -> None:
    ds = page.ds
    scope = page.filters.scope
    text = t("Investment agreements approved by the Government on {date}. Figures are reported unless "
             "marked derived; empty means not disclosed. Sources in the tab “{tab}”.", date=fmt.date_long(page.date),
             tab=t("Sources & method"))
    if scope != "approved":
        text = t("Four agreements approved by the Government on {date}, six in all by {latest} (316.3 bn KZT); "
                 "existing plants are context, never added to a programme figure. Figures are reported unless "
                 "marked derived; empty means not disclosed.", date=fmt.date_long(page.date),
                 latest=fmt.date_long(ds.facts.get("six_agreements_total_reported_on", "")))
    if page.filters.as_of is not None:
        text += " " + t("Statuses as of {date}.", date=fmt.date_long(page.filters.as_of.isoformat()))
    st.title(scope_title(scope), help=md(text))
    if not page.present:
        with st.container(key=K.TITLE_NOTE):  # on a laptop screen in the title's help only (style.py)
            st.caption(md(text))
    with st.container():  # one slot whatever it holds: the map keeps its place in the page (no remount)
        render_upload_banner()
        render_stale(page.stale)
        render_problems(ds)
        if ds.plants.empty:
            st.warning(t("No plant could be loaded, so the KPIs, map markers, charts and table are empty."))
        render_dropped(dropped)


def render_notices(page: Page) -> None:
    """Why a chosen area shows no plant, and what to do when nothing matches. One container whatever
    the filters say, so the map after it keeps its place in the page and is not remounted."""
    with st.container():
        for msg in explain_area_selection(page.filters.areas, page.ds.scope_plants(page.filters.scope), page.labels,
                                          page.attribution):
            st.info(md(msg), icon="ℹ️")
        if page.shown.empty and not page.ds.plants.empty:
            st.warning(t("No plant matches these filters. Use 'Reset filters' in the sidebar to see all plants."))


def select_partner(partner_id: str) -> None:
    """A headquarters clicked on the partners map: show its projects on the map tab (runs before the
    next run, so the partner filter takes the value)."""
    st.session_state[K.PARTNER] = partner_id
    st.session_state[K.TAB] = t(TABS["map"])
