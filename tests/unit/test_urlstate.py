"""Links: codes and slugs in, the same view out; anything unknown is dropped and reported."""

from __future__ import annotations

import pytest

from core.urlstate import ViewState, parse_query, slug, to_query

AREAS = ["oncology", "diabetes", "cold"]
REGIONS = ["Almaty", "Almaty Region", "Turkistan Region"]
COMPANIES = ["AltINFARM", "Nobel Almaty Pharmaceutical Factory"]
PLANTS = ["altinfarm", "nobel-aff"]
BOUNDS = (36.0, 59.0)


def parse(**params):
    return parse_query({k: v if isinstance(v, list) else [v] for k, v in params.items()}, AREAS, REGIONS,
                       COMPANIES, PLANTS, BOUNDS)


@pytest.mark.parametrize("params,field,expected", [
    ({"area": "oncology"}, "areas", ("oncology",)),
    ({"area": ["oncology", "diabetes"]}, "areas", ("oncology", "diabetes")),
    ({"area": ["oncology", "oncology"]}, "areas", ("oncology",)),
    ({"region": "almaty-region"}, "regions", ("Almaty Region",)),
    ({"company": "nobel-almaty-pharmaceutical-factory"}, "companies", ("Nobel Almaty Pharmaceutical Factory",)),
    ({"inv": "39-40"}, "investment", (39.0, 40.0)),
    ({"inv": "0-1000"}, "investment", None),  # the whole range is no filter
    ({"colour": "country"}, "colour", "country"),
    ({"plant": "nobel-aff"}, "plant", "nobel-aff"),
    ({"currency": "USD"}, "currency", "USD"),
    ({"tab": "sources"}, "tab", "sources"),
])
def test_good_values(params, field, expected):
    state = parse(**params)
    assert getattr(state, field) == expected
    assert state.dropped == ()


@pytest.mark.parametrize("params,dropped", [
    ({"area": ["oncology", "cardiology"]}, ("area=cardiology",)),
    ({"area": "Oncology"}, ("area=Oncology",)),  # display text is not a code
    ({"region": "Almaty"}, ("region=Almaty",)),
    ({"inv": "lots"}, ("inv=lots",)),
    ({"inv": "50-40"}, ("inv=50-40",)),
    ({"colour": "red"}, ("colour=red",)),
    ({"plant": "<script>"}, ("plant=<script>",)),
    ({"currency": "BTC"}, ("currency=BTC",)),
    ({"tab": "map", "currency": ["USD", "EUR"]}, ("currency=EUR",)),
])
def test_bad_values_are_dropped_and_reported(params, dropped):
    state = parse(**params)
    assert state.dropped == dropped


def test_round_trip():
    state = ViewState(areas=("oncology", "diabetes"), regions=("Almaty Region",), companies=("AltINFARM",),
                      investment=(39.0, 40.5), colour="focus", plant="altinfarm", currency="EUR", tab="table")
    query = to_query(state)
    assert query["area"] == ["oncology", "diabetes"] and query["region"] == ["almaty-region"]
    assert parse(**query) == state


@pytest.mark.parametrize("value,index", [("1", 0), ("2", 1), ("7", 6), ("0", -1), ("99", 98)])
def test_the_links_step_counts_from_one(value, index):
    """step=n is the page's "step n of …": index n - 1; step=0 gives -1, which the tour says it lacks."""
    state = parse(view="present", step=value)
    assert (state.step, state.dropped) == (index, ())


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "100000"])
def test_a_malformed_step_is_dropped(value):
    state = parse(view="present", step=value)
    assert (state.step, state.dropped) == (0, (f"step={value}",))


def test_the_step_and_projector_go_into_the_link_in_presentation_mode_only():
    assert to_query(ViewState(present=True, step=1, projector=True)) == {"view": "present", "step": "2",
                                                                          "projector": "1"}
    assert to_query(ViewState(present=True, step=0)) == {"view": "present"}  # the first step: no step in the link
    assert to_query(ViewState(step=3, projector=True)) == {}
    state = ViewState(present=True, step=4, projector=True)
    assert parse(**to_query(state)) == state
    assert parse(projector="yes").dropped == ("projector=yes",)


def test_defaults_make_an_empty_query():
    assert to_query(ViewState()) == {}


@pytest.mark.parametrize("text,expected", [("Almaty Region", "almaty-region"), ("Nobel İlaç", "nobel-ilac"),
                                           ("ТОО «АлтИНФАРМ»", "тоо-алтинфарм"), ("  A -- B ", "a-b")])
def test_slug(text, expected):
    assert slug(text) == expected
