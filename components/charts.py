"""Side charts (Altair). ``build_*`` are pure and return charts; ``render_charts`` draws them.

Undisclosed values are absent (no bar) and say "not disclosed"; derived values are pale
with a dashed outline and say "derived". Text from the data is drawn by Vega as text.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from core import fmt
from core.domain import area_attribution, category_of

FONT = 13
DERIVED_OPACITY = 0.35


def _config(chart: alt.Chart, title: str, step: int = 30) -> alt.Chart:
    # a band step, not a fixed height: each plant gets the same room however many are shown
    return (chart.properties(title=title, height=alt.Step(step), width="container")
            .configure_axis(labelFontSize=FONT, titleFontSize=FONT, labelLimit=220)
            .configure_title(fontSize=FONT + 2, anchor="start")
            .configure_legend(labelFontSize=FONT, titleFontSize=FONT, orient="bottom", columns=1,
                              labelLimit=300)
            .configure_view(stroke=None))


def investment_frame(plants: pd.DataFrame, colour_column: str) -> pd.DataFrame:
    df = pd.DataFrame({
        "plant": plants["name"].astype(str),
        "investment": plants["investment_kzt_bn"].astype(float),
        "category": plants[colour_column].map(category_of),
    })
    df["label"] = df["investment"].map(lambda v: "not disclosed" if pd.isna(v) else f"{v:,.1f}")
    df["x"] = df["investment"].fillna(0.0)
    return df.sort_values("x", ascending=False, kind="stable")


def build_investment_chart(plants: pd.DataFrame, colours: dict[str, str], colour_column: str,
                           colour_label: str) -> alt.Chart:
    df = investment_frame(plants, colour_column)
    order = df["plant"].tolist()
    y = alt.Y("plant:N", sort=order, title=None)
    domain = [c for c in colours if c in set(df["category"])]
    bars = alt.Chart(df).mark_bar().encode(
        y=y, x=alt.X("investment:Q", title="bn KZT"),
        color=alt.Color("category:N", title=colour_label,
                        scale=alt.Scale(domain=domain, range=[colours[c] for c in domain]),
                        # coloured by company, the bars' own labels already name each colour
                        legend=None if colour_column == "company" else alt.Legend()),
        tooltip=[alt.Tooltip("plant:N", title="Plant"), alt.Tooltip("label:N", title="Investment, bn KZT")],
    )
    text = alt.Chart(df).mark_text(align="left", dx=4, fontSize=FONT).encode(
        y=y, x="x:Q", text="label:N")
    return _config(alt.layer(bars, text), "Investment by plant (bn KZT)")


def medicines_frame(plants: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    """Long frame: socially significant / other / not broken down, per plant."""
    rows = []
    for _, p in plants.iterrows():
        med, ss = p["medicines_count"], p["socially_significant_count"]
        basis = p["basis_medicines_count"]
        label = fmt.figure(med, "exact", basis)
        if pd.isna(med):
            rows.append((p["name"], "not disclosed", 0, basis, label))
        elif pd.isna(ss):
            rows.append((p["name"], "split not disclosed", int(med), basis, label))
        else:
            rows.append((p["name"], "socially significant", int(ss), basis, label))
            rows.append((p["name"], "other", int(med) - int(ss), basis, label))
    return pd.DataFrame(rows, columns=["plant", "segment", "count", "basis", "label"])


SEGMENTS = {"socially significant": "#0072B2", "other": "#9ecae1", "split not disclosed": "#bdbdbd"}


def build_medicines_chart(plants: pd.DataFrame, provenance: pd.DataFrame) -> alt.Chart:
    df = medicines_frame(plants, provenance)
    totals = df.groupby("plant", sort=False).agg(total=("count", "sum"), label=("label", "first"),
                                                 basis=("basis", "first")).reset_index()
    order = totals.sort_values("total", ascending=False, kind="stable")["plant"].tolist()
    y = alt.Y("plant:N", sort=order, title=None)
    bars = alt.Chart(df[df["segment"] != "not disclosed"]).mark_bar(strokeWidth=1.5).encode(
        y=y, x=alt.X("sum(count):Q", title="medicines"),
        color=alt.Color("segment:N", title=None, sort=list(SEGMENTS),
                        scale=alt.Scale(domain=list(SEGMENTS), range=list(SEGMENTS.values()))),
        order=alt.Order("segment:N"),
        opacity=alt.condition(alt.datum.basis == "derived", alt.value(DERIVED_OPACITY), alt.value(1.0)),
        strokeDash=alt.condition(alt.datum.basis == "derived", alt.value([4, 3]), alt.value([1, 0])),
        stroke=alt.condition(alt.datum.basis == "derived", alt.value("#333"), alt.value(None)),
        tooltip=["plant:N", "segment:N", "count:Q", "basis:N"],
    )
    text = alt.Chart(totals).mark_text(align="left", dx=4, fontSize=FONT).encode(
        y=y, x="total:Q", text="label:N")
    return _config(alt.layer(bars, text), "Medicines by plant: socially significant vs other")


def jobs_frame(plants: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, p in plants.iterrows():
        q = p["jobs_qualifier"] if isinstance(p["jobs_qualifier"], str) else "exact"
        basis = p["basis_jobs"]
        v = p["jobs"]
        rows.append((p["name"], 0 if pd.isna(v) else int(v), fmt.figure(v, q, basis), basis, q))
    return pd.DataFrame(rows, columns=["plant", "jobs", "label", "basis", "qualifier"])


def build_jobs_chart(plants: pd.DataFrame, provenance: pd.DataFrame) -> alt.Chart:
    df = jobs_frame(plants, provenance)
    order = df.sort_values("jobs", ascending=False, kind="stable")["plant"].tolist()
    y = alt.Y("plant:N", sort=order, title=None)
    bars = alt.Chart(df[df["label"] != "not disclosed"]).mark_bar(color="#009E73", strokeWidth=1.5).encode(
        y=y, x=alt.X("jobs:Q", title="jobs"),
        opacity=alt.condition(alt.datum.basis == "derived", alt.value(DERIVED_OPACITY), alt.value(1.0)),
        strokeDash=alt.condition(alt.datum.basis == "derived", alt.value([4, 3]), alt.value([1, 0])),
        stroke=alt.condition(alt.datum.basis == "derived", alt.value("#333"), alt.value(None)),
        tooltip=["plant:N", alt.Tooltip("label:N", title="jobs"), "basis:N"],
    )
    text = alt.Chart(df).mark_text(align="left", dx=4, fontSize=FONT).encode(y=y, x="jobs:Q", text="label:N")
    return _config(alt.layer(bars, text), "Jobs by plant (qualifiers as reported)")


PROGRAMME_ROW = "Programme, no plant named"


def area_frame(plants: pd.DataFrame, all_plants: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Plant × area cells: 'attributed' where a source names the area for the plant;
    a programme row marks the areas no source attributes to any plant."""
    attribution = area_attribution(all_plants, list(labels))
    rows = []
    for _, p in plants.iterrows():
        name = p["name"] if p["areas"] else f"{p['name']} (areas not disclosed)"
        for code, label in labels.items():
            rows.append((name, label, "attributed to this plant" if code in p["areas"] else "none"))
    for code, label in labels.items():
        rows.append((PROGRAMME_ROW, label, "programme-level only" if not attribution.get(code) else "none"))
    return pd.DataFrame(rows, columns=["plant", "area", "status"])


