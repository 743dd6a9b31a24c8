"""Presentation mode: large type, no sidebar, full-width map, and a guided tour.

The tour is: an overview, then each plant shown (largest investment first: the map flies to it,
a card tells its story, the charts highlight it), then a closing summary. The step lives in the
URL (``?view=present&step=2``) like everything else.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.text import link, md
from core import fmt
from core.domain import Kpis, convert

PRESENT_KEY = "view.present"
STEP_KEY = "tour.step"
FIGURES = {"investment_kzt_bn": "investment", "medicines_count": "number of medicines",
           "socially_significant_count": "socially significant medicines", "jobs": "jobs",
           "therapeutic_areas": "therapeutic areas", "partners": "strategic partners"}
FOCUS_ZOOM = {"site": 11, "zone": 9, "district": 9, "city": 9, "region": 7}

CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
[data-testid="stMainBlockContainer"], .block-container {max-width: 100%; padding-left: 2.5rem; padding-right: 2.5rem;}
[data-testid="stMainBlockContainer"], .block-container {padding-top: .6rem;}
h1 {font-size: 2rem !important;}
[data-testid="stMetricValue"] {font-size: 2.6rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.2rem !important;}
[data-testid="stCaptionContainer"] {font-size: 1rem !important;}
.stMarkdown p, .stMarkdown li {font-size: 1.2rem;}
.stMarkdown h3 {font-size: 1.7rem;}
</style>
"""


def tour_steps(shown: pd.DataFrame) -> list[str]:
    """'overview', the plant_ids by investment (largest first, undisclosed last), 'closing'."""
    order = shown.assign(_inv=shown["investment_kzt_bn"].fillna(-1)).sort_values("_inv", ascending=False,
                                                                                 kind="stable")
    return ["overview", *order["plant_id"].tolist(), "closing"]


def focus_for(step: str, shown: pd.DataFrame) -> dict:
    if step in ("overview", "closing"):
        return {"home": True}
    p = shown.loc[shown["plant_id"] == step].iloc[0]
    return {"lat": float(p["lat"]), "lon": float(p["lon"]), "zoom": FOCUS_ZOOM.get(p["location_precision"], 8)}


def story_lines(plant: pd.Series, fx: pd.DataFrame) -> list[str]:
    """The caption card of one plant, as plain sentences (escaped when drawn)."""
    jq = plant["jobs_qualifier"] if isinstance(plant["jobs_qualifier"], str) else "exact"
    inv = fmt.bn_kzt(plant["investment_kzt_bn"])
    usd, rate = convert(None if pd.isna(plant["investment_kzt_bn"]) else float(plant["investment_kzt_bn"]), fx, "USD")
    if usd is not None:
        inv += f" (≈ {fmt.millions(usd, 'USD')} at {rate['kzt_per_unit']:,.2f} KZT/USD, {rate['rate_date']})"
    lines = [
        f"Where: {plant['site'] if isinstance(plant['site'], str) else plant['region']}, {plant['region']} "
        f"({fmt.PRECISION_WORDS[plant['location_precision']]})",
        f"Investment: {inv}",
        f"Medicines: {fmt.figure(plant['medicines_count'], 'exact', plant['basis_medicines_count'])}"
        + (f", of which socially significant: {fmt.figure(plant['socially_significant_count'])}"
           if pd.notna(plant["socially_significant_count"]) else ""),
        f"Jobs: {fmt.figure(plant['jobs'], jq, plant['basis_jobs'])}",
    ]
    if isinstance(plant["product_focus"], str):
        lines.append(f"Focus: {plant['product_focus']}")
    partners = fmt.split_list(plant["partners"])
    if partners:
        countries = ", ".join(fmt.split_list(plant["partner_countries"]))
        lines.append(f"Partners: {', '.join(partners)}" + (f" ({countries})" if countries else ""))
    missing = [words for fld, words in FIGURES.items() if plant.get(f"basis_{fld}") == "not_disclosed"]
    derived = [words for fld, words in FIGURES.items() if plant.get(f"basis_{fld}") == "derived"]
    if missing:
        lines.append(f"Not disclosed: {', '.join(missing)}")
    if derived:
        lines.append(f"Derived, not reported: {', '.join(derived)}")
    return lines


