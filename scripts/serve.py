"""``streamlit`` with small responses sent at once: ``python scripts/serve.py run app.py [options]``.

Streamlit 1.67 binds its listening socket itself, as ``socket.socket(family)``, so the sockets it
accepts carry protocol number 0, and asyncio only turns Nagle's algorithm off (TCP_NODELAY) on
sockets whose protocol is IPPROTO_TCP. Every small response after the first on a keep-alive
connection (most of the page's ~150 JavaScript chunks) then waits for the browser's delayed ACK:
44 ms per file here, against 0.6 ms with the option set (docs/performance.md). Setting the option
on the listening socket fixes it: Linux copies it to every accepted socket.

Everything else is ``streamlit`` itself. If a release renames the function patched here, the app
is served as before, a warning says so on start, and tests/unit/test_serve.py fails. Measured gain:
docs/performance.md ("Floor" and "Stock floor": an empty page 0.74 s against 0.94 s, 7-run medians).
"""

from __future__ import annotations

import socket
import sys


def patch_streamlit() -> bool:
    """Make Streamlit's listening socket set TCP_NODELAY; False if this Streamlit has no such hook."""
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None or getattr(bind, "nodelay", False):
        return bind is not None

    def bind_nodelay(address: str, port: int, backlog: int) -> socket.socket:
        sock = bind(address, port, backlog)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    bind_nodelay.nodelay = True  # type: ignore[attr-defined]
    starlette_server._bind_socket = bind_nodelay
    return True


def main() -> None:
    if not patch_streamlit():
        print("scripts/serve.py: this Streamlit has no starlette_server._bind_socket; serving without "
              "TCP_NODELAY (pages load slower; see docs/performance.md)", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
