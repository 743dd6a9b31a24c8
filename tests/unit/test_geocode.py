"""The geocoder (core/geocode.py): gazetteer, viewbox, cache, diff, rate limiter (fake clock), and the
Nominatim path against a fake Nominatim on 127.0.0.1 (never the real service)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from core import geocode
from core.data import DEFAULT_DATA_DIR, REGION_TOLERANCE_KM, km_outside, load_regions, region_shapes
from core.distances import centre_of
from core.problems import Problem

PLACES_PATH = DEFAULT_DATA_DIR / geocode.PLACES


@pytest.fixture(scope="module")
def shapes():
    return region_shapes(load_regions(DEFAULT_DATA_DIR / "regions.geojson", []))


@pytest.fixture(scope="module")
def places(shapes):
    problems: list[Problem] = []
    out = geocode.load_places(PLACES_PATH, problems, list(shapes))
    assert problems == []
    return out


class FakeClock:
    """A clock that moves only when the code under test sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.t = 100.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.t += seconds


# --------------------------------------------------------------------------- gazetteer


def test_every_place_lies_in_its_region_and_every_region_has_a_centre(places, shapes):
    assert len(places) == 25
    for p in places:
        assert km_outside(shapes[p.region], p.lat, p.lon) <= REGION_TOLERANCE_KM, p.place_id
    assert sorted(r for r in shapes if centre_of(places, r) is None) == []
    konaev = centre_of(places, "Almaty Region")
    assert konaev is not None and (konaev.name, konaev.lat, konaev.lon) == ("Konaev", 43.86681, 77.06304)
    almaty = centre_of(places, "Almaty")
    assert almaty is not None and (almaty.lat, almaty.lon) == (43.2775, 76.89583)  # the point plants.csv draws


@pytest.mark.parametrize(("site", "region", "expected"), [
    ("Ili district, Almaty Region (plot not given)", "Almaty Region", ("Otegen Batyr", "district")),
    ("Илийский район", "Almaty Region", ("Otegen Batyr", "district")),
    ("TURAN SEZ, Turkistan Region (subzone not disclosed)", "Turkistan Region", ("TURAN SEZ", "zone")),
    ("TURAN SEZ, Kentau subzone", "Turkistan Region", ("TURAN SEZ Kentau subzone", "city")),
    ("Innovation Technology Park SEZ, Alatau settlement, Medeu district", "Almaty",
     ("Innovation Technology Park SEZ", "city")),
    ("Almaty (plot not disclosed)", "Almaty", ("Almaty", "city")),
    ("Almaty Region (district and site not disclosed)", "Almaty Region", None),  # not Almaty city
    ("Shymkent", "Almaty Region", None),  # a place of another region is never proposed
])
def test_gazetteer_match(places, shapes, site, region, expected):
    p = geocode.match_gazetteer(site, region, places, list(shapes))
    assert (None if p is None else (p.place, p.precision)) == expected


def test_bad_gazetteer_rows_are_named_and_left_out(tmp_path):
    text = PLACES_PATH.read_text(encoding="utf-8").splitlines()
    header, good = text[0], text[1]
    bad = [good.replace("almaty,Almaty", "x1,X", 1).replace("43.27750", "12.5"),
           good.replace("almaty,Almaty", "x2,X", 1).replace(",city,Almaty,", ",village,Almaty,"),
           good.replace("almaty,Almaty", "x3,X", 1).replace("https://simple.wikipedia.org/wiki/Almaty", "wiki"),
           good]
    path = tmp_path / "places.csv"
    path.write_text("\n".join([header, good, *bad]) + "\n", encoding="utf-8")
    problems: list[Problem] = []
    out = geocode.load_places(path, problems, ["Almaty"])
    assert [p.place_id for p in out] == ["almaty"]
    assert [(p.row, p.column) for p in problems] == [(3, "lat"), (4, "kind"), (5, "source"), (6, "place_id")]


def test_viewbox_is_the_region_bounds_with_a_margin(shapes):
    west, south, east, north = shapes["Almaty"].bounds
    box = geocode.viewbox(shapes["Almaty"])
    assert box == [(round(south - 0.05, 4), round(west - 0.05, 4)), (round(north + 0.05, 4), round(east + 0.05, 4))]
    assert 42.9 < box[0][0] < 43.0 and 77.0 < box[1][1] < 77.3


@pytest.mark.parametrize(("site", "query"), [
    ("Alatau SEZ (ex-G4 City), Almaty Region (plot not disclosed)", "Alatau SEZ, Almaty Region"),
    ("Almaty (plot not disclosed)", "Almaty"),  # the site names the region: not repeated
    ("", "Almaty Region"),
])
def test_query_text(site, query):
    region = "Almaty" if query == "Almaty" else "Almaty Region"
    assert geocode.query_text(site, region) == query


# --------------------------------------------------------------------------- cache, diff, rate limiter


