"""Load test: many sessions changing filters, language and presentation steps, on loopback only.

    .venv/bin/python scripts/load.py                       # 30 sessions, 2 min, a control every 10 s, 2 browsers
    .venv/bin/python scripts/load.py --sessions 45 --duration 60 --browsers 0
    .venv/bin/python scripts/load.py --ramp 30,45,60,90 --duration 40   # largest count with p95 <= 2 s

Most sessions speak Streamlit's own protocol over its websocket (``/_stcore/stream``): a ``BackMsg``
with ``rerun_script`` carrying the changed widget's state, as the browser sends it, and the
``ForwardMsg`` deltas back. A headless Chromium costs about 0.1 core, a protocol session almost
nothing, so a few real browsers (Playwright, Debian's Chromium) check what users see.

Each session, every ``--interval`` seconds (phases spread over the interval), takes the next step of
a cycle: a therapeutic area on or off, another language, presentation mode on, Next, Next, Exit, a
company on or off. An interaction's latency runs from the input sent to the run finished with the
map and the KPIs updated and consistent: the "Plants" KPI equals the plants the map's data shows
(explore view), the KPI labels are in the chosen language, the tour bar names the expected step.
Anything else is an error: an exception element, a run that does not finish, a check that fails,
a closed socket, no answer within 30 s. Browsers measure from the click to the same state in the page
(``data-plants-drawn`` on the map, the KPI in the page).

Also reported: the server's resident memory (and its growth per session) and CPU from ``/proc``,
and this process's own CPU (it shares the machine). The script starts the app itself on a free
loopback port (scripts/server.py), or drives ``--url`` if that is a loopback address
(scripts/replicas.py drives nginx that way). Bounded: at most 200 sessions, 600 s, 4 browsers.
Results: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import html
import json
import math
import os
import random
import re
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core import keys as K  # noqa: E402 - after the path set-up, for `python scripts/load.py`
from core.i18n import LANGS, NAMES, catalogue  # noqa: E402
from scripts.server import rss_mb  # noqa: E402

MAX_SESSIONS = 200
MAX_DURATION = 600.0
MAX_BROWSERS = 4
MIN_INTERVAL = 1.0
TIMEOUT = 30.0  # an interaction with no finished, consistent run by then is an error
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CYCLE = ("area", "lang", "present", "next", "next", "exit", "company")
TARGET_P95 = 2.0


# --------------------------------------------------------------------------- pure parts (tests/unit/test_load.py)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between order statistics; NaN if empty."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summarize(latencies: list[float]) -> dict[str, float]:
    return {"n": len(latencies), "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "max": max(latencies) if latencies else math.nan}


def check_url(url: str) -> str:
    """The URL without a trailing slash, if it is http on a loopback host; else ValueError."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise ValueError(f"--url {url!r}: only http://127.0.0.1, localhost or [::1] is allowed (never a remote host)")
    return url.rstrip("/")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Options, checked against the hard caps (a bad value exits with a message naming the cap)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--sessions", type=int, default=30, help=f"protocol-level sessions (1-{MAX_SESSIONS})")
    p.add_argument("--duration", type=float, default=120.0, help=f"seconds of load (at most {MAX_DURATION:.0f})")
    p.add_argument("--interval", type=float, default=10.0,
                   help=f"seconds between a session's inputs (>= {MIN_INTERVAL})")
    p.add_argument("--browsers", type=int, default=2, help=f"real Chromium sessions besides (0-{MAX_BROWSERS})")
    p.add_argument("--ramp", default="", help="comma-separated session counts, each run for --duration on a fresh "
                                              "server; reports the largest whose p95 <= 2 s (no browsers)")
    p.add_argument("--url", default="", help="drive this loopback app instead of starting one")
    p.add_argument("--json", default="", help="also write the results to this JSON file")
    p.add_argument("--seed", type=int, default=1)
    ns = p.parse_args(argv)
    counts = ramp_counts(ns.ramp) if ns.ramp else [ns.sessions]
    problems = []
    if not all(1 <= n <= MAX_SESSIONS for n in counts):
        problems.append(f"sessions must be 1-{MAX_SESSIONS}, got {counts}")
    if not 0 < ns.duration <= MAX_DURATION:
        problems.append(f"--duration must be in (0, {MAX_DURATION:.0f}] s, got {ns.duration}")
    if ns.ramp and ns.duration * len(counts) > MAX_DURATION:
        problems.append(f"--ramp: {len(counts)} steps x {ns.duration} s exceeds {MAX_DURATION:.0f} s in all")
    if ns.interval < MIN_INTERVAL:
        problems.append(f"--interval must be >= {MIN_INTERVAL} s, got {ns.interval}")
    if not 0 <= ns.browsers <= MAX_BROWSERS:
        problems.append(f"--browsers must be 0-{MAX_BROWSERS}, got {ns.browsers}")
    if ns.url:
        try:
            ns.url = check_url(ns.url)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        p.error("; ".join(problems))
    ns.counts = counts
    return ns


