"""Show data problems: a summary the user cannot miss, then every problem in a table."""

from __future__ import annotations

import streamlit as st

from components.text import md
from core.data import Dataset
from core.i18n import t
from core.problems import Problem, problems_frame


def render_problems(ds: Dataset) -> None:
    if not ds.problems:
        return
    n = len(ds.problems)
    files = sorted({p.file for p in ds.problems})
    summary = t("Problems found in the data: {n} ({files}), folder {folder}.", n=n, files=md(", ".join(files)),
                folder=md(ds.data_dir))
    if ds.rows_rejected:
        summary += " " + t("{bad} of {total} plant rows were left out; every figure below covers only the rows "
                           "that passed.", bad=ds.rows_rejected, total=ds.rows_total)
    st.error(summary, icon="⚠️")
    with st.expander(t("What is wrong and how to fix it (in English)"), expanded=n <= 8):
        st.dataframe(problems_frame(ds.problems), hide_index=True, width="stretch")


def render_stale(problems: list[Problem], shown: int = 3) -> None:
    """The files on disk cannot be used: the page shows the last data that could (core.data.LastGood)."""
    if not problems:
        return
    listed = " ".join(md(p.text()) for p in problems[:shown])  # a value from a broken file is text, never Markdown
    more = t(" (and {n} more)", n=len(problems) - shown) if len(problems) > shown else ""
    st.warning(t("The data files were changed and cannot be used, so the page shows the last data that loaded "
                 "correctly. It will be picked up again as soon as the files are fixed.") + f" {listed}{more}",
               icon="⚠️")
