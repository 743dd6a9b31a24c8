"""The sidebar: language, filters, colour scheme, currency. Widget keys come from core.keys.

Streamlit (1.67) keeps a select widget's value in the browser as its *label*, the format_func's text,
and sends it back with every input. The labels change with the language (translations, region
names), the scope and the data (the areas' plant counts), but the browser keeps the old ones: after a
language switch, the next input brought the areas, regions and colour in the old language, which the
run could not read any more, and they were lost (or, for a region, taken as a new value). So when a
run labels the widgets in another language or scope, or from another version of the data, than the
run before, ``relabel`` gives each its value again through the session state, before the widgets are
drawn: Streamlit then sends the value to the browser in the new labels. A new session (a page
reconnecting after a restart) has no run before to read the labels with: components/urlsync.py says
what its first run does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import pandas as pd
import streamlit as st

from core import fmt
from core import keys as K
from core.domain import COLOUR_BY, SCOPE, SCOPES, Filters, area_attribution, investment_bounds
from core.i18n import LANGS, NAMES, t
from core.urlstate import COLOURS, ViewState


def reset(bounds: tuple[float, float]) -> None:
    """Every filter off (the scope stays). Set, not removed: a removed value would fall back to the link's."""
    ss = st.session_state
    ss[K.AREA], ss[K.REGION], ss[K.COMPANY], ss[K.AS_OF], ss[K.PARTNER] = [], [], [], None, None
    if K.INVESTMENT in ss:
        ss[K.INVESTMENT] = bounds


RELABELLED = (K.SCOPE, K.AREA, K.REGION, K.COLOUR, K.DETAIL_RADIUS)  # labels: language, scope or data


def relabel(first: bool, view: ViewState, data: object) -> None:
    """Before the widgets: if this run labels them in another language or scope, or from other ``data`` (the
    version shown: the areas' counts), than the run before, set each value again, so Streamlit sends it to
    the browser in the new labels (the module's docstring). A session's first run labels them in the
    link's language and scope (components/urlsync.py)."""
    ss = st.session_state
    labels = ((view.lang, view.scope) if first else (ss.get(K.LANG, view.lang), ss.get(K.SCOPE, view.scope)), data)
    if ss.get(K.LABELLED, labels) != labels:
        for key in RELABELLED:
            if key in ss:
                ss[key] = ss[key]
    ss[K.LABELLED] = labels


def render_scope(view: ViewState) -> str:
    """Which projects: the four approved on 22 Jan 2026 (default), all six agreements, or with the
    companies' existing plants. A scope is not a filter: its own stated totals are the KPIs' targets."""
    codes = [s.code for s in SCOPES]
    chosen = st.sidebar.radio(t("Projects"), codes, index=codes.index(view.scope), key=K.SCOPE,
                              format_func=lambda code: t(SCOPE[code].label),
                              help=t("The KPIs compare the plants shown with the government's stated totals "
                                     "for the scope: 173 bn KZT for the four, 316.3 bn KZT for the six. Existing "
                                     "plants are shown for context and never added to a programme figure."))
    return str(chosen)


def render_as_of(view: ViewState, events: pd.DataFrame, latest: date) -> date | None:
    """The day whose statuses are shown; empty: the latest the data knows (``latest``)."""
    first = min(events["day"]) if len(events) else latest
    value = view.as_of if view.as_of is None or first <= view.as_of <= latest else None
    chosen = st.sidebar.date_input(t("As of"), value=value, min_value=first, max_value=latest, key=K.AS_OF,
                                   format="YYYY-MM-DD",
                                   help=t("Statuses on this day; projects not yet approved or in talks then are "
                                          "hidden. Empty: the latest, {date}.", date=fmt.date_long(latest)))
    return chosen if isinstance(chosen, date) else None


def render_partner(view: ViewState, partners: pd.DataFrame) -> str | None:
    """Only the projects of one partner (also set by clicking a partner on the partners map)."""
    named = partners[partners["name"] != ""] if "name" in partners else partners
    ids = list(named["partner_id"])
    if st.session_state.get(K.PARTNER) not in [None, *ids]:
        st.session_state[K.PARTNER] = None
    names = dict(zip(named["partner_id"], named["name"], strict=True))
    return st.sidebar.selectbox(t("Partner"), ids, index=ids.index(view.partner) if view.partner in ids else None,
                                format_func=lambda i: names.get(i, i), key=K.PARTNER, placeholder=t("All partners"))


