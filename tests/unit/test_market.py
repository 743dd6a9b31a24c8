"""The market panel: one card per measure, figures as the sources word them, disagreements said,
and what the plants shown add in its own unit (medicines), never as a share."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import jsonschema
import pandas as pd
import pytest
from altair.vegalite.v6.schema.core import load_schema

from components.market import (
    SCOPE_CAVEAT,
    card_text,
    disagreements,
    group_cards,
    market_cards,
    same_measure_series,
    scope_addition,
    scope_text,
    series_specs,
)
from core.data import DEFAULT_DATA_DIR, load_dataset
from core.i18n import use

AS_OF = date(2026, 2, 23)
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def full():
    """Every bundled row (the session ``ds`` may hold only the default plants)."""
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def cards(full):
    return {c.measure_id: c for c in market_cards(full.market, AS_OF)}


@pytest.fixture(autouse=True)
def english_after():
    yield
    use("en")


def unescaped(markdown: str, char: str) -> bool:
    """Whether ``char`` occurs in ``markdown`` without the backslash of components.text.md."""
    return re.search(r"(?<!\\)" + re.escape(char), markdown) is not None


@pytest.mark.parametrize(("measure_id", "headline", "value", "qualifier"), [
    ("domestic_share_2023", "14.4 %", "14.4 %", ""),
    ("domestic_share_2024", "15.1 %", "15.1 %", ""),
    ("domestic_share_ceiling_2026", "at most 20–25 %", "20–25 %", "at most"),
    ("foreign_share_2021", "85.2 %", "85.2 %", ""),
    ("who_eml_local_count", "107 of 285", "107 of 285", ""),
    ("who_eml_local_share", "37 %", "37 %", ""),
    ("who_eml_to_localise", "178 medicines", "178 medicines", ""),
    ("target_share_2029", "50 %", "50 %", ""),
    ("target_procurement_2026", "50 %", "50 %", ""),
    ("market_size_2023", "about US$2 bn", "US$2 bn", "about"),
    ("imports_h1_2024_value", "US$1.06 bn", "US$1.06 bn", ""),
    ("imports_h1_2024_tonnes", "18,900 t", "18,900 t", ""),
    ("imports_h1_2024_share_de", "16 %", "16 %", ""),
    ("production_2024", "171.6 bn KZT", "171.6 bn KZT", ""),
    ("manufacturers_2025", "207 companies", "207 companies", ""),
    ("pharma_investment_latest", "US$87 M", "US$87 M", ""),
])
def test_each_figure_reads_as_the_source_words_it(cards, measure_id, headline, value, qualifier):
    card = cards[measure_id]
    assert (card.headline, card.value, card.qualifier) == (headline, value, qualifier)


def test_units_the_figure_alone_does_not_say(cards):
    assert cards["who_eml_local_count"].unit_label == "medicines"
    assert cards["imports_h1_2024_share_in"].unit_label == "of the value of imports"
    assert cards["imports_h1_2024_tonnes"].unit_label == "tonnes"
    assert cards["domestic_share_2024"].unit_label == ""


def test_one_card_per_measure_never_combined(full):
    """No card or group merges rows: one card per row, each with exactly one measure_id, in the file's order."""
    out = market_cards(full.market)
    assert [c.measure_id for c in out] == full.market["measure_id"].tolist()
    assert len(out) == 25
    for card, (_, row) in zip(out, full.market.iterrows(), strict=True):
        assert (card.title, card.definition, card.period) == (row["measure"], row["definition"], row["period"])
        assert card.sources == tuple(row["source"].split(";"))
    grouped = [c.measure_id for *_, group in group_cards(out) for c in group]
    assert sorted(grouped) == sorted(full.market["measure_id"])  # every card in exactly one group


