"""The whole script under AppTest: widgets change KPIs and tables; broken data never raises."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import keys as K
from tests.conftest import set_cell

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_app(monkeypatch, data_dir: Path | None = None, query: dict | None = None,
            offline: str | None = "1") -> AppTest:
    """The app as a browser opens it, on ``data_dir`` or the bundled data, with ``query`` as its link;
    PHARMAMAP_OFFLINE set to ``offline`` (None: unset, the default online mode)."""
    if offline is None:
        monkeypatch.delenv("PHARMAMAP_OFFLINE", raising=False)
    else:
        monkeypatch.setenv("PHARMAMAP_OFFLINE", offline)
    if data_dir is not None:
        monkeypatch.setenv("PHARMAMAP_DATA_DIR", str(data_dir))
    else:
        monkeypatch.delenv("PHARMAMAP_DATA_DIR", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    """Markdown with the escapes of components/text.md removed: what the reader sees."""
    return re.sub(r"\\(.)", r"\1", markdown)


def qp(at: AppTest, key: str) -> list[str]:
    """A query parameter's values (AppTest keeps a lone value as a plain string)."""
    v = at.query_params.get(key, [])
    return [v] if isinstance(v, str) else list(v)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> str:
    return plain("\n".join(c.value for c in at.caption))


def charts(at: AppTest) -> dict[str, str]:
    """The side charts' SVG by chart name (components/charts.py draws them with st.markdown), character
    references resolved."""
    out = {}
    for m in at.markdown:
        found = re.search(r'class="ppm-chart" data-chart="([^"]+)"', m.value)
        if found:
            out[found.group(1)] = html.unescape(m.value)  # as the browser reads it
    return out


def table_rows(at: AppTest) -> int:
    """Rows of the Table tab's dataframe; opens that tab (tabs other than the map are lazy)."""
    at.session_state[K.TAB] = "Table"
    at.run()
    assert not at.exception, at.exception
    for df in at.dataframe:
        if "plant_id" in df.value.columns:
            return len(df.value)
    raise AssertionError("no plant table")


def test_runs_on_bundled_data(monkeypatch):
    at = run_app(monkeypatch)
    assert metrics(at) == {"Investment, KZT": "173.4 bn", "Medicines": "about 356",
                           "Socially significant": "at least 52",
                           "Jobs": "about 675", "Plants": "4"}
    text = captions(at)
    assert "Stated programme total: 173 bn" in text
    assert "incl. ≈ 173 derived for MSP-ROMPHARM" in text
    assert "not disclosed for Abdi Ibrahim Global Pharm" in text
    assert not at.error
    assert table_rows(at) == 4
    assert at.multiselect(key=K.AREA).label == "Therapeutic area"


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def test_one_run_draws_the_whole_page_as_the_link_says(monkeypatch):
    """Regression (a server restart lost the first input): there is no map-only first run any more."""
    at = run_app(monkeypatch, query={"area": "oncology", "currency": "USD"})
    assert metrics(at)["Plants"] == "1" and metrics(at)["Investment, USD"] == "≈ US$116.2 M"
    assert at.multiselect(key=K.AREA).value == ["oncology"]
    assert at.segmented_control(key=K.CURRENCY).value == "USD"
    assert list(charts(at)) == ["Investment", "Medicines", "Jobs", "Therapeutic areas"]
    assert qp(at, "area") == ["oncology"]
    assert '"ping"' not in map_args(at)["feature_group"]


def test_a_presentation_link(monkeypatch):
    at = run_app(monkeypatch, query={"view": "present", "step": "2"})  # counted from 1, as on the page
    body = plain("\n".join([m.value for m in at.markdown] + [h.proto.body for h in at.html]))
    assert "step 2 of 7" in body and "## AltINFARM" in body and "58.5 bn KZT" in body  # the card beside the map
    assert "43.2775" in map_args(at)["feature_group"]  # the map flies to AltINFARM
    assert '"projector": false' in map_args(at)["feature_group"]  # the card beside the map, none over it
    assert at.toggle(key=K.PRESENT).value is True and len(charts(at)) == 4
    assert qp(at, "step") == ["2"] and not at.toggle(key=K.PROJECTOR).value


