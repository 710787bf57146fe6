"""Shared fixtures: the simulator on real loopback HTTP, and MCP clients connected to our server."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.config import Settings
from prolific_taskbuilder_mcp.sandbox import SandboxState
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox, sandbox_in_thread
from prolific_taskbuilder_mcp.server import create_server

# A distinctive token: tests assert it never shows up anywhere a model or a log reader could see it.
CANARY_TOKEN = "canary-tok-9f8e7d6c5b4a-DO-NOT-LEAK"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def _sandbox_session() -> Iterator[RunningSandbox]:
    with sandbox_in_thread(SandboxState(token=CANARY_TOKEN, processing_delay=0.5)) as running:
        yield running


@pytest.fixture
def sandbox(_sandbox_session: RunningSandbox) -> RunningSandbox:
    """The simulator, reset to its seeded state and settings, served over real HTTP on loopback."""
    _sandbox_session.state.wall = time.time
    _sandbox_session.state.url_ttl = 3600.0
    _sandbox_session.state.processing_delay = 0.5
    _sandbox_session.state.latency = 0.0
    _sandbox_session.state.reset()
    return _sandbox_session


def settings_for(sandbox: RunningSandbox, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"token": CANARY_TOKEN, "api_url": sandbox.url, "request_timeout": 5.0}
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
async def client(sandbox: RunningSandbox) -> AsyncIterator[Client]:
    """An MCP client (the SDK's, in memory) connected to our server, which talks to the simulator."""
    async with Client(create_server(settings_for(sandbox))) as connected:
        yield connected


# -- subprocesses of the real command ---------------------------------------------------------------------

COMMAND = shutil.which("prolific-taskbuilder-mcp", path=str(Path(sys.executable).parent)) or "prolific-taskbuilder-mcp"


def child_env(**extra: str) -> dict[str, str]:
    """The test environment without any PROLIFIC* variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROLIFIC")}
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class HttpServer:
    url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    def stderr(self) -> str:
        return self.log.read_text()


@contextmanager
def serve_http(env: dict[str, str], *args: str, log: Path) -> Iterator[HttpServer]:
    """Run `prolific-taskbuilder-mcp --transport http` on a free loopback port until the block ends."""
    port = free_port()
    with log.open("w") as errlog:
        process = subprocess.Popen(
            [COMMAND, "--transport", "http", "--port", str(port), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errlog,
        )
    try:
        deadline = time.monotonic() + 20
        while "Serving MCP over Streamable HTTP" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the HTTP server did not start"
            time.sleep(0.05)
        url = re.findall(r"http://\S+/mcp", log.read_text())[0]
        yield HttpServer(url=url, port=port, log=log, process=process)
    finally:
        process.terminate()
        process.wait(timeout=15)
