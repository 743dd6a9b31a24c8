"""Page-wide CSS: compact header so KPIs and map fit above the fold on a 1366×768 laptop,
and larger KPI figures for screen share. Static text only: no data ever goes in here."""

from __future__ import annotations

import streamlit as st

CAPTION_COLOUR = "#55575F"  # Streamlit's default caption grey is about 3.7:1 on white, below WCAG AA
TEXT_COLOURS = {"caption": CAPTION_COLOUR, "body": "#31333F"}

CSS = """
<style>
[data-testid="stMainBlockContainer"], .block-container {padding-top: 1.2rem; padding-bottom: 2rem;}
h1 {font-size: 1.9rem !important; padding-top: 0 !important; padding-bottom: .2rem !important;}
/* scale with the window: "173,4 млрд" and "Социально значимые" fit five columns at 1366 px */
[data-testid="stMetricValue"] {font-size: clamp(1.5rem, 2.2vw, 2.3rem); font-weight: 600;}
[data-testid="stMetricLabel"] p {font-size: clamp(.85rem, 1.05vw, 1.05rem); font-weight: 600;}
/* Streamlit 1.67 also fades captions with opacity .6 (#55575F would be seen as #999A9F, 2.8:1): full opacity */
[data-testid="stCaptionContainer"] {line-height: 1.3; color: CAPTION_COLOUR; opacity: 1;}
[data-testid="stMetric"] + div [data-testid="stCaptionContainer"] {margin-top: -0.6rem;}
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
"""


def render_style() -> None:
    st.html(CSS.replace("CAPTION_COLOUR", CAPTION_COLOUR))
