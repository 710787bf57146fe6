"""`prolific://batches/{batch_id}`: the same structured summary as `get_batch`, as JSON."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError

from ..context import app_context
from ..ids import InvalidIdError, check_batch_id
from ..summaries.batches import summarize_batch
from ..tools._common import calling_prolific


async def batch_resource(batch_id: str, ctx: Context[Any, Any]) -> str:
    try:
        batch_id = check_batch_id(batch_id)
    except InvalidIdError as exc:
        raise ResourceError(str(exc)) from None
    async with calling_prolific(ctx, "batch", batch_id, error=ResourceError):
        batch = await app_context(ctx).client.get_batch(batch_id)
    return summarize_batch(batch).model_dump_json()


def register(server: MCPServer[Any]) -> None:
    server.resource(
        "prolific://batches/{batch_id}",
        name="batch",
        title="AI Task Builder batch",
        description=(
            "One AI Task Builder batch as JSON: status and its meaning, next steps, counts, datasets and "
            "task details as plain text. The same summary get_batch returns."
        ),
        mime_type="application/json",
    )(batch_resource)
