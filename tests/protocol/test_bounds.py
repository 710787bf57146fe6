"""Bounded outputs, whatever the upstream size: every tool on a huge account (sizes, not timings).

Through the SDK's in-memory MCP client; the simulator in-process.

Expected values are computed from the simulator's own data and generator (a separate package from the
client), so each assertion compares two independent readings of the API.
"""

from __future__ import annotations

import json

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data
from tests.protocol.helpers import SURVEY, call_ok
from tests.support.simulator import InProcessSandbox, server_for

pytestmark = pytest.mark.anyio


# -- bounded outputs, whatever the upstream size (issue 4 guard; sizes, not timings) ------------------------


async def test_every_tool_result_stays_bounded_on_a_huge_account(ws_client: Client, sandbox: InProcessSandbox) -> None:
    from tests.support.calls import TOOL_CALLS

    for n in range(2500):
        batch_id = f"00000000-0000-4000-8000-{n:012d}"
        sandbox.state.batches[batch_id] = {**data.SURVEY_BATCH, "id": batch_id, "name": "x" * 300}
    sandbox.state.response_counts[SURVEY] = 12_000
    sandbox.state.response_counts[data.READY_BATCH_ID] = 12_000
    calls = {**TOOL_CALLS, "list_batches": {"limit": 50}, "get_batch_responses": {"batch_id": SURVEY, "limit": 100}}
    for tool, arguments in calls.items():
        text, out = await call_ok(ws_client, tool, arguments)
        assert len(text) <= 6000, tool
        assert len(json.dumps(out)) <= 20_000, tool
    _, listed = await call_ok(ws_client, "list_batches", {"limit": 50})
    assert listed["incomplete"] is True
    assert listed["next_cursor"] is not None


async def test_a_summary_reads_an_unpaged_body_larger_than_the_single_object_limit(sandbox: InProcessSandbox) -> None:
    """30,000 responses in one body (about 19 MB, past the 10 MiB limit that still guards single objects)."""
    sandbox.state.response_counts[data.READY_BATCH_ID] = 30_000
    async with Client(server_for(sandbox)) as client:
        _, out = await call_ok(client, "summarize_batch_responses", {"batch_id": data.READY_BATCH_ID})
    assert out["responses"] == out["reported_total"] == 30_000
    assert out["pages_read"] == 1
    assert sandbox.state.requests_matching("/responses") == 1


async def test_a_list_body_over_its_own_limit_names_the_setting(sandbox: InProcessSandbox) -> None:
    sandbox.state.response_counts[data.READY_BATCH_ID] = 5_000
    async with Client(server_for(sandbox, max_list_body_bytes=1024 * 1024)) as client:
        result = await client.call_tool("summarize_batch_responses", {"batch_id": data.READY_BATCH_ID})
    assert result.is_error is True
    text = result.content[0].text  # type: ignore[union-attr]
    assert "PROLIFIC_MCP_MAX_LIST_BODY_BYTES" in text
    assert "Try again later" not in text
