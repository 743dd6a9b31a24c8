"""Sidebar filters. Widget keys are namespaced ("filters.*")."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain import COLOUR_BY, Filters, area_attribution, investment_bounds
from core.i18n import LANGS, NAMES, t

KEYS = ("filters.area", "filters.region", "filters.company", "filters.investment")


def reset() -> None:
    for key in KEYS:
        st.session_state.pop(key, None)


def render_filters(plants: pd.DataFrame, labels: dict[str, str],
                   attribution: dict[str, list[str]] | None = None) -> Filters:
    sb = st.sidebar
    sb.header(t("Filters"))
    attribution = attribution if attribution is not None else area_attribution(plants, list(labels))

    def area_label(code: str) -> str:
        n = len(attribution.get(code, []))
        name = t(labels.get(code, code))
        if not n:
            return t("{area} (programme only)", area=name)
        return t("{area} (1 plant)", area=name) if n == 1 else t("{area} ({n} plants)", area=name, n=n)

    areas = sb.multiselect(t("Therapeutic area"), list(labels), format_func=area_label, key="filters.area",
                           placeholder=t("All areas"),
                           help=t("Plants a source links to any chosen area. Areas marked 'programme only' are "
                                  "named for the programme as a whole, not for a plant."))
    regions = sb.multiselect(t("Region"), sorted(plants["region"].unique()), key="filters.region",
                             format_func=region_name, placeholder=t("All regions"))
    companies = sb.multiselect(t("Company"), sorted(plants["company"].unique()), key="filters.company",
                               placeholder=t("All companies"))
    lo, hi = investment_bounds(plants)
    investment = None
    if hi > lo:
        # the default only when nothing (a link, a previous run) has set the value (None: no default)
        default = None if "filters.investment" in st.session_state else (lo, hi)
        chosen = sb.slider(t("Investment, bn KZT"), min_value=lo, max_value=hi, value=default, step=0.5,
                           format="%.1f", key="filters.investment",
                           help=t("Plants whose investment is not disclosed are hidden once the range is narrowed."))
        investment = _narrowed(chosen, lo, hi)
    sb.button(t("Reset filters"), on_click=reset, key="filters.reset", width="stretch")
    return Filters(areas=tuple(areas), regions=tuple(regions), companies=tuple(companies),
                   investment=investment)


def _narrowed(chosen, lo: float, hi: float) -> tuple[float, float] | None:
    """The investment range if it is narrower than all plants, else None (no filter)."""
    if chosen is None or hi <= lo or tuple(chosen) == (lo, hi):
        return None
    return float(chosen[0]), float(chosen[1])


def filters_from_state(plants: pd.DataFrame) -> Filters:
    """The filters as the widgets would return them, read from the session (a link, a previous run)
    without drawing the widgets: the first run of a session draws the map before the sidebar."""
    ss = st.session_state
    lo, hi = investment_bounds(plants)
    return Filters(areas=tuple(ss.get("filters.area", ())), regions=tuple(ss.get("filters.region", ())),
                   companies=tuple(ss.get("filters.company", ())),
                   investment=_narrowed(ss.get("filters.investment"), lo, hi))


def colour_from_state() -> str:
    chosen = st.session_state.get("map.colour_by")
    return chosen if chosen in COLOUR_BY else next(iter(COLOUR_BY))


def currency_from_state(fx: pd.DataFrame) -> str:
    chosen = st.session_state.get(CURRENCY_KEY)
    return chosen if chosen in _currencies(fx) else "KZT"


def language_from_state() -> str:
    chosen = st.session_state.get(LANG_KEY)
    return chosen if chosen in LANGS else "en"


def render_sidebar_waiting() -> None:
    """The sidebar of a session's first run: the filters follow as soon as the map is drawn. The button
    is the way on if the map cannot tell (any rerun draws the whole page)."""
    st.sidebar.header(t("Filters"))
    st.sidebar.caption(t("The filters appear as soon as the map is drawn."))
    st.sidebar.button(t("Show the filters now"), key="filters.now")


def render_colour_by() -> str:
    st.sidebar.header(t("View"))
    return st.sidebar.selectbox(t("Colour plants by"), list(COLOUR_BY), key="map.colour_by", format_func=t)


CURRENCY_KEY = "view.currency"


def _currencies(fx: pd.DataFrame) -> list[str]:
    return ["KZT"] + [c for c in ("USD", "EUR") if c in set(fx["currency"])]


def render_currency(fx: pd.DataFrame) -> str:
    """KZT, or a currency with a dated rate in fx_rates.csv."""
    options = _currencies(fx)
    if st.session_state.get(CURRENCY_KEY) not in options:
        st.session_state[CURRENCY_KEY] = "KZT"
    chosen = st.sidebar.segmented_control(t("Currency"), options, key=CURRENCY_KEY, required=True,
                                          help=t("Converted at the dated rates listed in Sources & method."))
    assert chosen is not None  # required, and set to one of the options above
    return chosen


LANG_KEY = "view.lang"


def render_language() -> str:
    """The language switch, first in the sidebar (names in their own language)."""
    if st.session_state.get(LANG_KEY) not in LANGS:
        st.session_state[LANG_KEY] = "en"
    chosen = st.sidebar.segmented_control("Language · Тіл · Язык", list(LANGS), key=LANG_KEY, required=True,
                                          format_func=lambda lang: NAMES[lang])
    assert chosen is not None  # required, and set to one of the languages above
    return chosen


REGION_NAMES: dict[str, dict[str, str]] = {}  # English name -> {lang: name}, from regions.geojson


def region_name(name: str) -> str:
    """A region's name in the current language (from regions.geojson), else as given."""
    from core.i18n import current

    return REGION_NAMES.get(name, {}).get(current(), name)