def test_a_plants_step_shows_its_kpis_and_its_share(monkeypatch):
    at = run_app(monkeypatch, query={"view": "present", "step": "2"})
    assert metrics(at) == {"Investment, KZT": "58.5 bn", "Medicines": "54", "Socially significant": "35",
                           "Jobs": "about 60", "Plants": "1"}
    kpi_captions = captions(at).split("\n")[:5]  # the KPIs' caption lines, short on a shared screen
    assert kpi_captions == ["≈ US$116.2 M at 503.35 KZT/USD  ", "34% of the programme (173 bn)",
                            "15% of the programme (356)", "49% of the programme (72)",
                            "9% of the programme (about 675)"]
    at.button(key=K.TOUR_FIRST).click().run()  # the overview: the programme's
    assert metrics(at)["Investment, KZT"] == "173.4 bn" and metrics(at)["Plants"] == "4"
    assert "of the programme" not in captions(at)


@pytest.mark.parametrize("step", ["0", "8", "99"])
def test_a_step_the_tour_lacks_is_said_and_the_tour_starts_at_the_first(monkeypatch, step):
    at = run_app(monkeypatch, query={"view": "present", "step": step})
    assert f"No step {step} in this tour of 7 steps: showing the first." in captions(at)
    assert "step 1 of 7" in "\n".join(h.proto.body for h in at.html) and "step" not in at.query_params
    at.button(key=K.TOUR_NEXT).click().run()
    assert "No step" not in captions(at) and qp(at, "step") == ["2"]


def test_the_projector_option_is_in_the_link(monkeypatch):
    at = run_app(monkeypatch, query={"view": "present", "projector": "1"})
    assert at.toggle(key=K.PROJECTOR).value is True and qp(at, "projector") == ["1"]
    assert '"projector": true' in map_args(at)["feature_group"]  # the map's regions and labels too
    at.toggle(key=K.PROJECTOR).set_value(False).run()
    assert "projector" not in at.query_params
    at.toggle(key=K.PROJECTOR).set_value(True).run()
    at.button(key=K.TOUR_EXIT).click().run()
    assert "projector" not in at.query_params and "view" not in at.query_params


def test_oncology_gives_altinfarms_kpis(monkeypatch):
    at = run_app(monkeypatch)
    at.multiselect(key=K.AREA).select("oncology").run()
    assert not at.exception
    assert metrics(at) == {"Investment, KZT": "58.5 bn", "Medicines": "54", "Socially significant": "35",
                           "Jobs": "about 60", "Plants": "1"}
    assert "34% of the stated programme total (173 bn)" in captions(at)
    assert table_rows(at) == 1


def test_programme_level_area_explains_the_empty_map(monkeypatch):
    at = run_app(monkeypatch)
    at.multiselect(key=K.AREA).select("cold").run()
    assert metrics(at)["Plants"] == "0"
    infos = " ".join(i.value for i in at.info)
    assert "no source attributes" in infos and "Cold remedies" in infos
    assert any("No plant matches" in w.value for w in at.warning)


def test_region_company_and_range_filters(monkeypatch):
    at = run_app(monkeypatch)
    at.multiselect(key=K.REGION).select("Almaty").run()
    assert metrics(at)["Plants"] == "2"
    at.multiselect(key=K.COMPANY).select("AltINFARM").run()
    assert metrics(at)["Plants"] == "1"
    at.button(key=K.FILTER_RESET).click().run()
    assert metrics(at)["Plants"] == "4"
    at.slider(key=K.INVESTMENT).set_value((39.0, 40.0)).run()
    assert metrics(at)["Plants"] == "2" and metrics(at)["Investment, KZT"] == "78.2 bn"


def test_detail_card_shows_every_field(monkeypatch):
    at = run_app(monkeypatch)
    at.selectbox(key=K.DETAIL).set_value("msp-rompharm").run()
    body = plain("\n".join(m.value for m in at.markdown))
    for words in ("Site known to", "approximate: zone named", "Point drawn", "approximate: the city's centre",
                  "≈ 173 (derived)", "≈ 265 (derived)", "Socially significant", "Sources of the location",
                  "not disclosed", "Sources:", "[turanews.kz](https://turanews.kz/"):
        assert words in body, words


def test_colour_by_changes_chart_legend(monkeypatch):
    at = run_app(monkeypatch)
    at.selectbox(key=K.COLOUR).set_value("Partner country").run()
    assert not at.exception
    investment = charts(at)["Investment"]
    # the legend is shown for countries (by company, the bars' own labels name each colour)
    assert '>Partner country</text>' in investment and '>China</text>' in investment


