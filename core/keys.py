"""Every session-state key and every URL parameter, named once.

Components, tests and scripts import these names; no other module spells a key as a string.
Session-state keys are namespaced by the panel that owns the widget (``filters.area``); URL
parameters are short, stable and language-free (``?area=oncology&lang=kk``), see core/urlstate.py.
"""

from __future__ import annotations

from typing import Final

# --- session state: widgets (the key is the widget's key) -----------------------------------------
AREA: Final = "filters.area"
REGION: Final = "filters.region"
COMPANY: Final = "filters.company"
INVESTMENT: Final = "filters.investment"
FILTER_RESET: Final = "filters.reset"
SCOPE: Final = "filters.scope"
AS_OF: Final = "filters.as_of"
PARTNER: Final = "filters.partner"

COLOUR: Final = "map.colour_by"
CURRENCY: Final = "view.currency"
LANG: Final = "view.lang"
TAB: Final = "view.tab"
PRESENT: Final = "view.present"
PROJECTOR: Final = "view.projector"  # presentation mode: higher contrast, heavier lines
DETAIL: Final = "detail.plant"
DETAIL_RADIUS: Final = "detail.radius"  # the card's "other plants within" choice (km)
MAP: Final = "map"  # the streamlit-folium component
TITLE_NOTE: Final = "title_note"  # the caption under the title (CSS class st-key-title_note)
PAGE_STYLE: Final = "page-style"  # the page's CSS (components/style.py), first in the page
KPI_MORE: Final = "kpi_more_"  # + the KPI's index: a container of a KPI's further caption lines (CSS class st-key-…)
PARTNERS_MAP: Final = "partners.map"  # the partners map's component, + "." + the view (explore, present)

TOUR_PREV: Final = "tour.prev"
TOUR_NEXT: Final = "tour.next"
TOUR_EXIT: Final = "tour.exit"
TOUR_FIRST: Final = "tour.first"
# presentation mode's containers (keyed so its CSS, static/pharmamap/keys.js and tests find them)
TOUR_BAR: Final = "tour.bar"  # the tour's controls
TOUR_KPIS: Final = "tour.kpis"  # the KPI row
TOUR_CARD: Final = "tour.card"  # the story card beside the map
TOUR_DECK: Final = "tour.deck"  # the tour's slide deck, downloaded from the overview's and the summary's card
TOUR_FIGURE: Final = "tour.figure"  # the card's key figure
TOUR_KEYS: Final = "tour.keys"  # the frame of static/pharmamap/keys.js (the presenters' keys)
TABLE_DOWNLOAD: Final = "table.download"
TABLE_PAGE: Final = "table.page"
EXPORT_PREFIX: Final = "export."  # export.csv, export.chart0.png, ...
UPLOAD_FILE: Final = "upload.file"  # the "Your data" tab's file uploader
UPLOAD_SHOW: Final = "upload.show"  # show the upload's valid rows
UPLOAD_BACK: Final = "upload.back"  # back to the bundled data (the banner's button)
UPLOAD_GEOCODE: Final = "upload.geocode"  # the "Your data" tab: propose points for the upload's rows
UPLOAD_GEOCODED: Final = "upload.geocode-result"  # ((digest, language), geocoded table, diff rows)
UPLOAD_PREFIX: Final = "upload."  # + the name of a download: upload.template, upload.report, upload.cleaned

# --- session state: values the app keeps (no widget) ----------------------------------------------
STEP: Final = "tour.step"  # index of the tour's current step (0-based; the link's step=1 is index 0)
STEP_NOTICE: Final = "tour.step_notice"  # the link asked for a step the tour lacks: its number, said until a move
LAST_CLICKED: Final = "map.last_clicked"  # plant_id of the marker clicked last
UPLOAD: Final = "upload.active"  # the upload shown instead of the bundled plants (core.upload.Checked)
UPLOAD_CHECKED: Final = "upload.checked"  # the last file checked: ((digest, language), core.upload.Checked)
URL_VIEW: Final = "url.view"  # the link's view (core.urlstate.ViewState), read once per session
LABELLED: Final = "labels.in"  # ((language, scope), data version) of the last run's labels (components/filters.relabel)

# --- URL query parameters ---------------------------------------------------------------------------
Q_AREA: Final = "area"
Q_REGION: Final = "region"
Q_COMPANY: Final = "company"
Q_INVESTMENT: Final = "inv"
Q_COLOUR: Final = "colour"
Q_PLANT: Final = "plant"
Q_CURRENCY: Final = "currency"
Q_TAB: Final = "tab"
Q_LANG: Final = "lang"
Q_VIEW: Final = "view"
Q_STEP: Final = "step"
Q_SCOPE: Final = "scope"
Q_AS_OF: Final = "asof"
Q_PARTNER: Final = "partner"
Q_PROJECTOR: Final = "projector"
