"""Sidebar filters. Widget keys are namespaced ("filters.*")."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain import COLOUR_BY, Filters, area_attribution, investment_bounds

KEYS = ("filters.area", "filters.region", "filters.company", "filters.investment")


def reset() -> None:
    for key in KEYS:
        st.session_state.pop(key, None)


def render_filters(plants: pd.DataFrame, labels: dict[str, str],
                   attribution: dict[str, list[str]] | None = None) -> Filters:
    sb = st.sidebar
    sb.header("Filters")
    attribution = attribution if attribution is not None else area_attribution(plants, list(labels))

    def area_label(code: str) -> str:
        n = len(attribution.get(code, []))
        return f"{labels.get(code, code)} ({n} plant{'s' if n != 1 else ''})" if n else \
            f"{labels.get(code, code)} (programme only)"

    areas = sb.multiselect("Therapeutic area", list(labels), format_func=area_label, key="filters.area",
                           placeholder="All areas",
                           help="Plants a source links to any chosen area. Areas marked 'programme only' are "
                                "named for the programme as a whole, not for a plant.")
    regions = sb.multiselect("Region", sorted(plants["region"].unique()), key="filters.region",
                             placeholder="All regions")
    companies = sb.multiselect("Company", sorted(plants["company"].unique()), key="filters.company",
                               placeholder="All companies")
    lo, hi = investment_bounds(plants)
    investment = None
    if hi > lo:
        # the default only when nothing (a link, a previous run) has set the value
        default = {} if "filters.investment" in st.session_state else {"value": (lo, hi)}
        chosen = sb.slider("Investment, bn KZT", min_value=lo, max_value=hi, step=0.5, format="%.1f",
                           key="filters.investment", **default,
                           help="Plants whose investment is not disclosed are hidden once the range is narrowed.")
        if tuple(chosen) != (lo, hi):
            investment = (float(chosen[0]), float(chosen[1]))
    sb.button("Reset filters", on_click=reset, key="filters.reset", width="stretch")
    return Filters(areas=tuple(areas), regions=tuple(regions), companies=tuple(companies),
                   investment=investment)


def render_colour_by() -> str:
    st.sidebar.header("View")
    return st.sidebar.selectbox("Colour plants by", list(COLOUR_BY), key="map.colour_by")


CURRENCY_KEY = "view.currency"


def render_currency(fx: pd.DataFrame) -> str:
    """KZT, or a currency with a dated rate in fx_rates.csv."""
    options = ["KZT"] + [c for c in ("USD", "EUR") if c in set(fx["currency"])]
    if st.session_state.get(CURRENCY_KEY) not in options:
        st.session_state[CURRENCY_KEY] = "KZT"
    return st.sidebar.segmented_control("Currency", options, key=CURRENCY_KEY, required=True,
                                        help="Converted at the dated rates listed in Sources & method.")
