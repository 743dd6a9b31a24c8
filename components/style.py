"""Page-wide CSS: compact header so KPIs and map fit above the fold on a 1366×768 laptop,
and larger KPI figures for screen share. Static text only: no data ever goes in here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import streamlit as st

from core import keys as K

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

CAPTION_COLOUR = "#55575F"  # Streamlit's default caption grey is about 3.7:1 on white, below WCAG AA
TEXT_COLOURS = {"caption": CAPTION_COLOUR, "body": "#31333F"}

CSS = """
<style>
.st-key-PAGE_STYLE {display: none;}
[data-testid="stMainBlockContainer"], .block-container {padding-top: 1.2rem; padding-bottom: 2rem;}
/* the maps' frames (streamlit-folium, 520 px in this view) have their height before their script runs: what
   follows them does not move when they are drawn */
[data-testid="stCustomComponentV1"] {min-height: 520px;}
/* focus visible at every stop (the charts' toolbars included): a dark blue ring, 10:1 on white, 9:1 on the
   sidebar's grey (WCAG 2.4.7, 1.4.11: 3:1) */
:focus-visible {outline: 2px solid #0B3D91 !important; outline-offset: 2px;}
/* every heading below the title is an h2 (headings in order), at the size of Streamlit's h3 */
[data-testid="stMain"] h2 {font-size: 1.5rem; padding: .5rem 0 .25rem;}
h1 {font-size: 1.9rem !important; padding-top: 0 !important; padding-bottom: .2rem !important;}
/* scale with the window: "173,4 млрд" and "Социально значимые" fit five columns at 1366 px */
[data-testid="stMetricValue"] {font-size: clamp(1.5rem, 2.2vw, 2.3rem); font-weight: 600;}
[data-testid="stMetricLabel"] p {font-size: clamp(.85rem, 1.05vw, 1.05rem); font-weight: 600;}
/* Streamlit 1.67 also fades captions with opacity .6 (#55575F would be seen as #999A9F, 2.8:1): full opacity */
[data-testid="stCaptionContainer"] {line-height: 1.3; color: CAPTION_COLOUR; opacity: 1;}
[data-testid="stMetric"] + div [data-testid="stCaptionContainer"] {margin-top: -0.6rem;}
/* the side charts (SVG from the server, core/svgchart.py) scale with their column, text up to 1.3 times */
svg.ppm-chart {display: block; max-width: 780px; height: auto;}
.ppm-chart-box {margin-bottom: .9rem;}
/* a laptop screen (1366 px): one caption line a KPI, the others in its help; the map starts in the
   first third of the screen */
@media (max-width: 1599px) {
  [class*="st-key-kpi_more_"], .st-key-title_note {display: none;}
  [data-testid="stMain"] [data-testid="stVerticalBlock"] {gap: .55rem;}
  [data-testid="stMainBlockContainer"], .block-container {padding-top: .5rem;}
  h1 {font-size: 1.55rem !important;}
  [data-testid="stMetricValue"] {font-size: 1.6rem;}
  [data-testid="stCaption"] p, [data-testid="stCaptionContainer"] p {font-size: .82rem;}
}
</style>
""".replace("CAPTION_COLOUR", CAPTION_COLOUR).replace("PAGE_STYLE", K.PAGE_STYLE)


def presenting() -> bool:
    """Whether this run shows presentation mode, known before anything is drawn (so the page's first paint
    has the right sidebar and styles): the sidebar toggle's value once the session has one, else the link's."""
    if K.PRESENT in st.session_state:
        return bool(st.session_state[K.PRESENT])
    return st.query_params.get(K.Q_VIEW) == "present"


def sidebar_state() -> Literal["collapsed", "expanded"]:
    """``initial_sidebar_state`` for st.set_page_config: presentation mode never draws the sidebar."""
    return "collapsed" if presenting() else "expanded"


def render_style(present_css: str = "") -> DeltaGenerator:
    """The page's CSS, and presentation mode's (``present_css``) in a slot of its own, first in the page:
    styles that change the layout must arrive with the first paint, or what is drawn moves (layout shift,
    tests/e2e/test_layout_shift.py; Streamlit loads st.html's code on demand, so what comes before it
    in the first paint still moves: docs/accessibility.md). In the sidebar when it is shown, so that the
    sidebar is drawn at once, before the main area (its arrival moves the main area).
    Returns the slot, emptied when presentation mode falls back to the explore layout."""
    where = st.container(key=K.PAGE_STYLE) if present_css else st.sidebar.container(key=K.PAGE_STYLE)
    with where:
        st.html(CSS)
        slot = st.empty()
        if present_css:
            slot.html(present_css)
    return slot
