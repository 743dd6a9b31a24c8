"""scripts/load.py's pure parts: percentiles, the option caps, reading the map's data and the tour bar."""

from __future__ import annotations

import base64
import json
import math

import pytest

from scripts.load import (
    MAX_BROWSERS,
    MAX_DURATION,
    MAX_SESSIONS,
    check_url,
    map_plants,
    parse_args,
    percentile,
    summarize,
    tour_step,
)


def test_percentiles_interpolate_between_order_statistics():
    xs = [4.0, 1.0, 3.0, 2.0, 5.0]
    assert percentile(xs, 50) == 3.0
    assert percentile(xs, 0) == 1.0 and percentile(xs, 100) == 5.0
    assert percentile(xs, 95) == pytest.approx(4.8)
    assert percentile([1.0, 2.0], 25) == pytest.approx(1.25)
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError, match="outside 0-100"):
        percentile(xs, 101)


def test_summary_of_latencies():
    assert summarize([0.5, 1.5, 1.0]) == {"n": 3, "p50": 1.0, "p95": pytest.approx(1.45), "max": 1.5}
    assert summarize([])["n"] == 0


def test_defaults_meet_the_issue_target_run():
    ns = parse_args([])
    assert (ns.sessions, ns.duration, ns.interval, ns.browsers, ns.counts) == (30, 120.0, 10.0, 2, [30])


@pytest.mark.parametrize("argv, message", [
    (["--sessions", str(MAX_SESSIONS + 1)], f"sessions must be 1-{MAX_SESSIONS}"),
    (["--sessions", "0"], "sessions must be"),
    (["--duration", str(MAX_DURATION + 1)], "--duration must be"),
    (["--interval", "0.5"], "--interval must be"),
    (["--browsers", str(MAX_BROWSERS + 1)], "--browsers must be"),
    (["--ramp", "30,45,60", "--duration", "300"], "exceeds 600 s"),
    (["--url", "http://example.org:8501"], "never a remote host"),
])
def test_options_beyond_the_caps_are_refused_with_the_cap_named(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_ramp_and_loopback_url():
    ns = parse_args(["--ramp", "30,45", "--duration", "40", "--url", "http://127.0.0.1:8080/"])
    assert ns.counts == [30, 45] and ns.url == "http://127.0.0.1:8080"
    assert check_url("http://localhost:1") == "http://localhost:1"
    for bad in ("https://127.0.0.1", "http://10.0.0.1:8501", "http://127.0.0.1.example.org"):
        with pytest.raises(ValueError):
            check_url(bad)


def _args(ids: list[str], mask: str | None) -> str:
    init = json.dumps({"details": {"id": ids}})
    apply = json.dumps({"mask": mask, "col": "company"})
    return json.dumps({"script": f"var m = L.map('x');\nPharmaMap.init(map_div, {init});",
                       "feature_group": f"PharmaMap.apply({apply});"})


def test_plants_on_the_map_from_the_components_data():
    ids = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
    assert map_plants(_args(ids, None)) == 9  # no mask: all shown
    bits = base64.b64encode(bytes([0b00000101, 0b1])).decode()  # plants 0, 2 and 8
    assert map_plants(_args(ids, bits)) == 3
    padded = base64.b64encode(bytes([0b11110001])).decode()  # bits past the last plant do not count
    assert map_plants(_args(["a", "b", "c"], padded)) == 1
    assert map_plants("not json") is None
    assert map_plants(json.dumps({"script": "no map here"})) is None


def test_the_tour_bar_step_in_each_language():
    assert tour_step(["**Overview** · step 2 of 7"], "en") == (2, 7)
    assert tour_step(["AltINFARM · шаг 3 из 7"], "ru") == (3, 7)
    assert tour_step(["Шолу · 7 қадамның 1-қадамы"], "kk") == (1, 7)  # n before k in Kazakh
    assert tour_step(["step 2 of 7"], "ru") is None
