"""Run the simulator on loopback: in a background thread (tests, benchmark) or in the foreground (CLI)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn

from .app import SandboxState, create_app


def bind_loopback(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket with TCP_NODELAY (else keep-alive responses stall ~40 ms on loopback)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


@dataclass
class RunningSandbox:
    url: str
    state: SandboxState


@contextlib.contextmanager
def sandbox_in_thread(state: SandboxState | None = None, host: str = "127.0.0.1") -> Iterator[RunningSandbox]:
    """Serve the simulator on an ephemeral loopback port for the duration of the block."""
    state = state or SandboxState()
    sock = bind_loopback(host)
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(state), log_level="critical", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.01)
    try:
        yield RunningSandbox(url=f"http://{host}:{port}", state=state)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def serve_forever(host: str, port: int, state: SandboxState) -> None:
    sock = bind_loopback(host, port)
    config = uvicorn.Config(create_app(state), log_level="info", lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