def test_groups(cards):
    groups = {code: [c.measure_id for c in group] for code, _, _, group in group_cards(list(cards.values()))}
    assert list(groups) == ["shares", "statements", "targets", "who", "imports", "procurement", "context"]
    assert groups["shares"] == ["domestic_share_2023", "domestic_share_2024", "foreign_share_2021"]
    assert groups["statements"] == ["domestic_share_ceiling_2026"]
    assert groups["targets"] == ["target_share_2025_plan", "target_share_2025_address", "target_share_2029",
                                 "target_procurement_2023", "target_procurement_2026"]
    assert groups["who"] == ["who_eml_local_count", "who_eml_local_share", "who_eml_to_localise"]
    assert groups["imports"] == ["imports_h1_2024_value", "imports_h1_2024_tonnes", "imports_h1_2024_share_de",
                                 "imports_h1_2024_share_in", "imports_h1_2024_share_it", "imports_h1_2024_share_ru"]
    assert groups["procurement"] == ["procurement_share_2020", "procurement_share_2021"]


def test_procurement_target_says_it_is_another_measure(cards):
    market = cards["target_share_2029"].measure
    procurement = cards["target_procurement_2026"].measure
    assert market == "Measure: a share of the pharmaceutical market"
    assert procurement == "Measure: share of state purchases through the single distributor (SK-Pharmacy)"
    assert "A different measure from the market share" in cards["target_procurement_2026"].definition
    assert cards["who_eml_local_share"].measure.endswith("(a count, not a market share)")


def test_kinds(cards):
    assert {k: cards[k].kind_label for k in ("domestic_share_2024", "domestic_share_ceiling_2026",
                                             "target_share_2029")} == {
        "domestic_share_2024": "actual figure", "domestic_share_ceiling_2026": "statement",
        "target_share_2029": "target"}


def test_deadlines_passed_by_the_data_date(full, cards):
    assert {k for k, c in cards.items() if c.deadline_passed} == {
        "target_share_2025_plan", "target_share_2025_address", "target_procurement_2023"}
    assert not any(c.deadline_passed for c in market_cards(full.market))  # no date, no claim
    assert cards["target_share_2025_plan"].note.startswith("Missed (derived)")


def test_disagreements_are_said(cards):
    flagged = [k for k, c in cards.items() if c.disagreement]
    assert flagged == ["domestic_share_2024", "domestic_share_ceiling_2026"]
    lines = disagreements(list(cards.values()))
    assert len(lines) == 2
    assert "20–25" in lines[0] and "15\\.1" in lines[1]
    text = card_text(cards["domestic_share_ceiling_2026"])
    assert text.note.startswith("**Sources disagree\\:**")
    assert card_text(cards["foreign_share_2021"]).note.startswith("Note\\:")


def test_card_text(cards):
    text = card_text(cards["domestic_share_ceiling_2026"])
    assert text.headline == "### at most 20–25 \\%"
    assert text.facts == "statement · period\\: latest \\(not stated\\) · stated 29 January 2026"
    assert text.sources == ("Sources\\: [kaz\\.inform\\.kz](https://kaz.inform.kz/news/dar-darmek-narigi-importka-"
                            "kanshalikti-taueld-efa4c7/)")
    assert card_text(cards["imports_h1_2024_value"]).facts == \
        "actual figure · period\\: first half of 2024 · stated 22 August 2024"
    assert card_text(cards["target_share_2025_plan"]).facts == \
        "target · period\\: 2025 · stated October 2020 · deadline passed"
    assert card_text(cards["production_2024"]).facts == \
        "actual figure · period\\: 2024 · date of statement not given"


def test_markup_in_the_csv_is_escaped(full):
    market = full.market.copy()
    market.loc[0, ["measure", "definition", "note"]] = [MARKUP, "[click](javascript:alert(1))", f"disagree {MARKUP}"]
    market.loc[0, "source"] = "javascript:alert(1);https://example.org/(x)"
    card = market_cards(market)[0]
    assert card.title == MARKUP  # kept as written: escaped where shown
    text = card_text(card)
    for markdown in (text.headline, text.title, text.facts, text.definition, text.note, *disagreements([card])):
        assert not unescaped(markdown, "<") and not unescaped(markdown, "[") and not unescaped(markdown, "(")
    assert "\\<img" in text.title
    assert "](javascript" not in text.sources
    assert "(https://example.org/%28x%29)" in text.sources


def test_escaping_with_a_real_render_of_the_title(full):
    card = replace(market_cards(full.market)[0], title=MARKUP)
    assert card_text(card).title == "**\\<img src\\=x onerror\\=alert\\(1\\)\\>**"


