"""Table tab: the filtered rows, and a CSV download that is safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pandas as pd
import streamlit as st

from core import fmt
from core import keys as K
from core.domain import area_label
from core.exports import csv_bytes
from core.i18n import number, t


def table_frame(plants: pd.DataFrame, region_name: Callable[[str], str], rate: dict | None = None) -> pd.DataFrame:
    """Display table: one row per plant, numbers as numbers, basis beside each figure.

    With ``rate`` (a row of fx_rates.csv) a converted column follows the tenge one; its header
    names the rate and its date."""
    inv_col = t("Investment, bn KZT")
    out = pd.DataFrame({
        t("Plant"): plants["name"],
        t("Company"): plants["company"],
        t("Legal name"): plants["legal_name"],
        t("Region"): plants["region"].map(region_name),
        t("Site"): plants["site"],
        t("Location precision"): plants["location_precision"].map(fmt.precision_word),
        inv_col: plants["investment_kzt_bn"],
        t("Investment qualifier"): (plants["investment_qualifier"] if "investment_qualifier" in plants
                                    else pd.Series("", index=plants.index)).map(
            lambda q: (fmt.qualifier_word(q).strip() or t("exact")) if isinstance(q, str) and q else ""),
        t("Medicines"): plants["medicines_count"],
        t("Medicines basis"): plants["basis_medicines_count"].map(fmt.basis_word),
        t("Socially significant"): plants["socially_significant_count"],
        t("Jobs"): plants["jobs"],
        t("Jobs qualifier"): plants["jobs_qualifier"].map(
            lambda q: (fmt.qualifier_word(q).strip() or t("exact")) if isinstance(q, str) else ""),
        t("Jobs basis"): plants["basis_jobs"].map(fmt.basis_word),
        t("Therapeutic areas"): plants["areas"].map(lambda a: ", ".join(t(area_label(c)) for c in a)),
        t("Product focus"): plants["product_focus"],
        t("Partners"): plants["partners"],
        t("Partner countries"): plants["partner_countries"],
        t("Approved on"): plants["approved_on"].astype(str),
        t("Latitude"): plants["lat"],
        t("Longitude"): plants["lon"],
        "plant_id": plants["plant_id"],
    })
    if rate is not None:
        col = t("Investment, {currency} M (at {rate} KZT, {date})", currency=rate["currency"],
                rate=number(rate["kzt_per_unit"], 2), date=rate["rate_date"])
        out.insert(cast(int, out.columns.get_loc(inv_col)) + 1, col,  # an int: the column names are unique
                   (plants["investment_kzt_bn"] * 1000 / rate["kzt_per_unit"]).round(1).to_numpy())
    return out.reset_index(drop=True)


PAGE_ROWS = 500  # rows sent to the browser at once: 10,000 would cost seconds each time the tab opens


def page_slice(n_rows: int, page: int, size: int = PAGE_ROWS) -> tuple[int, int]:
    """[start, stop) of a 1-based page, clamped to the rows there are."""
    pages = max(1, -(-n_rows // size))
    page = min(max(1, page), pages)
    return (page - 1) * size, min(page * size, n_rows)


def render_table(plants: pd.DataFrame, region_name: Callable[[str], str], date: str,
                 rate: dict | None = None) -> None:
    frame = table_frame(plants, region_name, rate)
    st.caption(t("Empty cells are not disclosed by any source found; they are not zero."))
    shown = frame
    if len(frame) > PAGE_ROWS:
        pages = -(-len(frame) // PAGE_ROWS)
        page = st.number_input(t("Page"), min_value=1, max_value=pages, value=1, step=1, key=K.TABLE_PAGE)
        start, stop = page_slice(len(frame), int(page))
        st.caption(t("Rows {start}–{stop} of {n}; the download has them all.", start=number(start + 1),
                     stop=number(stop), n=number(len(frame))))
        shown = frame.iloc[start:stop]
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={t("Investment, bn KZT"): st.column_config.NumberColumn(format="%.1f")})
    st.download_button(t("Download these rows (CSV)"), csv_bytes(frame), file_name=f"pharma-plants-{date}.csv",
                       mime="text/csv", key=K.TABLE_DOWNLOAD, disabled=frame.empty)
