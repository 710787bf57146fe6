"""What every tool and resource module shares: annotations, the upstream-error boundary, results."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from ..client import ProlificError
from ..client.http import retry_listener
from ..context import app_context, client_wants_log
from ..errors import explain
from ..ids import IdKind, describe_value
from ..summaries.text import decode_cursor

READ_ONLY = ToolAnnotations(
    read_only_hint=True,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=True,
)
STARTS_WORK = ToolAnnotations(
    read_only_hint=False,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=True,
)
"""Asks Prolific to build something (an export): changes no data, and repeating it returns the same job."""

MAX_TEXT_CHARS = 6000
"""Every tool's text result stays within this, whatever the upstream size (limit/cursor give more)."""


ErrorKind = type[ToolError] | type[ResourceError]
"""How a failure reaches the client: a tool error (an isError result) or a resource error (JSON-RPC)."""


@asynccontextmanager
async def calling_prolific(
    ctx: Context[Any, Any],
    what: str,
    ident: str | None = None,
    *,
    error: ErrorKind = ToolError,
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
    if len(text) > MAX_TEXT_CHARS:
        marker = "\n… (cut to stay small: ask for fewer items with limit, or page with cursor)"
        text = text[: MAX_TEXT_CHARS - len(marker)].rstrip() + marker
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=data.model_dump(mode="json"),
    )


def remember(ctx: Context[Any, Any], kind: IdKind, *ids: str | None) -> None:
    """Note ids the user has seen, so completions can suggest them."""
    app_context(ctx).seen.add(kind, *ids)


def cursor_offset(cursor: str | None) -> int:
    """The offset a cursor stands for (0 without one). A cursor we did not issue is a clear tool error."""
    try:
        offset = decode_cursor(cursor)
    except ValueError:
        raise ToolError(
            f"Invalid cursor: got {describe_value(cursor)}; pass the next_cursor value of the previous result "
            "unchanged, or omit cursor to start at the beginning. Nothing was sent to Prolific."
        ) from None
    return offset or 0


@dataclass(frozen=True)
class ToolSpec:
    """A tool as its module declares it; server/schemas.py turns it into the SDK's tool."""

    fn: Callable[..., Any]
    title: str
    annotations: ToolAnnotations

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def description(self) -> str:
        """The docstring on one line (indentation costs context)."""
        return " ".join((self.fn.__doc__ or "").split())
