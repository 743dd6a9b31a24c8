"""Two replicas behind a real nginx on loopback: sticky sessions, a replica killed, its clients recover.

    .venv/bin/python scripts/replicas.py                  # the test (about 2 minutes); figures: docs/reliability.md
    .venv/bin/python scripts/replicas.py --render --backend 10.0.0.5:8501 --backend 10.0.0.6:8501 \\
        --listen 80 --prefix /var/lib/pharmamap-nginx > /etc/nginx/pharmamap.conf   # the same config for a server

The test starts two app processes (scripts/server.py, as `make run` does) sharing one
``server.cookieSecret``, and Debian's nginx in the foreground with deploy/nginx.conf.template
rendered for their ports (every nginx path under a temporary folder). Then:

1. a real Chromium loads the dashboard through nginx; every file of that first visit is fetched
   again with and without ``Accept-Encoding: gzip``: the bytes compression saves;
2. ``--clients`` protocol-level sessions (scripts/load.py) get their affinity cookie from nginx,
   open with a link of their own (language, area) and change controls every ``--interval`` s;
   nginx's access log says which replica each cookie is pinned to;
3. the browser's replica is killed (SIGKILL). Sessions on the other must go on with 0 errors; those
   of the killed one see their websocket close, reconnect through nginx with the same cookie (landing
   on the survivor), send their URL's query string, as the browser does, and must get their view
   back: same language, same KPIs, map and KPIs consistent. The browser, open throughout, reconnects
   by itself (Streamlit's page keeps showing its view meanwhile); its next input (the currency)
   must run on the survivor with its language and filter kept.

Exit status 0 only if all of that held. Loopback only; nothing is fetched from elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, suppress
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.i18n import LANGS  # noqa: E402
from scripts.load import (  # noqa: E402 - after the path set-up, for `python scripts/replicas.py`
    ProtocolSession,
    check_explore,
    plants_kpi,
    summarize,
)
from scripts.server import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server  # noqa: E402

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
PLACEHOLDERS = ("daemon", "prefix", "listen", "servers")
INSTALL_HINT = ("nginx not found. Install Debian's package: sudo apt-get update && sudo apt-get install -y nginx "
                "(or set NGINX to its path)")
LOG_FORMAT = '    log_format replicas "$cookie_ppm_node $upstream_addr $status $request_uri";\n'
MAX_CLIENTS = 60


def render_nginx_conf(backends: list[str], listen: str, prefix: str, daemon: bool = False,
                      template: str | None = None) -> str:
    """deploy/nginx.conf.template with the replicas' addresses (host:port), the listen address and
    the folder for nginx's pid, logs and temporary files."""
    if not backends:
        raise ValueError("at least one backend (host:port) is needed")
    for b in backends:
        if not re.fullmatch(r"[A-Za-z0-9.\-]+:\d{1,5}|\[[0-9A-Fa-f:]+\]:\d{1,5}", b):
            raise ValueError(f"backend {b!r}: expected host:port")
    if not re.fullmatch(r"[A-Za-z0-9.:\[\]]+", listen):
        raise ValueError(f"listen {listen!r}: expected a port or address:port")
    if not prefix.startswith("/") or any(c in prefix for c in " ;{}\"'"):
        raise ValueError(f"prefix {prefix!r}: expected an absolute path without spaces or ; {{ }} quotes")
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    servers = "\n".join(f"        server {b} max_fails=1 fail_timeout=10s;" for b in backends)
    values = {"daemon": "on" if daemon else "off", "prefix": prefix.rstrip("/"), "listen": listen, "servers": servers}
    for name in PLACEHOLDERS:
        text = text.replace("{{" + name + "}}", values[name])
    left = re.findall(r"\{\{\w+\}\}", text)
    if left:
        raise ValueError(f"the template has placeholders nobody fills: {left}")
    return text


def find_nginx() -> str | None:
    return os.environ.get("NGINX") or shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


def node_cookie(base: str) -> str:
    """A new browser's affinity cookie, as nginx hands it out on the first page."""
    _, headers, _ = fetch(base + "/")
    m = re.search(r"ppm_node=([^;]+)", headers.get("set-cookie", ""))
    if not m:
        raise RuntimeError(f"nginx set no ppm_node cookie: {headers}")
    fetch(base + "/_stcore/health", {"Cookie": f"ppm_node={m.group(1)}"})  # logged at once: where it is pinned
    return m.group(1)


def pinned(log: Path) -> dict[str, str]:
    """cookie -> the replica address nginx sent its last request to (the access log)."""
    out: dict[str, str] = {}
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] != "-":
            out[parts[0]] = parts[1].split(",")[-1].strip()
    return out


