"""How a read that takes a while reports how far it got (the MCP layer forwards it as progress notifications)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Progress = Callable[[float, float | None, str], Awaitable[None]]
"""`await progress(done, total, message)`; total is None when unknown."""


GRACE_SECONDS = 3.0
"""How far past its `timeout_seconds` a waiting read may run: the poll in flight at the timeout gets this long."""


def poll_budget(timeout_seconds: float, waited: float) -> float:
    """Real seconds the next poll of a wait may take, so the wait returns within timeout + GRACE_SECONDS whatever
    the upstream does (hangs, drips, retries)."""
    return max(0.0, timeout_seconds - waited) + GRACE_SECONDS
