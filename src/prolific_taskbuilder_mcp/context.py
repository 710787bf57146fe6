"""What the server lifespan yields to every handler: the pooled Prolific client and the settings."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from mcp.server.mcpserver import Context

from .client import ProlificClient
from .config import Settings
from .ids import IdKind


class SeenIds:
    """Ids this server has shown or been given, most recent first, per kind (for completions). Bounded."""

    def __init__(self, per_kind: int = 200) -> None:
        self._per_kind = per_kind
        self._ids: dict[str, OrderedDict[str, None]] = {}

    def add(self, kind: IdKind, *ids: str | None) -> None:
        bucket = self._ids.setdefault(kind, OrderedDict())
        for ident in ids:
            if not ident:
                continue
            bucket[ident] = None
            bucket.move_to_end(ident, last=False)
            while len(bucket) > self._per_kind:
                bucket.popitem(last=True)

    def recent(self, kind: IdKind) -> list[str]:
        return list(self._ids.get(kind, ()))


@dataclass
class Runtime:
    """Per-process state shared by handlers that have no request context (completions): the client is set
    while the lifespan runs."""

    settings: Settings
    seen: SeenIds = field(default_factory=SeenIds)
    client: ProlificClient | None = None


@dataclass(frozen=True)
class AppContext:
    client: ProlificClient
    settings: Settings
    seen: SeenIds = field(default_factory=SeenIds)


def app_context(ctx: Context[Any, Any]) -> AppContext:
    state = ctx.request_context.lifespan_context
    assert isinstance(state, AppContext)
    return state


LOG_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")
_LEVEL_KEY = "prolific_taskbuilder_mcp.log_level"


def _connection_state(session: Any) -> dict[str, Any] | None:
    connection = getattr(session, "_connection", None)
    state = getattr(connection, "state", None)
    return state if isinstance(state, dict) else None


def set_client_log_level(session: Any, level: str) -> None:
    """Remember the level a client asked for with `logging/setLevel`, per connection."""
    state = _connection_state(session)
    if state is not None:
        state[_LEVEL_KEY] = level


def client_wants_log(ctx: Context[Any, Any], level: str) -> bool:
    """Whether this request's client asked for log notifications at `level` (all, until it says)."""
    state = _connection_state(ctx.request_context.session)
    minimum = state.get(_LEVEL_KEY) if state is not None else None
    if minimum not in LOG_LEVELS:
        return True
    return LOG_LEVELS.index(level) >= LOG_LEVELS.index(minimum)
