"""Benchmark the dashboard in headless Chromium and write docs/performance.md.

    python scripts/benchmark.py                      # N = 4, 100, 1,000, 10,000; 5 runs each
    python scripts/benchmark.py --sizes 4,1000 --runs 3 --out /tmp/perf.md

Not part of the test suite (shared machines are noisy): run it by hand, on a quiet machine.
Every figure is the median of ``--runs`` runs with min–max, and page-ready times are also
given as ratios to an empty Streamlit page (the floor) loaded right before, in the same run:
served as the app is (scripts/serve.py) and by plain ``streamlit run``; a page with only a
streamlit-folium map (the stack floor) is measured alongside.

Measured, per N (synthetic plants from scripts/synthetic.py; N = 4 is the bundled data):
- page ready: navigation until every marker is drawn (offline mode), and until the whole page is;
- filter change: choose a therapeutic area until the markers are updated; whether the
  map was remounted (a mark left in its window is gone) and whether zoom/centre were kept;
- server time per rerun (the app logs it with PHARMAMAP_TIMING=1);
- bytes to the browser: websocket bytes of a filter change, and the map's static JSON
  (marker data needed to draw, tooltip texts loaded after), once per data version;
- server memory (RSS) with 1 and with 10 open sessions.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from core.data import load_dataset  # noqa: E402
from core.domain import Filters, apply_filters  # noqa: E402
from scripts.pages import MAP_FRAME, map_frame, wait_complete, wait_idle  # noqa: E402
from scripts.server import CHROMIUM, CHROMIUM_ARGS, rss_mb, streamlit_server  # noqa: E402
from scripts.synthetic import write_synthetic  # noqa: E402

AREA = "oncology"
ANALYSIS = "<!-- analysis: kept when the table is regenerated -->"
SHOWN = ("() => { const c = document.querySelector('.leaflet-container'); "
         "return c && c.getAttribute('data-ppm-shown'); }")


def stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def fmt_range(values: list[float], unit: str = "", digits: int = 2) -> str:
    med, lo, hi = stats(values)
    return f"{med:.{digits}f}{unit} ({lo:.{digits}f}–{hi:.{digits}f})"


# Times are taken in the page, against its navigation start (performance.timeOrigin), at the start of
# the animation frame that paints the change (for a map: the first one in which its frame also has a
# size): polling from Playwright would add the delay of its own round trips, which grows when the
# page's main thread is busy with the rest of the page.
EMPTY_HOOK = """new MutationObserver((_, obs) => {
    const md = document.querySelector('[data-testid=stMarkdownContainer]');
    if (md && md.textContent.includes('ready')) {
      obs.disconnect();
      requestAnimationFrame(() => { window.__readyAt = Date.now(); }); }
  }).observe(document, {childList: true, subtree: true, characterData: true});"""
# the app's whole page, the "complete": the sidebar's filters there, the first side chart drawn and
# the script idle; taken in the page like the floors (the frame that paints it)
APP_HOOK = """new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid=stSidebar] [data-testid=stMultiSelect]')
        && document.querySelector('svg.ppm-chart')
        && document.querySelector('[data-testid=stApp][data-test-script-state=notRunning]')) {
      obs.disconnect();
      requestAnimationFrame(() => { window.__completeAt = Date.now(); }); }
  }).observe(document, {childList: true, subtree: true, attributes: true,
                        attributeFilter: ['data-test-script-state']});"""


def wait_ready(page, expected) -> tuple[float, object]:
    """Seconds from navigation until the page is ready, and the map's frame. Ready: the map holds
    ``expected`` markers (None: the empty page shows its text; 'stack': the stack floor's one marker
    is drawn). The app's sidebar and charts may still be arriving."""
    if expected is None:
        page.wait_for_function("() => window.__readyAt", timeout=120_000)
        at, frame = page.evaluate("() => window.__readyAt"), None
    else:
        # read through the page, not a Frame handle: Streamlit may replace the iframe element once
        # while the page loads, and a handle on the first one waits forever
        win = f"document.querySelector('{MAP_FRAME}') && document.querySelector('{MAP_FRAME}').contentWindow"
        if expected == "stack":
            at = f"(() => {{ const w = {win}; return w && w.__drawnAt; }})()"
        else:
            at = (f"(() => {{ const w = {win}, c = w && w.document.querySelector('.leaflet-container'); "
                  f"return c && c.getAttribute('data-ppm-shown') === '{expected}' && w.__ppm.firstDrawnAt; }})()")
        page.wait_for_function(f"() => {at}", timeout=120_000)
        at, frame = page.evaluate(f"() => {at}"), map_frame(page)
    return (at - page.evaluate("() => performance.timeOrigin")) / 1000, frame


