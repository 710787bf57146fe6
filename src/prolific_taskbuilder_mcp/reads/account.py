"""Account reads: the token's user and their workspaces."""

from __future__ import annotations

from ..client import ProlificClient
from ..summaries.account import WhoAmI, WorkspaceList, summarize_user, workspace_row
from .paging import read_all

MAX_WORKSPACES = 200


async def whoami(client: ProlificClient) -> WhoAmI:
    return summarize_user(await client.get_me())


async def list_workspaces(client: ProlificClient, *, default_workspace_id: str | None) -> WorkspaceList:
    read = await read_all(client.list_workspaces(max_items=MAX_WORKSPACES), MAX_WORKSPACES)
    rows = [workspace_row(w) for w in read.items]
    return WorkspaceList(
        total=read.total if read.total is not None else len(rows),
        rows=rows,
        default_workspace_id=default_workspace_id,
    )
