"""Account tools: `whoami` (checks the token) and `list_workspaces`."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult

from ..context import app_context
from ..summaries.account import (
    WhoAmI,
    WorkspaceList,
    WorkspaceRow,
    render_user_text,
    render_workspaces_text,
    summarize_user,
    workspace_row,
)
from ._common import READ_ONLY, ToolSpec, calling_prolific, remember, structured_result

MAX_WORKSPACES = 200


async def whoami(ctx: Context[Any, Any]) -> Annotated[CallToolResult, WhoAmI]:
    """Check that the API token works and whose it is (user id, name, email). Use first when anything
    fails with an authentication error."""
    async with calling_prolific(ctx, "your user account"):
        user = await app_context(ctx).client.get_me()
    me = summarize_user(user)
    return structured_result(me, render_user_text(me))


async def list_workspaces(ctx: Context[Any, Any]) -> Annotated[CallToolResult, WorkspaceList]:
    """List the workspaces the token's owner belongs to (id, title, member count). Use to find the
    workspace_id that list_batches and list_collections need."""
    client = app_context(ctx).client
    rows: list[WorkspaceRow] = []
    total: int | None = None

    async def fetch(offset: int, limit: int) -> Any:
        return await client.list_workspaces(offset=offset, limit=limit)

    async with calling_prolific(ctx, "workspaces"):
        async for page in client.iter_pages(fetch, page_size=100, max_items=MAX_WORKSPACES):
            rows.extend(workspace_row(w) for w in page.items)
            total = page.total
    summary = WorkspaceList(
        total=total if total is not None else len(rows),
        rows=rows[:MAX_WORKSPACES],
        default_workspace_id=app_context(ctx).settings.workspace_id,
    )
    remember(ctx, "workspace", *(row.id for row in reversed(summary.rows)))
    return structured_result(summary, render_workspaces_text(summary))


TOOLS = (
    ToolSpec(whoami, "Check the API token", READ_ONLY),
    ToolSpec(list_workspaces, "List workspaces", READ_ONLY),
)
"""This toolset's tools, in tools/list order."""
