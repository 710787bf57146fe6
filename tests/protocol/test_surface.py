"""Resources, prompts, completions, toolsets and the tools/list order, through a real MCP client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import PromptReference, ResourceTemplateReference, TextContent, TextResourceContents

from prolific_taskbuilder_mcp.config import ConfigError, load_settings
from prolific_taskbuilder_mcp.sandbox import data
from prolific_taskbuilder_mcp.server import create_server
from prolific_taskbuilder_mcp.server.toolsets import TOOLSETS, select
from tests.support.calls import RESOURCE_URIS, TOOL_CALLS, TOOL_ORDER
from tests.support.simulator import InProcessSandbox, server_for

pytestmark = pytest.mark.anyio


async def test_tools_are_listed_in_a_stable_documented_order(client: Client) -> None:
    first = [t.name for t in (await client.list_tools(cache_mode="refresh")).tools]
    second = [t.name for t in (await client.list_tools(cache_mode="refresh")).tools]
    assert first == second == TOOL_ORDER == list(TOOL_CALLS)


async def test_every_tool_argument_has_a_description(client: Client) -> None:
    for tool in (await client.list_tools()).tools:
        assert tool.title
        assert tool.description
        assert "\n" not in tool.description
        for name, spec in tool.input_schema.get("properties", {}).items():
            assert spec.get("description"), f"{tool.name}.{name} has no description"


async def test_only_export_tools_start_work_and_none_is_destructive(client: Client) -> None:
    for tool in (await client.list_tools()).tools:
        assert tool.annotations is not None
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.idempotent_hint is True
        assert tool.annotations.read_only_hint is (not tool.name.startswith("export_"))


# -- resources -------------------------------------------------------------------------------------------


async def test_every_resource_template_is_described_and_readable(client: Client) -> None:
    templates = {t.uri_template: t for t in (await client.list_resource_templates()).resource_templates}
    assert set(templates) == set(RESOURCE_URIS)
    for template, uri in RESOURCE_URIS.items():
        assert templates[template].description
        assert templates[template].mime_type == "application/json"
        read = await client.read_resource(uri)
        content = read.contents[0]
        assert isinstance(content, TextResourceContents)
        assert isinstance(json.loads(content.text), dict)


async def test_resources_carry_the_same_summary_as_the_tools(client: Client) -> None:
    pairs = [
        (
            f"prolific://batches/{data.SURVEY_BATCH_ID}/instructions",
            "get_batch_instructions",
            {"batch_id": data.SURVEY_BATCH_ID},
        ),
        (f"prolific://datasets/{data.V4_FAILED_DATASET_ID}", "get_dataset", {"dataset_id": data.V4_FAILED_DATASET_ID}),
        (f"prolific://collections/{data.COLLECTION_ID}", "get_collection", {"collection_id": data.COLLECTION_ID}),
        (
            f"prolific://batches/{data.READY_BATCH_ID}/responses/summary",
            "summarize_batch_responses",
            {"batch_id": data.READY_BATCH_ID},
        ),
    ]
    for uri, tool, arguments in pairs:
        content = (await client.read_resource(uri)).contents[0]
        assert isinstance(content, TextResourceContents)
        assert json.loads(content.text) == (await client.call_tool(tool, arguments)).structured_content


async def test_workspace_batches_resource_lists_newest_first(client: Client) -> None:
    content = (await client.read_resource(f"prolific://workspaces/{data.WORKSPACE_ID}/batches")).contents[0]
    assert isinstance(content, TextResourceContents)
    listed = json.loads(content.text)
    assert listed["total"] == len(data.BATCHES)
    assert listed["rows"][0]["id"] == data.NO_DETAILS_BATCH_ID


@pytest.mark.parametrize(
    "uri",
    [
        "prolific://datasets/not-a-uuid",
        "prolific://collections/..%2F..",
        "prolific://workspaces/123/batches",
        "prolific://batches/xyz/instructions",
    ],
)
async def test_resources_refuse_malformed_ids_before_any_request(
    client: Client, sandbox: InProcessSandbox, uri: str
) -> None:
    before = sandbox.state.request_count
    with pytest.raises(MCPError, match=r"Nothing was sent to Prolific|Unknown resource"):
        await client.read_resource(uri)
    assert sandbox.state.request_count == before


# -- prompts ---------------------------------------------------------------------------------------------


async def test_prompts_are_described_and_name_the_tools_to_use(client: Client) -> None:
    prompts = {p.name: p for p in (await client.list_prompts()).prompts}
    assert set(prompts) == {"batch_status_report", "troubleshoot_batch", "analyze_batch_responses"}
    expected_tools = {
        "batch_status_report": ["get_batch"],
        "troubleshoot_batch": ["get_batch_status", "wait_for_batch", "get_dataset", "get_batch_instructions"],
        "analyze_batch_responses": ["get_batch_instructions", "summarize_batch_responses", "get_batch_responses"],
    }
    for name, prompt in prompts.items():
        assert prompt.title
        assert prompt.description
        assert prompt.arguments
        assert prompt.arguments[0].name == "batch_id"
        assert prompt.arguments[0].description
        result = await client.get_prompt(name, {"batch_id": data.READY_BATCH_ID})
        content = result.messages[0].content
        assert isinstance(content, TextContent)
        assert data.READY_BATCH_ID in content.text
        for tool in expected_tools[name]:
            assert tool in content.text


async def test_a_prompt_refuses_a_malformed_batch_id(client: Client) -> None:
    with pytest.raises(MCPError, match="expected a UUID"):
        await client.get_prompt("troubleshoot_batch", {"batch_id": "../../users/me"})


# -- completions -----------------------------------------------------------------------------------------


async def test_batch_id_completion_suggests_ids_seen_in_this_session_first(client: Client) -> None:
    await client.call_tool("get_batch_status", {"batch_id": data.ERROR_BATCH_ID})
    await client.call_tool("get_batch_status", {"batch_id": data.READY_BATCH_ID})
    ref = PromptReference(name="troubleshoot_batch")
    done = (await client.complete(ref, {"name": "batch_id", "value": ""})).completion
    assert done.values[:2] == [data.READY_BATCH_ID, data.ERROR_BATCH_ID]
    prefixed = (await client.complete(ref, {"name": "batch_id", "value": "7C1E"})).completion
    assert prefixed.values == [data.ERROR_BATCH_ID]


async def test_completion_adds_ids_from_the_default_workspace(sandbox: InProcessSandbox) -> None:
    async with Client(server_for(sandbox, workspace_id=data.WORKSPACE_ID)) as client:
        ref = ResourceTemplateReference(uri="prolific://batches/{batch_id}")
        done = (await client.complete(ref, {"name": "batch_id", "value": "0"})).completion
        expected = sorted(b["id"] for b in data.BATCHES if b["id"].startswith("0"))
        assert sorted(done.values) == expected
        assert done.total == len(expected)
        collections = ResourceTemplateReference(uri="prolific://collections/{collection_id}")
        found = (await client.complete(collections, {"name": "collection_id", "value": ""})).completion
        assert set(found.values) == {c["id"] for c in data.COLLECTIONS}


async def test_workspace_completion_lists_the_accounts_workspaces(client: Client) -> None:
    ref = ResourceTemplateReference(uri="prolific://workspaces/{workspace_id}/batches")
    done = (await client.complete(ref, {"name": "workspace_id", "value": "62F"})).completion
    assert done.values == [data.OTHER_WORKSPACE_ID]


async def test_completion_is_bounded_and_ignores_unknown_arguments(sandbox: InProcessSandbox) -> None:
    for n in range(30):
        batch_id = f"00000000-0000-4000-8000-{n:012d}"
        sandbox.state.batches[batch_id] = {**data.SEED_BATCH, "id": batch_id}
    async with Client(server_for(sandbox, workspace_id=data.WORKSPACE_ID)) as client:
        ref = PromptReference(name="batch_status_report")
        done = (await client.complete(ref, {"name": "batch_id", "value": "0000"})).completion
        other = (await client.complete(ref, {"name": "colour", "value": ""})).completion
    assert len(done.values) == 20
    assert done.has_more is True
    assert done.total == 30
    assert other.values == []


# -- toolsets --------------------------------------------------------------------------------------------


async def test_toolsets_select_what_is_listed(sandbox: InProcessSandbox) -> None:
    async with Client(server_for(sandbox, toolsets="account,datasets")) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        assert names == ["get_dataset", "whoami", "list_workspaces"]
        templates = [t.uri_template for t in (await client.list_resource_templates()).resource_templates]
        assert templates == ["prolific://datasets/{dataset_id}"]
        assert (await client.list_prompts()).prompts == []


def test_toolsets_are_parsed_from_the_environment_and_flags() -> None:
    base = {"PROLIFIC_TOKEN": "t"}
    every = [toolset.name for toolset in TOOLSETS]
    assert every == ["batches", "datasets", "collections", "account"]
    assert [t.name for t in select(load_settings([], {**base, "PROLIFIC_MCP_TOOLSETS": "all"}).toolsets)] == every
    chosen = load_settings(["--toolsets", "collections, batches"], base).toolsets
    assert [t.name for t in select(chosen)] == ["batches", "collections"]
    assert [t.name for t in select(load_settings([], base).toolsets)] == every
    with pytest.raises(ConfigError, match=r"PROLIFIC_MCP_TOOLSETS.*choose from batches"):
        select(load_settings([], {**base, "PROLIFIC_MCP_TOOLSETS": "batches,writes"}).toolsets)
    with pytest.raises(ConfigError, match=r"--toolsets"):
        load_settings(["--toolsets", " , "], base)


def test_the_default_workspace_must_be_an_object_id() -> None:
    with pytest.raises(ConfigError, match="PROLIFIC_WORKSPACE_ID"):
        load_settings([], {"PROLIFIC_TOKEN": "t", "PROLIFIC_WORKSPACE_ID": "my-workspace"})


async def test_the_demo_uses_its_workspace_by_default() -> None:
    from prolific_taskbuilder_mcp.config import Settings

    async with Client(create_server(Settings(demo=True))) as client:
        result = await client.call_tool("list_batches", {})
        assert result.is_error is False
        structured: Any = result.structured_content
        assert structured["workspace_id"] == data.WORKSPACE_ID


async def test_unknown_tools_prompts_and_resources_are_protocol_errors_listing_what_exists(client: Client) -> None:
    from mcp.shared.exceptions import MCPError

    with pytest.raises(MCPError, match=r"Unknown tool 'nope'; this server has: get_batch, get_batch_status"):
        await client.call_tool("nope", {})
    with pytest.raises(MCPError, match=r"Unknown prompt 'nope'; this server has: batch_status_report"):
        await client.get_prompt("nope", {})
    with pytest.raises(MCPError, match=r"Unknown resource 'prolific://nope/1'; this server reads: prolific://batches/"):
        await client.read_resource("prolific://nope/1")


async def test_completion_never_offers_a_workspace_id_that_only_the_user_typed(client: Client) -> None:
    from mcp_types import ResourceTemplateReference

    typed = "0123456789abcdef01234567"  # well formed, lists nothing
    assert (await client.call_tool("list_batches", {"workspace_id": typed})).is_error is False
    assert (await client.call_tool("list_batches", {"workspace_id": data.WORKSPACE_ID})).is_error is False
    ref = ResourceTemplateReference(uri="prolific://workspaces/{workspace_id}/batches")
    offered = (await client.complete(ref, {"name": "workspace_id", "value": ""})).completion.values
    assert typed not in offered
    assert data.WORKSPACE_ID in offered