def render_filters(plants: pd.DataFrame, labels: dict[str, str], region_name: Callable[[str], str],
                   view: ViewState, attribution: dict[str, list[str]] | None = None,
                   all_plants: pd.DataFrame | None = None) -> Filters:
    """Therapeutic area first, then region, company and investment range; region names via ``region_name``.

    ``plants``: the scope's plants (area counts, investment range); ``all_plants``: every row, whose
    regions and companies are offered in every scope, so a choice survives a change of scope."""
    every = plants if all_plants is None else all_plants
    sb = st.sidebar
    sb.header(t("Filters"))
    attribution = attribution if attribution is not None else area_attribution(plants, list(labels))

    def area_label(code: str) -> str:
        n = len(attribution.get(code, []))
        name = t(labels.get(code, code))
        if not n:
            return t("{area} (programme only)", area=name)
        return t("{area} (1 plant)", area=name) if n == 1 else t("{area} ({n} plants)", area=name, n=n)

    held = st.session_state.get(K.AREA)
    if held and not set(held) <= set(labels):  # areas of another scope
        st.session_state[K.AREA] = [a for a in held if a in labels]
    areas = sb.multiselect(t("Therapeutic area"), list(labels), format_func=area_label, key=K.AREA,
                           default=[a for a in view.areas if a in labels],
                           placeholder=t("All areas"),
                           help=t("Plants a source links to any chosen area. Areas marked 'programme only' are "
                                  "named for the programme as a whole, not for a plant."))
    # A region or company chosen stays an option while the data lacks it (a row broken for a while): Streamlit
    # would otherwise drop it from the choice for good. An upload is another table: choices it lacks go.
    upload = st.session_state.get(K.UPLOAD) is not None
    options = {K.REGION: _kept(every["region"], K.REGION, view.regions, upload),
               K.COMPANY: _kept(every["company"], K.COMPANY, view.companies, upload)}
    for key, offered in options.items():
        held = st.session_state.get(key)
        if held and not set(held) <= set(offered):
            st.session_state[key] = [v for v in held if v in offered]
    regions = sb.multiselect(t("Region"), options[K.REGION], key=K.REGION, format_func=region_name,
                             default=[r for r in view.regions if r in options[K.REGION]], placeholder=t("All regions"))
    companies = sb.multiselect(t("Company"), options[K.COMPANY], key=K.COMPANY, placeholder=t("All companies"),
                               default=[c for c in view.companies if c in options[K.COMPANY]])
    lo, hi = investment_bounds(plants)
    investment = None
    held = st.session_state.get(K.INVESTMENT)
    if held is not None and not (lo <= held[0] <= held[1] <= hi):  # another scope's range
        st.session_state[K.INVESTMENT] = (max(lo, min(held[0], hi)), min(hi, max(held[1], lo)))
    if hi > lo:
        chosen = sb.slider(t("Investment, bn KZT"), min_value=lo, max_value=hi, step=0.5, format="%.1f",
                           key=K.INVESTMENT, value=view.investment or (lo, hi),
                           help=t("Plants whose investment is not disclosed are hidden once the range is narrowed."))
        investment = _narrowed(chosen, lo, hi)
    sb.button(t("Reset filters"), on_click=reset, args=((lo, hi),), key=K.FILTER_RESET, width="stretch")
    return Filters(areas=tuple(areas), regions=tuple(regions), companies=tuple(companies),
                   investment=investment)


def _kept(values: Iterable[str], key: str, linked: Iterable[str], upload: bool) -> list[str]:
    """The options: the data's values and, unless an upload is shown, those the session or its link chose,
    sorted."""
    if upload:
        return sorted(set(values))
    return sorted({*values, *st.session_state.get(key, []), *linked})


def _narrowed(chosen, lo: float, hi: float) -> tuple[float, float] | None:
    """The investment range if it is narrower than all plants, else None (no filter)."""
    if chosen is None or hi <= lo or tuple(chosen) == (lo, hi):
        return None
    return float(chosen[0]), float(chosen[1])


def render_colour_by(view: ViewState) -> str:
    st.sidebar.header(t("View"))
    labels = list(COLOUR_BY)
    return st.sidebar.selectbox(t("Colour plants by"), labels, index=labels.index(COLOURS[view.colour]), key=K.COLOUR,
                                format_func=t)


def _currencies(fx: pd.DataFrame) -> list[str]:
    return ["KZT"] + [c for c in ("USD", "EUR") if c in set(fx["currency"])]


def render_currency(fx: pd.DataFrame, view: ViewState) -> str:
    """KZT, or a currency with a dated rate in fx_rates.csv."""
    options = _currencies(fx)
    chosen = st.sidebar.segmented_control(t("Currency"), options, key=K.CURRENCY, required=True,
                                          default=view.currency if view.currency in options else "KZT",
                                          help=t("Converted at the dated rates listed in Sources & method."))
    assert chosen is not None  # required, with a default among the options
    return chosen


def render_language(view: ViewState) -> str:
    """The language switch, first in the sidebar (names in their own language)."""
    chosen = st.sidebar.segmented_control("Language · Тіл · Язык", list(LANGS), key=K.LANG, required=True,
                                          default=view.lang, format_func=lambda lang: NAMES[lang])
    assert chosen is not None  # required, with a default among the languages
    return chosen


def render_present_toggle(view: ViewState) -> bool:
    return st.sidebar.toggle(t("Presentation mode"), key=K.PRESENT, value=view.present,
                             help=t("Large type, a large map and a guided tour, for screen sharing."))