def test_cache_round_trip_and_a_broken_cache(tmp_path):
    path = tmp_path / "sub" / "cache.json"
    cache = geocode.Cache.load(path)
    assert cache.answers == {} and cache.problem == ""
    cache.answers["k"] = {"lat": "43.4", "lon": "77.0"}
    cache.save()
    assert geocode.Cache.load(path).answers == {"k": {"lat": "43.4", "lon": "77.0"}}
    path.write_text("{not json", encoding="utf-8")
    broken = geocode.Cache.load(path)
    assert broken.answers == {} and broken.problem.startswith(f"{path}: the cache cannot be read")


def test_diff_is_readable_and_formula_safe():
    r = geocode.RowResult(2, "=cmd|x", "Almaty", (43.2775, 76.89583), (43.3, 76.9), "city", "https://a.example/",
                          "Almaty", "gazetteer", "changed", ["a | b"])
    frame = geocode.diff_frame([r])
    assert frame.iloc[0].tolist() == [2, "'=cmd|x", "Almaty", "43.27750, 76.89583", "43.30000, 76.90000", "city",
                                      "https://a.example/", "Almaty (gazetteer)", "changed", "a | b"]
    md = geocode.diff_markdown([r]).splitlines()
    assert md[0] == "| " + " | ".join(geocode.DIFF_COLUMNS) + " |"
    assert md[2].startswith("| 2 | '=cmd\\|x | Almaty | 43.27750, 76.89583 |") and md[2].endswith("| a \\| b |")


def test_rate_limiter_spaces_calls_by_one_second_on_a_fake_clock():
    clock = FakeClock()
    calls: list[float] = []
    limited = geocode.ClockedRateLimiter(lambda: calls.append(clock.now()), min_delay_seconds=1.0,
                                         clock=clock.now, sleep=clock.sleep)
    limited()
    limited()  # at once: waits a full second
    clock.t += 0.25
    limited()  # 0.25 s later: waits the remaining 0.75 s
    clock.t += 3
    limited()  # long after: no wait
    assert [round(c - 100, 6) for c in calls] == [0, 1, 2, 5]
    assert clock.sleeps == [1.0, 0.75]


# --------------------------------------------------------------------------- fake Nominatim


OTEGEN = {"lat": "43.41845", "lon": "77.02187", "addresstype": "village", "osm_type": "node", "osm_id": 42,
          "display_name": "Otegen Batyr, Ili District, Almaty Region, Kazakhstan"}
