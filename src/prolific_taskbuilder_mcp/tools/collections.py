"""Collection tools: list, get, summarise responses (when Prolific serves them), export."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from ..client import ProlificError
from ..context import app_context
from ..ids import WORKSPACE_ARG, CollectionId, WorkspaceId
from ..summaries.collections import (
    CollectionDetails,
    CollectionList,
    collection_row,
    render_collection_list_text,
    render_collection_text,
    summarize_collection,
)
from ..summaries.exports import ExportStatus, render_export_text
from ..summaries.responses import ResponsesSummary, render_summary_text
from ..summaries.text import encode_cursor
from ._common import (
    READ_ONLY,
    STARTS_WORK,
    ErrorKind,
    ToolSpec,
    calling_prolific,
    cursor_offset,
    remember,
    structured_result,
)
from .batches import Timeout, aggregate_responses, resolve_workspace, run_export

_NOT_SERVED = frozenset({404, 405, 410, 501})
"""Statuses meaning "the collection responses endpoint does not exist (yet)"."""


async def read_collection(
    ctx: Context[Any, Any], collection_id: str, error: ErrorKind = ToolError
) -> CollectionDetails:
    async with calling_prolific(ctx, "collection", collection_id, error=error):
        collection = await app_context(ctx).client.get_collection(collection_id)
    remember(ctx, "collection", collection_id)
    return summarize_collection(collection)


async def list_collections(
    ctx: Context[Any, Any],
    workspace_id: Annotated[WorkspaceId | None, Field(description=WORKSPACE_ARG)] = None,
    limit: Annotated[int, Field(ge=1, le=50, description="Rows to return, 1-50")] = 20,
    cursor: Annotated[
        str | None, Field(max_length=64, description="next_cursor of the previous result, for more rows")
    ] = None,
) -> Annotated[CallToolResult, CollectionList]:
    """List a workspace's collections (question pages with no dataset, an early-access feature): id,
    name, pages, creation date. Then get_collection for one."""
    offset = cursor_offset(cursor)
    chosen = resolve_workspace(ctx, workspace_id)
    async with calling_prolific(ctx, "workspace", chosen):
        page = await app_context(ctx).client.list_collections(chosen, offset=offset, limit=limit)
    rows = [collection_row(c) for c in page.items[:limit]]
    end = offset + len(rows)
    more = end < page.total if page.total is not None else page.raw_count >= limit
    summary = CollectionList(
        workspace_id=chosen, total=page.total, rows=rows, next_cursor=encode_cursor(end) if more and rows else None
    )
    remember(ctx, "collection", *(row.id for row in reversed(rows)))
    return structured_result(summary, render_collection_list_text(summary))


async def get_collection(
    collection_id: CollectionId, ctx: Context[Any, Any]
) -> Annotated[CallToolResult, CollectionDetails]:
    """Get a collection: task details and the questions on each page (type, text, options, file rules)."""
    details = await read_collection(ctx, collection_id)
    return structured_result(details, render_collection_text(details))


async def summarize_collection_responses(
    collection_id: CollectionId, ctx: Context[Any, Any]
) -> Annotated[CallToolResult, ResponsesSummary]:
    """Aggregate every response to a collection, like summarize_batch_responses. Prolific announced this
    endpoint as not yet available: when it is missing the tool says so; use export_collection then."""
    details = await read_collection(ctx, collection_id)
    async with calling_prolific(ctx, "collection responses of", collection_id):
        try:
            summary = await aggregate_responses(ctx, "collections", collection_id, details.questions)
        except ProlificError as exc:
            if exc.status not in _NOT_SERVED:
                raise
            raise ToolError(
                f"Prolific does not serve responses for collection {collection_id} yet ({exc.status}): the "
                "endpoint is announced as coming soon. Use export_collection to get them as a ZIP."
            ) from None
    return structured_result(summary, render_summary_text(summary))


async def export_collection(
    collection_id: CollectionId,
    ctx: Context[Any, Any],
    wait: Annotated[bool, Field(description="Wait for the archive (true) or return at once")] = True,
    timeout_seconds: Timeout = 45,
) -> Annotated[CallToolResult, ExportStatus]:
    """Export every response and uploaded file of a collection as a ZIP: requests it, waits (with progress)
    until complete or failed, returns the download link and expiry. Repeat the call to check on it: it
    returns the same export. Changes no data."""
    export = await run_export(ctx, "collections", collection_id, wait, timeout_seconds)
    return structured_result(export, render_export_text(export))


TOOLS = (
    ToolSpec(list_collections, "List a workspace's collections", READ_ONLY),
    ToolSpec(get_collection, "Get a collection", READ_ONLY),
    ToolSpec(summarize_collection_responses, "Summarise a collection's responses", READ_ONLY),
    ToolSpec(export_collection, "Export a collection as a ZIP", STARTS_WORK),
)
"""This toolset's tools, in tools/list order."""