def ramp_counts(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise SystemExit(f"--ramp {text!r}: give session counts separated by commas, e.g. 30,45,60,90") from None


def _js_object(script: str, call: str) -> dict | None:
    """The JSON argument of the first ``call(`` (or ``call(map_div, ``) in a folium script."""
    at = script.find(call)
    if at < 0:
        return None
    start = script.find("{", at)
    try:
        obj, _ = json.JSONDecoder().raw_decode(script, start)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def map_plants(json_args: str) -> int | None:
    """Plants the map's data shows: those of PharmaMap.init less those PharmaMap.apply's mask hides
    (components/map.py: the mask is a little-endian bitset, null when all are shown)."""
    try:
        args = json.loads(json_args)
    except ValueError:
        return None
    texts = [v for v in args.values() if isinstance(v, str)] if isinstance(args, dict) else []
    init = next((o for o in (_js_object(s, "PharmaMap.init(") for s in texts) if o), None)
    apply = next((o for o in (_js_object(s, "PharmaMap.apply(") for s in texts) if o), None)
    if init is None or apply is None:
        return None
    total = len(init.get("details", {}).get("id", []))
    mask = apply.get("mask")
    if mask is None:
        return total
    bits = 0
    for i, byte in enumerate(base64.b64decode(mask)):
        for b in range(8):
            if byte >> b & 1 and i * 8 + b < total:
                bits += 1
    return bits


# --------------------------------------------------------------------------- what a run sent


@dataclass
class RunView:
    """What one script run sent: widgets by key, KPI metrics, the map's plant count, errors."""
    widgets: dict[str, Any] = field(default_factory=dict)  # user key -> the widget's proto (has .id)
    metrics: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    markdown: list[str] = field(default_factory=list)
    map_plants: int | None = None
    exceptions: list[str] = field(default_factory=list)
    status: int | None = None  # ScriptFinishedStatus
    query: str | None = None  # the URL's query string as the app set it (the link)

    def add(self, msg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
            return
        if kind == "script_finished":
            self.status = msg.script_finished
            return
        if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        el = msg.delta.new_element
        ek = el.WhichOneof("type")
        sub = getattr(el, ek)
        wid = getattr(sub, "id", "")
        if isinstance(wid, str) and wid.startswith("$$ID-"):
            key = wid.split("-", 2)[2] if wid.count("-") >= 2 else wid
            self.widgets[key] = sub
        if ek == "metric":
            self.metrics.append((sub.label, sub.body))
        elif ek in ("markdown", "html"):  # the tour's step line is HTML (a live region)
            self.markdown.append(sub.body)
        elif ek == "exception":
            self.exceptions.append(f"{sub.type}: {sub.message}")
        elif ek == "component_instance" and "PharmaMap" in sub.json_args:
            self.map_plants = map_plants(sub.json_args)


def _plain(markdown: str) -> str:
    """Markdown or HTML as plain text: escapes, emphasis and tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"\\(.)", r"\1", markdown))).replace("**", "")


def expected_label(lang: str, english: str) -> str:
    return catalogue(lang).get(english, english) if lang != "en" else english


def step_text(lang: str, k: int, n: int) -> str:
    """The tour bar's "step k of n" in ``lang``."""
    return expected_label(lang, "step {k} of {n}").format(k=k, n=n)


def plants_kpi(view: RunView, lang: str) -> str | None:
    """The "Plants" KPI's value, found by its label in ``lang``."""
    return dict(view.metrics).get(expected_label(lang, "Plants"))


def check_explore(view: RunView, lang: str) -> str | None:
    """None if the run shows the explore view with map and KPIs consistent, in ``lang``; else why not."""
    plants = plants_kpi(view, lang)
    if plants is None:
        return f"no 'Plants' KPI in {lang} among {[label for label, _ in view.metrics]}"
    if view.map_plants is None:
        return "no map data in the run"
    if plants.replace("\u00a0", "") != str(view.map_plants):
        return f"KPI says {plants} plants, the map shows {view.map_plants}"
    return None


# --------------------------------------------------------------------------- protocol sessions


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=dict)

    def record(self, action: str, seconds: float) -> None:
        self.latencies.append(seconds)
        self.by_action.setdefault(action, []).append(seconds)


class ProtocolSession:
    """One browser tab's worth of websocket traffic, without the browser."""

    def __init__(self, url: str, name: str, rng: random.Random, cookie: str = ""):
        self.url, self.name, self.rng, self.cookie = url, name, rng, cookie
        self.ws = None
        self.view = RunView()
        self.lang = "en"
        self.step = 0
        self.present = False
        self.held: dict[str, list[str]] = {}  # multiselect key -> the options this session chose
        self.n_steps = 0
        self.query = ""  # the link as the app last wrote it: what a browser's address bar holds

    async def connect(self, query: str = "") -> float:
        import websockets

        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await websockets.connect(self.url.replace("http://", "ws://") + "/_stcore/stream",
                                           subprotocols=["streamlit"],  # type: ignore[list-item]
                                           additional_headers=headers, max_size=None, open_timeout=TIMEOUT)
        started = time.monotonic()
        await self._rerun(query=query)
        problem = check_explore(self.view, self.lang) or self._problems()
        if problem:
            raise RuntimeError(f"{self.name} first run: {problem}")
        return time.monotonic() - started

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _rerun(self, query: str = "", state=None) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query or self.query  # the browser sends its address bar's query each time
        if state is not None:
            msg.rerun_script.widget_states.widgets.append(state)
        assert self.ws is not None
        await self.ws.send(msg.SerializeToString())
        view = RunView()
        deadline = time.monotonic() + TIMEOUT
        while view.status is None:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.monotonic()))
            if isinstance(raw, str):
                raise RuntimeError("a text frame on the websocket (Streamlit sends binary protobufs)")
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            view.add(fm)
        self.view = view
        if view.query is not None:
            self.query = view.query

    def _problems(self) -> str | None:
        if self.view.exceptions:
            return "exception: " + "; ".join(self.view.exceptions)
        if self.view.status != 0:  # FINISHED_SUCCESSFULLY
            return f"run finished with status {self.view.status}"
        return None

    def _widget(self, key: str):
        w = self.view.widgets.get(key)
        if w is None:
            raise RuntimeError(f"no widget {key!r} in the last run")
        return w

    def _state(self, key: str):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        return WidgetState(id=self._widget(key).id)

    async def act(self, action: str) -> None:
        expect_explore = True
        if action == "present" and self.present or action in ("next", "exit") and not self.present:
            action = "lang"  # the cycle is out of step (a tour at its end): change the language instead
        if action == "next" and self.step + 1 >= self.n_steps:
            action = "exit"  # the last step: Next is disabled
        if action == "present" and self.view.map_plants == 0:
            action = "lang"  # with no plant to tour the app stays in the explore view
        if action in ("area", "company"):
            key = K.AREA if action == "area" else K.COMPANY
            state = self._state(key)
            values = self.held.get(key, [])
            options = list(self._widget(key).options)
            values = [] if values else [self.rng.choice(options)]
            state.string_array_value.data.extend(values)
            self.held[key] = values
        elif action == "lang":
            self.lang = self.rng.choice([lang for lang in LANGS if lang != self.lang])
            state = self._state(K.LANG)
            state.string_array_value.data.append(NAMES[self.lang])
            self.held = {}  # option labels are translated: chosen ones are kept by the app, not re-sent
        elif action == "present":
            state = self._state(K.PRESENT)
            state.bool_value = True
            expect_explore = False
        elif action == "next":
            state = self._state(K.TOUR_NEXT)
            state.trigger_value = True
            expect_explore = False
        else:  # exit
            state = self._state(K.TOUR_EXIT)
            state.trigger_value = True
        await self._rerun(state=state)
        problem = self._problems()
        if problem is None and expect_explore:
            self.present = False
            problem = check_explore(self.view, self.lang)
        elif problem is None:
            problem = self._check_tour(action)
        if problem:
            raise RuntimeError(f"{self.name} {action}: {problem}")

    def _check_tour(self, action: str) -> str | None:
        if K.TOUR_NEXT not in self.view.widgets:
            return "no tour bar in presentation mode"
        self.present = True
        found = tour_step([_plain(m) for m in self.view.markdown], self.lang)
        if found is None:
            return "the tour bar names no step"
        # entering, the tour resumes at the session's step; Next moves one on
        expected = found[0] if action == "present" else min(self.step + 2, found[1])
        if found[0] != expected:
            return f"tour at step {found[0]}, expected {expected}"
        self.step, self.n_steps = found[0] - 1, found[1]
        return None


