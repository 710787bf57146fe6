"""Collection reads: list, get, summarise responses (when Prolific serves them), export."""

from __future__ import annotations

from ..client import ProlificClient, ProlificError
from ..client.clock import Clock
from ..errors import ReadError
from ..summaries.collections import CollectionDetails, CollectionList, collection_row, summarize_collection
from ..summaries.exports import ExportStatus
from ..summaries.responses import ResponsesSummary
from ..summaries.text import encode_cursor
from . import exports
from .paging import window
from .progress import Progress
from .responses import aggregate_responses

_NOT_SERVED = frozenset({404, 405, 410, 501})
"""Statuses meaning "the collection responses endpoint does not exist (yet)"."""


async def list_collections(client: ProlificClient, workspace_id: str, *, offset: int, limit: int) -> CollectionList:
    shown = await window(client.list_collections(workspace_id), offset, limit)
    rows = [collection_row(c) for c in shown.items]
    return CollectionList(
        workspace_id=workspace_id,
        total=shown.total,
        rows=rows,
        next_cursor=encode_cursor(offset + len(rows)) if shown.more and rows else None,
    )


async def get_collection(client: ProlificClient, collection_id: str) -> CollectionDetails:
    return summarize_collection(await client.get_collection(collection_id))


async def summarize_collection_responses(
    client: ProlificClient, collection_id: str, *, progress: Progress
) -> ResponsesSummary:
    """Every response to a collection, aggregated. Prolific announced the endpoint as coming soon: when it is
    missing, a `ReadError` says so and points at the export."""
    details = await get_collection(client, collection_id)
    try:
        return await aggregate_responses(client, "collections", collection_id, details.questions, progress)
    except ProlificError as exc:
        if exc.status not in _NOT_SERVED:
            raise
        raise ReadError(
            f"Prolific does not serve responses for collection {collection_id} yet ({exc.status}): the "
            "endpoint is announced as coming soon. Use export_collection to get them as a ZIP."
        ) from None


async def export_collection(
    client: ProlificClient, collection_id: str, *, wait: bool, timeout_seconds: float, progress: Progress, clock: Clock
) -> ExportStatus:
    return await exports.run_export(
        client, "collections", collection_id, wait=wait, timeout_seconds=timeout_seconds, progress=progress, clock=clock
    )
