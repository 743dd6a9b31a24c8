"""Side charts as Vega-Lite specs. ``build_*`` are pure and return spec dicts; ``render_charts``
draws them as SVG made on the server (core/svgchart.py: Vega in the browser held the first paint back
by 200–400 ms), and the exports render the same specs with vl-convert.

Plain specs rather than Altair objects: Altair validated every spec against the schema on
each rerun, 80 % of a filter change's server time (scripts/profile_rerun.py, 330 of 400 ms).
A unit test still validates every spec against the Vega-Lite schema Altair ships.

Undisclosed values are absent (no bar) and say "not disclosed"; derived values are pale
with a dashed outline and say "derived". Text from the data is drawn by Vega as text.
"""

from __future__ import annotations

import math
from typing import cast

import pandas as pd

from components.text import md
from core import fmt, svgchart
from core.domain import area_attribution, category_of, programme_rows
from core.i18n import N_, number, percent, t

FONT = 13
DERIVED_OPACITY = 0.35


SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier, never fetched
CONFIG = {
    "axis": {"labelFontSize": FONT, "titleFontSize": FONT, "labelLimit": 220},
    "title": {"fontSize": FONT + 2, "anchor": "start"},
    "legend": {"labelFontSize": FONT, "titleFontSize": FONT, "orient": "bottom", "columns": 1, "labelLimit": 300},
    "view": {"stroke": None},
}


def _records(df: pd.DataFrame) -> list[dict]:
    """JSON-safe rows: NaN becomes null."""
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in df.to_dict(orient="records")]


def _spec(title: str, layers: list[dict], step: int = 30) -> dict:
    # a band step, not a fixed height: each plant gets the same room however many are shown
    return {"$schema": SCHEMA, "title": title, "width": "container", "height": {"step": step},
            "layer": layers, "config": CONFIG}


def _highlight(layer: dict, plant: str | None) -> dict:
    """Dim every bar but ``plant``'s (presentation tour)."""
    if plant:
        layer["encoding"]["opacity"] = {"condition": {"test": {"field": "plant", "equal": plant}, "value": 1.0},
                                        "value": 0.25}
    return layer


def _derived_style() -> dict:
    derived = {"field": "basis", "equal": "derived"}
    return {
        "opacity": {"condition": {"test": {**derived}, "value": DERIVED_OPACITY}, "value": 1.0},
        "strokeDash": {"condition": {"test": {**derived}, "value": [4, 3]}, "value": [1, 0]},
        "stroke": {"condition": {"test": {**derived}, "value": "#333"}, "value": None},
    }


def investment_frame(plants: pd.DataFrame, colour_column: str, kzt_per_unit: float | None = None) -> pd.DataFrame:
    """Investment per plant in bn KZT, or in millions of a currency at ``kzt_per_unit``."""
    inv = plants["investment_kzt_bn"].astype(float)
    df = pd.DataFrame({
        "plant": plants["name"].astype(str),
        "investment": inv if kzt_per_unit is None else inv * 1000 / kzt_per_unit,
        "category": plants[colour_column].map(category_of),
    })
    df["label"] = df["investment"].map(lambda v: fmt.not_disclosed() if pd.isna(v) else number(v, 1))
    df["x"] = df["investment"].fillna(0.0)
    return df.sort_values("x", ascending=False, kind="stable")


