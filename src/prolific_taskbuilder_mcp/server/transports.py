"""Transports: stdio (stdout carries only JSON-RPC) and Streamable HTTP at /mcp."""

from __future__ import annotations

import logging
import socket
import sys

import uvicorn

from ..config import Settings
from .app import ProlificMCPServer

logger = logging.getLogger(__name__)


async def run_stdio(server: ProlificMCPServer) -> None:
    await server.run_stdio_async()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(256)
    return sock


async def run_http(server: ProlificMCPServer, settings: Settings) -> None:
    """Serve Streamable HTTP at /mcp. Binds loopback unless told otherwise; the bound URL goes to stderr."""
    app = server.streamable_http_app(streamable_http_path="/mcp", host=settings.host)
    sock = _listen(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"Serving MCP over Streamable HTTP at http://{shown}:{port}/mcp" + "\n")
    config = uvicorn.Config(
        app,
        log_level=settings.log_level.lower(),
        access_log=False,
        log_config=None,  # keep our stderr handler (and its token redaction)
        timeout_graceful_shutdown=10,
    )
    try:
        await uvicorn.Server(config).serve(sockets=[sock])
    finally:
        sock.close()