def load_page(browser, url: str, expected, sink: dict | None = None) -> dict:
    """Open a fresh page (empty cache) and reload it: seconds until ready and until complete (the app's
    whole page drawn and its script idle), both taken in the page, cold and warm."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    if expected is None:
        page.add_init_script(EMPTY_HOOK)
    elif isinstance(expected, int):
        page.add_init_script(APP_HOOK)
    if sink is not None:
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: sink.__setitem__(
            "ws", sink.get("ws", 0) + len(f))))
    out = {"page": page}
    for phase, go in (("cold", lambda: page.goto(url)), ("warm", page.reload)):
        go()
        out[phase], out["frame"] = wait_ready(page, expected)
        if isinstance(expected, int):
            page.wait_for_function("() => window.__completeAt", timeout=120_000)  # APP_HOOK: wait_complete's state
            out[phase + "_complete"] = (page.evaluate("() => window.__completeAt - performance.timeOrigin")) / 1000
            out["frame"] = map_frame(page)
        elif expected is None:
            wait_idle(page)
    return out


def open_only(browser, url: str, expected: int):
    """A page with the whole dashboard, untimed: ten are open at once, and pages in the background
    get no animation frames, which the timings above wait for."""
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(url)
    wait_complete(page, 120_000)
    map_frame(page).wait_for_function(f"() => ({SHOWN})() === '{expected}'", timeout=120_000)
    return page


def filter_change(page, frame, expected: int, sink: dict) -> dict:
    frame.evaluate("() => { window.__benchMark = 1; map.setView([44.0, 72.0], 6, {animate: false}); }")
    view = frame.evaluate("() => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    box = page.get_by_test_id("stMultiSelect").filter(has_text="Therapeutic area")
    box.locator("input").click()
    page.keyboard.type("Oncology")
    sink["ws"] = 0
    # from the key press (seen by the page first, in the capture phase) to the markers redrawn
    page.evaluate("() => document.addEventListener('keydown', e => { if (e.key === 'Enter') "
                  "window.__enterAt = Date.now(); }, {capture: true, once: true})")
    frame.evaluate("() => { window.__ppm.drawnAt = null; }")
    page.keyboard.press("Enter")
    frame.wait_for_function(f"() => ({SHOWN})() === '{expected}' && window.__ppm.drawnAt", timeout=120_000)
    elapsed = (frame.evaluate("() => window.__ppm.drawnAt") - page.evaluate("() => window.__enterAt")) / 1000
    wait_idle(page)
    kept = frame.evaluate("() => window.__benchMark === 1")
    after = frame.evaluate("() => [map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    same_view = all(abs(a - b) < 1e-9 for a, b in zip(view, after, strict=True))
    return {"seconds": elapsed, "remounted": not kept, "view_kept": same_view, "ws_bytes": sink["ws"]}


def reruns_ms(log: str) -> list[float]:
    out = []
    for line in Path(log).read_text().splitlines():
        if line.startswith('{"rerun_ms"'):
            out.append(json.loads(line)["rerun_ms"])
    return out


FLOORS = ("empty", "stock", "stack")  # served as the app is; by plain streamlit run; a map alone


@contextmanager
def floor_servers():
    """The three reference pages, served for the whole benchmark: each run of each size measures
    them right before the app, so every ratio compares loads made within seconds of each other
    (the machine's speed drifts over a 20-minute benchmark more than the effects measured)."""
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        stack_app = Path(tmp) / "app.py"  # Streamlit serves static/ from beside the main script
        stack_app.write_text((ROOT / "scripts" / "stack_floor_app.py").read_text())
        (Path(tmp) / "static").symlink_to(ROOT / "static")
        env = {"PYTHONPATH": str(ROOT)}
        empty = ROOT / "scripts" / "empty_app.py"
        urls = {"empty": stack.enter_context(streamlit_server(script=empty, env=env)),
                "stock": stack.enter_context(streamlit_server(script=empty, env=env, stock=True)),
                "stack": stack.enter_context(streamlit_server(script=stack_app, env=env))}
        yield urls


def measure_floors(browser, urls: dict, into: dict) -> None:
    """One cold and warm load of each reference page, appended to ``into[kind]`` / ``into[kind + '_warm']``."""
    for kind in FLOORS:
        r = load_page(browser, urls[kind], "stack" if kind == "stack" else None)
        into.setdefault(kind, []).append(r["cold"])
        into.setdefault(kind + "_warm", []).append(r["warm"])
        r["page"].context.close()


def measure_size(browser, n: int, folder: Path, runs: int, floors: dict) -> dict:
    ds = load_dataset(folder)
    expected_all = len(apply_filters(ds.plants, Filters()))  # the default view: the four approved plants
    expected_area = len(apply_filters(ds.plants, Filters(areas=(AREA,))))
    info: dict = {}
    result: dict = {"n": n, "load": [], "warm": [], "complete": [], "filter": [], "remounted": 0, "view_kept": 0,
                    "ws": []}
    env = {"PHARMAMAP_DATA_DIR": str(folder), "PHARMAMAP_TIMING": "1"}
    with streamlit_server(env=env, info=info, timeout=120) as url:
        load_page(browser, url, expected_all)["page"].context.close()  # warm-up: imports, data load, files
        measure_floors(browser, floors, {})  # and the reference pages' servers
        before = len(reruns_ms(info["log"]))
        for _ in range(runs):
            measure_floors(browser, floors, result)
            sink: dict = {}
            r = load_page(browser, url, expected_all, sink)
            page, frame = r["page"], r["frame"]
            result["load"].append(r["cold"])
            result["warm"].append(r["warm"])
            result["complete"].append(r["cold_complete"])
            f = filter_change(page, frame, expected_area, sink)
            result["filter"].append(f["seconds"])
            result["remounted"] += f["remounted"]
            result["view_kept"] += f["view_kept"]
            result["ws"].append(f["ws_bytes"])
            page.context.close()
        result["rerun_ms"] = reruns_ms(info["log"])[before:]
        # memory: one session, then ten at once
        pages = [open_only(browser, url, expected_all)]
        result["rss1"] = rss_mb(info["pid"])
        for _ in range(9):
            pages.append(open_only(browser, url, expected_all))
        result["rss10"] = rss_mb(info["pid"])
        for p in pages:
            p.context.close()
    return result


def ratios(values: list[float], floors: list[float]) -> list[float]:
    """Each run's figure over the floor measured just before it."""
    return [v / f for v, f in zip(values, floors, strict=True)]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    import os

    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("streamlit", "folium", "streamlit-folium",
                                                                 "pandas", "playwright"))
    return (f"{os.cpu_count()} cores ({cpu}), {mem} GB RAM, Python {platform.python_version()}, {versions}, "
            f"{chromium}")


