"""How a read that takes a while reports how far it got (the MCP layer forwards it as progress notifications)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Progress = Callable[[float, float | None, str], Awaitable[None]]
"""`await progress(done, total, message)`; total is None when unknown."""


async def no_progress(done: float, total: float | None, message: str) -> None:
    """A progress callback for callers that do not report progress."""
