"""The sidebar: language, filters, colour scheme, currency. Widget keys come from core.keys."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core import keys as K
from core.domain import COLOUR_BY, Filters, area_attribution, investment_bounds
from core.i18n import LANGS, NAMES, t
from core.urlstate import COLOURS, ViewState


def reset(bounds: tuple[float, float]) -> None:
    """Every filter off. Set, not removed: a removed value would fall back to the link's."""
    ss = st.session_state
    ss[K.AREA], ss[K.REGION], ss[K.COMPANY] = [], [], []
    if K.INVESTMENT in ss:
        ss[K.INVESTMENT] = bounds


def render_filters(plants: pd.DataFrame, labels: dict[str, str], region_name: Callable[[str], str],
                   view: ViewState, attribution: dict[str, list[str]] | None = None) -> Filters:
    """Therapeutic area first, then region, company and investment range; region names via ``region_name``."""
    sb = st.sidebar
    sb.header(t("Filters"))
    attribution = attribution if attribution is not None else area_attribution(plants, list(labels))

    def area_label(code: str) -> str:
        n = len(attribution.get(code, []))
        name = t(labels.get(code, code))
        if not n:
            return t("{area} (programme only)", area=name)
        return t("{area} (1 plant)", area=name) if n == 1 else t("{area} ({n} plants)", area=name, n=n)

    areas = sb.multiselect(t("Therapeutic area"), list(labels), format_func=area_label, key=K.AREA,
                           default=list(view.areas),
                           placeholder=t("All areas"),
                           help=t("Plants a source links to any chosen area. Areas marked 'programme only' are "
                                  "named for the programme as a whole, not for a plant."))
    regions = sb.multiselect(t("Region"), sorted(plants["region"].unique()), key=K.REGION,
                             default=list(view.regions), format_func=region_name, placeholder=t("All regions"))
    companies = sb.multiselect(t("Company"), sorted(plants["company"].unique()), key=K.COMPANY,
                               default=list(view.companies), placeholder=t("All companies"))
    lo, hi = investment_bounds(plants)
    investment = None
    if hi > lo:
        chosen = sb.slider(t("Investment, bn KZT"), min_value=lo, max_value=hi, step=0.5, format="%.1f",
                           key=K.INVESTMENT, value=view.investment or (lo, hi),
                           help=t("Plants whose investment is not disclosed are hidden once the range is narrowed."))
        investment = _narrowed(chosen, lo, hi)
    sb.button(t("Reset filters"), on_click=reset, args=((lo, hi),), key=K.FILTER_RESET, width="stretch")
    return Filters(areas=tuple(areas), regions=tuple(regions), companies=tuple(companies),
                   investment=investment)


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
