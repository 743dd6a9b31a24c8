"""Presentation mode: large type, no sidebar, and a guided tour, on one screen.

The first screen holds everything a presenter needs, at 1920×1080 as on a 1366×768 laptop: the title,
the tour's controls, the KPI row (the programme's; on a plant's step that plant's, with its share of
the programme) and the map, sized from the browser's height by CSS, with the story card beside it.
The charts follow below the fold. The tour is: an overview, then each plant shown (largest
investment first: the map flies to it, the card tells its story, the charts highlight it), "Who we
work with", then a summary. The step lives in the URL, counted from 1 as on the page
(``?view=present&step=2``); ``&projector=1`` raises contrast for a projector. A presenter's clicker
works too: static/pharmamap/keys.js (→ PageDown Space next, ← PageUp previous, Home first, Esc exit).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from components.charts import render_charts
from components.kpis import render_kpis
from components.text import link, md
from core import fmt
from core import keys as K
from core.assets import versioned
from core.data import URL_RE
from core.domain import FIELD_NAMES, Kpis, compute_kpis, convert
from core.i18n import N_, current, number, t

if TYPE_CHECKING:
    from components.page import Page

FOCUS_ZOOM = {"site": 11, "zone": 9, "district": 9, "city": 9, "region": 7}
KEYS_JS = versioned("keys.js")
MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element of a widget or container with this key (Streamlit 1.67:
    'st-key-' and the key with every character outside [A-Za-z0-9_-] made '-')."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


# Every size above the map is fixed per height band, so the map's top is known and the map can take the
# rest of the window: --ppm-top is the map's top plus a margin below it (checked by tests/e2e/test_present_screen.py).
CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
/* the sidebar starts collapsed here (app.py): Streamlit's header then spans the page, opaque, over the title
   and the tour's bar (at 1366×768 it hid half the buttons); the tour's own buttons and Esc do its work */
[data-testid="stHeader"] {display: none;}
:root {--ppm-top: 244px;}
[data-testid="stMainBlockContainer"], .block-container {max-width: 100%; padding: .5rem 2.2rem 2rem;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: .55rem;}
h1 {font-size: 2rem !important; line-height: 1.25 !important; padding: 0 !important; white-space: nowrap;
    overflow: hidden; text-overflow: ellipsis;}
[data-testid="stHeading"] [data-testid="stMarkdownContainer"] {margin-bottom: 0 !important;}
.BAR button {min-height: 2.4rem; padding-top: .2rem; padding-bottom: .2rem;}
.BAR button p, .BAR [data-testid="stWidgetLabel"] p {font-size: 1.1rem;}
.BAR [data-testid="stMarkdownContainer"] p, .BAR [data-testid="stHtml"] p {font-size: 1.35rem; line-height: 1.25;
    white-space: nowrap;
    overflow: hidden; text-overflow: ellipsis; margin: 0;}
.BAR [data-testid="stCaptionContainer"] {margin: 0 !important;}
.BAR [data-testid="stCaptionContainer"] p {font-size: .95rem; line-height: 1.2; color: #7a4100; margin: 0;}
.BAR [data-testid="stMarkdownContainer"] {margin-bottom: 0 !important;}
.KPIS [data-testid="stMetricValue"] {font-size: 2.5rem !important; line-height: 1.15;}
.KPIS [data-testid="stMetricLabel"] p {font-size: 1.15rem !important;}
.KPIS [data-testid="stCaptionContainer"] {font-size: 1rem !important; line-height: 1.3; height: 2.6em;
    margin: -.35rem 0 0 !important; white-space: nowrap; overflow: hidden;}
.KPIS [data-testid="stCaptionContainer"] p {margin: 0; overflow: hidden; text-overflow: ellipsis;}
MAP_FRAME {height: calc(100vh - var(--ppm-top)) !important; min-height: 320px;}
div.CARD {height: calc(100vh - var(--ppm-top)) !important; flex: 0 0 auto !important; min-height: 320px;
    overflow-y: auto; gap: .45rem; padding: .8rem 1rem;}
.CARD [data-testid="stMarkdownContainer"], .CARD [data-testid="stCaptionContainer"] {margin-bottom: 0 !important;}
.CARD h2 {font-size: clamp(22px, 3vh, 36px) !important; line-height: 1.2; padding: 0 !important;}
.CARD p, .CARD ul, .CARD li {font-size: clamp(18px, 2.3vh, 28px) !important; line-height: 1.3;}
.CARD p {margin: 0 0 .3em;}
.CARD ul {padding-left: 1.1em; margin: 0;}
.CARD li {margin: 0 0 .3em; padding-left: 0;}
.CARD [data-testid="stCaptionContainer"] p {font-size: clamp(15px, 1.75vh, 21px) !important; margin: 0;}
div.KEYS {position: absolute; width: 0; height: 0; overflow: hidden;}
.FIGURE p {font-size: clamp(30px, 4.2vh, 52px) !important; font-weight: 700; line-height: 1.1; margin: 0;}
@media (max-height: 1000px) {  /* 1920×1080 in a browser window (about 950 px high) */
  :root {--ppm-top: 214px;}
  h1 {font-size: 1.65rem !important;}
  .BAR button {min-height: 2.1rem;}
  .BAR [data-testid="stMarkdownContainer"] p, .BAR [data-testid="stHtml"] p {font-size: 1.25rem;}
  .KPIS [data-testid="stMetricValue"] {font-size: 2.1rem !important; line-height: 1.1;}
  .KPIS [data-testid="stMetricLabel"] p {font-size: 1.05rem !important;}
  .KPIS [data-testid="stCaptionContainer"] {font-size: .9rem !important;}
}
@media (max-height: 860px) {
  :root {--ppm-top: 177px;}
  [data-testid="stMainBlockContainer"], .block-container {padding-top: .3rem;}
  [data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: .35rem;}
  h1 {font-size: 1.35rem !important;}
  .BAR button {min-height: 1.9rem;}
  .BAR [data-testid="stCheckbox"], .BAR label {min-height: 0;}
  .BAR button p, .BAR [data-testid="stWidgetLabel"] p {font-size: 1rem;}
  .BAR [data-testid="stMarkdownContainer"] p, .BAR [data-testid="stHtml"] p {font-size: 1.15rem;}
  .KPIS [data-testid="stMetricValue"] {font-size: 1.7rem !important; line-height: 1.1;}
  .KPIS [data-testid="stMetricLabel"] {min-height: 0; height: 1.3rem;}
  .KPIS [data-testid="stMetricLabel"] p {font-size: .95rem !important;}
  .KPIS [data-testid="stCaptionContainer"] {font-size: .82rem !important;}
}
@media (min-width: 1800px) {  /* a 1920-wide shared screen, full screen or in a window: read from the back */
  .CARD p, .CARD ul, .CARD li {font-size: clamp(24px, 2.3vh, 28px) !important;}
  .FIGURE p {font-size: clamp(40px, 4.2vh, 52px) !important;}
}
</style>
"""
# projector: every caption and label near-black at full opacity (Streamlit fades captions), heavier type
# and outlines; the map's own regions and labels need map.js (see the report in the tour's commit)
PROJECTOR_CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #1f1f1f !important;
    opacity: 1 !important; font-weight: 600;}