def gzip_savings(base: str, paths: list[str], cookie: str) -> dict:
    """Bytes of the first visit's files as served, plain and gzip-compressed through nginx. With the
    browser's affinity cookie: files such as /media/... live in one replica's memory only."""
    plain = packed = files = 0
    for path in paths:
        try:
            _, _, body = fetch(urljoin(base + "/", path), {"Cookie": f"ppm_node={cookie}"})
        except urllib.error.HTTPError:  # a request the page makes that the app answers with 404
            continue
        files += 1
        _, headers, raw = fetch(urljoin(base + "/", path), {"Cookie": f"ppm_node={cookie}", "Accept-Encoding": "gzip"})
        plain += len(body)
        packed += len(raw)
        if headers.get("content-encoding") == "gzip":
            assert gzip.decompress(raw) == body, path
    return {"files": files, "plain_bytes": plain, "gzip_bytes": packed, "saved_bytes": plain - packed}


async def first_visit(base: str, query: str):
    """A real browser through nginx; returns (playwright, browser, page, the same-host paths it fetched,
    counters of its finished script runs and of its websockets)."""
    from playwright.async_api import async_playwright

    pw = await async_playwright().start()
    browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = await browser.new_page(viewport={"width": 1366, "height": 768})
    finished = [0, 0]  # script runs finished (from the page's websocket frames), websockets opened

    def on_frame(payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, bytes):
            fm = ForwardMsg()
            fm.ParseFromString(payload)
            finished[0] += fm.WhichOneof("type") == "script_finished"

    def on_socket(ws) -> None:
        finished[1] += 1
        ws.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    paths: list[str] = []
    page.on("request", lambda r: paths.append(r.url[len(base):]) if r.url.startswith(base) else None)
    await page.goto(base + "/" + query)
    await wait_browser_view(page, "kk", "2")
    return pw, browser, page, sorted({p for p in paths if not p.startswith("/_stcore/stream")}), finished


async def wait_browser_view(page, lang: str, plants: str, timeout: float = 60_000) -> None:
    from scripts.load import expected_label
    from scripts.pages import MAP_FRAME

    await page.wait_for_function("""([label, plants, frame]) => {
        const app = document.querySelector("[data-testid='stApp']");
        if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
        const f = document.querySelector(frame);
        const box = f && f.contentDocument && f.contentDocument.querySelector('.leaflet-container');
        const labels = [...document.querySelectorAll("[data-testid='stMetricLabel']")].map(e => e.innerText.trim());
        const values = [...document.querySelectorAll("[data-testid='stMetricValue']")].map(e => e.innerText.trim());
        const k = labels.indexOf(label);
        return !!box && k >= 0 && values[k] === plants && box.getAttribute('data-plants-drawn') === plants; }""",
                                 arg=[expected_label(lang, "Plants"), plants, MAP_FRAME], timeout=timeout)


async def browser_after_kill(page, finished: list[int], on_victim: bool, kill_at: float) -> None:
    """The browser's next input after the kill (USD) must work and keep its view: Streamlit's page, on losing
    its socket, reconnects (through nginx, to the survivor) and keeps what it shows; the new session's
    first run, on the next input, brings the URL's query and the widgets' values."""
    if on_victim:
        while finished[1] < 2:  # the page opened a second websocket: it has reconnected
            if time.monotonic() - kill_at > 90:
                raise TimeoutError("the page did not reconnect within 90 s")
            await asyncio.sleep(0.05)  # polls a counter the websocket handler sets
    before = finished[0]
    await page.get_by_test_id("stSidebar").get_by_test_id("stButtonGroup").nth(1).get_by_role(
        "radio", name="USD").click()  # the currency: a label the same in every language
    while finished[0] <= before:
        if time.monotonic() - kill_at > 120:
            raise TimeoutError("no script run after the input")
        await asyncio.sleep(0.05)
    try:
        await wait_browser_view(page, "kk", "2", timeout=30_000)  # still Kazakh, still Diabetes: 2 plants
    except Exception as exc:  # noqa: BLE001 - say what the page shows instead
        shown = await page.evaluate("""() => [[...document.querySelectorAll("[data-testid='stMetricLabel']")]
            .map(e => e.innerText.trim()), [...document.querySelectorAll("[data-testid='stMetricValue']")]
            .map(e => e.innerText.trim()), location.search]""")
        raise AssertionError(f"after the input the page shows {shown}") from exc


QUERIES = ("lang=ru&area=oncology", "lang=kk", "lang=en&area=diabetes", "lang=ru", "lang=kk&area=diabetes", "")
def lang_of(query: str) -> str:
    m = re.search(r"(?:^|&)lang=(\w+)", query)
    return m.group(1) if m and m.group(1) in LANGS else "en"


