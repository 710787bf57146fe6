"""Property-based: arbitrary JSON thrown at every write tool (consent on, a client without elicitation). Every call
comes back as a well-formed result; input that does not match the tool's schema reaches neither Prolific nor the
storage origin, and nothing is ever written without a confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data
from prolific_taskbuilder_mcp.tools import build
from tests.protocol.test_fuzz import JSON, NASTY_STRINGS, UUIDISH, Harness, _check_result, _valid
from tests.support.simulator import new_sandbox, server_for

WRITE_TOOLS = sorted(spec.fn.__name__ for spec in build.TOOLS)
WRITES = ("POST", "PATCH", "PUT", "DELETE")


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    sandbox = new_sandbox()
    server = server_for(sandbox, max_attempts=1, allow_writes=True, workspace_id=data.WORKSPACE_ID)
    with start_blocking_portal("asyncio") as portal, portal.wrap_async_context_manager(Client(server)) as client:
        tools = {tool.name: tool for tool in portal.call(client.list_tools).tools}
        yield Harness(portal, client, sandbox, tools)


def _writes(harness: Harness) -> int:
    return sum(harness.sandbox.state.requests_matching(method) for method in WRITES)


@pytest.mark.parametrize("name", WRITE_TOOLS)
def test_write_tools_survive_arbitrary_arguments_and_write_nothing_unconfirmed(harness: Harness, name: str) -> None:
    schema = harness.tools[name].input_schema
    keys = st.sampled_from([*schema.get("properties", {}), "extra"])
    ids = st.sampled_from([data.READY_BATCH_ID, data.SURVEY_DATASET_ID, data.SEED_BATCH_ID])
    values = JSON | UUIDISH | NASTY_STRINGS | ids
    arguments_of = st.dictionaries(keys, values, max_size=4) | st.dictionaries(st.text(max_size=10), JSON, max_size=3)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(arguments=arguments_of)
    def check(arguments: Any) -> None:
        before = harness.sandbox.state.request_count
        result = harness.portal.call(harness.client.call_tool, name, arguments)
        _check_result(result)
        if not _valid(arguments, schema):
            assert result.is_error is True
            assert harness.sandbox.state.request_count == before
        elif not result.is_error:
            assert isinstance(result.structured_content, dict)
            assert result.structured_content["outcome"] == "needs_confirmation"
        assert _writes(harness) == 0
        assert harness.sandbox.state.storage_requests == []

    check()