def tour_step(texts: list[str], lang: str) -> tuple[int, int] | None:
    """(k, n) from the tour bar's "step k of n" in ``lang``, if one of ``texts`` has it."""
    pattern = re.escape(expected_label(lang, "step {k} of {n}"))
    pattern = pattern.replace(re.escape("{k}"), r"(?P<k>\d+)").replace(re.escape("{n}"), r"(?P<n>\d+)")
    for text in texts:
        m = re.search(pattern, text)
        if m:  # the languages order k and n differently ("{n} қадамның {k}-қадамы")
            return int(m.group("k")), int(m.group("n"))
    return None


async def paced(rng: random.Random, interval: float, stop_at: float) -> AsyncIterator[str]:
    """The CYCLE's actions from a random place in it, the first after a random part of ``interval``, then one
    every ``interval`` s from when the previous one was given, until ``stop_at``."""
    k = rng.randrange(len(CYCLE))
    next_at = time.monotonic() + rng.uniform(0, interval)
    while True:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        if time.monotonic() >= stop_at:
            return
        next_at = time.monotonic() + interval
        yield CYCLE[k % len(CYCLE)]
        k += 1


async def drive_session(url: str, i: int, sessions: int, stats: Stats, stop_at: float, interval: float,
                        seed: int) -> None:
    rng = random.Random(seed * 1000 + i)
    s = ProtocolSession(url, f"session {i}", rng)
    await asyncio.sleep(interval * i / max(1, sessions))  # spread the first loads
    try:
        stats.first_loads.append(await s.connect())
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported, not raised
        stats.errors.append(f"session {i} connect: {exc!r}")
        return
    try:
        async for action in paced(rng, interval, stop_at):
            started = time.monotonic()
            try:
                await s.act(action)
            except Exception as exc:  # noqa: BLE001 - counted as an error; the session goes on if it can
                stats.errors.append(f"{exc!r}"[:300])
                if s.ws is None or getattr(s.ws, "close_code", None) is not None:
                    return
                continue
            stats.record(action, time.monotonic() - started)
    finally:
        await s.close()