ASTANA = {"lat": "51.1801", "lon": "71.44598", "addresstype": "city", "osm_type": "relation", "osm_id": 7,
          "display_name": "Astana, Kazakhstan"}


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers by the first word of the query; records every request."""

    requests: list[dict] = []
    answers: dict[str, str] = {}  # whole query -> a 200 answer's body, before the first-word rules
    release = threading.Event()

    def do_GET(self):  # noqa: N802 (http.server's name)
        params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        self.requests.append({"path": urlsplit(self.path).path, "agent": self.headers.get("User-Agent"), **params})
        word = params.get("q", "").split()[0]
        if params.get("q") in self.answers:
            word = "answer"
        if word == "slow":
            self.release.wait(10)  # longer than the client's timeout; released at teardown
            return
        status, body = {"good": (200, json.dumps([OTEGEN])), "empty": (200, "[]"),
                        "outside": (200, json.dumps([ASTANA])), "busy": (429, "Too Many Requests"),
                        "broken": (500, "Internal Server Error"), "garbled": (200, "[{\"lat\": "),
                        "answer": (200, self.answers.get(params.get("q", ""), ""))}.get(word, (200, "[]"))
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


@contextmanager
def serve_fake_nominatim() -> Iterator[str]:
    """The fake Nominatim on 127.0.0.1, for as long as the block runs; its host:port."""
    FakeNominatim.requests = []
    FakeNominatim.answers = {}
    FakeNominatim.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        FakeNominatim.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def fake_nominatim():
    with serve_fake_nominatim() as domain:
        yield domain


def _run(word: str, domain: str, places, shapes, cache, clock):
    search = geocode.nominatim_search(domain, "http", timeout=0.5, clock=clock.now, sleep=clock.sleep)
    rows = pd.DataFrame([{"plant_id": word, "site": f"{word} place", "region": "Almaty Region", "lat": "", "lon": ""}])
    out, results = geocode.geocode_frame(rows, places, shapes, cache=cache, offline=False, search=search)
    return out.iloc[0], results[0]


Q = "place, Almaty Region"


@pytest.mark.parametrize(("word", "tries", "message"), [
    ("empty", 1, f"Nominatim found nothing for 'empty {Q}' in Almaty Region"),
    ("outside", 1, "nominatim point (51.1801, 71.44598) for 'Astana, Kazakhstan' lies 576 km outside Almaty "
                   "Region, the row's region: rejected"),
    ("slow", 3, f"Nominatim did not answer in time (timeout) for 'slow {Q}' after 3 tries; nothing cached, "
                "try again later"),
    ("busy", 3, f"Nominatim refused: too many requests (HTTP 429) for 'busy {Q}' after 3 tries; nothing cached, "
                "try again later"),
    ("broken", 3, "Nominatim failed (HTTP Error 500: Internal Server Error) for 'broken place, Almaty Region' after 3 "
                  "tries; nothing cached, try again later"),
    ("garbled", 3, f"Nominatim's answer is not valid JSON for 'garbled {Q}' after 3 tries; nothing cached, "
                   "try again later"),
])
def test_a_failed_answer_gives_a_message_the_region_centre_and_no_cache(fake_nominatim, places, shapes, tmp_path,
                                                                         word, tries, message):
    cache, clock = geocode.Cache.load(tmp_path / "cache.json"), FakeClock()
    row, result = _run(word, fake_nominatim, places, shapes, cache, clock)
    assert result.messages == [message]
    assert (result.status, result.place, result.precision, row["point_basis"]) == \
        ("changed", "Konaev", "region", "region_admin_centre")
    assert len(FakeNominatim.requests) == tries
    assert cache.answers == {}
    # retries wait error_wait_seconds (5 s) on the fake clock; the first request never waits
    assert clock.sleeps == [5.0] * (tries - 1)


def test_a_good_answer_is_used_cached_and_asked_once(fake_nominatim, places, shapes, tmp_path):
    cache, clock = geocode.Cache.load(tmp_path / "cache.json"), FakeClock()
    row, result = _run("good", fake_nominatim, places, shapes, cache, clock)
    assert (result.status, result.new, result.precision, result.source) == \
        ("changed", (43.41845, 77.02187), "city", "https://www.openstreetmap.org/node/42")
    assert (row["lat"], row["lon"], row["point_basis"], row["geocode_status"]) == \
        ("43.41845", "77.02187", "city_centroid", "changed")
    [req] = FakeNominatim.requests
    assert req["agent"] == geocode.USER_AGENT and req["countrycodes"] == "kz" and req["bounded"] == "1"
    box = geocode.viewbox(shapes["Almaty Region"])
    assert req["viewbox"] == f"{box[0][1]},{box[0][0]},{box[1][1]},{box[1][0]}"
    assert list(cache.answers.values()) == [OTEGEN]
    cache.save()
    again = geocode.Cache.load(tmp_path / "cache.json")
    _, second = _run("good", fake_nominatim, places, shapes, again, clock)
    assert second.new == (43.41845, 77.02187) and len(FakeNominatim.requests) == 1  # from the cache
    offline_rows = pd.DataFrame([{"site": "good place", "region": "Almaty Region", "lat": "", "lon": ""}])
    _, [off] = geocode.geocode_frame(offline_rows, places, shapes, cache=again, offline=True)
    assert off.how == "nominatim" and len(FakeNominatim.requests) == 1


def test_requests_are_spaced_one_second_apart(fake_nominatim, places, shapes, tmp_path):
    cache, clock = geocode.Cache.load(tmp_path / "cache.json"), FakeClock()
    search = geocode.nominatim_search(fake_nominatim, "http", timeout=0.5, clock=clock.now, sleep=clock.sleep)
    rows = pd.DataFrame([{"site": f"{w} place {i}", "region": "Almaty Region", "lat": "", "lon": ""}
                         for i, w in enumerate(["good", "empty", "good"])])
    geocode.geocode_frame(rows, places, shapes, cache=cache, offline=False, search=search)
    assert len(FakeNominatim.requests) == 3 and clock.sleeps == [1.0, 1.0]


def test_offline_lists_what_it_could_not_resolve(places, shapes, tmp_path):
    rows = pd.DataFrame([{"plant_id": "a", "site": "somewhere", "region": "Almaty Region", "lat": "", "lon": ""},
                         {"plant_id": "b", "site": "x", "region": "Atlantis", "lat": "", "lon": ""}])
    _, results = geocode.geocode_frame(rows, places, shapes, cache=geocode.Cache.load(tmp_path / "c.json"),
                                       offline=True)
    assert [(r.plant_id, r.status, r.messages) for r in geocode.unresolved(results)] == [
        ("a", "changed", ["'somewhere, Almaty Region' is not in the Nominatim cache (offline)"]),
        ("b", "unresolved", ["region 'Atlantis' is not a name in regions.geojson: nothing can be checked"]),
    ]


def test_geocode_frame_never_changes_its_input(places, shapes, tmp_path):
    rows = pd.read_csv(DEFAULT_DATA_DIR / "plants.csv", dtype=str, keep_default_na=False)
    before = rows.copy()
    out, results = geocode.geocode_frame(rows, places, shapes, cache=geocode.Cache.load(tmp_path / "c.json"),
                                         offline=True)
    pd.testing.assert_frame_equal(rows, before)
    assert [r.plant_id for r in results if r.status == "changed"] == ["abdi-ibrahim-existing"]
    assert out.loc[7, ["lat", "lon", "geocode_precision"]].tolist() == ["43.41845", "77.02187", "district"]


def test_the_bundled_places_file_is_documented():
    readme = (Path(__file__).resolve().parents[2] / "data" / "README.md").read_text(encoding="utf-8")
    for col in geocode.PLACE_COLUMNS:
        assert f"`{col}`" in readme, col
