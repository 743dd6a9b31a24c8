"""KPI row: filtered value, qualifiers, derived and undisclosed parts, programme totals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.text import md
from core import fmt
from core import keys as K
from core.domain import Kpi, Kpis, convert, name_list
from core.i18n import current, number, t


def kpi_texts(k: Kpi, unit: str, filtered: bool, programme_unit: str = "",
              symbols: bool = False, stated_total: str | None = None, short: bool = False) -> tuple[str, list[str]]:
    """Headline value and the caption lines under it (pure: tested without Streamlit).

    ``unit`` is "bn" for investment (shown as "173.4 bn" / "173,4 млрд") or "". ``symbols``
    writes the qualifier as ≈ / ≥, short enough for the large type of presentation mode.
    ``stated_total`` replaces the programme total on its own line (a converted currency).
    ``short``: lines that fit a fifth of a shared screen in every language (presentation mode), the plants'
    names left to the long lines of the help."""
    decimals = 1 if k.field == "investment_kzt_bn" else 0
    bn = t("bn") if unit else ""
    if k.value is None and not k.not_disclosed:  # no plant at all: a sum of nothing is 0, not "not disclosed"
        return "0" + (f" {bn}" if bn else ""), [t("No plant matches the filters.")]
    if k.value is None:
        value = fmt.not_disclosed()
    else:
        # bounds read as > and ≤ in every language: "more than 315.9 bn" does not fit a fifth of a laptop
        as_symbol = symbols or k.qualifier in ("more_than", "at_most")
        qualifier = fmt.SYMBOLS.get(k.qualifier, "") if as_symbol else fmt.qualifier_word(k.qualifier)
        value = f"{qualifier}{number(k.value, decimals)}" + (f" {bn}" if bn else "")
    lines = []
    if short:
        if k.derived:
            lines.append(t("incl. ≈ {value} derived", value=number(sum(v for _, v in k.derived))))
        if k.not_disclosed and k.value is not None:  # a headline "not disclosed" says it already
            lines.append(t("not disclosed: {n}", n=number(len(k.not_disclosed))))
    elif len(k.derived) <= 2:
        for name, v in k.derived:
            lines.append(t("incl. ≈ {value} derived for {name}", value=number(v), name=name))
    else:
        lines.append(t("incl. ≈ {value} derived for {n} plants", value=number(sum(v for _, v in k.derived)),
                       n=number(len(k.derived))))
    if k.not_disclosed and not short:
        lines.append(t("not disclosed for {names}", names=name_list(k.not_disclosed)))
    if k.programme_total is not None:
        total_decimals = 1 if decimals and k.programme_total % 1 else 0
        total = f"{fmt.qualifier_word(k.programme_qualifier)}{number(k.programme_total, total_decimals)}" + (
            f" {t('bn')}" if programme_unit else "")
        if filtered and k.share is not None and short:
            lines.append(t("{share} of the programme ({total})", share=fmt.share(k.share), total=total))
        elif filtered and k.share is not None:
            lines.append(t("{share} of the stated programme total ({total})", share=fmt.share(k.share), total=total))
        elif stated_total:
            lines.append(t("Programme total converted (derived): {total}", total=stated_total))
        else:
            lines.append(t("Stated programme total: {total}", total=total))
    return value, lines


def investment_texts(k: Kpi, fx: pd.DataFrame, currency: str, filtered: bool,
                     short: bool = False) -> tuple[str, str, list[str]]:
    """Label, headline and caption lines of the investment KPI in ``currency`` (pure).

    The other currency is always one line away with its rate and date (``short``: the rate alone; its kind and
    date are in the long lines of the help)."""
    other = "USD" if currency == "KZT" else currency
    if k.value is None and not k.not_disclosed:  # no plant: 0 in the currency chosen
        value, lines = kpi_texts(k, "bn", filtered, "bn", short=short)
        if currency == "KZT":
            return t("Investment, KZT"), value, lines
        return t("Investment, {currency}", currency=other), fmt.millions(0.0, other), lines
    converted, rate = convert(k.value, fx, other)
    total, _ = convert(k.programme_total, fx, other)
    converted_total = f"≈ {fmt.millions(total, other)}" if currency != "KZT" and total is not None else None
    value, lines = kpi_texts(k, "bn", filtered, "bn", stated_total=converted_total, short=short)
    if rate is None:
        return t("Investment, KZT"), value, lines
    rate_text = t("at {rate} KZT/{currency}", rate=number(rate["kzt_per_unit"], 2), currency=other) if short else t(
        "at {rate} KZT/{currency} ({kind} rate, {date})", rate=number(rate["kzt_per_unit"], 2), currency=other,
        kind=fmt.rate_kind(rate), date=rate["rate_date"])
    sign = fmt.converted_prefix(k.qualifier)  # "> " for a sum that is a lower bound ("more than 315.9 bn")
    if currency == "KZT":
        return t("Investment, KZT"), value, [f"{sign}{fmt.millions(converted, other)} {rate_text}"] + lines
    headline = fmt.not_disclosed() if converted is None else f"{sign}{fmt.millions(converted, other)}"
    return t("Investment, {currency}", currency=other), headline, [f"= {value} KZT {rate_text}"] + lines


def render_kpis(kpis: Kpis, fx: pd.DataFrame, filtered: bool, currency: str = "KZT", compact: bool = False,
                split: bool = True, context: int = 0) -> None:
    """``compact`` (presentation): one caption line a KPI, the derived or converted part first. ``context``:
    how many existing plants are shown when no programme plant is: their figures are not programme figures,
    so every KPI says "—" and why, not "0" and "no plant matches".

    Headlines write qualifiers as ≈ / ≥ in presentation mode and in Russian and Kazakh, whose
    words ("около", "шамамен", "кемінде") would not fit a fifth of a laptop screen."""
    symbols = compact or current() != "en"
    short = not split
    cols = st.columns(5, gap="medium")

    def texts(short: bool) -> list[tuple[str, str, list[str]]]:
        plants = [t("of {n} in the programme", n=number(kpis.plants.programme_total))] \
            if kpis.plants.programme_total else []
        return [investment_texts(kpis.investment, fx, currency, filtered, short),
                (t("Medicines"), *kpi_texts(kpis.medicines, "", filtered, symbols=symbols, short=short)),
                (t("Socially significant"), *kpi_texts(kpis.socially_significant, "", filtered, symbols=symbols,
                                                        short=short)),
                (t("Jobs"), *kpi_texts(kpis.jobs, "", filtered, symbols=symbols, short=short)),
                (t("Plants"), number(kpis.plants.n_plants), plants)]

    helps = [t("Sum of the investments of the plants shown, as reported, converted at the dated rates in "
               "Sources & method."),
             t("Medicines to be localised by the plants shown. Derived values are counted and flagged."),
             t("Socially significant medicines among them; not disclosed for some plants."),
             t("New jobs; 'at least' and 'about' are kept as the sources word them."),
             t("Plants matching the filters.")]
    full = texts(short=False)
    shown = texts(short=True) if short else full
    if kpis.plants.n_plants == 0 and context:
        note = t("Existing plants only ({n}): context, never added to a programme figure.", n=number(context))
        full = [(label, "—", [note] if i == 0 else lines if i == 4 else []) for i, (label, _, lines) in enumerate(full)]
        # presentation: the same in two short lines (a fifth of a laptop screen in every language)
        shown = [(label, value, [t("Existing plants only ({n})", n=number(context)), t("context, not summed")]
                  if i == 0 else lines) for i, (label, value, lines) in enumerate(full)] if short else full
    elif kpis.plants.n_plants == 0:  # "no plant matches" once, under the first figure, not under four
        shown = [shown[0], *((label, value, []) for label, value, _ in shown[1:4]), shown[4]]
    for i, (col, (label, value, long_lines), (_, _, lines), help_text) in enumerate(
            zip(cols, full, shown, helps, strict=True)):
        with col:
            # every line is also in the help, whole, so a narrow screen that shows only the first loses none
            st.metric(label, value, help="  \n".join([help_text, *(md(line) for line in long_lines)]))
            if compact:
                lines = lines[:1]
            if lines and not split:  # one caption block (presentation mode sizes it itself)
                st.caption("  \n".join(md(line) for line in lines))
                continue
            if lines:
                st.caption(md(lines[0]))
            if lines[1:]:  # hidden on a laptop screen (components/style.py), in the help above
                with st.container(key=f"{K.KPI_MORE}{i}"):
                    st.caption("  \n".join(md(line) for line in lines[1:]))
