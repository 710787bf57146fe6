"""Resource templates: the same summaries the tools return, as JSON documents an app can attach.

Ids are validated before any request; a failure is a JSON-RPC error whose message says what to do.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError

from ..context import app_context
from ..ids import IdKind, InvalidIdError, check_id
from ..summaries.batches import summarize_batch
from ..tools._common import calling_prolific, remember
from ..tools.batches import list_workspace_batches, read_instructions, summarize_responses_of_batch
from ..tools.collections import read_collection
from ..tools.datasets import read_dataset


def _valid(kind: IdKind, value: str) -> str:
    try:
        return check_id(kind, value)
    except InvalidIdError as exc:
        raise ResourceError(str(exc)) from None


async def batch_resource(batch_id: str, ctx: Context[Any, Any]) -> str:
    batch_id = _valid("batch", batch_id)
    async with calling_prolific(ctx, "batch", batch_id, error=ResourceError):
        batch = await app_context(ctx).client.get_batch(batch_id)
    remember(ctx, "batch", batch_id)
    return summarize_batch(batch).model_dump_json()


async def batch_instructions_resource(batch_id: str, ctx: Context[Any, Any]) -> str:
    batch_id = _valid("batch", batch_id)
    return (await read_instructions(ctx, batch_id, ResourceError)).model_dump_json()


async def batch_responses_summary_resource(batch_id: str, ctx: Context[Any, Any]) -> str:
    batch_id = _valid("batch", batch_id)
    return (await summarize_responses_of_batch(ctx, batch_id, ResourceError)).model_dump_json()


async def workspace_batches_resource(workspace_id: str, ctx: Context[Any, Any]) -> str:
    workspace_id = _valid("workspace", workspace_id)
    summary = await list_workspace_batches(ctx, workspace_id, limit=50, error=ResourceError)
    return summary.model_dump_json()


async def dataset_resource(dataset_id: str, ctx: Context[Any, Any]) -> str:
    dataset_id = _valid("dataset", dataset_id)
    return (await read_dataset(ctx, dataset_id, ResourceError)).model_dump_json()


async def collection_resource(collection_id: str, ctx: Context[Any, Any]) -> str:
    collection_id = _valid("collection", collection_id)
    return (await read_collection(ctx, collection_id, ResourceError)).model_dump_json()


def _add(server: MCPServer[Any], uri: str, name: str, title: str, description: str, fn: Any) -> None:
    server.resource(uri, name=name, title=title, description=description, mime_type="application/json")(fn)


def register_batches(server: MCPServer[Any]) -> None:
    _add(
        server,
        "prolific://batches/{batch_id}",
        "batch",
        "AI Task Builder batch",
        "One batch as JSON: status and its meaning, next steps, counts, datasets, task details (as get_batch).",
        batch_resource,
    )
    _add(
        server,
        "prolific://batches/{batch_id}/instructions",
        "batch_instructions",
        "A batch's questions",
        "The questions of one batch as JSON: type, text, options, units, file rules (as get_batch_instructions).",
        batch_instructions_resource,
    )
    _add(
        server,
        "prolific://batches/{batch_id}/responses/summary",
        "batch_responses_summary",
        "Summary of a batch's responses",
        "Every response of one batch aggregated, as JSON: totals and per-question answer distributions "
        "(as summarize_batch_responses). Reading it reads every page of responses.",
        batch_responses_summary_resource,
    )
    _add(
        server,
        "prolific://workspaces/{workspace_id}/batches",
        "workspace_batches",
        "A workspace's batches",
        "The 50 newest batches of a workspace and counts per status, as JSON (as list_batches).",
        workspace_batches_resource,
    )


def register_datasets(server: MCPServer[Any]) -> None:
    _add(
        server,
        "prolific://datasets/{dataset_id}",
        "dataset",
        "AI Task Builder dataset",
        "One dataset as JSON: readiness, datapoints, schema fields, imports and their errors (as get_dataset).",
        dataset_resource,
    )


def register_collections(server: MCPServer[Any]) -> None:
    _add(
        server,
        "prolific://collections/{collection_id}",
        "collection",
        "AI Task Builder collection",
        "One collection as JSON: task details and the questions of each page (as get_collection).",
        collection_resource,
    )