[data-testid="stMetricLabel"] p, [data-testid="stMetricValue"] {color: #000 !important; font-weight: 700;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {color: #000;}
.CARD {border: 3px solid #1f1f1f !important;}
.CARD a {color: #003e80; font-weight: 600;}
.BAR button {border-width: 2px; border-color: #1f1f1f;}
.BAR button[kind="primary"] {background: #8e1b24;}
.BAR button[kind="primary"] p {color: #fff !important;}
MAP_FRAME {outline: 3px solid #1f1f1f;}
</style>
"""


def _css(text: str) -> str:
    for name, key in (("BAR", K.TOUR_BAR), ("KPIS", K.TOUR_KPIS), ("CARD", K.TOUR_CARD), ("FIGURE", K.TOUR_FIGURE),
                      ("KEYS", K.TOUR_KEYS)):
        text = text.replace(f".{name}", "." + key_class(key))
    return text.replace("MAP_FRAME", MAP_FRAME)


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


def story_lines(plant: pd.Series, region: str) -> list[str]:
    """A plant's story below its key figure (the investment), as plain sentences (escaped when drawn);
    ``region``: its region's name."""
    q = plant["jobs_qualifier"]
    jq = q if isinstance(q, str) else "exact"
    site = plant["site"]
    medicines = fmt.figure(plant["medicines_count"], "exact", str(plant["basis_medicines_count"]))
    if pd.notna(plant.at["socially_significant_count"]):
        medicines = t("{medicines}, of which socially significant: {ss}", medicines=medicines,
                      ss=fmt.figure(plant["socially_significant_count"]))
    lines = [
        t("Where: {site}, {region} ({precision})", site=site if isinstance(site, str) else region, region=region,
          precision=fmt.precision_word(str(plant["location_precision"]))),
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


def in_dollars(investment: float | None, fx: pd.DataFrame, qualifier: str | None = None) -> str:
    """'≈ US$116.2 M at 503.35 KZT/USD, 2026-01-23' ('> US$204.6 M …' for "more than"); '' when not disclosed or
    no rate."""
    usd, rate = convert(investment, fx, "USD")
    if usd is None or rate is None:
        return ""
    return fmt.converted_prefix(qualifier) + t("{value} at {rate} KZT/USD, {date}", value=fmt.millions(usd, "USD"),
                    rate=number(rate["kzt_per_unit"], 2), date=rate["rate_date"])


def closing_lines(kpis: Kpis, shown: pd.DataFrame, regions: list[str]) -> list[str]:
    """The summary step below its key figure (the investment); ``regions``: the names of the regions shown."""
    med, jobs = kpis.medicines, kpis.jobs
    lines = [
        t("Plants: {n}, in {regions}", n=len(shown), regions=", ".join(regions)),
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


@dataclass(frozen=True)
class Card:
    """The story card of a step, as plain text (escaped when drawn): a title, the key figure in large type
    with its label and a note under it, the story's lines and the sources' web addresses."""

    title: str
    figure: str
    figure_label: str
    figure_note: str
    lines: list[str]
    urls: list[str] = field(default_factory=list)


def overview_title(shown: pd.DataFrame, date: str) -> tuple[str, str | None]:
    """The overview's title and, when the plants were not all approved on ``date``, a line of their statuses:
    "4 plants approved on 22 January 2026", or "Plants on the map: 9" and "By status: approved 5, …"."""
    if "approved_on" in shown and bool(shown["approved_on"].astype(str).eq(date).all()):
        return t("{n} plants approved on {date}", n=len(shown), date=fmt.date_long(date)), None
    # other agreements and existing plants too: no single date; their statuses say what they are
    status = shown["status"] if "status" in shown else pd.Series(dtype=str)
    counts = {str(k): int(v) for k, v in status.value_counts().items()}
    return t("Plants on the map: {n}", n=len(shown)), t("By status: {list}", list=", ".join(
        f"{fmt.status_word(s)} {number(counts[s])}" for s in fmt.STATUSES if s in counts))


def programme_shares(kpis: Kpis) -> str | None:
    """A plant's share of the programme's stated totals, in one line ("Share of the programme: investment 34%,
    medicines 15%, jobs 9%"); None when no share is known."""
    parts = [f"{t(name)} {fmt.share(k.share)}" for name, k in (
        (N_("investment"), kpis.investment), (N_("medicines"), kpis.medicines), (N_("jobs"), kpis.jobs))
        if k.share is not None]
    return t("Share of the programme: {list}", list=", ".join(parts)) if parts else None


def story_card(current: str, shown: pd.DataFrame, kpis: Kpis, fx: pd.DataFrame, date: str,
               region_name: Callable[[str], str]) -> Card:
    """The card of the step ``current`` ('overview', a plant_id or 'closing'); ``kpis``: the programme's."""
    inv = kpis.investment
    if current in ("overview", "closing"):
        total = inv.programme_total
        stated = t("Stated programme total: {total}", total=fmt.qualifier_word(inv.programme_qualifier) + t(
            "{value} bn KZT", value=number(total, 1 if total % 1 else 0))) if total else ""
        if current == "overview":
            title, statuses = overview_title(shown, date)
            lines = [t("Plants: {n}, in {regions}", n=len(shown), regions=", ".join(_regions(shown, region_name))),
                     *([statuses] if statuses else []),
                     t("Next: each plant, largest investment first. Sizes are investment; dashed outlines "
                       "are approximate locations.")]
        else:
            title, lines = t("Summary"), closing_lines(kpis, shown, _regions(shown, region_name))
        return Card(title, fmt.bn_kzt(inv.value, inv.qualifier), t("Investment"), stated, lines)
    plant = shown.loc[shown["plant_id"] == current].iloc[0]
    investment = plant.at["investment_kzt_bn"]
    investment = None if pd.isna(investment) else float(investment)
    qualifier = plant.get("investment_qualifier")
    qualifier = qualifier if isinstance(qualifier, str) else None
    return Card(str(plant["name"]), fmt.bn_kzt(investment, qualifier, str(plant.get("basis_investment_kzt_bn"))),
                t("Investment"),
                in_dollars(investment, fx, qualifier),
                story_lines(plant, region_name(str(plant["region"]))),
                [u for u in fmt.split_list(plant["sources"]) if URL_RE.match(u)])


def step_kpis(current: str, shown: pd.DataFrame, programme: pd.DataFrame, scope: str) -> Kpis | None:
    """On a plant's step, that plant's KPIs (each with its share of the programme); else None: the programme's."""
    one = shown.loc[shown["plant_id"] == current]
    assert isinstance(one, pd.DataFrame)
    return compute_kpis(one, programme, scope) if len(one) == 1 else None


def _regions(shown: pd.DataFrame, region_name: Callable[[str], str]) -> list[str]:
    return [region_name(r) for r in sorted(shown["region"].unique())]


def _go(delta: int, n: int) -> None:
    st.session_state.pop(K.STEP_NOTICE, None)
    st.session_state[K.STEP] = max(0, min(n - 1, st.session_state.get(K.STEP, 0) + delta))


def _first() -> None:
    st.session_state.pop(K.STEP_NOTICE, None)
    st.session_state[K.STEP] = 0


def _exit() -> None:
    st.session_state.pop(K.STEP_NOTICE, None)
    st.session_state[K.PRESENT] = False


def present_css() -> str:
    """Presentation mode's layout CSS: drawn first in the page (components/style.py render_style)."""
    return _css(CSS)


def render_projector_style(projector: bool) -> None:
    """The projector's colours (no layout change, so it may come after the tour's bar)."""
    if projector:
        st.html(_css(PROJECTOR_CSS))


def current_step(steps: list[str]) -> int:
    """The step index kept in the session; one the tour lacks (a link's step=0 or step=99) is noted, and
    the tour starts at the first."""
    step = st.session_state.get(K.STEP, 0)
    if not 0 <= step < len(steps):
        st.session_state[K.STEP_NOTICE] = step + 1
        step = 0
    st.session_state[K.STEP] = step
    return step


STEP_TITLES = {"overview": N_("Overview"), "closing": N_("Summary"), PARTNERS_STEP: N_("Who we work with")}


def render_tour(shown: pd.DataFrame, names: dict[str, str], partners: bool = False,
                projector: bool = False) -> tuple[str, bool]:
    """First, Prev, where we are, Next, the projector switch and Exit; returns the current step ('overview',
    a plant_id, 'partners' or 'closing') and whether the projector option is on."""
    steps = tour_steps(shown, partners)
    step = current_step(steps)
    current = steps[step]
    title = t(STEP_TITLES[current]) if current in STEP_TITLES else names.get(current, current)
    with st.container(key=K.TOUR_BAR):
        first, prev, where, nxt, proj, leave = st.columns([1, 1.1, 2.6, 1.1, 1.3, 2.1], vertical_alignment="center")
        first.button("« " + t("First"), key=K.TOUR_FIRST, on_click=_first, disabled=step == 0, width="stretch",
                     help=t("Back to the first step (key: Home)"))
        prev.button("◀ " + t("Prev"), key=K.TOUR_PREV, on_click=_go, args=(-1, len(steps)), disabled=step == 0,
                    width="stretch", help=t("Previous step (keys: ← or Page Up)"))
        # the step first: on one line that a narrow screen cuts, the cut falls on the title (the card repeats it)
        # a live region: a screen reader announces each step ("step 3 of 7 · AltINFARM")
        where.html(f'<p role="status" aria-live="polite" aria-atomic="true">'
                   f'{html.escape(t("step {k} of {n}", k=step + 1, n=len(steps)))} · '
                   f'<strong>{html.escape(title)}</strong></p>')
        notice = st.session_state.get(K.STEP_NOTICE)
        if notice is not None:
            where.caption("⚠ " + md(t("No step {k} in this tour of {n} steps: showing the first.", k=notice,
                                      n=len(steps))))
        nxt.button(t("Next") + " ▶", key=K.TOUR_NEXT, on_click=_go, args=(1, len(steps)),
                   disabled=step == len(steps) - 1, width="stretch", type="primary",
                   help=t("Next step (keys: →, Page Down or Space)"))
        on = proj.toggle(t("Projector"), key=K.PROJECTOR, value=projector,
                         help=t("Higher contrast and heavier lines, for a projector or a faded screen share."))
        leave.button(t("Exit presentation"), key=K.TOUR_EXIT, on_click=_exit, width="stretch",
                     help=t("Back to the dashboard (key: Esc)"))
    return current, on


def render_card(card: Card, extra: Callable[[], None] | None = None) -> None:
    """The story card beside the map; the partners step's too (render_story). ``extra`` draws at its end."""
    with st.container(border=True, key=K.TOUR_CARD):
        st.markdown("## " + md(card.title))  # h2: the page's title is the h1
        if card.figure:
            st.caption(md(card.figure_label))
            with st.container(key=K.TOUR_FIGURE):
                st.markdown(md(card.figure))
            if card.figure_note:
                st.caption(md(card.figure_note))
        if card.lines:
            st.markdown("\n".join(f"- {md(line)}" for line in card.lines))
        if card.urls:
            st.caption(md(t("Sources")) + ": " + " · ".join(link(u) for u in card.urls))
        if extra is not None:
            extra()


def render_story(title: str, lines: list[str]) -> None:
    """A story card with no key figure ("Who we work with", beside the partners map)."""
    render_card(Card(title, "", "", "", lines))


def render_keys() -> None:
    """The presenters' keys: static/pharmamap/keys.js, in a frame taking no room, clicks the tour's buttons,
    named here by their CSS selectors; it also makes the map fill its frame, which the page's CSS sizes from
    the window."""
    buttons = {"next": K.TOUR_NEXT, "prev": K.TOUR_PREV, "first": K.TOUR_FIRST, "exit": K.TOUR_EXIT}
    selectors = {name: f".{key_class(key)} button" for name, key in buttons.items()} | {"fit": MAP_FRAME}
    attrs = " ".join(f'data-{name}="{html.escape(selector)}"' for name, selector in selectors.items())
    with st.container(key=K.TOUR_KEYS):  # out of the flow (present CSS): no room taken, no gap
        # a whole document: language and title for screen readers (axe's html-has-lang, document-title)
        st.iframe(f'<!doctype html><html lang="{current()}"><head><title>{html.escape(t("Presenter keys"))}</title>'
                  f'</head><body><script src="{html.escape(KEYS_JS)}" {attrs}></script></body></html>',
                  height=1, tab_index=-1)


def render_step_kpis(step: str, page: Page) -> None:
    """A plant's step: its figures and its share of the programme; the overview and summary: the programme's."""
    plant_kpis = step_kpis(step, page.shown, page.ds.programme, page.filters.scope)
    with st.container(key=K.TOUR_KPIS):
        context = 1 if plant_kpis is not None and plant_kpis.plants.n_plants == 0 else page.context_only
        render_kpis(plant_kpis or page.kpis, page.ds.fx, filtered=plant_kpis is not None or page.filters.active,
                    currency=page.currency, compact=plant_kpis is None, split=False, context=context)


def render_step_charts(specs: dict[str, dict], shown: pd.DataFrame) -> None:
    """The side charts below the fold, two by two."""
    for column, charts in zip(st.columns(2, gap="large"),
                              (("Investment", "Medicines"), ("Jobs", "Therapeutic areas")), strict=True):
        with column:
            render_charts({k: specs[k] for k in charts}, shown)
