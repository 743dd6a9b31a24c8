"""The market panel: "Does this move the import share?"

Every measure of data/market.csv is a card of its own, with its definition, unit, period, date and
sources: a market share, a share of state purchases, a count of WHO essential medicines and the
value of imports are different things, so they are never drawn as one series or on one axis.
Where a note says that sources disagree, the panel says so above the cards and on the card.

What the plants shown add is given in its own unit (medicines to be localised), never as a share.

``market_cards``, ``group_cards``, ``scope_addition``, ``card_text`` and ``series_specs`` are pure;
``render_market`` draws with Streamlit. Text from the CSV stays English and is escaped (``md``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import cast

import pandas as pd

from components.charts import CONFIG, FONT, SCHEMA
from components.text import link, md
from core import fmt
from core.context import split
from core.dates import date_text, period_text
from core.i18n import N_, number, t

KINDS = {"actual": N_("actual figure"), "target": N_("target"), "statement": N_("statement")}
QUALIFIERS = {**fmt.QUALIFIERS, "more_than": N_("more than"), "at_most": N_("at most")}

# What each card measures: said on every card, so a target is only read against figures of its own measure
MEASURES = {
    "market_share": N_("Measure: a share of the pharmaceutical market"),
    "procurement_share": N_("Measure: share of state purchases through the single distributor (SK-Pharmacy)"),
    "who_list": N_("Measure: medicines on the WHO essential medicines list (a count, not a market share)"),
    "imports": N_("Measure: imports of medicines"),
    "other": N_("Measure: size of the market or the industry"),
}

# (code, heading, what the group is) in the order the panel shows them
GROUPS = (
    ("shares", N_("Market share: actual figures"),
     N_("Share of domestic (or foreign) producers in the whole pharmaceutical market, as the sources report it.")),
    ("statements", N_("Statements"),
     N_("What officials say, where the source does not state the measure or the period.")),
    ("targets", N_("Targets"),
     N_("Plans, not results. Each has its own measure and deadline: compare a target only with figures of the "
        "same measure.")),
    ("who", N_("WHO essential medicines made locally"),
     N_("A count of medicines on one list: not a share of the market.")),
    ("imports", N_("Imports"),
     N_("What Kazakhstan buys abroad, in money and in weight, and the top suppliers' shares of its value.")),
    ("procurement", N_("State purchases through the single distributor"),
     N_("Purchases by SK-Pharmacy only: a different measure from the market share, and far higher.")),
    ("context", N_("The market and the industry"),
     N_("Size of the market, output and firms: context, not a share.")),
)

SCOPE_CAVEAT = N_("medicines to be localised by the projects shown; not all are on the essential medicines list, "
                  "and a count of medicines is not a market share")

_OF_TOTAL = re.compile(r"^(?P<noun>[a-z ]+?) of (?P<total>\d+)$")
PERCENT = "{value} %"  # the same in the three languages: not a message
# unit in market.csv -> (how the value is written, what the unit is called); "{value}" is filled in
UNITS = {
    "%": (PERCENT, ""),
    "% of import value": (PERCENT, N_("of the value of imports")),
    "US$ bn": (N_("US${value} bn"), ""),
    "US$ M": (N_("US${value} M"), ""),
    "KZT bn": (N_("{value} bn KZT"), ""),
    "t": (N_("{value} t"), N_("tonnes")),
    "companies": (N_("{value} companies"), ""),
    "medicines": (N_("{value} medicines"), ""),
}
UNIT_NOUNS = {"medicines": N_("medicines")}


@dataclass(frozen=True)
class MarketCard:
    """One measure of market.csv, ready to show. Text from the CSV is kept as written (escape it to show it).

    ``value`` is the figure in its unit ("15.1 %", "20–25 %", "107 of 285", "US$1.06 bn");
    ``qualifier`` the words before it ("at most", "about"; empty when exact); ``headline`` both."""

    measure_id: str
    title: str
    value: str
    qualifier: str
    kind: str  # actual | target | statement
    kind_label: str
    period: str
    date: str  # when stated or published, at its precision; empty if not known
    definition: str
    sources: tuple[str, ...]
    note: str
    group: str
    measure: str  # the MEASURES label
    unit_label: str = ""
    derived: bool = False
    disagreement: bool = False  # the note says that sources disagree
    deadline_passed: bool = False  # a target whose period ended before the as-of date

    @property
    def headline(self) -> str:
        return f"{self.qualifier} {self.value}".strip()


def _decimals(value: float) -> int:
    """The decimals the CSV gives (15.1 -> 1, 1.06 -> 2, 18900 -> 0), at most 3."""
    text = format(value, ".10g")
    return min(len(text.split(".")[1]), 3) if "." in text and "e" not in text else 0


def value_text(value: float, value_high: float | None, unit: str) -> tuple[str, str]:
    """The figure in its unit, and what the unit is called when the figure alone does not say it."""
    low = number(value, _decimals(value))
    shown = low if value_high is None or pd.isna(value_high) else \
        f"{low}–{number(value_high, _decimals(value_high))}"
    of_total = _OF_TOTAL.match(unit)
    if of_total:
        noun = of_total.group("noun")
        return (t("{value} of {total}", value=shown, total=number(int(of_total.group("total")))),
                t(UNIT_NOUNS[noun]) if noun in UNIT_NOUNS else noun)
    if unit in UNITS:
        pattern, label = UNITS[unit]
        return t(pattern, value=shown), t(label) if label else ""
    return f"{shown} {unit}".strip(), ""


def group_of(measure_id: str, kind: str, unit: str) -> str:
    """Which group of the panel a measure belongs to (GROUPS)."""
    if measure_id.startswith("who_eml"):
        return "who"
    if measure_id.startswith("imports"):
        return "imports"
    if kind == "statement":
        return "statements"
    if kind == "target":
        return "targets"
    if "procurement" in measure_id:
        return "procurement"
    if unit == "%":
        return "shares"
    return "context"


def measure_of(measure_id: str, group: str, unit: str) -> str:
    if "procurement" in measure_id:
        return "procurement_share"
    if group == "who":
        return "who_list"
    if group == "imports":
        return "imports"
    if unit == "%":
        return "market_share"
    return "other"


def _period_end(period: str) -> date | None:
    """The last day of a period written as a year (``2025``); other periods: unknown."""
    return date(int(period), 12, 31) if re.fullmatch(r"\d{4}", period.strip()) else None


def market_cards(market: pd.DataFrame, as_of: date | None = None) -> list[MarketCard]:
    """One card per row of market.csv, in the file's order: never two measures in one card.

    ``as_of``: the data date; a target whose deadline year ended before it is marked ``deadline_passed``
    (whether it was met is the note's business: the measures behind the figures may differ)."""
    cards = []
    for r in market.to_dict(orient="records"):
        mid, kind, unit = str(r["measure_id"]), str(r["kind"]), str(r["unit"])
        high = float(r["value_high"])
        value, unit_label = value_text(float(r["value"]), None if math.isnan(high) else high, unit)
        group = group_of(mid, kind, unit)
        note = str(r["note"] or "")
        end = _period_end(str(r["period"]))
        cards.append(MarketCard(
            measure_id=mid, title=str(r["measure"]), value=value,
            qualifier=t(QUALIFIERS[str(r["qualifier"])]) if QUALIFIERS.get(str(r["qualifier"])) else "",
            kind=kind, kind_label=t(KINDS.get(kind, kind)), period=str(r["period"]), date=str(r["date"] or ""),
            definition=str(r["definition"]), sources=tuple(split(str(r["source"]))), note=note, group=group,
            measure=t(MEASURES[measure_of(mid, group, unit)]), unit_label=unit_label,
            derived=str(r["basis"]) == "derived", disagreement="disagree" in note.lower(),
            deadline_passed=group == "targets" and as_of is not None and end is not None and end < as_of,
        ))
    return cards


def group_cards(cards: list[MarketCard]) -> list[tuple[str, str, str, list[MarketCard]]]:
    """(code, heading, description, cards) for each group that has cards, in the GROUPS order."""
    return [(code, t(title), t(about), [c for c in cards if c.group == code])
            for code, title, about in GROUPS if any(c.group == code for c in cards)]


def scope_addition(shown_plants: pd.DataFrame) -> tuple[int | None, str]:
    """Medicines to be localised by the projects shown, and the qualifier of that sum.

    Existing plants (scope ``existing``) are context, not projects: left out. The qualifier is
    ``about`` if any part is derived, ``at_least`` if a project shown does not disclose its count,
    else ``exact``; the value is ``None`` when no project shown discloses one. The caveat that goes
    with it is ``SCOPE_CAVEAT`` (a count of medicines is not a market share)."""
    projects = cast(pd.DataFrame, shown_plants[shown_plants["scope"] != "existing"])
    counts = cast(pd.Series, projects["medicines_count"])
    known = counts.notna()
    if not bool(known.any()):
        return None, "exact"
    derived = (projects["basis_medicines_count"] == "derived") & known
    qualifier = "about" if bool(derived.any()) else "at_least" if not bool(known.all()) else "exact"
    return int(counts[known].sum()), qualifier


def scope_text(shown_plants: pd.DataFrame) -> tuple[str, str]:
    """Headline and caveat of what the plants shown add, in the current language."""
    value, qualifier = scope_addition(shown_plants)
    if value is None:
        return fmt.not_disclosed(), t(SCOPE_CAVEAT)
    return fmt.qualifier_word(qualifier) + t("{value} medicines", value=number(value)), t(SCOPE_CAVEAT)


@dataclass(frozen=True)
class CardText:
    """The Markdown a card shows, escaped: what ``render_market`` emits for it."""

    headline: str
    title: str
    facts: str
    definition: str
    note: str
    sources: str


def card_text(card: MarketCard) -> CardText:
    """Escaped Markdown for one card (pure, so the escaping is tested without Streamlit)."""
    when = t("stated {date}", date=date_text(card.date)) if card.date else t("date of statement not given")
    facts = [card.kind_label, t("period: {period}", period=period_text(card.period)), when]
    if card.unit_label:
        facts.insert(0, card.unit_label)
    if card.derived:
        facts.append(fmt.basis_word("derived"))
    if card.deadline_passed:
        facts.append(t("deadline passed"))
    note = ""
    if card.note:
        note = (f"**{md(t('Sources disagree:'))}** {md(card.note)}" if card.disagreement
                else f"{md(t('Note:'))} {md(card.note)}")
    return CardText(
        headline=f"### {md(card.headline)}",
        title=f"**{md(card.title)}**",
        facts=" · ".join(md(f) for f in facts),
        definition=f"{md(card.definition)}  \n*{md(card.measure)}*",
        note=note,
        sources=f"{md(t('Sources:'))} " + ", ".join(link(u) for u in card.sources) if card.sources else "",
    )


def disagreements(cards: list[MarketCard]) -> list[str]:
    """Escaped Markdown lines, one per card whose note says that sources disagree."""
    return [f"**{md(c.title)}**: {md(c.note)}" for c in cards if c.disagreement]


# ------------------------------------------------------------------ one measure over time

_TRAILING_YEAR = re.compile(r",?\s*\d{4}$")


def same_measure_series(market: pd.DataFrame) -> list[pd.DataFrame]:
    """Groups of actual figures of one and the same measure (same definition, same unit) for different
    years: the only figures that may share an axis. Statements and targets never do."""
    actual = market[(market["kind"] == "actual") & market["period"].astype(str).str.fullmatch(r"\d{4}")]
    out = []
    for _, rows in actual.groupby(["definition", "unit"], sort=False):
        rows = cast(pd.DataFrame, rows)
        if len(rows) >= 2 and bool(rows["period"].is_unique) and bool(rows["value_high"].isna().all()):
            out.append(rows.sort_values("period"))
    return out


def series_spec(rows: pd.DataFrame) -> dict:
    """Bars of one measure by year. Shares are drawn on 0–100 %, so a change looks its true size."""
    unit = str(rows["unit"].iloc[0])
    values = [{"period": str(p), "value": float(v), "label": value_text(float(v), None, unit)[0]}
              for p, v in zip(rows["period"], rows["value"], strict=True)]
    title = _TRAILING_YEAR.sub("", str(rows["measure"].iloc[0]))
    x: dict = {"field": "value", "type": "quantitative", "title": None if unit == "%" else unit}
    if unit == "%":
        x["scale"] = {"domain": [0, 100]}
        x["axis"] = {"values": [0, 25, 50, 75, 100], "labelExpr": "datum.label + ' %'"}
    y = {"field": "period", "type": "ordinal", "title": None}
    return {
        "$schema": SCHEMA, "title": title, "width": "container", "height": {"step": 26},
        "data": {"values": values}, "config": CONFIG,
        "layer": [
            {"mark": {"type": "bar", "color": "#0072B2"},
             "encoding": {"x": x, "y": y, "tooltip": [{"field": "period", "type": "ordinal", "title": t("Period")},
                                                      {"field": "label", "type": "nominal", "title": t("Value")}]}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": FONT},
             "encoding": {"x": {"field": "value", "type": "quantitative"}, "y": y,
                          "text": {"field": "label", "type": "nominal"}}},
        ],
    }


def series_specs(market: pd.DataFrame) -> dict[str, dict]:
    """``group code -> spec`` for the groups that have one measure over several years (the first one)."""
    out: dict[str, dict] = {}
    for rows in same_measure_series(market):
        first = rows.iloc[0]
        group = group_of(str(first["measure_id"]), str(first["kind"]), str(first["unit"]))
        out.setdefault(group, series_spec(rows))
    return out


# ------------------------------------------------------------------ Streamlit

COLUMNS = 3


def _render_card(card: MarketCard) -> None:
    import streamlit as st

    text = card_text(card)
    with st.container(border=True):
        st.markdown(text.headline)
        st.markdown(text.title)
        st.caption(text.facts)
        st.markdown(text.definition)
        if text.note:  # a disagreement is also listed in the box above the cards
            st.caption(text.note)
        if text.sources:
            st.caption(text.sources)


def render_market(ds, shown: pd.DataFrame) -> None:
    """The panel for the plants ``shown`` (the filtered plants of the page); ``ds`` is the Dataset."""
    import streamlit as st

    st.header(t("Does this move the import share?"))
    st.markdown(md(t(
        "Each figure below is a separate measure, with its own definition, unit, date and source: a share of "
        "the market, a share of state purchases and a count of medicines cannot be added up or drawn as one "
        "line. The projects shown add medicines, not percentage points.")))
    value, caveat = scope_text(shown)
    st.metric(t("What the projects shown add"), value)
    st.caption(md(caveat[:1].upper() + caveat[1:] + "."))
    as_of = getattr(ds, "facts", {}).get("data_as_of", "")
    try:
        as_of_day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        as_of_day = None
    cards = market_cards(ds.market, as_of_day)
    if not cards:
        st.info(t("No market figures could be read from market.csv."))
        return
    lines = disagreements(cards)
    if lines:
        st.warning(f"**{md(t('Sources disagree:'))}**\n\n" + "\n".join(f"- {line}" for line in lines))
    charts = series_specs(ds.market)
    for code, title, about, group in group_cards(cards):
        st.markdown(f"#### {md(title)}")
        st.caption(md(about))
        if code in charts:
            spec = charts[code]
            st.vega_lite_chart(spec=spec, width="stretch",
                               alt=t("Bar chart of one measure by year: {measure}", measure=spec["title"]))
        for start in range(0, len(group), COLUMNS):
            row = group[start:start + COLUMNS]
            for col, card in zip(st.columns(COLUMNS), row, strict=False):
                with col:
                    _render_card(card)
