"""`completion/complete`: id suggestions for the id arguments of prompts and resource templates.

Ids seen in the asking client's own session come first (most recent first), then, when a default workspace is
configured, ids read from the API; all filtered by the typed prefix, at most 20. Never ids another session saw.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from typing import Any, TypeVar

import anyio
from mcp.server.context import ServerRequestContext
from mcp_types import CompleteRequestParams, CompleteResult, Completion, CompletionArgument
from pydantic import BaseModel

from ..client import ProlificClient, ProlificError
from ..client.models import Page
from ..context import Runtime, SeenIds
from ..ids import IdKind

logger = logging.getLogger(__name__)

MAX_SUGGESTIONS = 20
LOOKUP_SECONDS = 3.0
LOOKUP_ITEMS = 200
T = TypeVar("T", bound=BaseModel)
ARGUMENT_KINDS: dict[str, IdKind] = {
    "batch_id": "batch",
    "dataset_id": "dataset",
    "collection_id": "collection",
    "workspace_id": "workspace",
}


async def _from_api(client: ProlificClient, kind: IdKind, workspace_id: str | None) -> list[str]:
    if kind == "workspace":
        return [w.id for w in await _first(client.list_workspaces(max_items=LOOKUP_ITEMS))]
    if workspace_id is None:
        return []
    if kind == "batch":
        return [b.id for b in await _first(client.list_batches(workspace_id, max_items=LOOKUP_ITEMS))]
    if kind == "collection":
        return [c.id for c in await _first(client.list_collections(workspace_id, max_items=LOOKUP_ITEMS))]
    return []  # datasets have no list endpoint


async def _first(pages: AsyncGenerator[Page[T], None]) -> list[T]:
    """The records of a list's first page (at most LOOKUP_ITEMS of them): suggestions need no more."""
    async with aclosing(pages) as walk:
        async for page in walk:
            return page.items[:LOOKUP_ITEMS]
    return []


def completion_handler(
    runtime: Runtime,
) -> Callable[[ServerRequestContext[Any, Any], CompleteRequestParams], Awaitable[CompleteResult]]:
    """The `completion/complete` handler (registered as a request handler: the SDK's decorator does not pass the
    request's session, which keys what this client has seen)."""

    async def handle(ctx: ServerRequestContext[Any, Any], params: CompleteRequestParams) -> CompleteResult:
        client = runtime.client_for(ctx.request)
        completion = await complete(runtime.seen.of(ctx.session), client, params.argument)
        return CompleteResult(completion=completion or Completion(values=[], total=None, has_more=None))

    async def complete(seen: SeenIds, client: ProlificClient | None, argument: CompletionArgument) -> Completion | None:
        kind = ARGUMENT_KINDS.get(argument.name)
        if kind is None:
            return None
        candidates = seen.recent(kind)
        if client is not None:
            try:
                with anyio.fail_after(LOOKUP_SECONDS):
                    candidates += await _from_api(client, kind, runtime.settings.workspace_id)
            except (ProlificError, TimeoutError) as exc:
                logger.info("completion lookup for %s skipped: %s", argument.name, type(exc).__name__)
        prefix = argument.value.strip().lower()
        matches = list(dict.fromkeys(c for c in candidates if c.lower().startswith(prefix)))
        return Completion(values=matches[:MAX_SUGGESTIONS], total=len(matches), has_more=len(matches) > MAX_SUGGESTIONS)

    return handle
