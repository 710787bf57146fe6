"""get_batch and the batch resource, through the SDK's in-memory MCP client, against the simulator over HTTP."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, TextContent

from prolific_taskbuilder_mcp.sandbox import (
    ERROR_BATCH_ID,
    NO_DETAILS_BATCH_ID,
    PROCESSING_BATCH_ID,
    READY_BATCH_ID,
    SEED_BATCH,
    SEED_BATCH_ID,
    Fault,
)
from tests.support.simulator import CANARY_TOKEN, InProcessSandbox, server_for

pytestmark = pytest.mark.anyio


def _text(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


async def _output_schema(client: Client) -> dict[str, Any]:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    schema = tools["get_batch"].output_schema
    assert schema is not None
    return schema


async def test_get_batch_is_listed_with_title_description_schema_and_honest_annotations(client: Client) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    tool = tools["get_batch"]
    assert tool.title
    assert tool.description is not None
    assert "Use for" in tool.description
    assert tool.input_schema["required"] == ["batch_id"]
    assert tool.input_schema["properties"]["batch_id"]["pattern"].startswith("^[0-9a-fA-F]{8}")
    assert tool.annotations is not None
    assert tool.annotations.read_only_hint is True
    assert tool.annotations.idempotent_hint is True
    assert tool.annotations.destructive_hint is False
    assert tool.annotations.open_world_hint is True
    assert tool.output_schema is not None
    assert "status_meaning" in tool.output_schema["properties"]


@pytest.mark.parametrize(
    ("batch_id", "status", "phrase"),
    [
        (SEED_BATCH_ID, "UNINITIALISED", "setup has not run"),
        (READY_BATCH_ID, "READY", "attached to a Prolific study"),
        (PROCESSING_BATCH_ID, "PROCESSING", "turning the dataset into tasks"),
        (ERROR_BATCH_ID, "ERROR", "Setup failed"),
        (NO_DETAILS_BATCH_ID, "UNINITIALISED", "setup has not run"),
    ],
)
async def test_get_batch_answers_for_every_status_with_structure_and_text(
    client: Client, batch_id: str, status: str, phrase: str
) -> None:
    result = await client.call_tool("get_batch", {"batch_id": batch_id})
    assert result.is_error is False
    data = result.structured_content
    assert isinstance(data, dict)
    jsonschema.validate(data, await _output_schema(client))
    assert data["id"] == batch_id
    assert data["status"] == status
    assert phrase in data["status_meaning"]
    assert data["next_steps"]
    text = _text(result)
    assert batch_id in text
    assert status in text
    assert phrase in text
    assert not text.lstrip().startswith("{")  # a compact rendering, not JSON


async def test_the_seed_example_text_is_shorter_than_the_raw_json(client: Client) -> None:
    result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
    assert len(_text(result)) <= len(json.dumps(SEED_BATCH, separators=(",", ":")))


async def test_a_batch_with_two_datasets_lists_both(client: Client) -> None:
    result = await client.call_tool("get_batch", {"batch_id": READY_BATCH_ID})
    data = result.structured_content
    assert isinstance(data, dict)
    assert len(data["datasets"]) == 2
    assert data["layout_pages"] == 1
    assert _text(result).count("Dataset ") == 2


async def test_null_task_details_come_back_as_null(client: Client) -> None:
    result = await client.call_tool("get_batch", {"batch_id": NO_DETAILS_BATCH_ID})
    assert isinstance(result.structured_content, dict)
    assert result.structured_content["task_details"] is None
    assert "Task details: none" in _text(result)


async def test_an_unknown_status_and_extra_fields_survive(sandbox: InProcessSandbox, client: Client) -> None:
    sandbox.state.batches[SEED_BATCH_ID].update({"status": "ARCHIVED", "review_mode": "double-blind"})
    result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
    assert result.is_error is False
    data = result.structured_content
    assert isinstance(data, dict)
    jsonschema.validate(data, await _output_schema(client))
    assert data["status"] == "ARCHIVED"
    assert "newer than this server" in data["status_meaning"]
    assert data["other_fields"] == {"review_mode": "double-blind"}
    assert "double-blind" in _text(result)


async def test_the_processing_batch_is_seen_turning_ready(sandbox: InProcessSandbox, client: Client) -> None:
    sandbox.state.processing_delay = 0.0
    result = await client.call_tool("get_batch", {"batch_id": PROCESSING_BATCH_ID})
    assert isinstance(result.structured_content, dict)
    assert result.structured_content["status"] == "READY"
    assert result.structured_content["total_task_count"] == 250


INVALID_IDS: list[Any] = [
    "not-a-uuid",
    "",
    "x" * 10_000,
    "../x",
    "../../users/me",
    "%2e%2e%2fusers%2fme",
    f"{SEED_BATCH_ID}/status",
    f"{SEED_BATCH_ID}%2F..",
    f"{SEED_BATCH_ID}\n",
    f" {SEED_BATCH_ID}",
    "a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2g",
    "a3f47c2e9d4b4f1a8b2e3c9d7f5a1b2c",
    12345,
    None,
    ["a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c"],
]


@pytest.mark.parametrize("batch_id", INVALID_IDS, ids=lambda v: repr(v)[:30])
async def test_invalid_batch_ids_are_refused_without_calling_prolific(
    sandbox: InProcessSandbox, client: Client, batch_id: Any
) -> None:
    result = await client.call_tool("get_batch", {"batch_id": batch_id})
    assert result.is_error is True
    text = _text(result)
    assert "batch_id" in text
    assert "UUID such as a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c" in text
    assert "Nothing was sent to Prolific" in text
    assert len(text) < 400  # a 10,000-character input is not echoed back
    assert sandbox.state.request_count == 0


async def test_a_missing_batch_id_says_it_is_required(sandbox: InProcessSandbox, client: Client) -> None:
    result = await client.call_tool("get_batch", {})
    assert result.is_error is True
    assert "batch_id is required" in _text(result)
    assert sandbox.state.request_count == 0


@pytest.mark.parametrize(
    ("fault", "phrases"),
    [
        (Fault(kind="status", status=403), ["refused access", "403"]),
        (Fault(kind="status", status=404), ["No batch", "404", "Check the"]),
        (Fault(kind="status", status=429, retry_after="120", times=None), ["rate limiting", "Wait 120 s"]),
        (Fault(kind="status", status=500), ["server error (500)", "try again"]),
        (Fault(kind="html", status=502, times=None), ["server error (502)"]),
        (Fault(kind="not_json"), ["unexpected response (status 200)", "not JSON"]),
        (Fault(kind="delay", seconds=3.0, times=None), ["did not answer in time", "PROLIFIC_TIMEOUT"]),
        (Fault(kind="truncated", times=None), ["Could not reach Prolific"]),
    ],
)
async def test_upstream_failures_become_error_results_that_say_what_to_do(
    sandbox: InProcessSandbox, fault: Fault, phrases: list[str]
) -> None:
    sandbox.state.add_fault(fault)
    async with Client(server_for(sandbox, request_timeout=0.3, max_attempts=2, call_deadline=0.3)) as client:
        result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
    assert result.is_error is True
    text = _text(result)
    for phrase in phrases:
        assert phrase in text
    assert "Traceback" not in text
    assert CANARY_TOKEN not in text


async def test_a_rejected_token_says_how_to_fix_it(sandbox: InProcessSandbox) -> None:
    async with Client(server_for(sandbox, token="not-the-right-token")) as client:
        result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
    assert result.is_error is True
    assert "rejected the API token" in _text(result)
    assert "PROLIFIC_TOKEN" in _text(result)
    assert "not-the-right-token" not in _text(result)


async def test_the_server_keeps_serving_after_failures(sandbox: InProcessSandbox, client: Client) -> None:
    sandbox.state.add_fault(Fault(kind="not_json"))
    assert (await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})).is_error is True
    assert (await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})).is_error is False


# -- the resource template ----------------------------------------------------------------------------


async def test_the_batch_resource_template_is_listed_with_a_description(client: Client) -> None:
    templates = (await client.list_resource_templates()).resource_templates
    template = next(t for t in templates if t.uri_template == "prolific://batches/{batch_id}")
    assert template.mime_type == "application/json"
    assert template.description
    assert template.title


async def test_the_batch_resource_returns_the_same_summary_as_get_batch(client: Client) -> None:
    read = await client.read_resource(f"prolific://batches/{READY_BATCH_ID}")
    content = read.contents[0]
    assert content.mime_type == "application/json"
    assert hasattr(content, "text")
    tool = await client.call_tool("get_batch", {"batch_id": READY_BATCH_ID})
    assert json.loads(content.text) == tool.structured_content


@pytest.mark.parametrize("bad", ["nope", "..", "%2e%2e", "x" * 500])
async def test_the_batch_resource_refuses_invalid_ids_without_calling_prolific(
    sandbox: InProcessSandbox, client: Client, bad: str
) -> None:
    with pytest.raises(MCPError):
        await client.read_resource(f"prolific://batches/{bad}")
    assert sandbox.state.request_count == 0


async def test_the_batch_resource_reports_upstream_failures_clearly(client: Client) -> None:
    with pytest.raises(MCPError, match="No batch 00000000-0000-4000-8000-000000000404"):
        await client.read_resource("prolific://batches/00000000-0000-4000-8000-000000000404")


# -- get_batch_status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("batch_id", "status", "final"),
    [
        (SEED_BATCH_ID, "UNINITIALISED", False),
        (READY_BATCH_ID, "READY", True),
        (PROCESSING_BATCH_ID, "PROCESSING", False),
        (ERROR_BATCH_ID, "ERROR", True),
    ],
)
async def test_get_batch_status_reads_only_the_status_endpoint(
    sandbox: InProcessSandbox, client: Client, batch_id: str, status: str, final: bool
) -> None:
    result = await client.call_tool("get_batch_status", {"batch_id": batch_id})
    assert result.is_error is False
    data = result.structured_content
    assert isinstance(data, dict)
    assert (data["batch_id"], data["status"], data["is_final"]) == (batch_id, status, final)
    assert data["next_steps"]
    assert status in _text(result)
    assert dict(sandbox.state.requests) == {f"GET /api/v1/data-collection/batches/{batch_id}/status": 1}


async def test_get_batch_status_keeps_a_null_or_unknown_status(sandbox: InProcessSandbox, client: Client) -> None:
    sandbox.state.batches[SEED_BATCH_ID]["status"] = None
    result = await client.call_tool("get_batch_status", {"batch_id": SEED_BATCH_ID})
    assert isinstance(result.structured_content, dict)
    assert result.structured_content["status"] is None
    assert "did not report a status" in _text(result)
    sandbox.state.batches[SEED_BATCH_ID]["status"] = "ARCHIVED"
    result = await client.call_tool("get_batch_status", {"batch_id": SEED_BATCH_ID})
    assert isinstance(result.structured_content, dict)
    assert result.structured_content["status"] == "ARCHIVED"
    assert result.structured_content["is_final"] is False


async def test_get_batch_status_refuses_invalid_ids_without_calling_prolific(
    sandbox: InProcessSandbox, client: Client
) -> None:
    result = await client.call_tool("get_batch_status", {"batch_id": "../../users/me"})
    assert result.is_error is True
    assert "UUID" in _text(result)
    assert sandbox.state.request_count == 0
