"""Property-based: arbitrary JSON thrown at every tool and resource template.

Every call must come back as a well-formed MCP result (or, for resources, a JSON-RPC error), never crash
the server, and never reach Prolific when the input does not match the tool's input schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, TextContent, Tool

from tests.support.calls import RESOURCE_URIS, TOOL_CALLS
from tests.support.simulator import CANARY_TOKEN, InProcessSandbox, new_sandbox, server_for

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
UUIDISH = st.from_regex(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", fullmatch=True)
NASTY_STRINGS = st.sampled_from(
    ["", "..", "../../users/me", "%2e%2e%2f", "/", "?", "#", "\x00", "\u202e", " " * 40, "x" * 10_000]
)


class Harness:
    """One in-memory MCP client kept open across Hypothesis examples (in a blocking portal's loop)."""

    def __init__(self, portal: BlockingPortal, client: Client, sandbox: InProcessSandbox, tools: dict[str, Tool]):
        self.portal = portal
        self.client = client
        self.sandbox = sandbox
        self.tools = tools


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    sandbox = new_sandbox()
    with start_blocking_portal("asyncio") as portal:
        client_cm = Client(server_for(sandbox, max_attempts=1))
        with portal.wrap_async_context_manager(client_cm) as client:
            tools = {tool.name: tool for tool in portal.call(client.list_tools).tools}
            yield Harness(portal, client, sandbox, tools)


def _valid(arguments: Any, schema: dict[str, Any]) -> bool:
    try:
        jsonschema.validate(arguments, schema)
    except jsonschema.ValidationError:
        return False
    return True


def _check_result(result: CallToolResult) -> None:
    assert result.content
    assert all(isinstance(block, TextContent) for block in result.content)
    text = " ".join(block.text for block in result.content if isinstance(block, TextContent))
    assert CANARY_TOKEN not in text
    assert "Traceback" not in text
    if not result.is_error:
        assert isinstance(result.structured_content, dict)


def _arguments(name: str) -> st.SearchStrategy[Any]:
    keys = st.sampled_from([*TOOL_CALLS[name], "extra"])
    values = JSON | UUIDISH | NASTY_STRINGS
    # Top-level arguments are always an object: the SDK client refuses to send anything else.
    return st.dictionaries(keys, values, max_size=3) | st.dictionaries(st.text(max_size=10), JSON, max_size=3)


@pytest.mark.parametrize("name", sorted(TOOL_CALLS))
def test_tools_survive_arbitrary_arguments(harness: Harness, name: str) -> None:
    schema = harness.tools[name].input_schema

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(arguments=_arguments(name))
    def check(arguments: Any) -> None:
        before = harness.sandbox.state.request_count
        result = harness.portal.call(harness.client.call_tool, name, arguments)
        _check_result(result)
        if not _valid(arguments, schema):
            assert result.is_error is True
            assert harness.sandbox.state.request_count == before

    check()


@pytest.mark.parametrize("template", sorted(RESOURCE_URIS))
def test_resource_templates_survive_arbitrary_parameters(harness: Harness, template: str) -> None:
    prefix = template.split("{")[0]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value=st.text(max_size=60) | UUIDISH | NASTY_STRINGS)
    def check(value: str) -> None:
        before = harness.sandbox.state.request_count
        error: str | None = None
        try:
            read = harness.portal.call(harness.client.read_resource, prefix + value)
        except MCPError as exc:
            error = str(exc)
        else:
            assert read.contents
        if error is not None:
            assert CANARY_TOKEN not in error
            return
        assert harness.sandbox.state.request_count == before + 1  # only a valid id reaches Prolific

    check()
