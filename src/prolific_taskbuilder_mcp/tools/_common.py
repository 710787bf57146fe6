"""What every tool and resource module shares: annotations, the upstream-error boundary, results."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from ..client import ProlificError
from ..client.http import retry_listener
from ..context import client_wants_log
from ..errors import explain

READ_ONLY = ToolAnnotations(
    read_only_hint=True,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=True,
)


@asynccontextmanager
async def calling_prolific(
    ctx: Context[Any, Any],
    what: str,
    ident: str | None = None,
    *,
    error: type[ToolError] | type[ResourceError] = ToolError,
) -> AsyncIterator[None]:
    """The boundary around Prolific calls made for one MCP request.

    Retries are forwarded to the client as log notifications (level warning), and a Prolific failure
    becomes a tool error (an `isError` result) or a resource error whose message says what to do next.
    """

    async def tell_client(notice: str) -> None:
        if client_wants_log(ctx, "warning"):
            await ctx.warning(f"Prolific call retried: {notice}", logger_name="prolific_taskbuilder_mcp.client")

    token = retry_listener.set(tell_client)
    try:
        yield
    except ProlificError as exc:
        raise error(explain(exc, what, ident)) from None
    finally:
        retry_listener.reset(token)


def structured_result(data: BaseModel, text: str) -> CallToolResult:
    """A result with our compact text for the model and the structured content for programs."""
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=data.model_dump(mode="json"),
    )
