"""Account reads: the token's user and their workspaces."""

from __future__ import annotations

from typing import Any

from ..client import ProlificClient
from ..summaries.account import WhoAmI, WorkspaceList, WorkspaceRow, summarize_user, workspace_row

MAX_WORKSPACES = 200
PAGE_SIZE = 100


async def whoami(client: ProlificClient) -> WhoAmI:
    return summarize_user(await client.get_me())


async def list_workspaces(client: ProlificClient, *, default_workspace_id: str | None) -> WorkspaceList:
    rows: list[WorkspaceRow] = []
    total: int | None = None

    async def fetch(offset: int, limit: int) -> Any:
        return await client.list_workspaces(offset=offset, limit=limit)

    async for page in client.iter_pages(fetch, page_size=PAGE_SIZE, max_items=MAX_WORKSPACES):
        rows.extend(workspace_row(w) for w in page.items)
        total = page.total
    return WorkspaceList(
        total=total if total is not None else len(rows),
        rows=rows[:MAX_WORKSPACES],
        default_workspace_id=default_workspace_id,
    )
