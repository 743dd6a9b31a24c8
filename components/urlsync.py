"""Keep the view and the URL in step: read the link once per session, write it on every rerun."""

from __future__ import annotations

import streamlit as st

from components.detail import KEY as DETAIL_KEY
from components.filters import CURRENCY_KEY, LANG_KEY
from core.i18n import LANGS, catalogue, current, t, use
from components.present import PRESENT_KEY, STEP_KEY
from components.text import md
from core.data import Dataset
from core.domain import COLOUR_BY, Filters, investment_bounds
from core.urlstate import COLOURS, TABS, ViewState, parse_query, to_query

APPLIED = "url.applied"
DROPPED = "url.dropped"
TAB_KEY = "view.tab"
COLOUR_KEY = "map.colour_by"


def apply_link(ds: Dataset) -> tuple[str, ...]:
    """On a session's first run, set the widgets from the URL; return what was dropped from it (every run)."""
    ss = st.session_state
    if ss.get(APPLIED):
        return ss.get(DROPPED, ())  # kept: the session's first run is followed at once by a second
    ss[APPLIED] = True
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    if not params:
        return ()
    plants = ds.plants
    state = parse_query(params, list(ds.areas["code"]), sorted(plants["region"].unique()),
                        sorted(plants["company"].unique()), list(plants["plant_id"]), investment_bounds(plants))
    ss["filters.area"] = list(state.areas)
    ss["filters.region"] = list(state.regions)
    ss["filters.company"] = list(state.companies)
    if state.investment is not None:
        ss["filters.investment"] = state.investment
    ss[COLOUR_KEY] = COLOURS[state.colour]
    ss[CURRENCY_KEY] = state.currency
    ss[LANG_KEY] = state.lang
    use(state.lang)
    ss[TAB_KEY] = t(TABS[state.tab])
    ss[PRESENT_KEY] = state.present
    ss[STEP_KEY] = state.step
    if state.plant:
        ss[DETAIL_KEY] = state.plant
        ss["map.last_clicked"] = state.plant
    ss[DROPPED] = state.dropped
    return state.dropped


def tab_code(label: str | None) -> str:
    """The tab's code from its label in any language."""
    for code, english in TABS.items():
        if label in {english, *(catalogue(lang).get(english) for lang in LANGS)}:
            return code
    return "map"


def tab_labels() -> list[str]:
    """Tab labels in the current language; a tab chosen in another language stays chosen."""
    if TAB_KEY in st.session_state:
        st.session_state[TAB_KEY] = t(TABS[tab_code(st.session_state[TAB_KEY])])
    return [t(label) for label in TABS.values()]


def write_link(filters: Filters, colour_label: str, currency: str) -> None:
    colour = {label: code for code, label in COLOURS.items()}.get(colour_label, "company")
    tab = tab_code(st.session_state.get(TAB_KEY))
    state = ViewState(areas=filters.areas, regions=filters.regions, companies=filters.companies,
                      investment=filters.investment, colour=colour, plant=st.session_state.get(DETAIL_KEY),
                      currency=currency, tab=tab, present=bool(st.session_state.get(PRESENT_KEY)),
                      step=int(st.session_state.get(STEP_KEY, 0)), lang=current())
    query = to_query(state)
    in_url = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    if in_url != wanted:
        st.query_params.from_dict(query)


def render_dropped(dropped: tuple[str, ...]) -> None:
    if dropped:
        st.caption(md("⚠ " + t("Ignored in the link (unknown or malformed): {values}", values=", ".join(dropped))))


assert set(COLOURS.values()) == set(COLOUR_BY), "URL colour codes cover every colour-by choice"