class Client:
    def __init__(self, base: str, i: int, cookie: str):
        self.i, self.cookie = i, cookie
        self.session = ProtocolSession(base, f"client {i}", random.Random(i), cookie=f"ppm_node={cookie}")
        self.replica = ""
        self.on_victim = False
        self.errors: list[str] = []
        self.latencies: list[float] = []
        self.reconnects: list[float] = []

    async def open(self) -> None:
        query = QUERIES[self.i % len(QUERIES)]
        self.session.lang = lang_of(query)
        self.session.query = query
        await self.session.connect(query)

    async def run(self, until: float, interval: float, killed: asyncio.Event) -> None:
        """Area or company on/off every ``interval`` s; after a lost socket, reconnect and check the view."""
        s = self.session
        k = 0
        next_at = time.monotonic() + random.Random(self.i).uniform(0, interval)
        while True:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if time.monotonic() >= until:
                return
            next_at += interval
            action = ("area", "company")[k % 2]
            k += 1
            started = time.monotonic()
            try:
                await s.act(action)
                self.latencies.append(time.monotonic() - started)
            except Exception as exc:  # noqa: BLE001 - sorted out below: a lost replica or an error
                import websockets

                lost = isinstance(exc, (websockets.ConnectionClosed, OSError)) or "ConnectionClosed" in repr(exc)
                if not (lost and killed.is_set() and self.on_victim):
                    self.errors.append(f"client {self.i} {action}: {exc!r}"[:300])
                    continue
                await self.recover()

    async def recover(self) -> None:
        """Reconnect as the browser does (same cookie, the URL's query) and check the view came back."""
        s = self.session
        lang, plants, query = s.lang, plants_kpi(s.view, s.lang), s.query
        started = time.monotonic()
        with suppress(Exception):  # the socket is already gone
            await s.close()
        try:
            await s.connect(query)
        except Exception as exc:  # noqa: BLE001
            self.errors.append(f"client {self.i} reconnect: {exc!r}"[:300])
            return
        self.reconnects.append(time.monotonic() - started)
        problem = check_explore(s.view, lang)
        if problem or plants_kpi(s.view, lang) != plants:
            self.errors.append(f"client {self.i} recovered a different view: {problem or plants_kpi(s.view, lang)} "
                               f"plants, expected {plants} ({query})")


