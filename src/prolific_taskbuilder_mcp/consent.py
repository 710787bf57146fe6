"""Consent for writes: nothing changes a user's data until the user has said yes.

Each write tool has a resolver (the SDK's `Resolve`) that runs before the tool body:
- `PROLIFIC_MCP_CONFIRM_WRITES=never`: no question (unattended pipelines, documented as such);
- a `confirmation` the server issued for these exact arguments within 10 minutes: no question, once;
- a client that supports form elicitation: the user is shown the one-screen change and asked; the SDK asks
  mid-call on protocol 2025-11-25 and earlier, and through `InputRequiredResult` on 2026-07-28;
- any other client: the tool changes nothing and returns the change with a one-time `confirmation` string.
"""

import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from mcp.server.elicitation import AcceptedElicitation, ElicitationResult
from mcp.server.mcpserver.resolve import Elicit
from pydantic import BaseModel, Field

from .client.clock import Clock
from .context import Ctx, app_context, request_redactor, user_token

CONFIRMATION_SECONDS = 600.0


class Approval(BaseModel):
    """The form a user answers (elicitation allows flat primitive fields only)."""

    approve: bool = Field(description="Make this change")


Decision = Literal["approved", "ask_by_confirmation", "declined"]


@dataclass
class Confirmations:
    """One-time confirmation strings, each bound to a tool, its exact arguments and the caller's credential."""

    clock: Clock
    _issued: dict[str, tuple[str, float]] = field(default_factory=dict)

    def issue(self, binding: str) -> str:
        self._forget_expired()
        token = "confirm-" + secrets.token_urlsafe(12)
        self._issued[token] = (binding, self.clock.now() + CONFIRMATION_SECONDS)
        return token

    def redeem(self, token: str | None, binding: str) -> bool:
        if not token:
            return False
        self._forget_expired()
        issued = self._issued.get(token)
        if issued is None or not secrets.compare_digest(issued[0], binding):
            return False
        del self._issued[token]
        return True

    def _forget_expired(self) -> None:
        now = self.clock.now()
        for token in [t for t, (_, until) in self._issued.items() if until <= now]:
            del self._issued[token]


@dataclass
class RecentCreates:
    """What each create made in the last 10 minutes, by its binding: a repeat returns it instead of a twin."""

    clock: Clock
    _made: dict[str, tuple[str, float]] = field(default_factory=dict)

    def remember(self, binding: str, created_id: str) -> None:
        self._made[binding] = (created_id, self.clock.now() + CONFIRMATION_SECONDS)

    def find(self, binding: str) -> str | None:
        now = self.clock.now()
        for key in [k for k, (_, until) in self._made.items() if until <= now]:
            del self._made[key]
        made = self._made.get(binding)
        return made[0] if made else None


def binding(ctx: Ctx, tool: str, arguments: dict[str, Any]) -> str:
    """What a confirmation is bound to: the tool, its arguments (without the confirmation) and who asks."""
    who = user_token(ctx.request_context.request) or ""
    canonical = json.dumps({"tool": tool, "arguments": arguments, "who": who}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def can_elicit(ctx: Ctx) -> bool:
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def settled(ctx: Ctx, tool: str, arguments: dict[str, Any], confirmation: str | None) -> bool:
    """Consent that needs no question: writes confirmed by configuration, or a valid confirmation string."""
    app = app_context(ctx)
    if app.settings.confirm_writes == "never":
        return True
    return app.confirmations is not None and app.confirmations.redeem(confirmation, binding(ctx, tool, arguments))


async def ask(
    ctx: Ctx, tool: str, arguments: dict[str, Any], confirmation: str | None, describe: Callable[[], Awaitable[str]]
) -> Elicit[Approval] | Approval:
    """A write tool's resolver: approved without a question, a question for the user (the change `describe`
    renders), or, for a client that cannot be asked, "not approved yet" (the tool then issues a confirmation)."""
    if settled(ctx, tool, arguments, confirmation):
        return Approval(approve=True)
    if not can_elicit(ctx):
        return Approval(approve=False)
    # The question leaves the process outside the tool result (which the server redacts): redact it here.
    return Elicit(request_redactor(ctx).text(await describe()), Approval)


def decision(ctx: Ctx, outcome: ElicitationResult[Approval]) -> Decision:
    """What the resolver's outcome means for the tool body."""
    if isinstance(outcome, AcceptedElicitation) and outcome.data.approve:
        return "approved"
    if isinstance(outcome, AcceptedElicitation) and not can_elicit(ctx):
        return "ask_by_confirmation"  # the resolver asked nobody: the tool returns a confirmation string
    return "declined"  # declined, cancelled, or accepted with the box left unticked
