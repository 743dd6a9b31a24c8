"""The default (online) mode under AppTest: the same page as offline, plus a basemap from one tile host.

AppTest does not draw the map (NOTES.md), so it reaches no host: these tests read the map's script as
the app hands it to streamlit-folium. Drawing online, with the tile host answered or refused, is in
tests/e2e/test_online.py.
"""

from __future__ import annotations

import pytest
import xyzservices
from streamlit.testing.v1 import AppTest

from components.map import TILES
from tests.app.test_app import captions, charts, map_args, metrics, run_app

TILE_URL = xyzservices.providers.query_name(TILES).build_url()


def online_app(monkeypatch, offline_value: str | None = None) -> AppTest:
    """The page with PHARMAMAP_OFFLINE unset (or set to ``offline_value``)."""
    return run_app(monkeypatch, offline=offline_value)


def test_online_mode_shows_the_same_page_on_the_bundled_data(monkeypatch):
    at = online_app(monkeypatch)
    assert metrics(at) == {"Investment, KZT": "173.4 bn", "Medicines": "about 356",
                           "Socially significant": "at least 52",
                           "Jobs": "about 675", "Plants": "4"}
    text = captions(at)
    assert "Stated programme total: 173 bn" in text
    assert "incl. ≈ 173 derived for MSP-ROMPHARM" in text
    assert not at.error and not at.warning
    (component,) = at.get("component_instance")
    assert component.proto.component_name == "streamlit_folium.st_folium"
    assert len(charts(at)) == 4
    assert len(at.multiselect) == 3


@pytest.mark.parametrize("offline_value", [None, "", "0"])
def test_only_the_value_1_turns_the_basemap_off(monkeypatch, offline_value):
    script = map_args(online_app(monkeypatch, offline_value))["script"]
    assert script.count(TILE_URL) == 1
    assert "L.tileLayer(" in script


def test_offline_mode_sends_no_tile_layer(monkeypatch):
    script = map_args(online_app(monkeypatch, "1"))["script"]
    assert "L.tileLayer(" not in script
    assert TILE_URL.split("/")[2] not in script
