"""Fixtures every layer shares. The suite is layered:

- unit/      pure code: summaries, ids, config, schemas, the import graph. No I/O.
- client/    the Prolific client and the simulator, over real loopback HTTP (the simulator in a thread).
- protocol/  our server through the SDK's in-memory MCP client; the simulator in-process (ASGI), on a fake clock.
- e2e/       the real command as a subprocess over stdio and HTTP, packaging, real clients, the soak.

Here: the anyio backend, and the simulator on loopback (`sandbox`), which protocol/ overrides with its in-process
twin.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from prolific_taskbuilder_mcp.config import Settings
from prolific_taskbuilder_mcp.sandbox import SandboxState
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox, sandbox_in_thread

from .support.simulator import CANARY_TOKEN

__all__ = ["CANARY_TOKEN", "settings_for"]


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
    _sandbox_session.state.other_tokens = ()
    _sandbox_session.state.paging = "ignore"
    _sandbox_session.state.page_size = 100
    _sandbox_session.state.edge_cookies = False
    _sandbox_session.state.reset()
    return _sandbox_session


def settings_for(sandbox: RunningSandbox, **overrides: Any) -> Settings:
    """Settings for a server that talks to the loopback simulator."""
    values: dict[str, Any] = {"token": CANARY_TOKEN, "api_url": sandbox.url, "request_timeout": 5.0}
    values.update(overrides)
    return Settings.model_validate(values)
