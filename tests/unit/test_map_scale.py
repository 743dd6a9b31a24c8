"""Structural, not timed: with 1,000 plants the map is one marker data layer with a small payload."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

from components.map import INLINE_MAX, build_base_map, build_map_data, build_plant_group
from core.assets import publish_json
from core.data import load_dataset
from core.domain import Filters, apply_filters
from scripts.synthetic import write_synthetic

N = 1000
BYTES_PER_PLANT = 60


@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    ds = load_dataset(write_synthetic(tmp_path_factory.mktemp("n1000"), N))
    assert ds.problems == [] and len(ds.plants) == N  # the generator writes valid data
    return ds


def all_elements(el):
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from all_elements(child)


def test_one_marker_layer_not_one_object_per_plant(thousand, tmp_path):
    data = build_map_data(thousand.plants, thousand.regions)
    urls = {k: url for k in ("core", "details", "regions") if (url := publish_json(getattr(data, k), tmp_path))}
    m = build_base_map(data, offline=True, urls=urls)
    shown = apply_filters(thousand.plants, Filters(areas=("oncology",)))
    build_plant_group(data, shown, "company", "Company").add_to(m)
    elements = list(all_elements(m))
    assert len(elements) < 15, "folium objects do not grow with the number of plants"
    html = m.get_root().render()
    assert html.count("PharmaMap.init(") == 1  # markers are built in map.js, in a loop over the data arrays
    assert "Synthetic plant 1" not in html  # per-plant texts are fetched, not in the page


def test_payload_per_plant_is_under_the_bound(thousand):
    data = build_map_data(thousand.plants, thousand.regions)
    core = len(json.dumps(data.core, separators=(",", ":")).encode())
    assert core > INLINE_MAX  # so the app publishes it as a cached file instead of inlining it
    shown = apply_filters(thousand.plants, Filters(areas=("oncology",)))
    group = build_plant_group(data, shown, "company", "Company")
    spec = json.dumps(cast(Any, next(iter(group._children.values()))).spec)
    per_plant = (core + len(spec)) / N
    assert per_plant <= BYTES_PER_PLANT, f"{per_plant:.1f} bytes per plant"
    # per rerun, only the visibility bitset grows with N: one bit per plant, base64
    assert len(json.dumps(cast(Any, next(iter(group._children.values()))).spec["mask"])) <= N / 6 + 8


def test_tooltip_texts_are_separate_and_escaped_in_the_browser(thousand):
    data = build_map_data(thousand.plants, thousand.regions)
    assert len(data.details["t"]) == N and len(data.details["id"]) == N
    assert set(data.details) == {"t", "id"}
