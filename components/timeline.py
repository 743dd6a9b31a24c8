"""The timeline panel: "What happened when".

``timeline_spec`` is a Vega-Lite spec (a plain dict, as in components/charts.py): one point per event
of data/events.csv, one row per project, shaped by the kind of event and coloured by the status it
sets; planned events are hollow, events after the as-of date pale, and a rule marks the as-of date.

The x axis is broken, not logarithmic. The events run from 2002 to 2029, but a policymaker reads
2024–2026: on a plain time axis those three years would get a ninth of the width and the January
2026 decisions would sit on top of each other. So the axis is a piecewise time scale (a Vega time
scale with more than two stops): 2024–2026 take most of the width at one scale, the years before
and after are compressed into shaded bands at each end, labelled as compressed. Every event is
still drawn at its own date, so nothing is left out and the tooltip and table give exact dates.

Text from the data goes into the spec as data values (Vega draws it as text, its tooltip escapes
it), never as HTML or Markdown. ``events_table`` is the table under the chart; ``render_timeline``
draws both with Streamlit.
"""

from __future__ import annotations

from datetime import date
from typing import cast

import pandas as pd

from components.charts import CONFIG, FONT, SCHEMA
from components.text import md
from core import fmt
from core.context import STATUSES, split
from core.dates import date_text
from core.i18n import N_, number, t

# the years shown at full scale; earlier and later years are compressed into the bands at the ends
FOCUS = (date(2024, 1, 1), date(2027, 1, 1))
FOCUS_SPAN = (0.14, 0.92)  # where the focus years start and end, as a fraction of the width
AFTER_OPACITY = 0.35

NO_CHANGE = N_("no status change")
STATUS_COLOURS = {  # Okabe–Ito; grey for an event that sets no status
    "talks": "#E69F00", "approved": "#0072B2", "agreement_signed": "#009E73",
    "under_construction": "#CC79A7", "operating": "#D55E00", "": "#8C8C8C",
}
EVENT_GROUPS = {
    "approval": (N_("approval"), "circle"),
    "agreement": (N_("agreement"), "diamond"),
    "talks": (N_("talks"), "square"),
    "meeting": (N_("meeting"), "cross"),
    "milestone": (N_("milestone"), "triangle-up"),
    "other": (N_("other event"), "triangle-down"),
    "planned": (N_("planned (hollow): not yet happened"), "triangle-right"),
}
PROGRAMME = N_("Programme")
MAX_LABEL = 40  # characters of a row label naming several projects before it says "N projects" instead


def event_group(event_type: str) -> str:
    """The shape group of an event type (ownership, company, plan history, ... are 'other')."""
    return event_type if event_type in EVENT_GROUPS else "other"


def status_label(code: str) -> str:
    return fmt.status_word(code) if code in STATUSES else t(NO_CHANGE)


def _names(frame: pd.DataFrame, key: str) -> dict[str, str]:
    if frame.empty or key not in frame or "name" not in frame:
        return {}
    return {str(k): str(v) for k, v in zip(frame[key], frame["name"], strict=True) if str(v).strip()}


def project_of(plant_ids: str, partner_ids: str, plants: dict[str, str], partners: dict[str, str]) -> tuple[str, str]:
    """(row label, full name) of the project an event is about.

    One plant: its name. Several plants: the first word of each name ("AltINFARM, Nobel, Abdi,
    MSP-ROMPHARM"), or "4 projects together" if that is too long. No plant: the partners' names.
    Neither: "Programme"."""
    ids = split(plant_ids)
    if len(ids) == 1:
        name = plants.get(ids[0], ids[0])
        return name, name
    if ids:
        full = "; ".join(plants.get(i, i) for i in ids)
        short = ", ".join(plants.get(i, i).split()[0] for i in ids)
        return (short if len(short) <= MAX_LABEL else t("{n} projects together", n=number(len(ids)))), full
    partner = split(partner_ids)
    if partner:
        name = "; ".join(partners.get(p) or t("unknown partner") for p in partner)
        return t("{name} (partner)", name=name), name
    return t(PROGRAMME), t(PROGRAMME)