def write_report(out: Path, results: list[dict], runs: int) -> None:
    pooled = {k: [v for r in results for v in r[k]] for k in ("empty", "empty_warm", "stock", "stock_warm", "stack",
                                                               "stack_warm")}
    lines = [
        "# Performance",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python scripts/benchmark.py --sizes "
        f"{','.join(str(r['n']) for r in results)} --runs {runs}` "
        "on one machine, in one run (not in CI: shared machines are noisy).",
        "",
        f"Machine: {machine()}.",
        "",
        "Headless Chromium, offline mode (no tiles), 1366×768, a fresh browser context per load (empty cache). "
        "Median of the runs, min–max in brackets. Each run of each size loads the three reference pages "
        "below right before the app, and each ratio is a run's figure over the floor of that same run "
        "(the machine's speed drifts during a 20-minute benchmark more than the effects measured).",
        "",
        f"- **Floor**: an empty Streamlit page (`scripts/empty_app.py`) served as the app is (`scripts/serve.py`, "
        f"TCP_NODELAY on): {fmt_range(pooled['empty'], ' s')} cold, {fmt_range(pooled['empty_warm'], ' s')} warm "
        f"(reload, HTTP cache filled), all {len(pooled['empty'])} runs. The *× floor* ratios are to this page.",
        f"- **Stock floor**: the same page served by plain `streamlit run`: {fmt_range(pooled['stock'], ' s')} cold, "
        f"{fmt_range(pooled['stock_warm'], ' s')} warm. Each small file waits ~40 ms there (see scripts/serve.py); "
        "*× stock floor* compares the app as `make run` serves it with the empty page as Streamlit serves it.",
        f"- **Stack floor**: a page holding only an offline streamlit-folium map with one marker "
        f"(`scripts/stack_floor_app.py`, served as the app is): {fmt_range(pooled['stack'], ' s')} cold = "
        f"{fmt_range(ratios(pooled['stack'], pooled['empty']), '×')} floor. No page with a streamlit-folium map "
        "can be faster than this.",
        "",
        "| plants | page ready, cold | × floor | × stock floor | stack floor × floor (same runs) "
        "| page ready, warm | × warm floor | whole page, cold | × floor | × stock floor "
        "| filter change (choose Oncology) | remounted / view kept | "
        "server time per rerun | websocket bytes per filter change | map data (drawn / tooltips, once) "
        "| bytes per plant to draw | RSS 1 session → 10 | per extra session |",
        "|---:|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        n = r["n"]
        draw, tips = r.get("core_bytes", 0), r.get("details_bytes", 0)
        per_plant = (draw + statistics.median(r["ws"])) / max(n, 1)
        lines.append(
            f"| {n:,} | {fmt_range(r['load'], ' s')} | {fmt_range(ratios(r['load'], r['empty']), '×')} | "
            f"{fmt_range(ratios(r['load'], r['stock']), '×')} | {fmt_range(ratios(r['stack'], r['empty']), '×')} | "
            f"{fmt_range(r['warm'], ' s')} | {fmt_range(ratios(r['warm'], r['empty_warm']), '×')} | "
            f"{fmt_range(r['complete'], ' s')} | {fmt_range(ratios(r['complete'], r['empty']), '×')} | "
            f"{fmt_range(ratios(r['complete'], r['stock']), '×')} | "
            f"{fmt_range([t * 1000 for t in r['filter']], ' ms', 0)} | "
            f"{r['remounted']}/{runs} remounted, view kept {r['view_kept']}/{runs} | "
            f"{fmt_range(r['rerun_ms'], ' ms', 0)} | {statistics.median(r['ws']) / 1024:,.1f} KB | "
            f"{draw / 1024:,.1f} KB / {tips / 1024:,.1f} KB | {per_plant:,.1f} | "
            f"{r['rss1']:.0f} → {r['rss10']:.0f} MB | {(r['rss10'] - r['rss1']) / 9:.1f} MB |"
        )
    lines += [
        "",
        "Columns:",
        "- *page ready*: the issue's definition, navigation until the map is drawn with every marker: taken in "
        "the page, from its navigation start to the start of the animation frame that paints all N markers "
        "(`window.__ppm.firstDrawnAt`, the first frame in which the map's iframe also has a size). The empty "
        "page records when its text is painted, the stack floor when its marker is, the same way. One script "
        "run sends the whole page; the browser draws the map among the other elements. "
        "*Cold*: a fresh browser context (empty cache); *warm*: a reload of the same "
        "page (Streamlit's bundles and the map JSON come from the HTTP cache).",
        "- *whole page* (the issue's \"complete\"): taken in the page, from its navigation start to the frame "
        "that paints the page once the sidebar's filters are there, the first side chart is drawn and the "
        "script is idle, cold; its ratios pair each run with the floors measured just before it. The map may "
        "still be drawing then. (Until 2026-11-26 17:40 it was timed from Playwright, and only after the map "
        "was drawn, so it was never earlier than the map.)",
        "- *filter change*: from the Enter key's event on \"Oncology\" in the Therapeutic area filter to the "
        "start of the frame that paints the filtered markers, both taken in the page. *remounted*: a mark set "
        "in the map's window was gone afterwards; *view kept*: zoom and centre unchanged.",
        "- *server time per rerun*: the script's own time (`PHARMAMAP_TIMING=1`), every rerun of the measured runs.",
        "- *map data*: the static JSON the map fetches once per data version and the browser caches: the marker "
        "arrays it needs to draw, and the tooltip texts it loads after drawing. The regions file (constant, "
        "~190 KB) is left out of the per-plant figure.",
        "- *bytes per plant to draw*: (marker JSON + websocket bytes of one filter change) / N.",
        "- *per extra session*: (RSS with 10 open sessions − RSS with 1) / 9. Python rarely returns memory to the "
        "system, so a figure near zero or below zero means \"within noise\", not that sessions free memory.",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = ""
    if out.exists() and ANALYSIS in out.read_text(encoding="utf-8"):  # hand-written reading of the results
        kept = "\n" + ANALYSIS + out.read_text(encoding="utf-8").split(ANALYSIS, 1)[1]
    out.write_text("\n".join(lines) + "\n" + kept, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default="4,100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p, floor_servers() as floor_urls:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in sizes:
            folder = ROOT / "data" if n == 4 else write_synthetic(Path(tmp) / f"n{n}", n)
            r = measure_size(browser, n, folder, args.runs, floor_urls)
            from components.map import build_map_data

            ds = load_dataset(folder)
            data = build_map_data(ds.plants, ds.regions)
            r["core_bytes"] = len(json.dumps(data.core, separators=(",", ":")).encode())
            r["details_bytes"] = len(json.dumps(data.details, ensure_ascii=False, separators=(",", ":")).encode())
            results.append(r)
            print(f"N={n}: ready {fmt_range(r['load'], ' s')} = {fmt_range(ratios(r['load'], r['empty']), 'x')}, "
                  f"floor {fmt_range(r['empty'], ' s')}, stock {fmt_range(r['stock'], ' s')}, "
                  f"stack {fmt_range(r['stack'], ' s')}, filter {fmt_range(r['filter'], ' s')}, "
                  f"rerun {fmt_range(r['rerun_ms'], ' ms', 0)}, rss {r['rss1']:.0f}->{r['rss10']:.0f} MB",
                  flush=True)
        browser.close()
    write_report(args.out, results, args.runs)
    print(args.out)


if __name__ == "__main__":
    main()
