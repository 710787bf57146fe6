"""Reading response bodies with bounded memory, whatever the upstream sends.

Bodies are read raw and inflated here (gzip or deflate, the encodings we ask for) in pieces of at most
`PIECE` bytes, so a compression bomb costs at most its limit, never an inflated gigabyte first. Across every
call in flight, the bytes held in memory are capped by one `BodyBudget`, so seventeen bombs at once cost that
cap once, not seventeen limits.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator

PIECE = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"
"""What we ask Prolific for: the encodings this module can inflate with a bound."""


class BodyTooLargeError(Exception):
    """The body (after inflating) is over the per-body limit."""


class BudgetExhaustedError(Exception):
    """Bodies in flight together would hold more memory than the budget allows."""


class BodyBudget:
    """Bytes of response bodies held in memory at once, across all calls of one client."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_use = 0
        self.peak = 0

    def take(self, size: int) -> None:
        if self.in_use + size > self.limit:
            raise BudgetExhaustedError
        self.in_use += size
        self.peak = max(self.peak, self.in_use)

    def give(self, size: int) -> None:
        self.in_use -= size


class UnsupportedEncodingError(Exception):
    """A Content-Encoding we did not ask for and cannot inflate with a bound."""


async def read_body(raw: AsyncIterator[bytes], encoding: str | None, limit: int, budget: BodyBudget) -> bytes:
    """The body's bytes (inflated), at most `limit` of them, counted against `budget` while read."""
    inflater = Inflater.for_encoding(encoding)
    parts: list[bytes] = []
    held = 0
    try:
        async for chunk in raw:
            for piece in inflater.feed(chunk):
                held += len(piece)
                if held > limit:
                    raise BodyTooLargeError
                budget.take(len(piece))
                parts.append(piece)
        for piece in inflater.finish():
            held += len(piece)
            if held > limit:
                raise BodyTooLargeError
            budget.take(len(piece))
            parts.append(piece)
        return b"".join(parts)
    finally:
        budget.give(sum(len(part) for part in parts))
        # An exception keeps this frame alive through its traceback (and the error outlives the call, in
        # coalescing and retries): drop the pieces now, so a refused body does not stay in memory with it.
        parts.clear()


class Inflater:
    def __init__(self, wbits: int | None) -> None:
        self._wbits = wbits
        self._inflate = zlib.decompressobj(wbits) if wbits is not None else None
        self._started = False

    @classmethod
    def for_encoding(cls, encoding: str | None) -> Inflater:
        name = (encoding or "identity").strip().lower()
        if name in ("", "identity"):
            return cls(None)
        if name in ("gzip", "x-gzip"):
            return cls(16 + zlib.MAX_WBITS)
        if name == "deflate":
            return cls(zlib.MAX_WBITS)
        raise UnsupportedEncodingError(name[:40])

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._inflate is None:
            for start in range(0, len(data), PIECE):
                yield data[start : start + PIECE]
            return
        if not self._started and self._wbits == zlib.MAX_WBITS:
            self._started = True
            try:  # "deflate" is zlib-wrapped by the standard, raw by some servers (as httpx also allows)
                zlib.decompressobj(zlib.MAX_WBITS).decompress(data[:64], 1)
            except zlib.error:
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        yield from self._drain(data)

    def finish(self) -> Iterator[bytes]:
        if self._inflate is not None:
            yield from self._drain(b"")
            tail = self._inflate.flush()
            if tail:
                yield tail

    def _drain(self, data: bytes) -> Iterator[bytes]:
        assert self._inflate is not None
        try:
            piece = self._inflate.decompress(data, PIECE)
            while piece:
                yield piece
                piece = self._inflate.decompress(self._inflate.unconsumed_tail, PIECE)
        except zlib.error as exc:
            raise UnsupportedEncodingError(f"corrupt compressed data ({exc})"[:80]) from None
