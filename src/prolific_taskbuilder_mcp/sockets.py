"""Listening sockets, shared by the HTTP transport and the simulator's runner (no Prolific or MCP knowledge)."""

from __future__ import annotations

import errno
import socket


def listening_socket(host: str, port: int, backlog: int = 256) -> socket.socket:
    """A bound, listening TCP socket with TCP_NODELAY (else small keep-alive responses wait for delayed ACKs).

    Raises OSError (e.g. the port is in use) for the caller to explain.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket, path: str = "") -> str:
    """The http URL a listening socket serves, with the port actually bound (also after asking for port 0)."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


class BindError(Exception):
    """The address could not be bound; the message is one line for the user."""


def bind_or_explain(host: str, port: int) -> socket.socket:
    """`listening_socket`, with a failure to bind turned into a one-line error a user can act on."""
    try:
        return listening_socket(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BindError(
                f"prolific-taskbuilder-mcp: port {port} on {host} is in use: choose another with --port (or "
                "PROLIFIC_MCP_PORT), or --port 0 for any free port (the URL is printed)."
            ) from None
        raise BindError(
            f"prolific-taskbuilder-mcp: cannot listen on {host}:{port} ({exc.strerror or type(exc).__name__}): "
            "check --host (or PROLIFIC_MCP_HOST) and --port (or PROLIFIC_MCP_PORT)."
        ) from None
