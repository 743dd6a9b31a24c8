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

import numpy as np
import pandas as pd

from components.text import md
from core import fmt, svgchart
from core.domain import area_attribution, category_of, programme_rows
from core.i18n import N_, number, t

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


def investment_frame(plants: pd.DataFrame, colour_column: str, kzt_per_unit: float | None = None,
                     labelled: int | None = None) -> pd.DataFrame:
    """Investment per plant in bn KZT, or in millions of a currency at ``kzt_per_unit``, largest first;
    ``labelled``: label only the first so many rows (the bars drawn one by one: formatting 10,000 labels
    took 90 ms of a rerun), the others' label empty."""
    plants = plants.reset_index(drop=True)
    inv = plants["investment_kzt_bn"].astype(float)
    df = pd.DataFrame({
        "plant": plants["name"].astype(str),
        "investment": inv if kzt_per_unit is None else inv * 1000 / kzt_per_unit,
    })
    df["x"] = df["investment"].fillna(0.0)
    df = df.sort_values("x", ascending=False, kind="stable")
    head = df.iloc[:labelled] if labelled is not None else df
    df["category"] = ""
    df.loc[head.index, "category"] = plants.loc[head.index, colour_column].map(category_of)
    df["label"] = ""
    # a bound the source gives stays on the label ("> 103.0": "more than 103 bn KZT")
    bound = plants["investment_qualifier"] if "investment_qualifier" in plants else pd.Series("", index=plants.index)
    df.loc[head.index, "label"] = [fmt.not_disclosed() if pd.isna(v) else fmt.BOUNDS.get(str(q), "") + number(v, 1)
                                   for v, q in zip(head["investment"], bound.loc[head.index], strict=True)]
    return cast(pd.DataFrame, df[["plant", "investment", "category", "label", "x"]])


