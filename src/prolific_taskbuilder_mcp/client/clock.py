"""Time as the client and the read layer see it: injectable, so retries and waits cost no real time in tests."""

from __future__ import annotations

import time

import anyio


class Clock:
    """Monotonic seconds and sleeping. The default is real time; tests pass a clock that only pretends."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)


REAL_CLOCK = Clock()