def _rank(plant_ids: str, partner_ids: str, scopes: dict[str, str]) -> int:
    """Row order: the programme, then its projects, then existing plants, then partners."""
    ids = split(plant_ids)
    if ids:
        return 2 if all(scopes.get(i) == "existing" for i in ids) else 1
    return 3 if split(partner_ids) else 0


def default_as_of(events: pd.DataFrame) -> date:
    """The latest event that has happened (planned events are not), or today if there is none."""
    happened = events[events["event_type"] != "planned"] if len(events) else events
    return cast(date, max(happened["day"])) if len(happened) else date.today()


def _utc(day: date) -> str:
    return f"utc({day.year}, {day.month - 1}, {day.day})"


def axis_stops(days: list[date]) -> list[tuple[date, float]]:
    """(date, fraction of the width) stops of the piecewise time scale: the focus years always,
    a compressed band before them from the first event's year, and after them to the end of the last."""
    first, last = min(days, default=FOCUS[0]), max(days, default=FOCUS[0])
    stops: list[tuple[date, float]] = []
    if first < FOCUS[0]:
        stops.append((date(first.year, 1, 1), 0.0))
    stops.append((FOCUS[0], FOCUS_SPAN[0] if stops else 0.0))
    end = date(last.year + 1, 1, 1)
    if end > FOCUS[1]:
        stops += [(FOCUS[1], FOCUS_SPAN[1]), (end, 1.0)]
    else:
        stops.append((FOCUS[1], 1.0))
    return stops


def position(day: date, stops: list[tuple[date, float]]) -> float:
    """Where ``day`` falls on the piecewise time scale, as a fraction of the width."""
    for (a, fa), (b, fb) in zip(stops, stops[1:], strict=False):
        if a <= day <= b:
            return fa + (fb - fa) * (day - a).days / max((b - a).days, 1)
    return 0.0 if day < stops[0][0] else 1.0


def timeline_frame(events: pd.DataFrame, plants: pd.DataFrame, partners: pd.DataFrame,
                   as_of: date) -> pd.DataFrame:
    """One row per event: what the chart and its tooltip show."""
    plant_names, partner_names = _names(plants, "plant_id"), _names(partners, "partner_id")
    scopes = dict(zip(plants["plant_id"], plants["scope"], strict=True)) if "scope" in plants else {}
    rows = []
    for e in events.to_dict(orient="records"):
        row, full = project_of(str(e["plant_id"]), str(e["partner_ids"]), plant_names, partner_names)
        group = event_group(str(e["event_type"]))
        status = str(e["status_after"])
        rows.append({
            "event_id": str(e["event_id"]), "day": cast(date, e["day"]).isoformat(), "row": row, "project": full,
            "rank": _rank(str(e["plant_id"]), str(e["partner_ids"]), scopes),
            "when": date_text(str(e["date"])), "title": str(e["title"]), "kind": t(EVENT_GROUPS[group][0]),
            "status": status_label(status), "figures": str(e["figures_note"]), "date_note": str(e["date_note"]),
            "planned": group == "planned", "after": cast(date, e["day"]) > as_of,
        })
    return pd.DataFrame(rows, columns=["event_id", "day", "row", "project", "rank", "when", "title", "kind",
                                       "status", "figures", "date_note", "planned", "after"])


def row_order(frame: pd.DataFrame) -> list[str]:
    """Rows top to bottom: the programme, its projects, existing plants, partners; each by first event."""
    if frame.empty:
        return []
    first = frame.groupby("row", sort=False).agg(rank=("rank", "min"), day=("day", "min")).reset_index()
    return first.sort_values(["rank", "day", "row"], kind="stable")["row"].tolist()