# --------------------------------------------------------------------------- browsers


async def drive_browser(browser, url: str, i: int, stats: Stats, stop_at: float, interval: float, seed: int) -> None:
    """A real Chromium page doing the same cycle through the page's controls."""
    rng = random.Random(seed * 7919 + i)
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await ctx.new_page()
    lang, step, present, chosen = "en", 0, False, False
    from scripts.pages import MAP_FRAME as frame  # Playwright's sync API: only when browsers are driven

    consistent = f"""([plantsLabel]) => {{
        const app = document.querySelector("[data-testid='stApp']");
        if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
        const f = document.querySelector('{frame}');
        const box = f && f.contentDocument && f.contentDocument.querySelector('.leaflet-container');
        if (!box || !box.hasAttribute('data-plants-drawn')) return false;
        const labels = [...document.querySelectorAll("[data-testid='stMetricLabel']")].map(e => e.innerText.trim());
        const values = [...document.querySelectorAll("[data-testid='stMetricValue']")].map(e => e.innerText.trim());
        const k = labels.indexOf(plantsLabel);
        return k >= 0 && values[k] === box.getAttribute('data-plants-drawn'); }}"""
    tour_at = """([text]) => { const app = document.querySelector("[data-testid='stApp']");
        const bar = document.querySelector('.st-key-tour-bar');
        return app && app.getAttribute('data-test-script-state') === 'notRunning' && !!bar
               && bar.innerText.replace(/\\s+/g, ' ').includes(text); }"""

    finished = [0]  # script runs finished, from the page's own websocket frames

    def on_frame(payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, bytes):
            fm = ForwardMsg()
            fm.ParseFromString(payload)
            if fm.WhichOneof("type") == "script_finished":
                finished[0] += 1

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))

    async def settle(before: int) -> None:
        """Wait for a run that finished after the click, then for the page to show its result."""
        timeout = TIMEOUT * 1000
        deadline = time.monotonic() + TIMEOUT
        while finished[0] <= before:
            if time.monotonic() > deadline:
                raise TimeoutError("no script run finished after the input")
            await asyncio.sleep(0.01)  # polls a counter the frame handler sets
        if present:
            await page.wait_for_function(tour_at, arg=[step_text(lang, step + 1, n_steps)], timeout=timeout)
        else:
            await page.wait_for_function(consistent, arg=[expected_label(lang, "Plants")], timeout=timeout)

    try:
        started = time.monotonic()
        await page.goto(url + "/")
        await page.wait_for_function(consistent, arg=["Plants"], timeout=60_000)
        stats.first_loads.append(time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001
        stats.errors.append(f"browser {i} load: {exc!r}"[:300])
        await ctx.close()
        return
    n_steps = 0
    sidebar = page.get_by_test_id("stSidebar")
    try:
        async for action in paced(rng, interval, stop_at):
            if action == "present" and present or action in ("next", "exit") and not present:
                action = "lang"
            if action == "present" and await page.locator(frame).content_frame.locator(
                    ".leaflet-container").get_attribute("data-plants-drawn") == "0":
                action = "lang"  # with no plant to tour the app stays in the explore view
            if action == "next" and step + 1 >= n_steps:
                action = "exit"
            if action == "company":
                action = "area"
            started = time.monotonic()
            before = finished[0]
            try:
                if action == "area":
                    box = sidebar.get_by_test_id("stMultiSelect").first
                    await box.locator("input").click()
                    if chosen:
                        await page.keyboard.press("Backspace")
                    else:
                        options = page.get_by_role("option")
                        if not await options.count():  # a click on the still-focused input (after the last
                            await page.keyboard.press("ArrowDown")  # Backspace and Escape) leaves it closed
                        await options.first.wait_for()
                        await options.nth(rng.randrange(1, await options.count())).click()  # 0: "Select all"
                    await page.keyboard.press("Escape")
                    chosen = not chosen
                elif action == "lang":
                    lang = rng.choice([x for x in LANGS if x != lang])
                    await sidebar.get_by_test_id("stButtonGroup").first.get_by_role(
                        "radio", name=NAMES[lang]).click()
                elif action == "present":
                    await sidebar.get_by_test_id("stCheckbox").first.click()
                    await page.wait_for_function(tour_at, arg=[""], timeout=TIMEOUT * 1000)
                    found = tour_step([await page.locator(".st-key-tour-bar").inner_text()], lang)
                    if found is None:
                        raise RuntimeError("the tour bar names no step")
                    present, step, n_steps = True, found[0] - 1, found[1]
                elif action == "next":
                    await page.locator(".st-key-tour-next button").first.click()
                    step += 1
                else:
                    await page.locator(".st-key-tour-exit button").first.click()
                    present = False
                await settle(before)
            except Exception as exc:  # noqa: BLE001
                stats.errors.append(f"browser {i} {action}: {exc!r}"[:300])
                continue
            stats.record("browser " + action, time.monotonic() - started)
    finally:
        await ctx.close()


# --------------------------------------------------------------------------- the server, measured from /proc


def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def sample(pid: int | None, until: float, into: list[float]) -> None:
    while pid and time.monotonic() < until:
        into.append(rss_mb(pid))
        await asyncio.sleep(1.0)  # a sampling period, not a wait for a result


async def load(url: str, sessions: int, duration: float, interval: float, browsers: int, seed: int,
               pid: int | None = None) -> dict:
    """Run one load step against ``url``; return its figures."""
    stats = Stats()
    load_before = os.getloadavg()[0]  # the machine's other work: the figures depend on it
    rss0 = rss_mb(pid) if pid else math.nan
    if pid:  # warm the server's caches (data, every language, the tour) so growth counts sessions only
        warm = ProtocolSession(url, "warm-up", random.Random(seed))
        await warm.connect()
        for action in ("lang", "lang", "present", "exit"):
            await warm.act(action)
        await warm.close()
    rss_warm = rss_mb(pid) if pid else math.nan
    cpu0, own0, t0 = (proc_cpu_seconds(pid) if pid else 0.0), time.process_time(), time.monotonic()
    stop_at = t0 + interval + duration  # the first interval spreads the sessions' first loads
    rss: list[float] = []
    tasks = [drive_session(url, i, sessions, stats, stop_at, interval, seed) for i in range(sessions)]
    tasks.append(sample(pid, stop_at, rss))
    pw = browser = None
    if browsers:
        from playwright.async_api import async_playwright

        from scripts.server import CHROMIUM, CHROMIUM_ARGS
        pw = await async_playwright().start()
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tasks += [drive_browser(browser, url, i, stats, stop_at, interval, seed) for i in range(browsers)]
    try:
        await asyncio.gather(*tasks)
        rss_end = rss_mb(pid) if pid else math.nan
    finally:
        if browser is not None:
            await browser.close()
        if pw is not None:
            await pw.stop()
    wall = time.monotonic() - t0
    protocol = [x for a, xs in stats.by_action.items() if not a.startswith("browser") for x in xs]
    in_browser = [x for a, xs in stats.by_action.items() if a.startswith("browser") for x in xs]
    peak = max(rss, default=math.nan)
    return {
        "sessions": sessions, "browsers": browsers, "duration_s": duration, "interval_s": interval,
        "interactions": len(stats.latencies), "errors": len(stats.errors), "error_samples": stats.errors[:10],
        "all": summarize(stats.latencies), "protocol": summarize(protocol), "browser": summarize(in_browser),
        "first_load": summarize(stats.first_loads),
        "by_action": {a: summarize(xs) for a, xs in sorted(stats.by_action.items())},
        "server_rss_mb": {"before": rss0, "warm": rss_warm, "peak": peak, "end": rss_end,
                          "per_session": (peak - rss_warm) / (sessions + browsers) if pid else math.nan},
        "server_cpu_percent": 100 * (proc_cpu_seconds(pid) - cpu0) / wall if pid else math.nan,
        "loadgen_cpu_percent": 100 * (time.process_time() - own0) / wall,
        "wall_s": wall, "loadavg_1min": [load_before, os.getloadavg()[0]], "cpus": os.cpu_count(),
    }


def report(r: dict) -> str:
    def ms(s: dict) -> str:
        if not s["n"]:
            return "n=0"
        return f"n={s['n']} p50={s['p50'] * 1000:.0f} ms p95={s['p95'] * 1000:.0f} ms max={s['max'] * 1000:.0f} ms"

    lines = [f"{r['sessions']} protocol sessions + {r['browsers']} browsers, {r['duration_s']:.0f} s, "
             f"an input every {r['interval_s']:.0f} s per session: {r['interactions']} interactions, "
             f"{r['errors']} errors",
             f"  latency, all      {ms(r['all'])}",
             f"  latency, protocol {ms(r['protocol'])}",
             f"  latency, browsers {ms(r['browser'])}",
             f"  first load        {ms(r['first_load'])}"]
    lines += [f"    {a:<16} {ms(s)}" for a, s in r["by_action"].items()]
    m = r["server_rss_mb"]
    lines.append(f"  server RSS {m['before']:.0f} MB idle, {m['warm']:.0f} MB warm, peak {m['peak']:.0f} MB, "
                 f"{m['per_session']:.1f} MB per session; server CPU {r['server_cpu_percent']:.0f} % of one core; "
                 f"this load generator {r['loadgen_cpu_percent']:.0f} %; machine load average "
                 f"{r['loadavg_1min'][0]:.1f} -> {r['loadavg_1min'][1]:.1f} on {r['cpus']} CPUs")
    lines += [f"  error: {e}" for e in r["error_samples"]]
    if r["errors"] > len(r["error_samples"]):
        lines.append(f"  ... and {r['errors'] - len(r['error_samples'])} more")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ns = parse_args(argv)
    from scripts.server import streamlit_server

    results = []
    for n in ns.counts:
        browsers = 0 if ns.ramp else ns.browsers
        if ns.url:
            r = asyncio.run(load(ns.url, n, ns.duration, ns.interval, browsers, ns.seed))
        else:
            info: dict = {}
            with streamlit_server(info=info) as url:
                r = asyncio.run(load(url, n, ns.duration, ns.interval, browsers, ns.seed, pid=info["pid"]))
        print(report(r), flush=True)
        results.append(r)
    if ns.ramp:
        held = [r["sessions"] for r in results if r["errors"] == 0 and r["all"]["p95"] <= TARGET_P95]
        print(f"largest session count with p95 <= {TARGET_P95:.0f} s and 0 errors: "
              f"{max(held) if held else 'none of ' + str(ns.counts)}")
    if ns.json:
        Path(ns.json).write_text(json.dumps(results, indent=1, default=str))
    return 0 if all(r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
