"""Exports of a batch or a collection: request one, then poll it until it is ready (shared by both families)."""

from __future__ import annotations

from typing import Literal

import anyio

from ..client import ProlificClient
from ..client.clock import Clock
from ..client.http import OwnerKind
from ..client.models import ExportJob
from ..summaries.exports import ExportStatus, summarize_export
from .progress import Progress, poll_budget


def owner_word(kind: OwnerKind) -> Literal["batch", "collection"]:
    return "batch" if kind == "batches" else "collection"


async def _poll_until_done(
    client: ProlificClient,
    kind: OwnerKind,
    owner_id: str,
    job: ExportJob,
    timeout_seconds: float,
    started: float,
    progress: Progress,
    clock: Clock,
) -> tuple[ExportJob, bool]:
    """Poll an export until it is complete or failed, or the timeout passes (then True)."""
    export_id = job.export_id
    delay = 1.0
    while job.status == "generating" and export_id:
        waited = clock.now() - started
        if waited >= timeout_seconds:
            return job, True
        await progress(min(waited, timeout_seconds), timeout_seconds, "Export is generating")
        await clock.sleep(min(delay, max(0.0, timeout_seconds - waited)))
        delay = min(delay * 1.5, 5.0)
        with anyio.move_on_after(poll_budget(timeout_seconds, clock.now() - started)) as budget:
            job = await client.get_export(kind, owner_id, export_id)
        if budget.cancelled_caught:
            return job, True  # Prolific did not answer this poll in time: report the last known state
    return job, False


async def run_export(
    client: ProlificClient,
    kind: OwnerKind,
    owner_id: str,
    *,
    wait: bool,
    timeout_seconds: float,
    progress: Progress,
    clock: Clock,
) -> ExportStatus:
    """Request an export (idempotent at Prolific: a repeat returns the same job) and, with `wait`, poll it."""
    started = clock.now()
    if wait:
        with anyio.fail_after(poll_budget(timeout_seconds, 0.0)):
            job = await client.request_export(kind, owner_id)
    else:
        job = await client.request_export(kind, owner_id)
    export_id = job.export_id
    timed_out = False
    if wait:
        job, timed_out = await _poll_until_done(client, kind, owner_id, job, timeout_seconds, started, progress, clock)
    waited = clock.now() - started if wait else 0.0
    return summarize_export(owner_word(kind), owner_id, job, export_id, waited=waited, timed_out=timed_out)


async def get_export(client: ProlificClient, kind: OwnerKind, owner_id: str, export_id: str) -> ExportStatus:
    """One look at an export started earlier."""
    job = await client.get_export(kind, owner_id, export_id)
    return summarize_export(owner_word(kind), owner_id, job, export_id, waited=0.0, timed_out=False)
