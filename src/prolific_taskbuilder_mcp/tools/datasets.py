"""Dataset tools: `get_dataset`."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult

from ..context import app_context
from ..ids import DatasetId
from ..summaries.datasets import DatasetDetails, render_dataset_text, summarize_dataset_details
from ._common import READ_ONLY, ErrorKind, ToolSpec, calling_prolific, remember, structured_result


async def read_dataset(ctx: Context[Any, Any], dataset_id: str, error: ErrorKind = ToolError) -> DatasetDetails:
    async with calling_prolific(ctx, "dataset", dataset_id, error=error):
        dataset = await app_context(ctx).client.get_dataset(dataset_id)
    remember(ctx, "dataset", dataset_id)
    return summarize_dataset_details(dataset)


async def get_dataset(dataset_id: DatasetId, ctx: Context[Any, Any]) -> Annotated[CallToolResult, DatasetDetails]:
    """Get a dataset: readiness, datapoint count, schema fields (V4) and upload imports with their
    rejected records. Use when a batch is stuck or failed, or to check uploaded data. Dataset ids appear in
    get_batch."""
    details = await read_dataset(ctx, dataset_id)
    return structured_result(details, render_dataset_text(details))


TOOLS = (ToolSpec(get_dataset, "Get a dataset", READ_ONLY),)
"""This toolset's tools, in tools/list order."""
