"""A clock that only pretends: sleeping advances it at once, so waits and retries cost no real time."""

from __future__ import annotations

import anyio

from prolific_taskbuilder_mcp.client import Clock


class FakeClock(Clock):
    def __init__(self, start: float = 1000.0) -> None:
        self.now_value = start

    def now(self) -> float:
        return self.now_value

    async def sleep(self, seconds: float) -> None:
        self.now_value += seconds
        await anyio.lowlevel.checkpoint()  # still a point where cancellation is seen
