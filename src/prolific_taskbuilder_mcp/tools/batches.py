"""Batch tools: `get_batch`, `get_batch_status`."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult

from ..context import app_context
from ..ids import BatchId
from ..summaries.batches import (
    BatchStatusSummary,
    BatchSummary,
    render_batch_text,
    render_status_text,
    summarize_batch,
    summarize_status,
)
from ._common import READ_ONLY, calling_prolific, structured_result


async def get_batch(batch_id: BatchId, ctx: Context[Any, Any]) -> Annotated[CallToolResult, BatchSummary]:
    """Get one AI Task Builder batch: its status and what that means, the next steps, task and instruction
    counts, attached datasets, and the task introduction and steps as plain text.

    Use it when the user asks about a specific batch ("is my batch ready?", "what is batch X?").
    Needs the batch id (a UUID). Read-only.
    """
    client = app_context(ctx).client
    async with calling_prolific(ctx, "batch", batch_id):
        batch = await client.get_batch(batch_id)
    summary = summarize_batch(batch)
    return structured_result(summary, render_batch_text(summary))


async def get_batch_status(batch_id: BatchId, ctx: Context[Any, Any]) -> Annotated[CallToolResult, BatchStatusSummary]:
    """Check only the status of one AI Task Builder batch (UNINITIALISED, PROCESSING, READY or ERROR),
    what it means and what to do next. Cheaper than get_batch: use it to answer "is my batch ready?" or
    to poll a batch after setup. Read-only.
    """
    client = app_context(ctx).client
    async with calling_prolific(ctx, "batch", batch_id):
        status = await client.get_batch_status(batch_id)
    summary = summarize_status(batch_id, status.status)
    return structured_result(summary, render_status_text(summary))


def register(server: MCPServer[Any]) -> None:
    server.add_tool(get_batch, title="Get an AI Task Builder batch", annotations=READ_ONLY)
    server.add_tool(get_batch_status, title="Check a batch's status", annotations=READ_ONLY)
