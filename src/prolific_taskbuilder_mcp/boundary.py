"""The one boundary between the read layer and MCP: Prolific failures become tool or resource errors.

Tools and resources wrap each read in `tool_boundary` or `resource_boundary`. Inside it, retries are forwarded to
the client as log notifications (level warning, when the client wants them) and progress reaches the client;
a `ProlificError` (or a read's own `ReadError`) leaves as a `ToolError` (an `isError` result the model can act on)
or a `ResourceError` (a JSON-RPC error), with a message that says what happened and what to do next.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from mcp.server.mcpserver.exceptions import ResourceError, ToolError

from .client import ProlificError
from .client.http import retry_listener
from .context import Ctx, app_context, request_redactor
from .errors import ReadError, explain
from .reads.progress import Progress
from .sdk import connection_state

LOG_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")
_LEVEL_KEY = "prolific_taskbuilder_mcp.log_level"


def set_client_log_level(session: Any, level: str) -> None:
    """Remember the level a client asked for with `logging/setLevel`, per connection."""
    state = connection_state(session)
    if state is not None:
        state[_LEVEL_KEY] = level


def client_wants_log(ctx: Ctx, level: str) -> bool:
    """Whether this request's client asked for log notifications at `level` (all, until it says)."""
    state = connection_state(ctx.request_context.session)
    minimum = state.get(_LEVEL_KEY) if state is not None else None
    if minimum not in LOG_LEVELS:
        return True
    return LOG_LEVELS.index(level) >= LOG_LEVELS.index(minimum)


@asynccontextmanager
async def _boundary(
    ctx: Ctx, what: str, ident: str | None, error: type[ToolError] | type[ResourceError]
) -> AsyncIterator[None]:
    async def tell_client(notice: str) -> None:
        if client_wants_log(ctx, "warning"):
            message = app_context(ctx).redactor.text(f"Prolific call retried: {notice}")
            await ctx.warning(message, logger_name="prolific_taskbuilder_mcp.client")

    token = retry_listener.set(tell_client)
    try:
        yield
    except ProlificError as exc:
        raise error(explain(exc, what, ident, per_user=app_context(ctx).users is not None)) from None
    except ReadError as exc:
        raise error(str(exc)) from None
    finally:
        retry_listener.reset(token)


def tool_boundary(ctx: Ctx, what: str, ident: str | None = None) -> AbstractAsyncContextManager[None]:
    """Around the reads of one tool call: failures become tool errors (`isError` results)."""
    return _boundary(ctx, what, ident, ToolError)


def resource_boundary(ctx: Ctx, what: str, ident: str | None = None) -> AbstractAsyncContextManager[None]:
    """Around the reads of one resource read: failures become resource errors (JSON-RPC errors)."""
    return _boundary(ctx, what, ident, ResourceError)


def progress_of(ctx: Ctx) -> Progress:
    """A read's progress callback that reports to this request's client (if it sent a progress token)."""

    redactor = request_redactor(ctx)

    async def report(done: float, total: float | None, message: str) -> None:
        # Progress messages carry upstream values (statuses): they leave the process, so they are redacted too.
        await ctx.report_progress(done, total, redactor.text(message))

    return report