def build_investment_chart(plants: pd.DataFrame, colours: dict[str, str], colour_column: str,
                           colour_label: str, rate: dict | None = None, highlight: str | None = None) -> dict:
    """``rate``: a row of fx_rates.csv to show millions of that currency, with the rate in the title."""
    df = investment_frame(plants, colour_column, rate["kzt_per_unit"] if rate else None)
    unit = t("bn KZT") if rate is None else t("{currency} M", currency={"USD": "US$", "EUR": "€"}.get(
        rate["currency"], rate["currency"]))
    title = t("Investment by plant ({unit})", unit=unit) if rate is None else t(
        "Investment by plant ({unit}, at {rate} KZT/{currency}, {kind} rate of {date})", unit=unit,
        rate=number(rate["kzt_per_unit"], 2), currency=rate["currency"], kind=t(rate["rate_type"]),
        date=rate["rate_date"])
    y = {"field": "plant", "type": "nominal", "sort": df["plant"].tolist(), "title": None}
    domain = [c for c in colours if c in set(df["category"])]
    color = {"field": "category", "type": "nominal", "title": colour_label,
             "scale": {"domain": domain, "range": [colours[c] for c in domain]}}
    if colour_column == "company":  # the bars' own labels already name each colour
        color["legend"] = None
    data = {"values": _records(df)}
    bars = {"data": data, "mark": {"type": "bar"}, "encoding": {
        "y": y, "x": {"field": "investment", "type": "quantitative", "title": unit}, "color": color,
        "tooltip": [{"field": "plant", "type": "nominal", "title": t("Plant")},
                    {"field": "label", "type": "nominal", "title": t("Investment, {unit}", unit=unit)}]}}
    text = {"data": data, "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": FONT},
            "encoding": {"y": y, "x": {"field": "x", "type": "quantitative"},
                         "text": {"field": "label", "type": "nominal"}}}
    return _spec(title, [_highlight(bars, highlight), text])


def medicines_frame(plants: pd.DataFrame) -> pd.DataFrame:
    """Long frame: socially significant / other / not broken down, per plant."""
    rows = []
    for _, p in plants.iterrows():
        med, ss = p.at["medicines_count"], p.at["socially_significant_count"]
        basis = str(p["basis_medicines_count"])
        label = fmt.figure(med, "exact", basis)
        if pd.isna(med):
            rows.append((p["name"], fmt.not_disclosed(), 0, basis, label))
        elif pd.isna(ss):
            rows.append((p["name"], t(SPLIT_UNKNOWN), int(med), basis, label))
        else:
            rows.append((p["name"], t(SOCIAL), int(ss), basis, label))
            rows.append((p["name"], t(OTHER), int(med) - int(ss), basis, label))
    return pd.DataFrame(rows, columns=["plant", "segment", "count", "basis", "label"])


SOCIAL, OTHER, SPLIT_UNKNOWN = N_("socially significant"), N_("other"), N_("split not disclosed")
SEGMENT_COLOURS = {SOCIAL: "#0072B2", OTHER: "#9ecae1", SPLIT_UNKNOWN: "#bdbdbd"}


def build_medicines_chart(plants: pd.DataFrame, highlight: str | None = None) -> dict:
    df = medicines_frame(plants)
    totals = df.groupby("plant", sort=False).agg(total=("count", "sum"), label=("label", "first"),
                                                 basis=("basis", "first")).reset_index()
    order = totals.sort_values("total", ascending=False, kind="stable")["plant"].tolist()
    y = {"field": "plant", "type": "nominal", "sort": order, "title": None}
    segments = {t(k): v for k, v in SEGMENT_COLOURS.items()}
    bars = {"data": {"values": _records(cast(pd.DataFrame, df[df["segment"] != fmt.not_disclosed()]))},
            "mark": {"type": "bar", "strokeWidth": 1.5},
            "encoding": {"y": y, "x": {"aggregate": "sum", "field": "count", "type": "quantitative",
                                       "title": t("medicines")},
                         "color": {"field": "segment", "type": "nominal", "title": None, "sort": list(segments),
                                   "scale": {"domain": list(segments), "range": list(segments.values())}},
                         "order": {"field": "segment", "type": "nominal"},
                         **_derived_style(),
                         "tooltip": [{"field": f, "type": t} for f, t in (("plant", "nominal"),
                                     ("segment", "nominal"), ("count", "quantitative"), ("basis", "nominal"))]}}
    text = {"data": {"values": _records(totals)},
            "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": FONT},
            "encoding": {"y": y, "x": {"field": "total", "type": "quantitative"},
                         "text": {"field": "label", "type": "nominal"}}}
    return _spec(t("Medicines by plant: socially significant vs other"), [_highlight(bars, highlight), text])


