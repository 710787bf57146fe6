"""What the server lifespan yields to every handler: the pooled Prolific client, the settings, the clock and the
ids this server has shown (for completions).

`Ctx` is the typed MCP context every tool and resource receives; `app_context(ctx)` is the one way in.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from mcp.server.mcpserver import Context

from .client import ProlificClient
from .client.clock import REAL_CLOCK, Clock
from .config import Settings
from .ids import IdKind
from .redaction import Redactor


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
    clock: Clock = REAL_CLOCK
    redactor: Redactor = field(default_factory=Redactor)


if TYPE_CHECKING:
    Ctx: TypeAlias = Context[AppContext, Any]
    """The MCP context our handlers receive (the lifespan yields an AppContext)."""
else:
    Ctx = Context  # what the SDK looks for at run time; parametrising the pydantic generic costs start-up time


def app_context(ctx: Ctx) -> AppContext:
    return ctx.request_context.lifespan_context


def remember(ctx: Ctx, kind: IdKind, *ids: str | None) -> None:
    """Note ids the user has seen, so completions can suggest them."""
    app_context(ctx).seen.add(kind, *ids)
