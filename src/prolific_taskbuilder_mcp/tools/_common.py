"""What every tool module shares: annotations, the upstream-error boundary, structured results."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from ..client import ProlificError
from ..errors import explain

READ_ONLY = ToolAnnotations(
    read_only_hint=True,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=True,
)


@contextmanager
def upstream_errors(what: str, ident: str | None = None) -> Iterator[None]:
    """Turn a Prolific failure into a tool error (an `isError` result) that says what to do next."""
    try:
        yield
    except ProlificError as exc:
        raise ToolError(explain(exc, what, ident)) from None


def structured_result(data: BaseModel, text: str) -> CallToolResult:
    """A result with our compact text for the model and the structured content for programs."""
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=data.model_dump(mode="json"),
    )