def jobs_frame(plants: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, p in plants.iterrows():
        jq = p["jobs_qualifier"]
        q = jq if isinstance(jq, str) else "exact"
        basis = str(p["basis_jobs"])
        v = p.at["jobs"]
        rows.append((p["name"], 0 if pd.isna(v) else int(v), fmt.figure(v, q, basis), basis, q))
    return pd.DataFrame(rows, columns=["plant", "jobs", "label", "basis", "qualifier"])


def build_jobs_chart(plants: pd.DataFrame, highlight: str | None = None) -> dict:
    df = jobs_frame(plants)
    order = df.sort_values("jobs", ascending=False, kind="stable")["plant"].tolist()
    y = {"field": "plant", "type": "nominal", "sort": order, "title": None}
    bars = {"data": {"values": _records(cast(pd.DataFrame, df[df["label"] != fmt.not_disclosed()]))},
            "mark": {"type": "bar", "color": "#009E73", "strokeWidth": 1.5},
            "encoding": {"y": y, "x": {"field": "jobs", "type": "quantitative", "title": t("jobs")},
                         **_derived_style(),
                         "tooltip": [{"field": "plant", "type": "nominal"},
                                     {"field": "label", "type": "nominal", "title": t("jobs")},
                                     {"field": "basis", "type": "nominal"}]}}
    text = {"data": {"values": _records(df)}, "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": FONT},
            "encoding": {"y": y, "x": {"field": "jobs", "type": "quantitative"},
                         "text": {"field": "label", "type": "nominal"}}}
    return _spec(t("Jobs by plant (qualifiers as reported)"), [_highlight(bars, highlight), text])


PROGRAMME_ROW = N_("Programme, no plant named")
ATTRIBUTED, PROGRAMME_ONLY, ATTRIBUTED_PLANTS = (N_("attributed to this plant"), N_("programme-level only"),
                                                 N_("attributed to plants"))


