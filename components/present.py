"""Presentation mode: large type, no sidebar, full-width map, and a guided tour.

The tour is: an overview, then each plant shown (largest investment first: the map flies to it,
a card tells its story, the charts highlight it), then a closing summary. The step lives in the
URL (``?view=present&step=2``) like everything else.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from components.text import link, md
from core import fmt
from core import keys as K
from core.data import URL_RE
from core.domain import FIELD_NAMES, Kpis, convert
from core.i18n import number, t

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


PARTNERS_STEP = "partners"


def tour_steps(shown: pd.DataFrame, partners: bool = False) -> list[str]:
    """'overview', the plant_ids by investment (largest first, undisclosed last), 'partners' ("Who we work
    with", when there are partners), 'closing'."""
    order = shown.assign(_inv=shown["investment_kzt_bn"].fillna(-1)).sort_values("_inv", ascending=False,
                                                                                 kind="stable")
    return ["overview", *order["plant_id"].tolist(), *([PARTNERS_STEP] if partners else []), "closing"]


def focus_for(step: str, shown: pd.DataFrame) -> dict:
    if step in ("overview", "closing"):
        return {"home": True}
    p = shown.loc[shown["plant_id"] == step].iloc[0]
    return {"lat": float(p["lat"]), "lon": float(p["lon"]), "zoom": FOCUS_ZOOM.get(p["location_precision"], 8)}


def story_lines(plant: pd.Series, fx: pd.DataFrame, region: str) -> list[str]:
    """The caption card of one plant, as plain sentences (escaped when drawn); ``region``: its region's name."""
    q = plant["jobs_qualifier"]
    jq = q if isinstance(q, str) else "exact"
    investment = plant.at["investment_kzt_bn"]
    inv = fmt.bn_kzt(investment)
    usd, rate = convert(None if pd.isna(investment) else float(investment), fx, "USD")
    if usd is not None:
        assert rate is not None  # convert gives the rate with every converted value
        inv += " (≈ " + t("{value} at {rate} KZT/USD, {date}", value=fmt.millions(usd, "USD"),
                          rate=number(rate["kzt_per_unit"], 2), date=rate["rate_date"]) + ")"
    site = plant["site"]
    medicines = fmt.figure(plant["medicines_count"], "exact", str(plant["basis_medicines_count"]))
    if pd.notna(plant.at["socially_significant_count"]):
        medicines = t("{medicines}, of which socially significant: {ss}", medicines=medicines,
                      ss=fmt.figure(plant["socially_significant_count"]))
    lines = [
        t("Where: {site}, {region} ({precision})", site=site if isinstance(site, str) else region, region=region,
          precision=fmt.precision_word(str(plant["location_precision"]))),
        t("Investment: {value}", value=inv),
        t("Medicines: {value}", value=medicines),
        t("Jobs: {value}", value=fmt.figure(plant["jobs"], jq, str(plant["basis_jobs"]))),
    ]
    if isinstance(plant["product_focus"], str):
        lines.append(t("Focus: {value}", value=plant["product_focus"]))
    partners = fmt.split_list(plant["partners"])
    if partners:
        countries = ", ".join(fmt.split_list(plant["partner_countries"]))
        lines.append(t("Partners: {value}", value=", ".join(partners) + (f" ({countries})" if countries else "")))
    missing = [t(words) for fld, words in FIELD_NAMES.items() if plant.get(f"basis_{fld}") == "not_disclosed"]
    derived = [t(words) for fld, words in FIELD_NAMES.items() if plant.get(f"basis_{fld}") == "derived"]
    if missing:
        lines.append(t("Not disclosed: {value}", value=", ".join(missing)))
    if derived:
        lines.append(t("Derived, not reported: {value}", value=", ".join(derived)))
    return lines


def closing_lines(kpis: Kpis, shown: pd.DataFrame, regions: list[str]) -> list[str]:
    """The summary step; ``regions``: the names of the regions shown, in the current language."""
    inv, med, jobs = kpis.investment, kpis.medicines, kpis.jobs
    lines = [
        t("Plants: {n}, in {regions}", n=len(shown), regions=", ".join(regions)),
        t("Investment: {value} (stated programme total {total})", value=fmt.bn_kzt(inv.value),
          total=fmt.bn_kzt(inv.programme_total)),
        t("Medicines to localise: {value}", value=fmt.figure(med.value, med.qualifier))
        + (" (" + t("stated: {value}", value=number(med.programme_total)) + ")" if med.programme_total else ""),
        t("New jobs: {value}", value=fmt.figure(jobs.value, jobs.qualifier))
        + (" (" + t("stated: {value}", value=fmt.figure(jobs.programme_total, jobs.programme_qualifier)) + ")"
           if jobs.programme_total else ""),
    ]
    derived = sorted({name for k in (med, jobs) for name, _ in k.derived})
    if derived:
        lines.append(t("Derived, not reported, for: {value}", value=", ".join(derived)))
    nd = sorted(set(kpis.socially_significant.not_disclosed))
    if nd:
        lines.append(t("Socially significant medicines not disclosed for: {value}", value=", ".join(nd)))
    return lines


def story_html(current: str, shown: pd.DataFrame, kpis: Kpis, fx: pd.DataFrame, date: str,
               region_name: Callable[[str], str]) -> str:
    """The card drawn over the map: every text escaped, links only to validated http(s) URLs."""
    if current == "overview":
        title = t("{n} plants approved on {date}", n=len(shown), date=fmt.date_long(date))
        lines = [t("Next: each plant, largest investment first. Sizes are investment; dashed outlines "
                   "are approximate locations.")]
        urls: list[str] = []
    elif current == "closing":
        title, lines, urls = t("Summary"), closing_lines(kpis, shown, _regions(shown, region_name)), []
    else:
        plant = shown.loc[shown["plant_id"] == current].iloc[0]
        title, lines = plant["name"], story_lines(plant, fx, region_name(str(plant["region"])))
        urls = fmt.split_list(plant["sources"])
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    links = " · ".join(
        f'<a href="{html.escape(u)}" target="_blank" rel="noopener">{html.escape(urlsplit(u).netloc)}</a>'
        for u in urls if URL_RE.match(u))
    sources = f"<p style='margin:6px 0 0'>{html.escape(t('Sources'))}: {links}</p>" if links else ""
    return f"<h3>{html.escape(str(title))}</h3><ul>{items}</ul>{sources}"


def _regions(shown: pd.DataFrame, region_name: Callable[[str], str]) -> list[str]:
    return [region_name(r) for r in sorted(shown["region"].unique())]


def _go(delta: int, n: int) -> None:
    st.session_state[K.STEP] = max(0, min(n - 1, st.session_state.get(K.STEP, 0) + delta))


def _exit() -> None:
    st.session_state[K.PRESENT] = False


def render_present_style() -> None:
    st.html(CSS)


def render_tour(shown: pd.DataFrame, names: dict[str, str], partners: bool = False) -> str:
    """Prev / Next and where we are; returns the current step ('overview', a plant_id, 'partners' or 'closing')."""
    steps = tour_steps(shown, partners)
    step = min(st.session_state.get(K.STEP, 0), len(steps) - 1)
    st.session_state[K.STEP] = step
    current = steps[step]
    title = {"overview": t("Overview"), "closing": t("Summary"),
             PARTNERS_STEP: t("Who we work with")}.get(current, names.get(current, current))
    prev, where, nxt, leave = st.columns([1, 4, 1, 1.2], vertical_alignment="center")
    prev.button("◀ " + t("Prev"), key=K.TOUR_PREV, on_click=_go, args=(-1, len(steps)), disabled=step == 0,
                width="stretch")
    where.markdown(f"**{md(title)}** · " + md(t("step {k} of {n}", k=step + 1, n=len(steps))))
    nxt.button(t("Next") + " ▶", key=K.TOUR_NEXT, on_click=_go, args=(1, len(steps)),
               disabled=step == len(steps) - 1, width="stretch", type="primary")
    leave.button(t("Exit presentation"), key=K.TOUR_EXIT, on_click=_exit, width="stretch")
    return current


def render_card(current: str, shown: pd.DataFrame, kpis: Kpis, fx: pd.DataFrame, date: str,
                region_name: Callable[[str], str]) -> None:
    with st.container(border=True):
        if current == "overview":
            st.markdown("### " + md(t("{n} plants approved on {date}", n=len(shown), date=fmt.date_long(date))))
            st.markdown(md(t("Next: each plant, largest investment first. Sizes are investment; dashed outlines "
                             "are approximate locations.")))
        elif current == "closing":
            st.markdown("### " + md(t("Summary")))
            st.markdown("\n".join(f"- {md(line)}" for line in
                                  closing_lines(kpis, shown, _regions(shown, region_name))))
        else:
            plant = shown.loc[shown["plant_id"] == current].iloc[0]
            st.markdown(f"### {md(plant['name'])}")
            lines = story_lines(plant, fx, region_name(str(plant["region"])))
            st.markdown("\n".join(f"- {md(line)}" for line in lines))
            urls = fmt.split_list(plant["sources"])
            if urls:
                st.markdown(md(t("Sources")) + ": " + " · ".join(link(u) for u in urls))


def render_story(title: str, lines: list[str]) -> None:
    """A story card as page text (a step whose map draws no card over itself: "Who we work with")."""
    with st.container(border=True):
        st.markdown("### " + md(title))
        st.markdown("\n".join(f"- {md(line)}" for line in lines))
