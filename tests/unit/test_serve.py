"""scripts/serve.py: the listening socket hands TCP_NODELAY to every connection it accepts."""

from __future__ import annotations

import socket

from streamlit.web.server.starlette import starlette_server

from scripts.serve import patch_streamlit


def accepted_nodelay(bind) -> tuple[int, int]:
    """(TCP_NODELAY, protocol number) of a connection accepted by a socket from ``bind``."""
    listener = bind("127.0.0.1", 0, 8)
    listener.setblocking(True)
    try:
        with socket.create_connection(listener.getsockname()):
            conn, _ = listener.accept()
            with conn:
                return conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), conn.proto
    finally:
        listener.close()


def test_streamlit_alone_leaves_nagle_on():
    # the bug worked around: protocol 0, so asyncio does not set TCP_NODELAY. If this fails,
    # Streamlit has fixed it and scripts/serve.py can go.
    assert accepted_nodelay(starlette_server._bind_socket) == (0, 0)


def test_the_patch_turns_nagle_off_for_accepted_connections(monkeypatch):
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)  # undone after
    assert patch_streamlit() is True
    assert patch_streamlit() is True  # twice is once
    assert accepted_nodelay(starlette_server._bind_socket)[0] == 1
