"""Dataset tools: `get_dataset`."""

from typing import Annotated

from mcp_types import CallToolResult

from ..boundary import tool_boundary
from ..context import Ctx, client_of, remember
from ..ids import DatasetId
from ..reads import datasets as reads
from ..summaries.datasets import DatasetDetails, render_dataset_text
from ._common import READ_ONLY, ToolSpec, structured_result


async def get_dataset(dataset_id: DatasetId, ctx: Ctx) -> Annotated[CallToolResult, DatasetDetails]:
    """Get a dataset: readiness, datapoint count, schema fields (V4) and upload imports with their
    rejected records. Use when a batch is stuck or failed, or to check uploaded data. Dataset ids appear in
    get_batch."""
    async with tool_boundary(ctx, "dataset", dataset_id):
        details = await reads.get_dataset(client_of(ctx), dataset_id)
    remember(ctx, "dataset", dataset_id)
    return structured_result(details, render_dataset_text(details))


TOOLS = (ToolSpec(get_dataset, "Get a dataset", READ_ONLY),)
"""This toolset's tools, in tools/list order."""
