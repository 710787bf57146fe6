"""What the server lifespan yields to every handler: the pooled Prolific client, the settings, the clock and the
ids this server has shown (for completions).

`Ctx` is the typed MCP context every tool and resource receives; `app_context(ctx)` is the one way in.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from mcp.server.mcpserver import Context

from .client import ProlificClient, UnauthorizedError
from .client.clock import REAL_CLOCK, Clock
from .client.tenants import MAX_TOKEN_LENGTH, ClientsByToken
from .config import Settings
from .ids import IdKind
from .redaction import Redactor
from .sdk import connection_state


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


class SeenBySession:
    """Ids seen per client: completions suggest to a client only the ids its own session has shown, never ids
    another client looked at.

    Over stdio a process serves one client, so one memory serves it (whatever the protocol version). Over HTTP the
    ids live in the connection's own state and end with it; a request with no lasting connection (stateless HTTP,
    2026-07-28 requests) remembers nothing.
    """

    _KEY = "prolific_taskbuilder_mcp.seen"

    def __init__(self, per_kind: int = 200, *, one_client: bool = True) -> None:
        self._per_kind = per_kind
        self._only = SeenIds(per_kind) if one_client else None

    def of(self, session: Any) -> SeenIds:
        """The ids `session`'s client has seen (none, for a request with no lasting connection)."""
        return self.kept_for(session) or SeenIds(self._per_kind)

    def kept_for(self, session: Any) -> SeenIds | None:
        """Where ids `session`'s client sees are kept; None when nothing would remember them."""
        if self._only is not None:
            return self._only
        state = connection_state(session)
        if state is None:
            return None
        seen = state.get(self._KEY)
        if not isinstance(seen, SeenIds):
            seen = state[self._KEY] = SeenIds(self._per_kind)
        return seen


@dataclass
class Runtime:
    """Per-process state shared by handlers that have no request context (completions): the client is set
    while the lifespan runs."""

    settings: Settings
    seen: SeenBySession = field(default_factory=SeenBySession)
    client: ProlificClient | None = None
    users: ClientsByToken | None = None
    """Per-user mode: the client of each user's token (set while the lifespan runs)."""

    def client_for(self, request: Any) -> ProlificClient | None:
        if self.users is not None:
            token = user_token(request)
            return self.users.get(token) if token is not None else None
        return self.client


@dataclass(frozen=True)
class AppContext:
    client: ProlificClient
    settings: Settings
    seen: SeenBySession = field(default_factory=SeenBySession)
    clock: Clock = REAL_CLOCK
    redactor: Redactor = field(default_factory=Redactor)
    users: ClientsByToken | None = None
    """Per-user mode (`--per-user-tokens`): the client of each user's token; `client` then holds none."""
    confirmations: Any = None
    """With `--allow-writes`: the one-time confirmation strings issued (`consent.Confirmations`)."""
    creates: Any = None
    """With `--allow-writes`: what creates made in the last 10 minutes (`consent.RecentCreates`)."""


if TYPE_CHECKING:
    Ctx: TypeAlias = Context[AppContext, Any]
    """The MCP context our handlers receive (the lifespan yields an AppContext)."""
else:
    Ctx = Context  # what the SDK looks for at run time; parametrising the pydantic generic costs start-up time


def app_context(ctx: Ctx) -> AppContext:
    return ctx.request_context.lifespan_context


USER_TOKEN_HEADER = "x-prolific-token"  # noqa: S105 - a header name, not a secret
"""The header that carries a user's own Prolific token in per-user mode."""


def user_token(request: Any) -> str | None:
    """The Prolific token an HTTP request carries in `X-Prolific-Token`, if it is a plausible one."""
    headers = getattr(request, "headers", None)
    return token_in(headers) if headers is not None else None


def token_in(headers: Any) -> str | None:
    """The plausible Prolific token in `X-Prolific-Token` among `headers` (a case-insensitive mapping), or None."""
    value = headers.get(USER_TOKEN_HEADER)
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > MAX_TOKEN_LENGTH or not value.isprintable() or " " in value:
        return None
    return value


def client_of(ctx: Ctx) -> ProlificClient:
    """The Prolific client acting for this request: the server's own, or in per-user mode the one for the
    token this request carries (the HTTP layer refuses requests without one before they get here)."""
    app = app_context(ctx)
    if app.users is None:
        return app.client
    token = user_token(ctx.request_context.request)
    if token is None:
        raise UnauthorizedError("this request carries no X-Prolific-Token header", status=None)
    return app.users.get(token)


def remember(ctx: Ctx, kind: IdKind, *ids: str | None) -> None:
    """Note ids this session's user has seen, so completions can suggest them (to this session only)."""
    seen = app_context(ctx).seen.kept_for(ctx.request_context.session)
    if seen is not None:
        seen.add(kind, *ids)


def request_redactor(ctx: Ctx) -> Redactor:
    """The redactor for what this request sends out besides its result (questions, progress): the server's secrets
    and, in per-user mode, the request's own token."""
    redactor = app_context(ctx).redactor
    token = user_token(ctx.request_context.request)
    return redactor.with_secret(token) if token is not None else redactor
