"""The presentation tour's steps, focus, story card and KPIs, and the selectors its CSS and keys.js use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.present import (
    CSS,
    MAP_FRAME,
    PROJECTOR_CSS,
    _css,
    focus_for,
    key_class,
    step_kpis,
    story_card,
    story_lines,
    tour_steps,
)
from components.text import md
from core import keys as K
from core.domain import compute_kpis

XSS = "<img src=x onerror=alert(1)>"


def test_steps_go_from_overview_through_plants_by_investment_to_summary(ds):
    assert tour_steps(ds.plants) == ["overview", "altinfarm", "nobel-aff", "abdi-ibrahim", "msp-rompharm",
                                     "closing"]


def test_focus(ds):
    assert focus_for("overview", ds.plants) == {"home": True}
    f = focus_for("abdi-ibrahim", ds.plants)
    assert (round(f["lat"], 4), round(f["lon"], 4), f["zoom"]) == (43.8778, 77.0678, 7)  # region precision


def test_story_says_what_is_not_disclosed_and_derived(ds):
    msp = ds.plants.set_index("plant_id").loc["msp-rompharm"].copy()
    msp["plant_id"] = "msp-rompharm"
    lines = story_lines(msp, "Turkistan Region")
    assert "Medicines: ≈ 173 (derived)" in lines
    assert "Not disclosed: socially significant medicines, therapeutic areas, strategic partners" in lines


def test_a_plants_card_leads_with_its_investment_and_links_only_web_addresses(ds):
    plants = ds.plants.copy()
    plants.loc[0, "sources"] = "javascript:alert(1);https://turanews.kz/x"
    card = story_card("altinfarm", plants, compute_kpis(plants, ds.programme), ds.fx, "2026-01-22", ds.region_name)
    assert (card.title, card.figure_label, card.figure) == ("AltINFARM", "Investment", "58.5 bn KZT")
    assert card.figure_note.startswith("≈ US$116.2 M at 503.35 KZT/USD")
    assert not any(line.startswith("Investment") for line in card.lines)  # the key figure is not said twice
    assert card.urls == ["https://turanews.kz/x"]


def test_a_card_is_plain_text_escaped_where_drawn(ds):
    plants = ds.plants.copy()
    plants.loc[0, "name"] = XSS
    card = story_card("altinfarm", plants, compute_kpis(plants, ds.programme), ds.fx, "2026-01-22", ds.region_name)
    assert card.title == XSS  # render_card writes every text through md(): no markup survives
    assert not re.search(r"(?<!\\)[<>]", md(card.title))


def test_overview_and_summary_cards_give_the_programme(ds):
    kpis = compute_kpis(ds.plants, ds.programme)
    overview = story_card("overview", ds.plants, kpis, ds.fx, "2026-01-22", ds.region_name)
    assert overview.title == "4 plants approved on 22 January 2026" and overview.figure == "173.4 bn KZT"
    assert overview.figure_note == "Stated programme total: 173 bn KZT"
    summary = story_card("closing", ds.plants, kpis, ds.fx, "2026-01-22", ds.region_name)
    assert summary.title == "Summary" and summary.figure == "173.4 bn KZT" and summary.urls == []
    assert any(line.startswith("New jobs: about 675") for line in summary.lines)


def test_the_overview_of_a_wider_scope_claims_no_single_approval_date(ds_all):
    """With the other agreements and the existing plants, "9 plants approved on 22 January 2026" was false:
    their statuses say what they are."""
    plants = ds_all.scope_plants("existing")
    kpis = compute_kpis(plants, ds_all.programme, "existing")
    overview = story_card("overview", plants, kpis, ds_all.fx, "2026-01-22", ds_all.region_name)
    assert overview.title == "Plants on the map: 9"
    assert overview.lines[1] == "By status: approved 5, agreement signed 1, operating 3"


def test_a_plants_step_gives_its_kpis_with_its_share_of_the_programme(ds):
    kpis = step_kpis("altinfarm", ds.plants, ds.programme, "approved")
    assert kpis is not None and kpis.investment.value == 58.5 and kpis.plants.n_plants == 1
    assert kpis.investment.share == pytest.approx(58.5 / 173) and kpis.investment.programme_total == 173
    assert step_kpis("overview", ds.plants, ds.programme, "approved") is None
    assert step_kpis("closing", ds.plants, ds.programme, "approved") is None


def test_css_names_the_keyed_containers_as_streamlit_does():
    assert key_class(K.TOUR_NEXT) == "st-key-tour-next" and key_class(K.TOUR_CARD) == "st-key-tour-card"
    css = _css(CSS + PROJECTOR_CSS)
    assert ".st-key-tour-card" in css and ".st-key-tour-kpis" in css and ".st-key-tour-bar" in css
    assert not re.search(r"\.(BAR|KPIS|CARD|FIGURE|KEYS)\b|MAP_FRAME", css)  # every placeholder filled
    assert f"{MAP_FRAME} {{height: calc(100vh - var(--ppm-top)) !important" in css


def test_keys_js_states_its_contract():
    source = (Path(__file__).resolve().parents[2] / "static" / "pharmamap" / "keys.js").read_text(encoding="utf-8")
    head = source[:source.index("(function")]
    for attribute in ("data-next", "data-prev", "data-first", "data-exit", "data-fit"):
        assert attribute in head
    for key in ("ArrowRight", "PageDown", "Space", "ArrowLeft", "PageUp", "Home", "Escape"):
        assert key in head
    # and the code does what the head says (the browser tests press each key)
    block = re.search(r"var ACTIONS = \{(.*?)\};", source, flags=re.S)
    assert block is not None
    actions = dict(re.findall(r"(\w+|' '): '(\w+)'", block.group(1)))
    assert actions == {"ArrowRight": "next", "PageDown": "next", "' '": "next", "ArrowLeft": "prev",
                       "PageUp": "prev", "Home": "first", "Escape": "exit"}


def test_an_existing_plants_card_says_not_applicable_not_not_disclosed(ds_all):
    """An existing plant has no programme investment, medicines or jobs (provenance: not_applicable); 'not
    disclosed' would say a source is missing."""
    plants = ds_all.scope_plants("existing")
    card = story_card("nobel-aff-existing", plants, compute_kpis(plants, ds_all.programme, "existing"), ds_all.fx,
                      "2026-01-22", ds_all.region_name)
    assert card.figure == "not applicable" and card.figure_note == ""
    assert "Medicines: not applicable" in card.lines and "Jobs: not applicable" in card.lines
    assert not any("not disclosed" in line for line in card.lines)
