"""Protocol tests: our server through the SDK's in-memory MCP client, the simulator in-process on a fake clock.

`sandbox` here is the in-process simulator (overriding the loopback one); `server_for(sandbox, ...)` builds a server
that talks to it, `client` is an MCP client connected to such a server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data

from ..support.simulator import InProcessSandbox, new_sandbox, server_for


@pytest.fixture
def sandbox() -> InProcessSandbox:
    return new_sandbox()


@pytest.fixture
async def client(sandbox: InProcessSandbox) -> AsyncIterator[Client]:
    async with Client(server_for(sandbox)) as connected:
        yield connected


@pytest.fixture
async def ws_client(sandbox: InProcessSandbox) -> AsyncIterator[Client]:
    """A client whose server has a default workspace (PROLIFIC_WORKSPACE_ID)."""
    async with Client(server_for(sandbox, workspace_id=data.WORKSPACE_ID)) as connected:
        yield connected
