"""Run the simulator on loopback: in a background thread (tests, benchmark) or in the foreground (CLI)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn

from ..sockets import listening_socket, url_of
from .app import SandboxState, create_app


@dataclass
class RunningSandbox:
    url: str
    state: SandboxState


@contextlib.contextmanager
def sandbox_in_thread(state: SandboxState | None = None, host: str = "127.0.0.1") -> Iterator[RunningSandbox]:
    """Serve the simulator on an ephemeral loopback port for the duration of the block."""
    state = state or SandboxState()
    sock, storage = listening_socket(host, 0), listening_socket(host, 0)
    state.storage_origin = state.storage_origin or url_of(storage)  # presigned uploads: a second origin
    config = uvicorn.Config(create_app(state), log_level="critical", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock, storage]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.01)
    try:
        yield RunningSandbox(url=url_of(sock), state=state)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        storage.close()


def serve_forever(host: str, port: int, state: SandboxState) -> None:
    sock, storage = listening_socket(host, port), listening_socket(host, 0)
    state.storage_origin = state.storage_origin or url_of(storage)  # presigned uploads: a second origin
    config = uvicorn.Config(create_app(state), log_level="info", lifespan="off")
    uvicorn.Server(config).run(sockets=[sock, storage])
