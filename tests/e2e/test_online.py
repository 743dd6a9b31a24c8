"""End to end in the default (online) mode: the basemap's tiles come from one remote host.

The tests never reach that host: a route on the browser context (which sees the map iframe's requests
too) answers every request off 127.0.0.1 with a generated tile, or refuses it. Either way the app's
own content, regions and markers, must be drawn.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
import xyzservices
from PIL import Image
from playwright.sync_api import Route, expect

from components.map import TILES
from scripts.pages import COUNT_MARKERS, open_dashboard
from scripts.server import streamlit_server

TILE_URL = xyzservices.providers.query_name(TILES).build_url()
TILE_HOST = urlsplit(TILE_URL).hostname
TILE_PATTERN = re.compile(re.escape(TILE_URL).replace(r"\{z\}", r"\d+").replace(r"\{y\}", r"\d+")
                          .replace(r"\{x\}", r"\d+"))
LOCAL = ("127.0.0.1", "localhost")
REGIONS = 20  # first-level units in data/regions.geojson
COUNT_REGIONS = """() => { let n = 0;
  map.eachLayer(l => { if (l instanceof L.GeoJSON) n += l.getLayers().length; }); return n; }"""
TILES_IN_MAP = "() => Array.from(document.querySelectorAll('img.leaflet-tile'))"
# every tile the map asked for has finished, loaded or failed
TILES_SETTLED = f"() => {{ const t = ({TILES_IN_MAP})(); return t.length > 0 && t.every(i => i.complete); }}"
TILE_SIZES = f"() => ({TILES_IN_MAP})().map(i => [i.src, i.naturalWidth, i.naturalHeight])"


def tile_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 232, 232)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def online_url():
    # streamlit_server sets PHARMAMAP_OFFLINE=1 unless told otherwise; the app is offline only for "1"
    with streamlit_server(env={"PHARMAMAP_OFFLINE": ""}) as url:
        yield url


def route_off_host(context, answer: Callable[[Route], None]) -> list[str]:
    """Let the app's own requests through and hand every other one to ``answer``; return the URLs
    handed over (filled in as the page runs)."""
    handed: list[str] = []

    def handle(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
            return
        handed.append(route.request.url)
        answer(route)

    context.route("**/*", handle)
    return handed


def page_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def assert_app_whole(page, frame, errors: list[str]) -> None:
    """Regions, every marker, the charts that follow the map, and no error anywhere."""
    frame.wait_for_function(f"() => ({COUNT_REGIONS})() === {REGIONS}")
    assert frame.evaluate(COUNT_MARKERS) == 4
    expect(page.locator("svg.ppm-chart")).to_have_count(4)
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stAlertContentError").count() == 0
    assert errors == []
    assert page.dialogs == []


def test_tiles_come_from_the_basemap_host_only(page, online_url):
    errors = page_errors(page)
    tile = tile_png()
    handed = route_off_host(page.context, lambda r: r.fulfill(status=200, content_type="image/png", body=tile))
    frame = open_dashboard(page, online_url)
    assert_app_whole(page, frame, errors)
    frame.wait_for_function(TILES_SETTLED)
    tiles = frame.evaluate(TILE_SIZES)
    assert len(tiles) > 0
    assert [(w, h) for _, w, h in tiles] == [(256, 256)] * len(tiles), tiles  # every tile drawn from our PNG
    assert {src for src, _, _ in tiles} <= set(handed)
    # nothing but the app and the one tile host was asked for, and only for tiles of the basemap
    assert {urlsplit(u).hostname for u in handed} == {TILE_HOST}
    assert [u for u in handed if not TILE_PATTERN.fullmatch(u)] == []
    assert sorted(page.requests.off_host()) == sorted(handed)


def test_refused_tiles_leave_regions_and_markers_and_no_error(page, online_url):
    errors = page_errors(page)
    handed = route_off_host(page.context, lambda r: r.abort())
    frame = open_dashboard(page, online_url)
    assert_app_whole(page, frame, errors)
    frame.wait_for_function(TILES_SETTLED)
    tiles = frame.evaluate(TILE_SIZES)
    assert len(tiles) > 0 and [w for _, w, _ in tiles] == [0] * len(tiles)  # the map tried, and got nothing
    assert frame.evaluate(COUNT_MARKERS) == 4 and errors == []  # still, once every tile has failed
    assert {urlsplit(u).hostname for u in handed} == {TILE_HOST}
    assert sorted(page.requests.off_host()) == sorted(handed)


def test_hanging_tiles_do_not_hold_up_the_markers(page, online_url):
    """The tile host never answers (the network is down but requests hang): the map is usable on the
    vector basemap, its markers drawn within the normal wait, and the page does not wait for tiles."""
    errors = page_errors(page)
    hanging: list[Route] = []
    handed = route_off_host(page.context, hanging.append)  # never fulfilled, never aborted
    frame = open_dashboard(page, online_url)  # the normal waits: the whole page, then 4 markers
    assert_app_whole(page, frame, errors)
    assert frame.evaluate("() => document.querySelector('.leaflet-container').getAttribute('data-plants-drawn')") == "4"
    tiles = frame.evaluate(TILE_SIZES)
    assert len(tiles) > 0 and [w for _, w, _ in tiles] == [0] * len(tiles)  # asked for, none arrived
    assert len(hanging) == len(handed) > 0 and {urlsplit(u).hostname for u in handed} == {TILE_HOST}
