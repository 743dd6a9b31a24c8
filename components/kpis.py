"""KPI row: filtered value, qualifiers, derived and undisclosed parts, programme totals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import fmt
from components.text import md
from core.domain import Kpi, Kpis, convert, name_list


def kpi_texts(k: Kpi, unit: str, filtered: bool, programme_unit: str = "") -> tuple[str, list[str]]:
    """Headline value and the caption lines under it (pure: tested without Streamlit)."""
    if k.value is None:
        value = "not disclosed"
    elif k.field == "investment_kzt_bn":
        value = f"{fmt.QUALIFIER_WORDS[k.qualifier]}{k.value:,.1f}{unit}"
    else:
        value = f"{fmt.QUALIFIER_WORDS[k.qualifier]}{k.value:,.0f}{unit}"
    lines = []
    if len(k.derived) <= 2:
        for name, v in k.derived:
            lines.append(f"incl. ≈ {v:,.0f} derived for {name}")
    else:
        lines.append(f"incl. ≈ {sum(v for _, v in k.derived):,.0f} derived for {len(k.derived):,} plants")
    if k.not_disclosed:
        lines.append(f"not disclosed for {name_list(k.not_disclosed)}")
    if k.programme_total is not None:
        total = f"{fmt.QUALIFIER_WORDS[k.programme_qualifier]}{k.programme_total:,.{1 if k.field == 'investment_kzt_bn' and k.programme_total % 1 else 0}f}{programme_unit}"
        if filtered and k.share is not None:
            lines.append(f"{fmt.share(k.share)} of the stated programme total ({total})")
        else:
            lines.append(f"Stated programme total: {total}")
    return value, lines


def investment_texts(k: Kpi, fx: pd.DataFrame, currency: str, filtered: bool) -> tuple[str, str, list[str]]:
    """Label, headline and caption lines of the investment KPI in ``currency`` (pure).

    The other currency is always one line away with its rate and date."""
    value, lines = kpi_texts(k, " bn", filtered, " bn")
    other = "USD" if currency == "KZT" else currency
    converted, rate = convert(k.value, fx, other)
    if rate is None:
        return "Investment, KZT", value, lines
    rate_text = f"at {rate['kzt_per_unit']:,.2f} KZT/{other} ({rate['rate_type']} rate, {rate['rate_date']})"
    if currency == "KZT":
        return "Investment, KZT", value, [f"≈ {fmt.millions(converted, other)} {rate_text}"] + lines
    total, _ = convert(k.programme_total, fx, other)
    headline = "not disclosed" if converted is None else f"≈ {fmt.millions(converted, other)}"
    lines = [f"= {value} KZT {rate_text}"] + [
        line if not line.startswith("Stated programme total") or total is None
        else f"Stated programme total: ≈ {fmt.millions(total, other)}" for line in lines]
    return f"Investment, {other}", headline, lines


def render_kpis(kpis: Kpis, fx: pd.DataFrame, filtered: bool, currency: str = "KZT", compact: bool = False) -> None:
    """``compact`` (presentation): one caption line a KPI, the derived or converted part first."""
    cols = st.columns(5, gap="medium")
    inv_label, inv_value, inv_lines = investment_texts(kpis.investment, fx, currency, filtered)
    specs = [
        (inv_label, inv_value, inv_lines,
         "Sum of the investments of the plants shown, as reported. USD at the dated rate in fx_rates.csv."),
        ("Medicines", *kpi_texts(kpis.medicines, "", filtered),
         "Medicines to be localised by the plants shown. Derived values are counted and flagged."),
        ("Socially significant", *kpi_texts(kpis.socially_significant, "", filtered),
         "Socially significant medicines among them; not disclosed for some plants."),
        ("Jobs", *kpi_texts(kpis.jobs, "", filtered),
         "New jobs; 'at least' and 'about' are kept as the sources word them."),
        ("Plants", f"{int(kpis.plants.value)}", [f"of {int(kpis.plants.programme_total)} in the programme"]
         if kpis.plants.programme_total else [], "Plants matching the filters."),
    ]
    for col, (label, value, lines, help_text) in zip(cols, specs):
        with col:
            st.metric(label, value, help=help_text)
            if compact:
                lines = lines[:1]
            if lines:  # one caption block: compact on a laptop screen
                st.caption("  \n".join(md(line) for line in lines))
