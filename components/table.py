"""Table tab: the filtered rows, and a CSV download that is safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import fmt
from core.exports import csv_bytes

def table_frame(plants: pd.DataFrame, provenance: pd.DataFrame, rate: dict | None = None) -> pd.DataFrame:
    """Display table: one row per plant, numbers as numbers, basis beside each figure.

    With ``rate`` (a row of fx_rates.csv) a converted column follows the tenge one; its header
    names the rate and its date."""
    out = pd.DataFrame({
        "Plant": plants["name"],
        "Company": plants["company"],
        "Legal name": plants["legal_name"],
        "Region": plants["region"],
        "Site": plants["site"],
        "Location precision": plants["location_precision"],
        "Investment, bn KZT": plants["investment_kzt_bn"],
        "Medicines": plants["medicines_count"],
        "Medicines basis": plants["basis_medicines_count"].map(fmt.BASIS_WORDS),
        "Socially significant": plants["socially_significant_count"],
        "Jobs": plants["jobs"],
        "Jobs qualifier": plants["jobs_qualifier"].map(lambda q: fmt.QUALIFIER_WORDS.get(q, "").strip() or
                                                       ("exact" if isinstance(q, str) else "")),
        "Jobs basis": plants["basis_jobs"].map(fmt.BASIS_WORDS),
        "Therapeutic areas": plants["therapeutic_areas"],
        "Product focus": plants["product_focus"],
        "Partners": plants["partners"],
        "Partner countries": plants["partner_countries"],
        "Approved on": plants["approved_on"].astype(str),
        "Latitude": plants["lat"],
        "Longitude": plants["lon"],
        "plant_id": plants["plant_id"],
    })
    if rate is not None:
        col = f"Investment, {rate['currency']} M (at {rate['kzt_per_unit']:g} KZT, {rate['rate_date']})"
        out.insert(out.columns.get_loc("Investment, bn KZT") + 1, col,
                   (plants["investment_kzt_bn"] * 1000 / rate["kzt_per_unit"]).round(1).to_numpy())
    return out.reset_index(drop=True)


def render_table(plants: pd.DataFrame, provenance: pd.DataFrame, date: str, rate: dict | None = None) -> None:
    frame = table_frame(plants, provenance, rate)
    st.caption("Empty cells are not disclosed by any source found; they are not zero.")
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={"Investment, bn KZT": st.column_config.NumberColumn(format="%.1f")})
    st.download_button("Download these rows (CSV)", csv_bytes(frame), file_name=f"pharma-plants-{date}.csv",
                       mime="text/csv", key="table.download", disabled=frame.empty)
