"""Bodies are read with bounded memory: compression bombs stop at the limit, concurrent large bodies share one
budget, and every encoding we ask for is inflated correctly."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap
import zlib
from collections.abc import AsyncIterator
from functools import cache

import anyio
import httpx
import pytest
from pydantic import SecretStr

from prolific_taskbuilder_mcp.client import ClientOptions, ProlificClient, UnexpectedResponseError
from prolific_taskbuilder_mcp.client.bodies import PIECE
from prolific_taskbuilder_mcp.sandbox import SEED_BATCH, SEED_BATCH_ID
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.anyio

LIMIT = 1024 * 1024


@cache
def bomb(inflated_mib: int = 256) -> bytes:
    """gzip of `inflated_mib` MiB of zeros: about a thousandth of that on the wire."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    return b"".join([compressor.compress(block) for _ in range(inflated_mib)] + [compressor.flush()])


class Chunks(httpx.AsyncByteStream):
    def __init__(self, data: bytes, size: int = 16 * 1024) -> None:
        self._data, self._size = data, size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self._data), self._size):
            yield self._data[start : start + self._size]
            await anyio.lowlevel.checkpoint()


def serving(body: bytes, encoding: str | None) -> httpx.MockTransport:
    headers = {"Content-Type": "application/json", **({"Content-Encoding": encoding} if encoding else {})}
    return httpx.MockTransport(lambda request: httpx.Response(200, headers=headers, stream=Chunks(body)))


def client_for(transport: httpx.AsyncBaseTransport) -> ProlificClient:
    options = ClientOptions(base_url="https://api.prolific.test", max_body_bytes=LIMIT, max_attempts=1)
    return ProlificClient(SecretStr(CANARY_TOKEN), options, transport=transport)


SEED = json.dumps(SEED_BATCH).encode()


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        (SEED, None),
        (gzip.compress(SEED), "gzip"),
        (zlib.compress(SEED), "deflate"),  # zlib-wrapped, as the standard says
        (zlib.compress(SEED)[2:-4], "deflate"),  # raw deflate, as some servers send it
    ],
)
async def test_every_encoding_we_ask_for_is_inflated(body: bytes, encoding: str | None) -> None:
    async with client_for(serving(body, encoding)) as client:
        assert (await client.get_batch(SEED_BATCH_ID)).id == SEED_BATCH_ID


async def test_an_encoding_we_did_not_ask_for_is_a_clear_error() -> None:
    async with client_for(serving(b"\x00\x01", "br")) as client:
        with pytest.raises(UnexpectedResponseError, match="content encoding br"):
            await client.get_batch(SEED_BATCH_ID)


async def test_a_gzip_bomb_stops_at_the_limit_without_inflating_further() -> None:
    async with client_for(serving(bomb(), "gzip")) as client:
        with pytest.raises(UnexpectedResponseError, match=r"exceeded .* bytes .*PROLIFIC_MCP_MAX_BODY_BYTES"):
            await client.get_batch(SEED_BATCH_ID)
        assert client._budget.peak <= LIMIT + PIECE
        assert client._budget.in_use == 0


async def test_concurrent_bombs_share_one_budget() -> None:
    outcomes: list[str] = []
    async with client_for(serving(bomb(), "gzip")) as client:

        async def one(n: int) -> None:
            try:
                await client.get_batch(f"00000000-0000-4000-8000-{n:012d}")  # distinct: no coalescing
            except UnexpectedResponseError as exc:
                outcomes.append(exc.message)

        async with anyio.create_task_group() as tg:
            for n in range(17):
                tg.start_soon(one, n)
        assert client._budget.peak <= client._budget.limit
        assert client._budget.in_use == 0
    assert len(outcomes) == 17


def test_seventeen_concurrent_bombs_cost_little_memory() -> None:
    """In a fresh process: peak RSS with 17 concurrent 12 MiB bodies arriving slowly, then 17 concurrent 256 MiB
    gzip bombs, stays within 64 MiB of where it started."""
    script = textwrap.dedent(
        """
        import re, zlib, anyio, httpx
        from pydantic import SecretStr
        from prolific_taskbuilder_mcp.client import ClientOptions, ProlificClient, UnexpectedResponseError

        def peak():
            return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024

        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"\\0" * (1024 * 1024)
        bomb = b"".join([compressor.compress(block) for _ in range(256)] + [compressor.flush()])
        del block

        class Chunks(httpx.AsyncByteStream):
            async def __aiter__(self):
                for start in range(0, len(bomb), 16384):
                    yield bomb[start : start + 16384]
                    await anyio.lowlevel.checkpoint()

        class Large(httpx.AsyncByteStream):  # 12 MiB, uncompressed, arriving slowly: every call holds some at once
            async def __aiter__(self):
                for _ in range(192):
                    yield b"x" * 65536  # a new object each time, as bytes off a socket are
                    await anyio.lowlevel.checkpoint()

        def answer(request):
            if "collections" in request.url.path:  # the bombs
                return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=Chunks())
            return httpx.Response(200, stream=Large())

        async def main():
            options = ClientOptions(base_url="https://api.prolific.test", max_attempts=1)
            transport = httpx.MockTransport(answer)
            async with ProlificClient(SecretStr("t"), options, transport=transport) as client:
                before = peak()
                async def one(kind, n):
                    try:
                        await client.get_dataset(f"00000000-0000-4000-8000-{n:012d}") if kind == "large" else (
                            await client.get_collection(f"00000000-0000-4000-8000-{n:012d}")
                        )
                    except UnexpectedResponseError:
                        pass
                async with anyio.create_task_group() as tg:
                    for n in range(17):
                        tg.start_soon(one, "large", n)
                large = peak()
                async with anyio.create_task_group() as tg:
                    for n in range(17):
                        tg.start_soon(one, "bomb", n)
                print(before, large, peak())

        anyio.run(main)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    before, large, after = map(int, done.stdout.split())
    assert large - before <= 64, f"17 large bodies: peak RSS grew from {before} to {large} MiB"
    assert after - before <= 64, f"17 bombs: peak RSS grew from {before} to {after} MiB"


def test_memory_goes_back_after_a_burst_of_large_bodies() -> None:
    """In a fresh process: 100 bodies of 50 MiB (each refused at the limit) leave RSS within 20 MiB of where it
    started, once the burst is over (cycles collected, free pages returned)."""
    script = textwrap.dedent(
        """
        import re, anyio, httpx
        from pydantic import SecretStr
        from prolific_taskbuilder_mcp.client import ClientOptions, ProlificClient, UnexpectedResponseError

        def rss():
            return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024

        huge = b'{"pad":"' + b"x" * (50 * 1024 * 1024) + b'"}'

        class Huge(httpx.AsyncByteStream):
            async def __aiter__(self):
                for start in range(0, len(huge), 65536):
                    yield huge[start : start + 65536]

        async def main():
            options = ClientOptions(base_url="https://api.prolific.test", max_attempts=1)
            transport = httpx.MockTransport(lambda request: httpx.Response(200, stream=Huge()))
            async with ProlificClient(SecretStr("t"), options, transport=transport) as client:
                await anyio.sleep(1)
                before = rss()
                for _ in range(100):
                    try:
                        await client.get_collection("00000000-0000-4000-8000-000000000000")
                    except UnexpectedResponseError:
                        pass
                await anyio.sleep(1.5)
                print(before, rss())

        anyio.run(main)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    before, after = map(int, done.stdout.split())
    assert after - before <= 20, f"RSS went from {before} to {after} MiB"