def build_area_matrix(plants: pd.DataFrame, all_plants: pd.DataFrame, labels: dict[str, str]) -> alt.Chart:
    df = area_frame(plants, all_plants, labels)
    order = list(dict.fromkeys(df["plant"]))
    y = alt.Y("plant:N", sort=order, title=None)
    x = alt.X("area:N", sort=list(labels.values()), title=None,
              axis=alt.Axis(labelAngle=-40, orient="top"))
    grid = alt.Chart(df).mark_rect(fill="#f4f4f4", stroke="#ffffff", strokeWidth=2).encode(x=x, y=y)
    marks = alt.Chart(df[df["status"] != "none"]).mark_point(filled=True, size=220).encode(
        x=x, y=y,
        shape=alt.Shape("status:N", title=None,
                        scale=alt.Scale(domain=["attributed to this plant", "programme-level only"],
                                        range=["circle", "diamond"])),
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=["attributed to this plant", "programme-level only"],
                                        range=["#0072B2", "#8C8C8C"])),
        tooltip=["plant:N", "area:N", "status:N"],
    )
    return _config(alt.layer(grid, marks), "Therapeutic areas: attributed by a source vs programme-level", 26)


MAX_BARS = 15


def largest(plants: pd.DataFrame, n: int = MAX_BARS) -> pd.DataFrame:
    """The ``n`` largest plants by investment (undisclosed last): bar charts stay readable."""
    if len(plants) <= n:
        return plants
    order = plants["investment_kzt_bn"].fillna(-1).sort_values(ascending=False, kind="stable").index[:n]
    return plants.loc[order]