def test_broken_data_folder_shows_errors_not_a_traceback(monkeypatch, data_dir):
    set_cell(data_dir / "plants.csv", 1, "lat", "north")
    (data_dir / "regions.geojson").write_text("{broken", encoding="utf-8")
    at = run_app(monkeypatch, data_dir)
    assert at.error and "Problems found in the data" in at.error[0].value
    assert "1 of 9 plant rows were left out" in at.error[0].value
    problems = next(df.value for df in at.dataframe if "fix" in df.value.columns)
    assert {"plants.csv", "regions.geojson"} <= set(problems["file"])
    row = problems[problems["column"] == "lat"].iloc[0]
    assert row["row"] == 3 and row["value"] == "north"
    assert metrics(at)["Plants"] == "3"
    assert any("Region boundaries are unavailable" in w.value for w in at.warning)


def test_empty_data_folder(monkeypatch, tmp_path):
    missing = tmp_path / "missing"
    at = run_app(monkeypatch, missing)
    assert len(at.error) == 1 and at.error[0].value.startswith("Problems found in the data: 12 (")
    problems = next(df.value for df in at.dataframe if "fix" in df.value.columns)
    assert problems.loc[0, "file"] == str(missing) and problems.loc[0, "problem"] == "the data folder does not exist"
    assert sorted(problems["file"][1:]) == ["countries.geojson", "events.csv", "fx_rates.csv", "market.csv",
                                            "partners.csv", "plants.csv", "programme.csv", "programme_facts.csv",
                                            "provenance.csv", "regions.geojson", "therapeutic_areas.csv"]
    assert any("No plant could be loaded" in w.value for w in at.warning)
    assert metrics(at)["Plants"] == "0"


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"])
def test_markup_in_names_is_escaped(monkeypatch, data_dir, name):
    set_cell(data_dir / "plants.csv", 0, "name", name)
    at = run_app(monkeypatch, data_dir)
    at.selectbox(key=K.DETAIL).set_value("altinfarm").run()
    body = "\n".join(m.value for m in at.markdown)
    assert name not in body  # never as live markup
    assert f"## {name}" in plain(body)  # but readable as text


def test_link_sets_the_view_and_the_view_sets_the_link(monkeypatch):
    at = run_app(monkeypatch, query={"area": ["oncology", "cardiology"], "colour": "country", "currency": "USD",
                                     "plant": "altinfarm"})
    assert at.multiselect(key=K.AREA).value == ["oncology"]
    assert at.selectbox(key=K.COLOUR).value == "Partner country"
    assert at.selectbox(key=K.DETAIL).value == "altinfarm"
    assert metrics(at)["Plants"] == "1"
    assert any("area=cardiology" in plain(c.value) for c in at.caption)  # dropped, with a notice
    # the URL now says exactly what is shown (the unknown value is gone)
    assert qp(at, "area") == ["oncology"]
    assert qp(at, "currency") == ["USD"] and qp(at, "plant") == ["altinfarm"]
    # and follows the widgets
    at.multiselect(key=K.AREA).select("diabetes").run()
    assert qp(at, "area") == ["oncology", "diabetes"]
    at.multiselect(key=K.REGION).select("Almaty Region").run()
    assert qp(at, "region") == ["almaty-region"]


def test_currency_switch_converts_with_the_rate_one_line_away(monkeypatch):
    at = run_app(monkeypatch)
    at.segmented_control(key=K.CURRENCY).set_value("USD").run()
    m = metrics(at)
    assert "Investment, USD" in m and m["Investment, USD"] == "≈ US$344.5 M"
    text = captions(at)
    assert "= 173.4 bn KZT at 503.35 KZT/USD (official rate, 2026-01-23)" in text
    assert "Programme total converted (derived): ≈ US$343.7 M" in text  # a conversion, not a stated figure
    investment = charts(at)["Investment"]
    assert "at 503.35 KZT/USD" in investment and '>US$ M</text>' in investment
    at.segmented_control(key=K.CURRENCY).set_value("EUR").run()
    # the EUR rate is a mid-point of exchange-office quotes (no official one was found): said so
    assert "= 173.4 bn KZT at 594.10 KZT/EUR (market, derived rate, 2026-01-22)" in captions(at)
    assert "market, derived rate of 2026-01-22" in plain(charts(at)["Investment"])