def area_frame(plants: pd.DataFrame, all_plants: pd.DataFrame, labels: dict[str, str],
               attribution: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Plant × area cells: 'attributed' where a source names the area for the plant;
    a programme row marks the areas no source attributes to any plant."""
    attribution = attribution if attribution is not None else area_attribution(all_plants, list(labels))
    rows = []
    for _, p in plants.iterrows():
        name = p["name"] if p.at["areas"] else t("{name} (areas not disclosed)", name=p["name"])
        for code, label in labels.items():
            rows.append((name, t(label), t(ATTRIBUTED) if code in p["areas"] else "none"))
    for code, label in labels.items():
        rows.append((t(PROGRAMME_ROW), t(label), t(PROGRAMME_ONLY) if not attribution.get(code) else "none"))
    return pd.DataFrame(rows, columns=["plant", "area", "status"])


def build_area_matrix(plants: pd.DataFrame, all_plants: pd.DataFrame, labels: dict[str, str],
                      attribution: dict[str, list[str]] | None = None) -> dict:
    df = area_frame(plants, all_plants, labels, attribution)
    y = {"field": "plant", "type": "nominal", "sort": list(dict.fromkeys(df["plant"])), "title": None}
    x = {"field": "area", "type": "nominal", "sort": [t(v) for v in labels.values()], "title": None,
         "axis": {"labelAngle": -40, "orient": "top"}}
    statuses = [t(ATTRIBUTED), t(PROGRAMME_ONLY)]
    grid = {"data": {"values": _records(df)}, "mark": {"type": "rect", "fill": "#f4f4f4", "stroke": "#ffffff",
                                                       "strokeWidth": 2},
            "encoding": {"x": x, "y": y}}
    marks = {"data": {"values": _records(cast(pd.DataFrame, df[df["status"] != "none"]))},
             "mark": {"type": "point", "filled": True, "size": 220},
             "encoding": {"x": x, "y": y,
                          "shape": {"field": "status", "type": "nominal", "title": None,
                                    "scale": {"domain": statuses, "range": ["circle", "diamond"]}},
                          "color": {"field": "status", "type": "nominal", "title": None,
                                    "scale": {"domain": statuses, "range": ["#0072B2", "#8C8C8C"]}},
                          "tooltip": [{"field": f, "type": "nominal"} for f in ("plant", "area", "status")]}}
    return _spec(t("Therapeutic areas: attributed by a source vs programme-level"), [grid, marks], 26)


MAX_BARS = 15


def largest(plants: pd.DataFrame, n: int = MAX_BARS) -> pd.DataFrame:
    """The ``n`` largest plants by investment (undisclosed last): bar charts stay readable."""
    if len(plants) <= n:
        return plants
    investment = cast(pd.Series, plants["investment_kzt_bn"])
    order = investment.fillna(-1).sort_values(ascending=False, kind="stable").index[:n]
    return plants.loc[order]


def top_share(plants: pd.DataFrame, n: int = MAX_BARS) -> float | None:
    """The share of the disclosed investment that the ``n`` largest plants hold (what the bar charts show of
    it), among the rows the charts draw; None when every plant fits or no investment is disclosed."""
    rows = programme_rows(plants)
    if len(rows) <= n:
        return None
    investment = cast(pd.Series, pd.to_numeric(rows["investment_kzt_bn"], errors="coerce"))
    total = investment.sum(min_count=1)
    if pd.isna(total) or total <= 0:
        return None
    return float(investment.loc[largest(rows, n).index].sum()) / float(total)


def area_counts_frame(plants: pd.DataFrame, all_plants: pd.DataFrame, labels: dict[str, str],
                      attribution: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Plants per therapeutic area (for many plants, instead of the plant × area matrix)."""
    shown = area_attribution(plants, list(labels))
    everywhere = attribution if attribution is not None else area_attribution(all_plants, list(labels))
    return pd.DataFrame([
        {"area": t(label), "plants": len(shown.get(code, [])),
         "status": t(ATTRIBUTED_PLANTS) if everywhere.get(code) else t(PROGRAMME_ONLY)}
        for code, label in labels.items()
    ])


def build_area_counts(plants: pd.DataFrame, all_plants: pd.DataFrame, labels: dict[str, str],
                      attribution: dict[str, list[str]] | None = None) -> dict:
    df = area_counts_frame(plants, all_plants, labels, attribution)
    df["label"] = [number(n) if s != t(PROGRAMME_ONLY) else s for n, s in zip(df["plants"], df["status"], strict=True)]
    y = {"field": "area", "type": "nominal", "sort": [t(v) for v in labels.values()], "title": None}
    data = {"values": _records(df)}
    bars = {"data": data, "mark": {"type": "bar", "color": "#0072B2"},
            "encoding": {"y": y, "x": {"field": "plants", "type": "quantitative", "title": t("plants")},
                         "tooltip": [{"field": "area", "type": "nominal"},
                                     {"field": "plants", "type": "quantitative"},
                                     {"field": "status", "type": "nominal"}]}}
    text = {"data": data, "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": FONT},
            "encoding": {"y": y, "x": {"field": "plants", "type": "quantitative"},
                         "text": {"field": "label", "type": "nominal"}}}
    return _spec(t("Plants per therapeutic area (attributed by a source)"), [bars, text])


ALT = {
    "Investment": N_("Bar chart of investment by plant"),
    "Medicines": N_("Stacked bar chart of medicines by plant: socially significant and other"),
    "Jobs": N_("Bar chart of new jobs by plant, with the qualifiers the sources use"),
    "Therapeutic areas": N_("Plants and the therapeutic areas a source attributes to them"),
}
# the chart names are translated where shown (exports): marked here for the catalogues
CHART_NAMES = (N_("Investment"), N_("Medicines"), N_("Jobs"), N_("Therapeutic areas"))


