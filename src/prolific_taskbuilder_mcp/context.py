"""What the server lifespan yields to every handler: the pooled Prolific client and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context

from .client import ProlificClient
from .config import Settings


@dataclass(frozen=True)
class AppContext:
    client: ProlificClient
    settings: Settings


def app_context(ctx: Context[Any, Any]) -> AppContext:
    state = ctx.request_context.lifespan_context
    assert isinstance(state, AppContext)
    return state
