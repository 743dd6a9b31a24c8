"""Detail card for one plant: every field, with qualifiers, precision and source links."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.text import link, md
from core import fmt
from core.domain import basis_of, provenance_row

KEY = "detail.plant"


def card_rows(plant: pd.Series, provenance: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(label, value, basis) for every figure and field (pure: tested without Streamlit)."""
    pid = plant["plant_id"]

    def basis(fld):
        return fmt.BASIS_WORDS[basis_of(provenance, pid, fld)]

    jq = plant["jobs_qualifier"] if isinstance(plant["jobs_qualifier"], str) else "exact"

    def text(v):
        return v if isinstance(v, str) and v else "not disclosed"

    return [
        ("Company", text(plant["company"]), ""),
        ("Legal name", text(plant["legal_name"]), ""),
        ("Region", text(plant["region"]), ""),
        ("Site", text(plant["site"]), ""),
        ("Location precision", fmt.PRECISION_WORDS[plant["location_precision"]], ""),
        ("Map point", text(plant["location_note"]), ""),
        ("Investment", fmt.bn_kzt(plant["investment_kzt_bn"]), basis("investment_kzt_bn")),
        ("Medicines", fmt.figure(plant["medicines_count"], "exact", basis_of(provenance, pid, "medicines_count")),
         basis("medicines_count")),
        ("Socially significant", fmt.figure(plant["socially_significant_count"], "exact",
                                            basis_of(provenance, pid, "socially_significant_count")),
         basis("socially_significant_count")),
        ("Jobs", fmt.figure(plant["jobs"], jq, basis_of(provenance, pid, "jobs")), basis("jobs")),
        ("Therapeutic areas", ", ".join(plant["areas"]) or "not disclosed", basis("therapeutic_areas")),
        ("Product focus", text(plant["product_focus"]), ""),
        ("Partners", ", ".join(fmt.split_list(plant["partners"])) or "not disclosed", basis("partners")),
        ("Partner countries", ", ".join(fmt.split_list(plant["partner_countries"])) or "not disclosed", ""),
        ("Status", text(plant["status"]), ""),
        ("Approved on", str(plant["approved_on"]), ""),
    ]


MAX_OPTIONS = 200  # a longer list would be resent on every rerun and is no use to scroll


def render_detail(plants: pd.DataFrame, provenance: pd.DataFrame, clicked: str | None = None) -> None:
    """Selector and card. ``clicked`` (from the map) is shown even when the list is too long to offer."""
    if len(plants) > MAX_OPTIONS:
        st.caption(f"{len(plants):,} plants shown: click one on the map for its details, or narrow the filters "
                   f"to {MAX_OPTIONS} or fewer to pick from a list.")
        if clicked in set(plants["plant_id"]):
            _card(plants.loc[plants["plant_id"] == clicked].iloc[0], provenance)
        return
    ids = plants["plant_id"].tolist()
    names = dict(zip(plants["plant_id"], plants["name"]))
    if st.session_state.get(KEY) not in ids:
        st.session_state.pop(KEY, None)
    pid = st.selectbox("Plant details", ids, index=None, format_func=lambda i: names.get(i, i), key=KEY,
                       placeholder="Click a plant on the map, or choose one here")
    if pid is not None:
        _card(plants.loc[plants["plant_id"] == pid].iloc[0], provenance)


def _card(plant: pd.Series, provenance: pd.DataFrame) -> None:
    pid = plant["plant_id"]
    with st.container(border=True):
        st.markdown(f"#### {md(plant['name'])}")
        lines = []
        for label, value, basis in card_rows(plant, provenance):
            tag = f" _({md(basis)})_" if basis else ""
            lines.append(f"- **{md(label)}:** {md(value)}{tag}")
        st.markdown("\n".join(lines))
        notes = [(f, provenance_row(provenance, pid, f)) for f in ("medicines_count", "jobs",
                                                                   "socially_significant_count")]
        for f, row in notes:
            if row and row.get("method"):
                st.caption(md(f"{f}: {row['method']}"))
        urls = fmt.split_list(plant["sources"])
        if urls:
            st.markdown("**Sources:** " + " · ".join(link(u) for u in urls))
