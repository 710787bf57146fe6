"""Polling an asynchronous Prolific job (an import, a sync) until it finishes or the wait's time is up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import anyio

from ..client.clock import Clock
from .progress import Progress, poll_budget

JobT = TypeVar("JobT")


@dataclass(frozen=True)
class Polled(Generic[JobT]):
    job: JobT | None
    """The last answer (None if Prolific never answered within the wait)."""
    waited: float
    timed_out: bool


async def poll_job(
    fetch: Callable[[], Awaitable[JobT]],
    finished: Callable[[JobT], bool],
    describe: Callable[[JobT], str],
    timeout_seconds: float,
    *,
    progress: Progress,
    clock: Clock,
) -> Polled[JobT]:
    """Read the job with backoff (0.5 s, growing to 5 s) until `finished`, reporting progress between reads;
    returns within timeout + a poll's grace whatever the upstream does."""
    started = clock.now()
    delay = 0.5
    job: JobT | None = None
    while True:
        with anyio.move_on_after(poll_budget(timeout_seconds, clock.now() - started)) as budget:
            job = await fetch()
        waited = clock.now() - started
        if budget.cancelled_caught:
            return Polled(job, waited, True)
        assert job is not None
        if finished(job):
            return Polled(job, waited, False)
        if waited >= timeout_seconds:
            return Polled(job, waited, True)
        await progress(min(waited, timeout_seconds), timeout_seconds, describe(job))
        await clock.sleep(min(delay, max(0.0, timeout_seconds - waited)))
        delay = min(delay * 1.5, 5.0)
