"""Account tools: `whoami` (checks the token) and `list_workspaces`."""

from typing import Annotated

from mcp_types import CallToolResult

from ..boundary import tool_boundary
from ..context import Ctx, app_context, client_of, remember
from ..reads import account as reads
from ..summaries.account import WhoAmI, WorkspaceList, render_user_text, render_workspaces_text
from ._common import READ_ONLY, ToolSpec, structured_result


async def whoami(ctx: Ctx) -> Annotated[CallToolResult, WhoAmI]:
    """Check that the API token works and whose it is (user id, name, email). Use first when anything
    fails with an authentication error."""
    async with tool_boundary(ctx, "your user account"):
        me = await reads.whoami(client_of(ctx))
    return structured_result(me, render_user_text(me))


async def list_workspaces(ctx: Ctx) -> Annotated[CallToolResult, WorkspaceList]:
    """List the workspaces the token's owner belongs to (id, title, member count). Use to find the
    workspace_id that list_batches and list_collections need."""
    app = app_context(ctx)
    async with tool_boundary(ctx, "workspaces"):
        summary = await reads.list_workspaces(client_of(ctx), default_workspace_id=app.settings.workspace_id)
    remember(ctx, "workspace", *(row.id for row in reversed(summary.rows)))
    return structured_result(summary, render_workspaces_text(summary))


TOOLS = (
    ToolSpec(whoami, "Check the API token", READ_ONLY),
    ToolSpec(list_workspaces, "List workspaces", READ_ONLY),
)
"""This toolset's tools, in tools/list order."""
