"""The README's tool table says exactly which Prolific endpoints each tool calls: held to the requests the
client really makes against the simulator, for every tool (batch tools also on a legacy batch, whose questions
come from the deprecated endpoint)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data

from ..support.calls import TOOL_CALLS
from ..support.simulator import InProcessSandbox, new_sandbox, server_for

pytestmark = pytest.mark.anyio

README = (Path(__file__).parents[2] / "README.md").read_text()
ENDPOINT = re.compile(r"`((?:GET|POST|PUT|PATCH|DELETE) [^`]+)`")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
OBJECT_ID = re.compile(r"\b[0-9a-f]{24}\b")
LEGACY_VARIANTS: dict[
    str, dict[str, object]
] = {  # batch tools whose calls differ for a legacy batch (no layout): same tool, other batch
    "get_batch_instructions": {"batch_id": data.PROCESSING_BATCH_ID},
    "get_batch_responses": {"batch_id": data.PROCESSING_BATCH_ID, "limit": 5},
    "summarize_batch_responses": {"batch_id": data.PROCESSING_BATCH_ID},
}


WRITE_TOOLS = (
    "create_dataset",
    "add_datapoints",
    "create_batch",
    "update_batch",
    "duplicate_batch",
    "setup_batch",
    "sync_batch",
)


def _documented() -> dict[str, set[str]]:
    """tool -> endpoints from the README table's last column, as 'GET /data-collection/batches/{id}'."""
    table: dict[str, set[str]] = {}
    for line in README.splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 5 or not cells[2].startswith("`"):
            continue
        tool = cells[2].strip("`").split("(")[0]
        if tool in TOOL_CALLS or tool in WRITE_TOOLS:
            table[tool] = {_normal(found) for found in ENDPOINT.findall(cells[4])}
    return table


def _normal(endpoint: str) -> str:
    method, _, path = endpoint.partition(" ")
    path = path.split("?")[0].rstrip("/").replace("…", "/data-collection", 1)
    path = path.removeprefix("/api/v1")
    path = re.sub(r"\{[a-z_]*id\}", "{id}", path)
    return f"{method} {path}"


def _observed(requests: Counter[str]) -> set[str]:
    found = set()
    for request in requests:
        method, _, path = request.partition(" ")
        path = OBJECT_ID.sub("{id}", UUID.sub("{id}", path)).removeprefix("/api/v1").rstrip("/")
        path = re.sub(r"/upload-url/[^/]+$", "/upload-url/{filename}", path)
        found.add(f"{method} {path}")
    return found


async def _requests_of(client: Client, sandbox: InProcessSandbox, tool: str, arguments: dict[str, object]) -> set[str]:
    sandbox.state.requests = Counter()
    sandbox.state.storage_requests = []
    result = await client.call_tool(tool, arguments)
    assert result.is_error is False, result.content
    uploads = {"PUT <upload_url>" for request in sandbox.state.storage_requests if request["method"] == "PUT"}
    return _observed(sandbox.state.requests) | uploads


@pytest.fixture
def sandbox() -> InProcessSandbox:
    return new_sandbox()


async def test_the_readme_table_names_exactly_the_endpoints_each_tool_calls(sandbox: InProcessSandbox) -> None:
    documented = {tool: calls for tool, calls in _documented().items() if tool in TOOL_CALLS}
    assert set(documented) == set(TOOL_CALLS)
    mismatches = []
    async with Client(server_for(sandbox, workspace_id=data.WORKSPACE_ID)) as client:
        for tool, arguments in TOOL_CALLS.items():
            if tool == "export_batch":
                sandbox.state.export_polls = 1  # one status read: the documented GET happens
            seen = await _requests_of(client, sandbox, tool, arguments)
            if tool in LEGACY_VARIANTS:
                seen |= await _requests_of(client, sandbox, tool, LEGACY_VARIANTS[tool])
            if tool == "export_batch":
                seen |= await _requests_of(client, sandbox, "export_batch", {"batch_id": data.SURVEY_BATCH_ID})
            if tool == "export_collection":  # the sample call does not wait; waiting reads the job's status
                sandbox.state.export_polls = 1
                seen |= await _requests_of(client, sandbox, tool, {"collection_id": data.COLLECTION_ID, "wait": True})
            if seen != documented[tool]:
                mismatches.append(f"{tool}: README says {sorted(documented[tool])}, the client calls {sorted(seen)}")
    assert not mismatches, "\n".join(mismatches)


async def test_the_readme_table_names_exactly_the_endpoints_each_write_tool_calls(sandbox: InProcessSandbox) -> None:
    documented = _documented()
    question = {"type": "free_text", "description": "Why?"}
    body = {
        "name": "b",
        "workspace_id": data.WORKSPACE_ID,
        "dataset_id": data.SURVEY_DATASET_ID,
        "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"},
        "batch_items": [{"rows": [{"columns": [{"items": [question]}]}]}],
    }
    new_batch = sandbox.state.create_batch(body)["id"]
    async with Client(server_for(sandbox, allow_writes=True, confirm_writes="never")) as client:
        renamed = await _requests_of(client, sandbox, "update_batch", {"batch_id": data.READY_BATCH_ID, "name": "x"})
        set_up = await _requests_of(client, sandbox, "setup_batch", {"batch_id": new_batch})
        created = await _requests_of(
            client,
            sandbox,
            "create_batch",
            {
                "name": "n",
                "dataset_id": data.SURVEY_DATASET_ID,
                "task_name": "t",
                "task_introduction": "i",
                "task_steps": "s",
                "questions": [{"type": "free_text", "text": "Why?"}],
                "workspace_id": data.WORKSPACE_ID,
            },
        )
        copied = await _requests_of(client, sandbox, "duplicate_batch", {"batch_id": data.READY_BATCH_ID})
        relaid = await _requests_of(
            client, sandbox, "update_batch", {"batch_id": new_batch, "questions": [{"type": "free_text", "text": "?"}]}
        )
        records = [{"text": "a"}, {"text": "b"}]
        made = await _requests_of(
            client, sandbox, "create_dataset", {"name": "d", "records": records, "workspace_id": data.WORKSPACE_ID}
        )
        appended = await _requests_of(
            client, sandbox, "add_datapoints", {"dataset_id": data.SURVEY_DATASET_ID, "records": records}
        )
        synced = await _requests_of(client, sandbox, "sync_batch", {"batch_id": data.READY_BATCH_ID})
    assert renamed | relaid == documented["update_batch"]
    assert made == documented["create_dataset"]
    assert appended == documented["add_datapoints"]
    assert synced == documented["sync_batch"]
    assert set_up == documented["setup_batch"]
    assert created == documented["create_batch"]
    assert copied == documented["duplicate_batch"]
