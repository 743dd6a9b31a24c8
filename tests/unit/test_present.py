"""The presentation tour's steps, focus and story card (escaped: it is drawn as HTML over the map)."""

from __future__ import annotations

from components.present import focus_for, story_html, story_lines, tour_steps
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
    lines = story_lines(msp, ds.fx, "Turkistan Region")
    assert "Medicines: ≈ 173 (derived)" in lines
    assert "Not disclosed: socially significant medicines, therapeutic areas, strategic partners" in lines


def test_story_card_escapes_data_and_links_only_web_addresses(ds):
    plants = ds.plants.copy()
    plants.loc[0, "name"] = XSS
    plants.loc[0, "sources"] = "javascript:alert(1);https://turanews.kz/x"
    card = story_html("altinfarm", plants, compute_kpis(plants, ds.programme), ds.fx, "2026-01-22", ds.region_name)
    assert XSS not in card and "&lt;img src=x" in card
    assert "javascript:" not in card and 'href="https://turanews.kz/x"' in card
    summary = story_html("closing", plants, compute_kpis(plants, ds.programme), ds.fx, "2026-01-22", ds.region_name)
    assert summary.startswith("<h3>Summary</h3>") and "Investment: 173.4 bn KZT" in summary
