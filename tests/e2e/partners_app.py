"""A page with the partners map alone, on the bundled data (or PHARMAMAP_DATA_DIR), for tests/e2e/test_partners.py
and screenshots: ``?lang=ru`` sets the language, ``?scope=approved`` shows the partners of the four approved
plants only. The partner last clicked on the map is written below it as ``clicked: <partner_id>``."""

from __future__ import annotations

import streamlit as st

from components.partners import render_partners
from core import keys as K
from core.assets import ensure_leaflet
from core.data import data_dir_from_env, load_dataset
from core.i18n import use

st.set_page_config(page_title="Partners map", layout="wide")
ensure_leaflet()
use(st.query_params.get(K.Q_LANG, "en"))
ds = load_dataset(data_dir_from_env())
scope = st.query_params.get(K.Q_SCOPE)
plants = ds.scope_plants(scope) if scope else ds.plants
clicked = render_partners(ds, plants, key_suffix="test")
st.text(f"clicked: {clicked}")
