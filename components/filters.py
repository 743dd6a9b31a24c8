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
        # the default only when nothing (a link, a previous run) has set the value
        default = {} if "filters.investment" in st.session_state else {"value": (lo, hi)}
        chosen = sb.slider(t("Investment, bn KZT"), min_value=lo, max_value=hi, step=0.5, format="%.1f",
                           key="filters.investment", **default,
                           help=t("Plants whose investment is not disclosed are hidden once the range is narrowed."))
        if tuple(chosen) != (lo, hi):
            investment = (float(chosen[0]), float(chosen[1]))
    sb.button(t("Reset filters"), on_click=reset, key="filters.reset", width="stretch")
    return Filters(areas=tuple(areas), regions=tuple(regions), companies=tuple(companies),
                   investment=investment)


def render_colour_by() -> str:
    st.sidebar.header(t("View"))
    return st.sidebar.selectbox(t("Colour plants by"), list(COLOUR_BY), key="map.colour_by", format_func=t)


CURRENCY_KEY = "view.currency"


def render_currency(fx: pd.DataFrame) -> str:
    """KZT, or a currency with a dated rate in fx_rates.csv."""
    options = ["KZT"] + [c for c in ("USD", "EUR") if c in set(fx["currency"])]
    if st.session_state.get(CURRENCY_KEY) not in options:
        st.session_state[CURRENCY_KEY] = "KZT"
    return st.sidebar.segmented_control(t("Currency"), options, key=CURRENCY_KEY, required=True,
                                        help=t("Converted at the dated rates listed in Sources & method."))


LANG_KEY = "view.lang"


def render_language() -> str:
    """The language switch, first in the sidebar (names in their own language)."""
    if st.session_state.get(LANG_KEY) not in LANGS:
        st.session_state[LANG_KEY] = "en"
    return st.sidebar.segmented_control("Language · Тіл · Язык", list(LANGS), key=LANG_KEY, required=True,
                                        format_func=NAMES.get)


REGION_NAMES: dict[str, dict[str, str]] = {}  # English name -> {lang: name}, from regions.geojson


def region_name(name: str) -> str:
    """A region's name in the current language (from regions.geojson), else as given."""
    from core.i18n import current

    return REGION_NAMES.get(name, {}).get(current(), name)