def area_counts_frame(plants: pd.DataFrame, all_plants: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Plants per therapeutic area (for many plants, instead of the plant × area matrix)."""
    shown = area_attribution(plants, list(labels))
    everywhere = area_attribution(all_plants, list(labels))
    return pd.DataFrame([
        {"area": label, "plants": len(shown.get(code, [])),
         "status": "attributed to plants" if everywhere.get(code) else "programme-level only"}
        for code, label in labels.items()
    ])


def build_area_counts(plants: pd.DataFrame, all_plants: pd.DataFrame, labels: dict[str, str]) -> alt.Chart:
    df = area_counts_frame(plants, all_plants, labels)
    df["label"] = [str(n) if s != "programme-level only" else "programme-level only"
                   for n, s in zip(df["plants"], df["status"])]
    y = alt.Y("area:N", sort=list(labels.values()), title=None)
    bars = alt.Chart(df).mark_bar(color="#0072B2").encode(y=y, x=alt.X("plants:Q", title="plants"),
                                                          tooltip=["area:N", "plants:Q", "status:N"])
    text = alt.Chart(df).mark_text(align="left", dx=4, fontSize=FONT).encode(y=y, x="plants:Q", text="label:N")
    return _config(alt.layer(bars, text), "Plants per therapeutic area (attributed by a source)")


def render_charts(plants: pd.DataFrame, all_plants: pd.DataFrame, provenance: pd.DataFrame,
                  colours: dict[str, str], colour_column: str, colour_label: str, labels: dict[str, str]) -> None:
    import streamlit as st

    if plants.empty:
        st.info("No plant matches the filters, so there is nothing to chart.")
        return
    top = largest(plants)
    if len(top) < len(plants):
        st.caption(f"Bar charts show the {len(top)} largest of {len(plants):,} plants by investment; "
                   "KPIs, map and table cover all of them.")
    st.altair_chart(build_investment_chart(top, colours, colour_column, colour_label), width="stretch",
                    alt="Bar chart of investment by plant, in billions of tenge")
    st.altair_chart(build_medicines_chart(top, provenance), width="stretch",
                    alt="Stacked bar chart of medicines by plant: socially significant and other")
    st.altair_chart(build_jobs_chart(top, provenance), width="stretch",
                    alt="Bar chart of new jobs by plant, with the qualifiers the sources use")
    st.caption("Pale bars with a dashed outline are derived, not reported.")
    if len(plants) <= MAX_BARS:
        st.altair_chart(build_area_matrix(plants, all_plants, labels), width="stretch",
                        alt="Matrix of plants and therapeutic areas attributed to them by a source")
    else:
        st.altair_chart(build_area_counts(plants, all_plants, labels), width="stretch",
                        alt="Bar chart of the number of plants per therapeutic area")
