"""The yardstick: a minimal, honest MCP server on the same SDK with one tool doing the same GET.

Not product code. It has what any real server needs and nothing more: one pooled httpx client, the token
header, the JSON returned as structured content. No validation, retries, coalescing or summaries.
Run: PROLIFIC_TOKEN=... PROLIFIC_URL=... python bench/minimal_server.py (stdio); bench/minimal_http.py serves
`http_app` over Streamable HTTP. With MINIMAL_GC_PAUSE=1 it starts as our server does (the cycle collector off
while importing, then the start-up objects frozen): the cold-start section's like-for-like row.
"""

from __future__ import annotations

import gc
import os

if os.environ.get("MINIMAL_GC_PAUSE") == "1":  # the bench's like-for-like row: start-up as ours does it
    gc.disable()
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from mcp.server import MCPServer
from mcp.server.mcpserver import Context


@asynccontextmanager
async def lifespan(_: MCPServer[httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Token {os.environ['PROLIFIC_TOKEN']}"}
    async with httpx.AsyncClient(base_url=os.environ["PROLIFIC_URL"], headers=headers) as client:
        yield client


# WARNING, as the bench runs ours: at the SDK's default (INFO) httpx logs a line for every request it sends.
server = MCPServer(name="minimal", lifespan=lifespan, log_level="WARNING")


@server.tool()
async def get_batch(batch_id: str, ctx: Context[httpx.AsyncClient, Any]) -> dict[str, Any]:
    """Get an AI Task Builder batch."""
    response = await ctx.request_context.lifespan_context.get(f"/api/v1/data-collection/batches/{batch_id}")
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def http_app() -> Any:
    """The same server over Streamable HTTP at /mcp (what uvicorn runs, one app per worker)."""
    stateless = os.environ.get("MINIMAL_STATELESS") == "1"
    return server.streamable_http_app(streamable_http_path="/mcp", host="127.0.0.1", stateless_http=stateless)


if __name__ == "__main__":
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
    server.run()
