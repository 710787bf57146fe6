"""Batch reads: look up, list, wait for, read the questions and responses of, report on and export batches."""

from __future__ import annotations

from typing import Literal

import anyio

from ..client import ClientRequestError, NotFoundError, ProlificClient
from ..client.clock import Clock
from ..client.errors import NetworkError, RateLimitedError, RequestTimeoutError, UpstreamError
from ..client.models import Batch
from ..summaries import instructions as instr
from ..summaries.batches import (
    BatchList,
    BatchStatusSummary,
    BatchSummary,
    WaitResult,
    summarize_batch,
    summarize_batch_list,
    summarize_status,
    summarize_wait,
)
from ..summaries.exports import ExportStatus, ReportLink, summarize_report
from ..summaries.instructions import BatchInstructions
from ..summaries.responses import ResponsesPage, ResponsesSummary, summarize_page
from ..summaries.text import encode_cursor
from . import exports
from .paging import read_all, window
from .progress import Progress, poll_budget
from .responses import aggregate_responses

MAX_LIST_ITEMS = 2000
"""Batches read from one workspace for list_batches (sorting and counting need them all)."""
_TRANSIENT = (UpstreamError, NetworkError, RequestTimeoutError, RateLimitedError)

WaitTarget = Literal["READY", "PROCESSING", "ERROR"]


async def get_batch(client: ProlificClient, batch_id: str) -> BatchSummary:
    return summarize_batch(await client.get_batch(batch_id))


async def get_batch_status(client: ProlificClient, batch_id: str) -> BatchStatusSummary:
    status = await client.get_batch_status(batch_id)
    return summarize_status(batch_id, status.status)


async def batch_questions(client: ProlificClient, batch: Batch) -> BatchInstructions:
    """The questions of a batch: from its layout, else from the legacy endpoint (retired 1 Sep 2026)."""
    if batch.batch_items:
        return instr.from_layout(batch.id, batch.batch_items)
    try:
        legacy = await client.get_legacy_instructions(batch.id)
    except (NotFoundError, ClientRequestError) as exc:
        return instr.unavailable(
            batch.id,
            f"The batch has no page layout, and the legacy instructions endpoint answered {exc.status}: it was "
            "deprecated with a sunset of 1 Sep 2026. Open the batch in the Prolific app to see its questions.",
        )
    return instr.from_legacy(batch.id, legacy)


async def get_batch_instructions(client: ProlificClient, batch_id: str) -> BatchInstructions:
    return await batch_questions(client, await client.get_batch(batch_id))


async def list_batches(
    client: ProlificClient,
    workspace_id: str,
    *,
    status: str | None = None,
    name_contains: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> BatchList:
    """One page of a workspace's batches, newest first, with counts per status over all of them."""
    read = await read_all(client.list_batches(workspace_id, max_items=MAX_LIST_ITEMS), MAX_LIST_ITEMS)
    unread = read.more or (read.total is not None and read.total > len(read.items) + read.skipped)
    summary, next_offset = summarize_batch_list(
        workspace_id,
        read.items,
        status=status,
        name_contains=name_contains,
        offset=offset,
        limit=limit,
        incomplete=unread,
    )
    if next_offset is not None:
        summary.next_cursor = encode_cursor(next_offset)
    return summary


async def wait_for_batch(
    client: ProlificClient,
    batch_id: str,
    until: WaitTarget,
    timeout_seconds: float,
    *,
    progress: Progress,
    clock: Clock,
) -> WaitResult:
    """Poll a batch's status with backoff until it reaches `until` (or ERROR), or the timeout passes."""
    started = clock.now()
    delay, polls, failures = 1.0, 0, 0
    status: str | None = None
    while True:
        hung = False
        try:
            with anyio.move_on_after(poll_budget(timeout_seconds, clock.now() - started)) as budget:
                status = (await client.get_batch_status(batch_id)).status
                failures = 0
            hung = budget.cancelled_caught  # Prolific did not answer in time: report what we know
        except _TRANSIENT:
            # Each poll already retried; one failed poll is tolerated, two in a row end the wait.
            failures += 1
            if failures >= 2:
                raise
        finally:
            polls += 1
        waited = clock.now() - started
        finished = status == until or status == "ERROR" or (until == "PROCESSING" and status == "READY")
        if hung or (finished and failures == 0) or waited >= timeout_seconds:
            timed_out = hung or not finished
            return summarize_wait(batch_id, until, status, waited=waited, polls=polls, timed_out=timed_out)
        await progress(
            min(waited, timeout_seconds), timeout_seconds, f"Batch is {status or 'unknown'} after {waited:.0f} s"
        )
        await clock.sleep(min(delay, max(0.0, timeout_seconds - waited)))
        delay = min(delay * 1.5, 10.0)


async def get_batch_responses(client: ProlificClient, batch_id: str, *, offset: int, limit: int) -> ResponsesPage:
    """One page of a batch's raw responses, labelled with its questions."""
    questions = await get_batch_instructions(client, batch_id)
    shown = await window(client.get_responses("batches", batch_id), offset, limit)
    summary = summarize_page(
        batch_id, shown.items, shown.total, offset, questions.questions, requested=limit, more=shown.more
    )
    rows = len(summary.rows)
    if shown.more or rows < len(shown.items):
        summary.next_cursor = encode_cursor(offset + rows)
    return summary


async def summarize_batch_responses(client: ProlificClient, batch_id: str, *, progress: Progress) -> ResponsesSummary:
    """Every response of a batch, aggregated per question."""
    questions = await get_batch_instructions(client, batch_id)
    return await aggregate_responses(client, "batches", batch_id, questions.questions, progress)


async def get_batch_report(client: ProlificClient, batch_id: str) -> ReportLink:
    return summarize_report(batch_id, await client.get_batch_report(batch_id))


async def export_batch(
    client: ProlificClient, batch_id: str, *, wait: bool, timeout_seconds: float, progress: Progress, clock: Clock
) -> ExportStatus:
    return await exports.run_export(
        client, "batches", batch_id, wait=wait, timeout_seconds=timeout_seconds, progress=progress, clock=clock
    )


async def get_batch_export(client: ProlificClient, batch_id: str, export_id: str) -> ExportStatus:
    return await exports.get_export(client, "batches", batch_id, export_id)