def chart_specs(plants: pd.DataFrame, all_plants: pd.DataFrame, colours: dict[str, str], colour_column: str,
                colour_label: str, labels: dict[str, str],
                attribution: dict[str, list[str]] | None = None, rate: dict | None = None,
                highlight: str | None = None) -> dict[str, dict]:
    """The side charts for the plants shown, by name: the page and the exports draw the same specs."""
    plants = programme_rows(plants)  # an existing plant has no programme figures to chart
    if plants.empty:
        return {}
    top = largest(plants)
    areas = (build_area_matrix(plants, all_plants, labels, attribution) if len(plants) <= MAX_BARS
             else build_area_counts(plants, all_plants, labels, attribution))
    return {
        "Investment": build_investment_chart(top, colours, colour_column, colour_label, rate, highlight),
        "Medicines": build_medicines_chart(top, highlight),
        "Jobs": build_jobs_chart(top, highlight),
        "Therapeutic areas": areas,
    }


def chart_lines(spec: dict) -> list[str]:
    """A chart as text lines, one per bar (or per row of the matrix): the bar's name and the value label drawn
    beside it; a stacked bar also gives its segments ("AltINFARM: 54 (socially significant 35, other 19)")."""
    layers = spec.get("layer", [])
    if not layers:
        return []
    first = layers[0]
    y = first["encoding"]["y"]["field"]
    label = next((ly["encoding"]["text"]["field"] for ly in layers if "text" in ly.get("encoding", {})), None)
    x = first["encoding"]["x"]["field"]
    lines: dict[str, list] = {}
    for row in first["data"]["values"]:
        key = str(row.get(y, ""))
        matrix = "area" in row and y != "area"  # plant × area: the areas a source attributes, no value
        value = None if matrix else row.get(label) if label else row.get(x)
        entry = lines.setdefault(key, [value, []])
        if "segment" in row and "count" in row:
            entry[1].append(f"{row['segment']} {number(row['count']) if row['count'] is not None else '—'}")
        elif matrix and row.get("status") != "none":
            entry[1].append(str(row["area"]))
    out = []
    for key, (value, parts) in lines.items():
        text = f"{key}: {value}" if value not in (None, "") else key
        out.append(text + (f" ({', '.join(parts)})" if parts else ""))
    return out


def render_charts(specs: dict[str, dict], shown: pd.DataFrame) -> None:
    import streamlit as st

    n_shown = len(shown)
    if not specs:
        st.info(t("No plant matches the filters, so there is nothing to chart. Choose other areas, regions or "
                  "companies, widen the investment range, or use 'Reset filters' in the sidebar."))
        return
    share = top_share(shown)
    if share is not None:  # what the bars leave out, in one figure
        st.caption(t("Bar charts show the {max} largest of {n} plants by investment, {share} of the disclosed "
                     "investment shown; KPIs, map and table cover all of them.", max=MAX_BARS, n=number(n_shown),
                     share=percent(share, 1)))
    elif n_shown > MAX_BARS:
        st.caption(t("Bar charts show the {max} largest of {n} plants by investment; KPIs, map and table cover "
                     "all of them.", max=MAX_BARS, n=number(n_shown)))
    for name, spec in specs.items():
        # st.markdown, not st.html: st.html's sanitiser keeps no SVG. A <div> first line makes the whole
        # drawing one HTML block (CommonMark type 6), so nothing in it is read as Markdown
        drawing = svgchart.checked(svgchart.svg(spec, t(ALT[name]), name))  # escaped, and checked as it goes out
        st.markdown(f'<div class="ppm-chart-box">{drawing}</div>', unsafe_allow_html=True)
        if name == "Jobs":
            st.caption(t("Pale bars with a dashed outline are derived, not reported."))
    with st.expander(t("The charts as text")):  # for a screen reader, and for reading the figures out
        # one element for the four (each Markdown element costs the page's first paint some milliseconds)
        st.markdown("\n\n".join(f"**{md(str(spec.get('title', '')))}**  \n{md(t(ALT[name]))}.\n\n"
                                  + ("\n".join(f"- {md(line)}" for line in chart_lines(spec)) or "—")
                                  for name, spec in specs.items()))