async def scenario(base: str, log: Path, pids: dict[str, int], clients_n: int, before: float, after: float,
                   interval: float) -> dict:
    pw, browser, page, paths, finished = await first_visit(base, "?lang=kk&area=diabetes")
    browser_cookie = next((c.get("value", "") for c in await page.context.cookies() if c.get("name") == "ppm_node"), "")
    result: dict = {"gzip": gzip_savings(base, paths, browser_cookie)}
    clients = []
    for i in range(clients_n):
        c = Client(base, i, node_cookie(base))
        await c.open()
        clients.append(c)
    killed = asyncio.Event()
    t0 = time.monotonic()
    runs = [asyncio.create_task(c.run(t0 + before + after, interval, killed)) for c in clients]
    await asyncio.sleep(before)  # the first phase: both replicas serve
    where = pinned(log)
    for c in clients:
        c.replica = where.get(c.cookie, "?")
    # the browser's replica, so that a real page's recovery is tested too
    victim = where.get(browser_cookie) or max(pids, key=lambda a: sum(c.replica == a for c in clients))
    for c in clients:
        c.on_victim = c.replica == victim
    killed.set()
    os.kill(pids[victim], signal.SIGKILL)
    kill_at = time.monotonic()
    browser_on_victim = where.get(browser_cookie) == victim
    try:
        await browser_after_kill(page, finished, browser_on_victim, kill_at)
        browser_ok, browser_recovery = True, time.monotonic() - kill_at
    except Exception as exc:  # noqa: BLE001
        browser_ok, browser_recovery = False, repr(exc)[:200]
    await asyncio.gather(*runs)
    for c in clients:
        await c.session.close()
    await browser.close()
    await pw.stop()
    on_victim = [c for c in clients if c.replica == victim]
    others = [c for c in clients if c.replica != victim]
    result.update({
        "replicas": list(pids), "killed": victim,
        "clients": {a: sum(c.replica == a for c in clients) for a in [*pids, "?"]},
        "survivor_errors": sum(len(c.errors) for c in others),
        "victim_clients_recovered": sum(bool(c.reconnects) and not c.errors for c in on_victim),
        "victim_clients": len(on_victim),
        "victim_errors": sum(len(c.errors) for c in on_victim),
        "reconnect": summarize([x for c in clients for x in c.reconnects]),
        "latency": summarize([x for c in clients for x in c.latencies]),
        "browser_on_killed": browser_on_victim, "browser_ok": browser_ok, "browser_recovery_s": browser_recovery,
        "errors": [e for c in clients for e in c.errors][:10],
    })
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--render", action="store_true", help="print the nginx config for --backend ... and exit")
    p.add_argument("--backend", action="append", default=[], help="host:port of a replica (with --render)")
    p.add_argument("--listen", default="80", help="nginx's listen address (with --render)")
    p.add_argument("--prefix", default="/var/lib/pharmamap-nginx", help="folder for nginx's pid, logs, temp files")
    p.add_argument("--clients", type=int, default=12, help=f"protocol sessions (1-{MAX_CLIENTS})")
    p.add_argument("--interval", type=float, default=3.0, help="seconds between a client's inputs (>= 1)")
    p.add_argument("--before", type=float, default=20.0, help="seconds before the kill (5-120)")
    p.add_argument("--after", type=float, default=40.0, help="seconds after the kill (10-240)")
    ns = p.parse_args(argv)
    if ns.render:
        print(render_nginx_conf(ns.backend, ns.listen, ns.prefix, daemon=True), end="")
        return 0
    if not (1 <= ns.clients <= MAX_CLIENTS and ns.interval >= 1 and 5 <= ns.before <= 120 and 10 <= ns.after <= 240):
        p.error(f"--clients 1-{MAX_CLIENTS}, --interval >= 1, --before 5-120, --after 10-240")
    nginx = find_nginx()
    if nginx is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    secret = secrets.token_urlsafe(32)  # one cookie secret for every replica
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="pharmamap-nginx-") as prefix:
        pids: dict[str, int] = {}
        for _ in range(2):
            info: dict = {}
            url = stack.enter_context(streamlit_server(env={"STREAMLIT_SERVER_COOKIE_SECRET": secret}, info=info))
            pids[url.removeprefix("http://")] = info["pid"]
        port = free_port()
        conf = render_nginx_conf(list(pids), f"127.0.0.1:{port}", prefix)
        conf = conf.replace(f"    access_log {prefix}/access.log;",
                            LOG_FORMAT + f"    access_log {prefix}/access.log replicas;")
        (Path(prefix) / "nginx.conf").write_text(conf)
        with open(Path(prefix) / "nginx.out", "w") as out:
            proc = subprocess.Popen([nginx, "-c", f"{prefix}/nginx.conf", "-p", prefix, "-e", f"{prefix}/error.log"],
                                    stdout=out, stderr=subprocess.STDOUT)
        stack.callback(lambda: (proc.terminate(), proc.wait(timeout=10)))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                print(f"nginx exited with {proc.returncode}:\n{(Path(prefix) / 'error.log').read_text()}",
                      file=sys.stderr)
                return 1
            try:
                if fetch(base + "/_stcore/health")[2] == b"ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                print("nginx not answering after 30 s", file=sys.stderr)
                return 1
            time.sleep(0.1)  # a readiness poll
        r = asyncio.run(scenario(base, Path(prefix) / "access.log", pids, ns.clients, ns.before, ns.after,
                                 ns.interval))
    print(report(r))
    ok = (r["survivor_errors"] == 0 and r["victim_errors"] == 0 and r["browser_ok"]
          and r["victim_clients_recovered"] == r["victim_clients"] > 0)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def report(r: dict) -> str:
    g = r["gzip"]
    rc, lat = r["reconnect"], r["latency"]
    rec = r["browser_recovery_s"]
    rec_text = rec if isinstance(rec, str) else f"{rec:.1f} s after the kill"
    return "\n".join([
        f"first visit through nginx: {g['files']} files, {g['plain_bytes'] / 1e6:.2f} MB plain, "
        f"{g['gzip_bytes'] / 1e6:.2f} MB with gzip: {g['saved_bytes'] / 1e6:.2f} MB saved "
        f"({100 * g['saved_bytes'] / max(1, g['plain_bytes']):.0f} %)",
        f"clients per replica: {r['clients']}; killed {r['killed']}",
        f"sessions on the survivor: {r['survivor_errors']} errors; latency p50 {lat['p50'] * 1000:.0f} ms, "
        f"p95 {lat['p95'] * 1000:.0f} ms, max {lat['max'] * 1000:.0f} ms over {lat['n']} inputs",
        f"clients of the killed replica: {r['victim_clients_recovered']} of {r['victim_clients']} reconnected to the "
        f"survivor with their view; {r['victim_errors']} errors; reconnect p50 {rc['p50'] * 1000:.0f} ms, "
        f"max {rc['max'] * 1000:.0f} ms",
        f"browser (on the killed replica: {r['browser_on_killed']}): reconnected, next input kept its view: "
        f"{r['browser_ok']} "
        f"({rec_text})",
        *[f"  error: {e}" for e in r["errors"]],
    ])


if __name__ == "__main__":
    sys.exit(main())