@pytest.mark.parametrize(("scopes", "plant_ids", "expected"), [
    (("approved_2026_01_22",), None, (356, "about")),  # MSP-ROMPHARM's 173 is derived
    (("approved_2026_01_22", "agreement"), None, (452, "about")),
    (("approved_2026_01_22", "agreement", "existing"), None, (452, "about")),  # existing plants add nothing
    (None, ["altinfarm", "khan-tengri"], (112, "exact")),
    (None, ["nobel-aff-existing"], (None, "exact")),
    (None, [], (None, "exact")),
])
def test_scope_addition(full, scopes, plant_ids, expected):
    plants = full.plants
    shown = plants[plants["scope"].isin(scopes)] if scopes else plants[plants["plant_id"].isin(plant_ids)]
    assert scope_addition(shown) == expected


def test_scope_addition_with_an_undisclosed_count_is_a_lower_bound(full):
    plants = full.plants[full.plants["plant_id"].isin(["altinfarm", "khan-tengri"])].copy()
    plants.loc[plants["plant_id"] == "khan-tengri", "medicines_count"] = pd.NA
    assert scope_addition(plants) == (54, "at_least")
    assert scope_text(plants)[0] == "at least 54 medicines"


def test_scope_text_keeps_its_caveat(full):
    value, caveat = scope_text(full.plants[full.plants["scope"] == "approved_2026_01_22"])
    assert value == "about 356 medicines"
    assert caveat == SCOPE_CAVEAT == ("medicines to be localised by the projects shown; not all are on the essential "
                                      "medicines list, and a count of medicines is not a market share")


def test_only_one_measure_over_time_shares_an_axis(full):
    """Charts hold actual figures of one definition and unit; statements and targets are never drawn."""
    series = same_measure_series(full.market)
    assert [s["measure_id"].tolist() for s in series] == [["domestic_share_2023", "domestic_share_2024"],
                                                          ["procurement_share_2020", "procurement_share_2021"]]
    for rows in series:
        assert (rows["definition"].nunique(), rows["unit"].nunique()) == (1, 1)
        assert set(rows["kind"]) == {"actual"}
    specs = series_specs(full.market)
    assert list(specs) == ["shares", "procurement"]
    shares = specs["shares"]
    values = shares["data"]["values"]
    assert [(v["period"], v["value"], v["label"]) for v in values] == [("2023", 14.4, "14.4 %"),
                                                                       ("2024", 15.1, "15.1 %")]
    assert shares["title"] == "Domestic producers' market share"
    assert shares["layer"][0]["encoding"]["x"]["scale"] == {"domain": [0, 100]}


def test_series_specs_are_valid_vega_lite(full):
    schema = load_schema()
    for spec in series_specs(full.market).values():
        jsonschema.validate(spec, schema)


def test_numbers_in_russian(full):
    use("ru")
    cards = {c.measure_id: c for c in market_cards(full.market)}
    assert cards["domestic_share_2024"].value == "15,1 %"
    assert cards["domestic_share_ceiling_2026"].value == "20–25 %"
    assert cards["imports_h1_2024_tonnes"].value.startswith("18\xa0900")


def _market_app(title: str | None = None) -> None:
    """The panel alone, on the bundled data (``title``: replaces the first measure's name)."""
    from dataclasses import replace

    from components.market import render_market
    from core.data import DEFAULT_DATA_DIR, load_dataset

    ds = load_dataset(DEFAULT_DATA_DIR)
    if title is not None:
        market = ds.market.copy()
        market.loc[0, "measure"] = title
        ds = replace(ds, market=market)
    render_market(ds, ds.plants)


def test_render_market_smoke():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_market_app, default_timeout=30).run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Does this move the import share?"
    assert [(m.label, m.value) for m in at.metric] == [("What the projects shown add", "about 452 medicines")]
    assert at.warning[0].value.startswith("**Sources disagree\\:**")
    headlines = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert len(headlines) == 25 and "### at most 20–25 \\%" in headlines


def test_render_market_escapes_markup():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_market_app, args=(MARKUP,), default_timeout=30).run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown if "img" in m.value]
    assert shown == ["**\\<img src\\=x onerror\\=alert\\(1\\)\\>**"]