def build_investment_chart(plants: pd.DataFrame, colours: dict[str, str], colour_column: str,
                           colour_label: str, rate: dict | None = None, highlight: str | None = None) -> dict:
    """``rate``: a row of fx_rates.csv to show millions of that currency, with the rate in the title."""
    df = investment_frame(plants, colour_column, rate["kzt_per_unit"] if rate else None,
                          labelled=MAX_BARS - 1 if len(plants) > MAX_BARS else None)
    total = largest = None
    if len(df) > MAX_BARS:  # the largest one by one, the rest in one grey bar
        rest = df.iloc[MAX_BARS - 1:]
        total, label = rest_figure(cast(pd.Series, rest["investment"]), decimals=1)
        largest = float(df["x"].iloc[0])
        others = others_name(rest)
        colours = {**colours, others: OTHERS_COLOUR}
        df = pd.concat([df.iloc[:MAX_BARS - 1], pd.DataFrame([{"plant": others, "investment": total,
                                                               "category": others, "label": label,
                                                               "x": _label_at(total, largest)}])])
    unit = t("bn KZT") if rate is None else t("{currency} M", currency={"USD": "US$", "EUR": "€"}.get(
        rate["currency"], rate["currency"]))
    title = t("Investment by plant ({unit})", unit=unit) if rate is None else t(
        "Investment by plant ({unit}, at {rate} KZT/{currency}, {kind} rate of {date})", unit=unit,
        rate=number(rate["kzt_per_unit"], 2), currency=rate["currency"], kind=fmt.rate_kind(rate),
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
    spec = _spec(title, [_highlight(bars, highlight), text])
    if total is not None and largest is not None:
        _cut(spec, largest, total)
    return spec


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


def others_medicines(rest: pd.DataFrame) -> pd.DataFrame:
    """The rest's stacked bar: its socially significant and other medicines where a plant splits them, and the
    medicines of the plants that do not; derived sums."""
    med = cast(pd.Series, pd.to_numeric(rest["medicines_count"], errors="coerce"))
    ss = cast(pd.Series, pd.to_numeric(rest["socially_significant_count"], errors="coerce"))
    split = med.notna() & ss.notna()
    _, label = rest_figure(med)
    name = others_name(rest)
    parts = ((SOCIAL, ss[split].sum()), (OTHER, (med[split] - ss[split]).sum()),
             (SPLIT_UNKNOWN, med[med.notna() & ss.isna()].sum()))
    rows = [(name, t(segment), int(count), "derived", label) for segment, count in parts if count > 0]
    return pd.DataFrame(rows or [(name, fmt.not_disclosed(), 0, "derived", label)],
                        columns=["plant", "segment", "count", "basis", "label"])


def build_medicines_chart(plants: pd.DataFrame, highlight: str | None = None) -> dict:
    top, rest = split_largest(plants, "medicines_count", rest_columns=["medicines_count", "socially_significant_count"])
    df = medicines_frame(top)
    totals = df.groupby("plant", sort=False).agg(total=("count", "sum"), label=("label", "first"),
                                                 basis=("basis", "first")).reset_index()
    order = totals.sort_values("total", ascending=False, kind="stable")["plant"].tolist()
    largest, total = float(totals["total"].to_numpy(dtype=float).max()) if len(totals) else 0.0, 0.0
    if len(rest):  # after the largest, whatever its length; its label where a cut bar ends
        more = others_medicines(rest)
        df = pd.concat([df, more], ignore_index=True)
        total = float(more["count"].to_numpy(dtype=float).sum())
        totals = pd.concat([totals, pd.DataFrame([{"plant": more["plant"].iloc[0], "total": _label_at(total, largest),
                                                   "label": more["label"].iloc[0], "basis": "derived"}])],
                           ignore_index=True)
        order.append(str(more["plant"].iloc[0]))
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
    spec = _spec(t("Medicines by plant: socially significant vs other"), [_highlight(bars, highlight), text])
    _cut(spec, largest, total)
    return spec


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
    top, rest = split_largest(plants, "jobs", rest_columns=["jobs", "jobs_qualifier"])
    df = jobs_frame(top)
    order = df.sort_values("jobs", ascending=False, kind="stable")["plant"].tolist()
    largest, total = float(df["jobs"].to_numpy(dtype=float).max()) if len(df) else 0.0, 0.0
    df["at"] = df["jobs"].astype(float)  # where the label goes: a cut bar's at the cut
    if len(rest):  # after the largest, whatever its length
        total, label = rest_figure(cast(pd.Series, rest["jobs"]), cast(pd.Series, rest["jobs_qualifier"]))
        name = others_name(rest)
        df = pd.concat([df, pd.DataFrame([(name, int(total), label, "derived", "exact", _label_at(total, largest))],
                                         columns=df.columns)],
                       ignore_index=True)
        order.append(name)
    y = {"field": "plant", "type": "nominal", "sort": order, "title": None}
    bars = {"data": {"values": _records(cast(pd.DataFrame, df[df["label"] != fmt.not_disclosed()]))},
            "mark": {"type": "bar", "color": "#009E73", "strokeWidth": 1.5},
            "encoding": {"y": y, "x": {"field": "jobs", "type": "quantitative", "title": t("jobs")},
                         **_derived_style(),
                         "tooltip": [{"field": "plant", "type": "nominal"},
                                     {"field": "label", "type": "nominal", "title": t("jobs")},
                                     {"field": "basis", "type": "nominal"}]}}
    text = {"data": {"values": _records(df)}, "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": FONT},
            "encoding": {"y": y, "x": {"field": "at", "type": "quantitative"},
                         "text": {"field": "label", "type": "nominal"}}}
    spec = _spec(t("Jobs by plant (qualifiers as reported)"), [_highlight(bars, highlight), text])
    _cut(spec, largest, total)
    return spec


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


MAX_BARS = 15  # bars per chart: past this many plants, the largest MAX_BARS - 1 and one bar for the rest
OTHERS = N_("Other plants ({n})")
OTHERS_COLOUR = "#8C8C8C"


