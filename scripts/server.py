"""Start the app (``scripts/serve.py run app.py``, as ``make run`` does) on a free loopback port and
wait until it is healthy.

Used by the end-to-end tests (tests/e2e), scripts/screenshots.py and scripts/benchmark.py. Output
goes to a file, not a PIPE (a full PIPE can block the server); a server that dies fails the wait
at once and its log is shown.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("PHARMAMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """A process's resident memory, MB, from /proc (NaN if the kernel does not say)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class ServerDied(RuntimeError):
    pass


@contextmanager
def streamlit_server(env: dict[str, str] | None = None, timeout: float = 60.0, script: Path | None = None,
                     info: dict | None = None, stock: bool = False, port: int | None = None):
    """Yield the base URL of a running app; stop it afterwards.

    ``script`` runs another Streamlit script (the benchmark's empty page); ``info``, if given,
    receives the server's ``pid`` and ``log`` path. The server starts as ``make run`` starts it
    (scripts/serve.py), or as plain ``streamlit run`` if ``stock``; on ``port`` (a restart) or a free one.
    """
    port = port or free_port()
    with tempfile.NamedTemporaryFile("w+", prefix="streamlit-", suffix=".log", delete=False) as log:
        full_env = {**os.environ, "PHARMAMAP_OFFLINE": "1", **(env or {})}
        proc = subprocess.Popen(
            [sys.executable, *(["-m", "streamlit"] if stock else [str(ROOT / "scripts" / "serve.py")]),
             "run", str(script or ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        if info is not None:
            info.update(pid=proc.pid, log=log.name)
        deadline = time.monotonic() + timeout
        try:
            while True:
                if proc.poll() is not None:
                    raise ServerDied(f"streamlit exited with {proc.returncode}:\n{Path(log.name).read_text()}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.read().decode().strip() == "ok":
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"streamlit not healthy after {timeout}s:\n{Path(log.name).read_text()}")
                time.sleep(0.1)  # polling interval of a readiness probe, not a wait for the app
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
