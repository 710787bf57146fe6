"""Batch tools: `get_batch`."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult

from ..context import app_context
from ..ids import BatchId
from ..summaries.batches import BatchSummary, render_batch_text, summarize_batch
from ._common import READ_ONLY, calling_prolific, structured_result

TOOLSET = "batches"


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


def register(server: MCPServer[Any]) -> None:
    server.add_tool(get_batch, title="Get an AI Task Builder batch", annotations=READ_ONLY)
