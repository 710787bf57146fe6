"""get_batch latency over stdio against the simulator on loopback, and text vs raw JSON size.

Run: .venv/bin/python bench/get_batch_latency.py [calls]
(A first measurement script; the full side-by-side benchmark is tracked in its own issue.)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp_types import TextContent

from prolific_taskbuilder_mcp.sandbox import SEED_BATCH, SEED_BATCH_ID, SandboxState
from prolific_taskbuilder_mcp.sandbox.runner import sandbox_in_thread

TOKEN = "bench-token"


async def main(calls: int) -> None:
    with sandbox_in_thread(SandboxState(token=TOKEN)) as sandbox:
        command = str(Path(sys.executable).parent / "prolific-taskbuilder-mcp")
        params = StdioServerParameters(
            command=command,
            env={"PROLIFIC_TOKEN": TOKEN, "PROLIFIC_URL": sandbox.url, "PROLIFIC_MCP_LOG_LEVEL": "WARNING"},
        )
        async with Client(stdio_client(params)) as client:
            for _ in range(10):
                await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
            samples = []
            for _ in range(calls):
                started = time.perf_counter()
                result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
                samples.append((time.perf_counter() - started) * 1000)
            assert not result.is_error
            block = result.content[0]
            assert isinstance(block, TextContent)
    samples.sort()
    raw = json.dumps(SEED_BATCH, separators=(",", ":"))
    print(
        f"get_batch over stdio, {calls} calls: median {statistics.median(samples):.2f} ms, "
        f"p95 {samples[int(len(samples) * 0.95) - 1]:.2f} ms"
    )
    print(
        f"seed example: text {len(block.text)} chars, raw API JSON {len(raw)} chars (compact), "
        f"{len(json.dumps(SEED_BATCH, indent=2))} chars (indented)"
    )


if __name__ == "__main__":
    anyio.run(main, int(sys.argv[1]) if len(sys.argv) > 1 else 100)
