"""Shared fixtures: the simulator on real loopback HTTP, and MCP clients connected to our server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
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
    """The simulator, reset to its seeded state, served over real HTTP on loopback."""
    _sandbox_session.state.reset()
    _sandbox_session.state.processing_delay = 0.5
    _sandbox_session.state.latency = 0.0
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