def closing_lines(kpis: Kpis, shown: pd.DataFrame, programme_regions: list[str]) -> list[str]:
    inv, med, jobs = kpis.investment, kpis.medicines, kpis.jobs
    lines = [
        f"{len(shown)} plant{'s' if len(shown) != 1 else ''} in {', '.join(programme_regions)}",
        f"Investment: {fmt.bn_kzt(inv.value)} (stated programme total {fmt.bn_kzt(inv.programme_total)})",
        f"Medicines to localise: {fmt.figure(med.value, med.qualifier)}"
        + (f" (stated: {med.programme_total:,.0f})" if med.programme_total else ""),
        f"New jobs: {fmt.figure(jobs.value, jobs.qualifier)}"
        + (f" (stated: about {jobs.programme_total:,.0f})" if jobs.programme_total else ""),
    ]
    derived = sorted({name for k in (med, jobs) for name, _ in k.derived})
    if derived:
        lines.append(f"Derived, not reported, for: {', '.join(derived)}")
    nd = sorted(set(kpis.socially_significant.not_disclosed))
    if nd:
        lines.append(f"Socially significant medicines not disclosed for: {', '.join(nd)}")
    return lines


def _go(delta: int, n: int) -> None:
    st.session_state[STEP_KEY] = max(0, min(n - 1, st.session_state.get(STEP_KEY, 0) + delta))


def _exit() -> None:
    st.session_state[PRESENT_KEY] = False


def render_present_style() -> None:
    st.html(CSS)


def render_tour(shown: pd.DataFrame, names: dict[str, str]) -> str:
    """Prev / Next and where we are; returns the current step ('overview', a plant_id or 'closing')."""
    steps = tour_steps(shown)
    step = min(st.session_state.get(STEP_KEY, 0), len(steps) - 1)
    st.session_state[STEP_KEY] = step
    current = steps[step]
    title = {"overview": "Overview", "closing": "Summary"}.get(current, names.get(current, current))
    prev, where, nxt, leave = st.columns([1, 4, 1, 1.2], vertical_alignment="center")
    prev.button("◀ Prev", key="tour.prev", on_click=_go, args=(-1, len(steps)), disabled=step == 0,
                width="stretch")
    where.markdown(f"**{md(title)}** · step {step + 1} of {len(steps)}")
    nxt.button("Next ▶", key="tour.next", on_click=_go, args=(1, len(steps)), disabled=step == len(steps) - 1,
               width="stretch", type="primary")
    leave.button("Exit presentation", key="tour.exit", on_click=_exit, width="stretch")
    return current


def render_card(current: str, shown: pd.DataFrame, kpis: Kpis, fx: pd.DataFrame, date: str) -> None:
    with st.container(border=True):
        if current == "overview":
            st.markdown(f"### {md(f'{len(shown)} plants approved on {fmt.date_long(date)}')}")
            st.markdown(md("Next: each plant, largest investment first. Sizes are investment; dashed outlines "
                           "are approximate locations."))
        elif current == "closing":
            st.markdown("### Summary")
            st.markdown("\n".join(f"- {md(line)}" for line in
                                  closing_lines(kpis, shown, sorted(shown["region"].unique()))))
        else:
            plant = shown.loc[shown["plant_id"] == current].iloc[0]
            st.markdown(f"### {md(plant['name'])}")
            st.markdown("\n".join(f"- {md(line)}" for line in story_lines(plant, fx)))
            urls = fmt.split_list(plant["sources"])
            if urls:
                st.markdown("Sources: " + " · ".join(link(u) for u in urls))