def split_largest(plants: pd.DataFrame, column: str, n: int = MAX_BARS,
                  rest_columns: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plants a bar chart draws one by one, largest ``column`` first (undisclosed last), and the rest,
    which it sums in one bar (only its ``rest_columns``, if given: copying every column of 10,000 rows cost
    a rerun 8 ms a chart); every plant and an empty rest while they fit in ``n`` bars."""
    if len(plants) <= n:
        return plants, plants.iloc[0:0]
    values = cast(pd.Series, pd.to_numeric(plants[column], errors="coerce")).to_numpy(dtype=float)
    order = np.argsort(np.where(np.isnan(values), np.inf, -values), kind="stable")  # undisclosed last
    rest = plants if rest_columns is None else plants[rest_columns]
    return plants.iloc[order[:n - 1]], rest.iloc[order[n - 1:]]


CUT = 1.15  # a sum longer than the largest plant's bar is cut this far beyond it


def _cut(spec: dict, largest: float, total: float) -> float | None:
    """Cut the bars where the others' sum would flatten the plants' own (marked as cut in the drawing, its
    label at the cut); return where, or None when the sum fits."""
    if not (largest > 0 and total > largest * CUT):
        return None
    cap = largest * CUT
    bars = spec["layer"][0]
    bars["mark"]["clip"] = True
    bars["encoding"]["x"]["scale"] = {"domain": [0, cap]}
    return cap


def _label_at(total: float, largest: float) -> float:
    """Where the others' label goes: beside its bar, or at the cut when _cut shortens the bar."""
    return min(total, largest * CUT) if largest > 0 else total


def others_name(rest: pd.DataFrame) -> str:
    return t(OTHERS, n=number(len(rest)))


def rest_figure(values: pd.Series, qualifiers: pd.Series | None = None, decimals: int = 0) -> tuple[float, str]:
    """The rest's bar: the sum of the values disclosed, labelled as derived ("≈ 1,234 (derived)"), "at least"
    when some are not disclosed or are themselves lower bounds; "not disclosed" (and 0 long) when none is."""
    numbers = cast(pd.Series, pd.to_numeric(values, errors="coerce"))
    known = numbers.dropna()
    if known.empty:
        return 0.0, fmt.not_disclosed()
    total = float(known.sum())
    bounded = qualifiers is not None and bool(qualifiers.isin(["at_least", "more_than"]).any())
    shown = number(total, decimals)
    derived = t("derived")
    if len(known) < len(numbers) or bounded:
        return total, f"{fmt.qualifier_word('at_least')}{shown} ({derived})"
    return total, f"≈ {shown} ({derived})"


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
    areas = (build_area_matrix(plants, all_plants, labels, attribution) if len(plants) <= MAX_BARS
             else build_area_counts(plants, all_plants, labels, attribution))
    return {
        "Investment": build_investment_chart(plants, colours, colour_column, colour_label, rate, highlight),
        "Medicines": build_medicines_chart(plants, highlight),
        "Jobs": build_jobs_chart(plants, highlight),
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

    if not specs and len(shown):  # existing plants only: no programme figures
        st.info(t("Existing plants are context: they have no programme figures to chart. Choose the six agreements "
                  "or the approved plants to see these charts."))
        return
    if not specs:
        st.info(t("No plant matches the filters, so there is nothing to chart. Choose other areas, regions or "
                  "companies, widen the investment range, or use 'Reset filters' in the sidebar."))
        return
    charted = len(programme_rows(shown))
    if charted > MAX_BARS:  # what the bars sum up, in one line
        st.caption(t("Each bar chart shows its {k} largest plants by its own figure and one last bar summing the "
                     "other {m}, cut short with a break when it is longer than the chart; KPIs, map and table show "
                     "all {n} one by one.", k=MAX_BARS - 1,
                     m=number(charted - MAX_BARS + 1), n=number(charted)))
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
