"""Both protocol generations the SDK speaks: the 2025-11-25 initialize handshake and 2026-07-28."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from prolific_taskbuilder_mcp.sandbox import SEED_BATCH_ID
from prolific_taskbuilder_mcp.server.app import INSTRUCTIONS, WRITES_OFF
from tests.support.processes import COMMAND, child_env

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

VERSIONS = [("legacy", "2025-11-25"), ("2026-07-28", "2026-07-28")]


@pytest.mark.parametrize(("mode", "version"), VERSIONS)
async def test_each_protocol_version_initializes_and_calls_get_batch_over_stdio(mode: Any, version: str) -> None:
    params = StdioServerParameters(command=COMMAND, args=["--demo"], env=child_env())
    async with Client(stdio_client(params), mode=mode) as client:
        assert client.protocol_version == version
        assert client.server_info is None or client.server_info.name == "prolific-taskbuilder-mcp"
        result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
        assert result.is_error is False
        assert isinstance(result.structured_content, dict)
        assert result.structured_content["id"] == SEED_BATCH_ID
        templates = (await client.list_resource_templates()).resource_templates
        assert any(t.uri_template == "prolific://batches/{batch_id}" for t in templates)


async def test_the_handshake_carries_the_server_instructions() -> None:
    params = StdioServerParameters(command=COMMAND, args=["--demo"], env=child_env())
    async with Client(stdio_client(params), mode="legacy") as client:
        assert client.session.instructions == INSTRUCTIONS + WRITES_OFF  # writes are off unless --allow-writes
        assert "--allow-writes" in WRITES_OFF
        assert "list_batches" in INSTRUCTIONS
        assert "wait_for_batch" in INSTRUCTIONS
