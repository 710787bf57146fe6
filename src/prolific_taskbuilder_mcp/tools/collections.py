"""Collection tools: list, get, summarise responses (when Prolific serves them), export."""

from typing import Annotated

from mcp_types import CallToolResult
from pydantic import Field

from ..boundary import progress_of, tool_boundary
from ..context import Ctx, app_context, client_of, remember
from ..ids import WORKSPACE_ARG, CollectionId, WorkspaceId
from ..reads import collections as reads
from ..summaries.collections import (
    CollectionDetails,
    CollectionList,
    render_collection_list_text,
    render_collection_text,
)
from ..summaries.exports import ExportStatus, render_export_text
from ..summaries.responses import ResponsesSummary, render_summary_text
from ._common import (
    READ_ONLY,
    STARTS_WORK,
    Cursor,
    Timeout,
    ToolSpec,
    check_wait,
    cursor_offset,
    resolve_workspace,
    structured_result,
)


async def list_collections(
    ctx: Ctx,
    workspace_id: Annotated[WorkspaceId | None, Field(description=WORKSPACE_ARG)] = None,
    limit: Annotated[int, Field(strict=True, ge=1, le=50, description="Rows to return, 1-50")] = 20,
    cursor: Cursor = None,
) -> Annotated[CallToolResult, CollectionList]:
    """List a workspace's collections (question pages with no dataset, an early-access feature): id,
    name, pages, creation date. Then get_collection for one."""
    offset = cursor_offset(cursor)
    chosen = resolve_workspace(ctx, workspace_id)
    async with tool_boundary(ctx, "workspace", chosen):
        summary = await reads.list_collections(client_of(ctx), chosen, offset=offset, limit=limit)
    if summary.rows:  # ids seen in results only: a typed id that lists nothing is not offered back
        remember(ctx, "workspace", chosen)
    remember(ctx, "collection", *(row.id for row in reversed(summary.rows)))
    return structured_result(summary, render_collection_list_text(summary))


async def get_collection(collection_id: CollectionId, ctx: Ctx) -> Annotated[CallToolResult, CollectionDetails]:
    """Get a collection: task details and the questions on each page (type, text, options, file rules)."""
    async with tool_boundary(ctx, "collection", collection_id):
        details = await reads.get_collection(client_of(ctx), collection_id)
    remember(ctx, "collection", collection_id)
    return structured_result(details, render_collection_text(details))


async def summarize_collection_responses(
    collection_id: CollectionId, ctx: Ctx
) -> Annotated[CallToolResult, ResponsesSummary]:
    """Aggregate every response to a collection, like summarize_batch_responses. Prolific announced this
    endpoint as not yet available: when it is missing the tool says so; use export_collection then."""
    async with tool_boundary(ctx, "collection", collection_id):
        summary = await reads.summarize_collection_responses(client_of(ctx), collection_id, progress=progress_of(ctx))
    remember(ctx, "collection", collection_id)
    return structured_result(summary, render_summary_text(summary))


async def export_collection(
    collection_id: CollectionId,
    ctx: Ctx,
    wait: Annotated[bool, Field(strict=True, description="Wait for the archive (true) or return at once")] = True,
    timeout_seconds: Timeout = 45,
) -> Annotated[CallToolResult, ExportStatus]:
    """Export every response and uploaded file of a collection as a ZIP: requests it, waits (with progress)
    until complete or failed, returns the download link and expiry. Repeat the call to check on it: it
    returns the same export. Changes no data."""
    check_wait(ctx, timeout_seconds)
    app = app_context(ctx)
    async with tool_boundary(ctx, "export of collection", collection_id):
        export = await reads.export_collection(
            client_of(ctx),
            collection_id,
            wait=wait,
            timeout_seconds=timeout_seconds,
            progress=progress_of(ctx),
            clock=app.clock,
        )
    remember(ctx, "collection", collection_id)
    return structured_result(export, render_export_text(export))


TOOLS = (
    ToolSpec(list_collections, "List a workspace's collections", READ_ONLY),
    ToolSpec(get_collection, "Get a collection", READ_ONLY),
    ToolSpec(summarize_collection_responses, "Summarise a collection's responses", READ_ONLY),
    ToolSpec(export_collection, "Export a collection as a ZIP", STARTS_WORK),
)
"""This toolset's tools, in tools/list order."""
