"""Keep the view and the URL in step: read the link once per session, write it on every rerun.

A session's first run can come from a page that outlived its session (a server restart, or a replica
lost behind the load balancer): the browser reconnects to a new session and sends every widget's
value with the user's next input. Streamlit sends a multiselect's, selectbox's, radio's or tab's
value as its *label* (the format_func's text; components/filters.py), and a new session has no
earlier run to read those labels with: it reads them against the labels of its own first run and
drops what does not match. The labels change with the language (every translated label, region names) and the scope (the
areas' plant counts). So on a session's first run every label is drawn in the link's language and
scope, which are the ones the page shows, since the link is written from the same run
(components/page.py, ``load_page``). If the browser's language or scope differ (the user's input
was a switch), the run stops after the sidebar and reruns in them (``rerun_if_relabelled``): every
value is read by then, and the rerun relabels them as any switch does (components/filters.relabel).

Not chosen: presetting every widget from the URL on the first run (the user's input, say a chip
removed, must still count, and the label it came as cannot be read before the widget exists), or
mapping labels of every language back to codes in a patched deserialiser (Streamlit internals).
Left open: data that differs between the two servers changes the areas' counts, so their labels.
"""

from __future__ import annotations

import streamlit as st

from components.text import md
from core import keys as K
from core.data import Dataset
from core.domain import Filters, investment_bounds
from core.i18n import LANGS, catalogue, current, t, use
from core.urlstate import COLOURS, TABS, ViewState, parse_query, to_query


def apply_link(ds: Dataset) -> ViewState:
    """The link's view: read from the URL on a session's first run, then kept for the session.

    Widgets take it as their *default*, never as a value set through the session state: a value the
    browser already holds wins. That matters after a server restart, when the page reconnects to a
    new session and its first run brings the user's latest input while the URL is one input behind."""
    ss = st.session_state
    view = ss.get(K.URL_VIEW)
    if view is None:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        plants = ds.plants
        view = parse_query(params, list(ds.areas["code"]), sorted(plants["region"].unique()),
                           sorted(plants["company"].unique()), list(plants["plant_id"]), investment_bounds(plants),
                           list(ds.partners["partner_id"]) if "partner_id" in ds.partners else [])
        ss[K.URL_VIEW] = view
        ss[K.STEP] = view.step  # not widgets: set once
        if view.plant:
            ss[K.LAST_CLICKED] = view.plant
    use(view.lang)
    return view


def first_run() -> bool:
    """Whether ``apply_link`` has yet to read the link: the session's first run (ask before it)."""
    return K.URL_VIEW not in st.session_state


def rerun_if_relabelled(first: bool, view: ViewState, lang: str, scope: str) -> None:
    """After the sidebar on a session's first run: the browser's language or scope is not the link's
    (the user switched it as the first input after a reconnect), so run again in it, every widget's
    value now read."""
    if first and (lang, scope) != (view.lang, view.scope):
        st.rerun()


def tab_code(label: str | None) -> str:
    """The tab's code from its label in any language."""
    for code, english in TABS.items():
        if label in {english, *(catalogue(lang).get(english) for lang in LANGS)}:
            return code
    return "map"


def render_tabs(view: ViewState) -> dict:
    """The explore view's tabs by code, labelled in the current language; a tab chosen in another
    language stays chosen. Each tab reports whether it is open, so closed tabs need not run."""
    if K.TAB in st.session_state:
        st.session_state[K.TAB] = t(TABS[tab_code(st.session_state[K.TAB])])
    tabs = st.tabs([t(label) for label in TABS.values()], default=t(TABS[view.tab]), key=K.TAB, on_change="rerun")
    return dict(zip(TABS, tabs, strict=True))


def write_link(filters: Filters, colour_label: str, currency: str) -> None:
    colour = {label: code for code, label in COLOURS.items()}.get(colour_label, "company")
    tab = tab_code(st.session_state.get(K.TAB))
    state = ViewState(areas=filters.areas, regions=filters.regions, companies=filters.companies,
                      investment=filters.investment, colour=colour, plant=st.session_state.get(K.DETAIL),
                      currency=currency, tab=tab, present=bool(st.session_state.get(K.PRESENT)),
                      projector=bool(st.session_state.get(K.PROJECTOR)),
                      step=int(st.session_state.get(K.STEP, 0)), lang=current(), scope=filters.scope,
                      as_of=filters.as_of, partner=filters.partner)
    query = to_query(state)
    in_url = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    if in_url != wanted:
        st.query_params.from_dict(query)


def render_dropped(dropped: tuple[str, ...], shown: int = 8) -> None:
    """A short note: the first values left out of the link (each already cut, core.urlstate.cut), escaped."""
    if dropped:
        values = ", ".join(dropped[:shown]) + (f", … ×{len(dropped) - shown}" if len(dropped) > shown else "")
        st.caption(md("⚠ " + t("Ignored in the link (unknown or malformed): {values}", values=values)))