def timeline_spec(events: pd.DataFrame, plants: pd.DataFrame, partners: pd.DataFrame,
                  as_of: date | None = None) -> dict:
    """The timeline as a Vega-Lite spec: one point per event.

    ``plants`` should hold every plant the events name (not only those shown), ``partners`` every
    partner; an unknown id is shown as the id. ``as_of``: the rule and the paling of later events;
    ``None`` is the latest event that has happened."""
    as_of = as_of or default_as_of(events)
    frame = timeline_frame(events, plants, partners, as_of)
    stops = axis_stops([cast(date, d) for d in events["day"]] + [as_of])
    x_scale = {"type": "utc", "domain": {"expr": "[" + ", ".join(_utc(d) for d, _ in stops) + "]"},
               "range": [0 if f == 0 else {"expr": "width" if f == 1 else f"width * {f}"} for _, f in stops]}
    ticks = _ticks(stops)
    x = {"field": "day", "type": "temporal", "title": None, "scale": x_scale,
         # ISO strings, not timestamps: Streamlit's Vega-Lite drops numeric values on a utc axis
         "axis": {"values": [d.isoformat() for d in ticks], "format": "%Y", "labelOverlap": "greedy",
                  "grid": True, "gridColor": "#e6e6e6"}}
    y = {"field": "row", "type": "nominal", "sort": row_order(frame), "title": None, "axis": {"labelLimit": 250}}

    statuses = [*STATUSES, ""]
    status_scale = {"domain": [status_label(s) for s in statuses], "range": [STATUS_COLOURS[s] for s in statuses]}
    shape_scale = {"domain": [t(label) for label, _ in EVENT_GROUPS.values()],
                   "range": [shape for _, shape in EVENT_GROUPS.values()]}
    points = {
        "data": {"values": frame.drop(columns=["rank"]).to_dict(orient="records")},
        "mark": {"type": "point", "filled": True, "size": 150, "strokeWidth": 2},
        "encoding": {
            "x": x, "y": y,
            "shape": {"field": "kind", "type": "nominal", "title": t("Event"), "scale": shape_scale},
            # colour fills, stroke outlines (a hollow planned event keeps its outline): one merged legend
            "color": {"field": "status", "type": "nominal", "title": t("Status the event sets"),
                      "scale": status_scale},
            "stroke": {"field": "status", "type": "nominal", "title": t("Status the event sets"),
                       "scale": status_scale},
            "fillOpacity": {"condition": {"test": "datum.planned", "value": 0}, "value": 1},
            "opacity": {"condition": {"test": "datum.after", "value": AFTER_OPACITY}, "value": 1},
            "tooltip": [
                {"field": "when", "type": "nominal", "title": t("Date")},
                {"field": "project", "type": "nominal", "title": t("Project")},
                {"field": "title", "type": "nominal", "title": t("Event")},
                {"field": "kind", "type": "nominal", "title": t("Type")},
                {"field": "status", "type": "nominal", "title": t("Status after")},
                {"field": "figures", "type": "nominal", "title": t("Figures and disagreements")},
                {"field": "date_note", "type": "nominal", "title": t("About the date")},
            ],
        },
    }
    bands = [{"start": a.isoformat(), "end": b.isoformat(),
              "label": t("{start}–{end}\ncompressed", start=a.year, end=b.year - 1)}
             for (a, _), (b, _) in zip(stops, stops[1:], strict=False) if (a, b) != FOCUS]
    layers: list[dict] = []
    if bands:
        band_x = {"field": "start", "type": "temporal", "scale": x_scale}
        layers += [
            {"data": {"values": bands}, "mark": {"type": "rect", "color": "#f2f2f2"},
             "encoding": {"x": band_x, "x2": {"field": "end"}}},
            {"data": {"values": bands},
             "mark": {"type": "text", "align": "left", "baseline": "top", "dx": 3, "dy": 3, "fontSize": FONT - 2,
                      "color": "#595959", "lineBreak": "\n"},
             "encoding": {"x": band_x, "y": {"value": 0}, "text": {"field": "label"}}},
        ]
    label = t("as of {date}", date=fmt.date_long(as_of.isoformat()))
    right = position(as_of, stops) > 0.55  # the label reads towards the middle, never off the chart's edge
    rule_data = {"values": [{"day": as_of.isoformat(), "label": label}]}
    rule_x = {"field": "day", "type": "temporal", "scale": x_scale}
    layers += [
        {"data": rule_data, "mark": {"type": "rule", "color": "#333333", "strokeDash": [4, 3], "strokeWidth": 1.5},
         "encoding": {"x": rule_x}},
        {"data": rule_data,
         "mark": {"type": "text", "align": "right" if right else "left", "baseline": "bottom", "dx": -4 if right else 4,
                  "dy": -4, "fontSize": FONT, "fontWeight": "bold", "color": "#333333"},
         "encoding": {"x": rule_x, "y": {"value": 0}, "text": {"field": "label"}}},
        points,
    ]
    # two legends side by side under the chart, two columns each: they fit a 700 px wide chart
    config = {**CONFIG, "legend": {**CONFIG["legend"], "columns": 2, "symbolSize": 120}}
    return {"$schema": SCHEMA, "width": "container", "height": {"step": 30}, "padding": {"top": 22},
            "layer": layers, "config": config}