def test_presentation_tour_steps_through_every_plant(monkeypatch):
    at = run_app(monkeypatch, query={"view": "present"})
    assert at.toggle(key=K.PRESENT).value is True
    body = lambda: plain("\n".join([m.value for m in at.markdown] + [h.proto.body for h in at.html]))  # noqa: E731
    assert "step 1 of 7" in body() and "4 plants approved on 22 January 2026" in body()
    seen = []
    for _ in range(6):
        at.button(key=K.TOUR_NEXT).click().run()
        assert not at.exception
        seen.append(body())
    # largest investment first, then the summary; each card tells the story
    assert "## AltINFARM" in seen[0]
    assert "Partners: Sinopharm, Sinovac, Kangtai Biological Technology (China)" in seen[0]
    assert "## MSP-ROMPHARM" in seen[3] and "Not disclosed: socially significant medicines, therapeutic areas, " \
                                              "strategic partners" in seen[3]
    assert "Derived, not reported: number of medicines, jobs" in seen[3]
    # "Who we work with": the partners of the plants shown, and Algeria's offer of 22 December 2025
    assert "## Who we work with" in seen[4] and "step 6 of 7" in seen[4]
    assert "Saidal, talks on 22 December 2025" in seen[4] and "no agreement signed" in seen[4]
    assert "## Summary" in seen[5] and "step 7 of 7" in seen[5]
    assert at.button(key=K.TOUR_NEXT).disabled
    assert qp(at, "step") == ["7"] and qp(at, "view") == ["present"]
    at.button(key=K.TOUR_PREV).click().run()
    assert qp(at, "step") == ["6"]
    at.button(key=K.TOUR_EXIT).click().run()
    assert at.toggle(key=K.PRESENT).value is False and "view" not in at.query_params


def test_tour_highlights_the_plant_in_the_charts(monkeypatch):
    at = run_app(monkeypatch, query={"view": "present", "step": "3"})
    bars = re.findall(r'<rect [^>]*><title>Plant: ([^\n<]+)', charts(at)["Investment"])
    dimmed = re.findall(r'fill-opacity="0.25"><title>Plant: ([^\n<]+)', charts(at)["Investment"])
    assert len(bars) == 4 and dimmed == [b for b in bars if b != "Nobel Almaty Pharmaceutical Factory"]


@pytest.mark.parametrize("lang,title,label,value", [
    ("kk", "Қазақстанның мақұлданған төрт фармацевтикалық зауыты", "Емдеу саласы", "173,4 млрд"),
    ("ru", "Четыре одобренных фармацевтических завода Казахстана", "Терапевтическая область", "173,4 млрд"),
])
def test_language_from_the_link(monkeypatch, lang, title, label, value):
    at = run_app(monkeypatch, query={"lang": lang})
    assert at.title[0].value == title
    assert at.multiselect(key=K.AREA).label == label
    assert at.metric[0].value == value
    assert qp(at, "lang") == [lang]
    # (switching back is tested in the browser: AppTest cannot rerun a selectbox whose format_func
    # is not str, here the translated colour-by choices)


@pytest.mark.parametrize("scope,investment,caption,plants", [
    ("approved", "173.4 bn", "Stated programme total: 173 bn", "4"),
    # Khan Tengri's "more than 103 bn" makes the sum a lower bound; the stated six-agreement total is 316.3 bn
    ("six", "> 315.9 bn", "Stated programme total: 316.3 bn", "6"),
    # existing plants are drawn for context and never summed
    ("existing", "> 315.9 bn", "Stated programme total: 316.3 bn", "6"),
])
def test_scope_sets_the_kpis_and_their_targets(monkeypatch, scope, investment, caption, plants):
    at = run_app(monkeypatch, query={"scope": scope} if scope != "approved" else None)
    m = metrics(at)
    assert (m["Investment, KZT"], m["Plants"]) == (investment, plants)
    assert caption in captions(at)
    assert at.radio(key=K.SCOPE).value == scope
    if scope == "six":
        assert m["Jobs"] == "about 1,155" and "Stated programme total: more than 1,000" in captions(at)


def test_scope_control_changes_the_view_and_the_link(monkeypatch):
    at = run_app(monkeypatch)
    at.radio(key=K.SCOPE).set_value("six").run()
    assert metrics(at)["Plants"] == "6" and qp(at, "scope") == ["six"]
    assert at.title[0].value == "Kazakhstan's six pharmaceutical investment agreements"
    at.radio(key=K.SCOPE).set_value("approved").run()
    assert metrics(at)["Plants"] == "4" and "scope" not in at.query_params


