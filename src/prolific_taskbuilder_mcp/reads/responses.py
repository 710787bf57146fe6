"""Reading every response of a batch or a collection, one page in memory at a time (shared by both families)."""

from __future__ import annotations

from contextlib import aclosing
from typing import Literal

from ..client import ProlificClient
from ..client.http import OwnerKind
from ..summaries.instructions import Question
from ..summaries.responses import ResponseAggregator, ResponsesSummary
from .progress import Progress

MAX_SUMMARISED_RESPONSES = 2_000_000


async def aggregate_responses(
    client: ProlificClient,
    kind: OwnerKind,
    owner_id: str,
    questions: list[Question],
    progress: Progress,
) -> ResponsesSummary:
    """Read every page of responses and aggregate them, reporting progress after each page."""
    aggregator = ResponseAggregator()
    async with aclosing(client.get_response_digests(kind, owner_id, max_items=MAX_SUMMARISED_RESPONSES)) as pages:
        async for page in pages:
            aggregator.add_page(page.items, page.skipped, page.total, new_request=page.starts_request)
            await progress(aggregator.responses, page.total, f"Read {aggregator.responses} responses")
    owner: Literal["batch", "collection"] = "batch" if kind == "batches" else "collection"
    return aggregator.result(owner, owner_id, questions)