def _ticks(stops: list[tuple[date, float]]) -> list[date]:
    """Year ticks: every year inside the focus, the band ends outside it."""
    ticks = {d for d, _ in stops}
    ticks.update(date(y, 1, 1) for y in range(FOCUS[0].year, FOCUS[1].year + 1))
    return sorted(ticks)


def events_table(events: pd.DataFrame, plants: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """The events, newest first, for the table under the chart: text as written, dates at their precision."""
    plant_names, partner_names = _names(plants, "plant_id"), _names(partners, "partner_id")
    rows = []
    for e in events.sort_values(["day", "event_id"], ascending=False, kind="stable").to_dict(orient="records"):
        _, project = project_of(str(e["plant_id"]), str(e["partner_ids"]), plant_names, partner_names)
        sources = split(str(e["source"]))
        group = event_group(str(e["event_type"]))
        rows.append([date_text(str(e["date"])), project, str(e["title"]), t(EVENT_GROUPS[group][0]),
                     status_label(str(e["status_after"])) if e["status_after"] else None,
                     str(e["figures_note"]) or None, str(e["detail"]) or None,
                     sources[0] if sources else None, sources[1:]])
    return pd.DataFrame(rows, columns=TABLE_COLUMNS_EN).rename(columns=lambda c: t(c))


TABLE_COLUMNS_EN = [N_("Date"), N_("Project"), N_("Event"), N_("Type"), N_("Status after"),
                    N_("Figures and disagreements"), N_("What happened"), N_("Source"), N_("More sources")]

ALT = N_("Timeline of {n} events by project, from {start} to {end}, with the status each sets; "
         "the years {focus_start} to {focus_end} are drawn at full scale, earlier and later years compressed")


def render_timeline(ds, as_of: date | None, plants: pd.DataFrame | None = None) -> None:
    """The panel: heading, chart, what the colours and shapes mean, and the table of events.

    ``ds`` is the Dataset; ``plants`` (default ``ds.plants``) must name every plant the events are about."""
    import streamlit as st

    plants = ds.plants if plants is None else plants
    st.header(t("What happened when"))
    if ds.events.empty:
        st.info(t("No events could be read from events.csv."))
        return
    spec = timeline_spec(ds.events, plants, ds.partners, as_of)
    first, last = ds.events["day"].min(), ds.events["day"].max()
    st.vega_lite_chart(spec=spec, width="stretch",
                       alt=t(ALT, n=number(len(ds.events)), start=first.year, end=last.year,
                             focus_start=FOCUS[0].year, focus_end=FOCUS[1].year - 1))
    st.caption(md(t(
        "Colour: the status the event sets for the project (grey: none). Shape: the kind of event; hollow: planned, "
        "not yet happened. Pale: after the as-of date. The shaded bands are compressed in time; hover a point for "
        "its exact date, figures and where sources disagree.")))
    st.dataframe(events_table(ds.events, plants, ds.partners), hide_index=True, width="stretch",
                 column_config={
                     t("Source"): st.column_config.LinkColumn(t("Source"), display_text=r"https?://(?:www\.)?([^/]+)"),
                     t("More sources"): st.column_config.ListColumn(t("More sources")),
                 })
