"""What every tool module shares: the tool declaration, annotations, argument rules and the result shape."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from ..context import Ctx, app_context
from ..ids import describe_value
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

Timeout = Annotated[
    float,
    Field(
        strict=True,
        ge=1,
        le=3600,
        description="Seconds to wait at most (default 45: many clients give up on a call at 60)",
    ),
]
Cursor = Annotated[str | None, Field(max_length=64, description="next_cursor of the previous result, for more rows")]


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


def structured_result(data: BaseModel, text: str) -> CallToolResult:
    """A result with our compact text for the model and the structured content for programs."""
    if len(text) > MAX_TEXT_CHARS:
        marker = "\n… (cut to stay small: ask for fewer items with limit, or page with cursor)"
        text = text[: MAX_TEXT_CHARS - len(marker)].rstrip() + marker
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=data.model_dump(mode="json"),
    )


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


def check_wait(ctx: Ctx, timeout_seconds: float) -> None:
    """Refuse a wait longer than PROLIFIC_MCP_MAX_WAIT before anything is sent."""
    limit = app_context(ctx).settings.max_wait
    if timeout_seconds > limit:
        raise ToolError(
            f"timeout_seconds must be at most {limit:g} (PROLIFIC_MCP_MAX_WAIT); got "
            f"{timeout_seconds:g}. Nothing was sent to Prolific."
        )


def resolve_workspace(ctx: Ctx, workspace_id: str | None) -> str:
    """The workspace a listing tool reads: the argument, else the configured default. It is not remembered for
    completions here: only ids seen in results are (the caller remembers it once Prolific has answered)."""
    chosen = workspace_id or app_context(ctx).settings.workspace_id
    if chosen is None:
        raise ToolError(
            "No workspace_id given and no default workspace is configured. Call list_workspaces to find the "
            "workspace id, pass it as workspace_id, or set PROLIFIC_WORKSPACE_ID. Nothing was sent to Prolific."
        )
    return chosen