def test_as_of_date_removes_and_restores_projects(monkeypatch):
    at = run_app(monkeypatch, query={"scope": "six"})
    at.date_input(key=K.AS_OF).set_value(date(2026, 1, 21)).run()
    # before the four resolutions of 22 Jan 2026 only Khan Tengri (approved 17 Sep 2025) and Chimpharm's
    # talks (June 2025) are in the programme
    assert metrics(at)["Plants"] == "2" and qp(at, "asof") == ["2026-01-21"]
    assert "Statuses as of 21 January 2026." in captions(at)
    at.date_input(key=K.AS_OF).set_value(date(2026, 1, 22)).run()
    assert metrics(at)["Plants"] == "6"
    at.date_input(key=K.AS_OF).set_value(None).run()
    assert metrics(at)["Plants"] == "6" and "asof" not in at.query_params


def test_nobel_card_shows_the_30_january_figures_beside_the_22_january_ones(monkeypatch):
    at = run_app(monkeypatch)
    at.selectbox(key=K.DETAIL).set_value("nobel-aff").run()
    body = plain("\n".join(m.value for m in at.markdown))
    assert "Investment:** 39.2 bn KZT" in body  # the 22 Jan resolution's figure stays the plant's figure
    assert "30 January 2026, Nobel signs its investment agreement (40 bn KZT): 40 bn KZT" in body
    assert "Status:** agreement signed" in body


def test_nothing_matching_shows_zeros_and_what_to_change(monkeypatch):
    at = run_app(monkeypatch, query={"area": "cold"})  # an area no source attributes to a plant
    assert metrics(at) == {"Investment, KZT": "0 bn", "Medicines": "0", "Socially significant": "0", "Jobs": "0",
                           "Plants": "0"}
    assert "not disclosed" not in " ".join(metrics(at).values())
    assert captions(at).count("No plant matches the filters.") == 1  # once, under the first figure
    assert any("Reset filters" in i.value for i in at.info)  # the charts say what to change
    at = run_app(monkeypatch, query={"area": "cold", "currency": "USD"})
    assert metrics(at) == {"Investment, USD": "US$0.0 M", "Medicines": "0", "Socially significant": "0",
                           "Jobs": "0", "Plants": "0"}


def test_a_large_table_is_paged(monkeypatch, tmp_path):
    from scripts.synthetic import write_synthetic

    at = run_app(monkeypatch, write_synthetic(tmp_path / "many", 1_200))
    assert table_rows(at) == 500  # one page of 500 rows, not all 1,200
    at.number_input(key=K.TABLE_PAGE).set_value(3).run()
    assert table_rows(at) == 200 and "Rows 1,001–1,200 of 1,200" in captions(at)


NOT_PROGRAMME = "Existing plants only (1): context, never added to a programme figure."


def test_an_existing_plants_step_shows_no_zeros_as_figures(monkeypatch):
    """The tour with the existing plants: an existing plant's step said 'Investment 0 bn … Plants 0' and 'No plant
    matches the filters.' next to that plant's card. Its figures are not programme figures: '—', and why."""
    at = run_app(monkeypatch, query={"view": "present", "scope": "existing", "step": "8"})
    assert "step 8 of 12" in "\n".join(h.proto.body for h in at.html)
    assert metrics(at) == {"Investment, KZT": "—", "Medicines": "—", "Socially significant": "—", "Jobs": "—",
                           "Plants": "—"}
    # in two short lines on the shared screen; the whole sentence in the help
    assert "Existing plants only (1)  \ncontext, not summed" in captions(at) and "No plant matches" not in captions(at)
    assert NOT_PROGRAMME in plain(at.metric[0].help)


def test_existing_plants_alone_in_the_explore_view_are_context_not_zero(monkeypatch):
    at = run_app(monkeypatch, query={"scope": "existing", "partner": "roche"})  # Roche: only Nobel's existing plant
    assert set(metrics(at).values()) == {"—"} and NOT_PROGRAMME in captions(at)
    assert "No plant matches" not in captions(at) and not at.warning
    assert any("Existing plants are context" in i.value for i in at.info)  # the charts say why they are empty
