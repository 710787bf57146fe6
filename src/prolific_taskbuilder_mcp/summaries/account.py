"""The token's owner and their workspaces. Pure functions, no I/O.

Colleagues' names and emails (workspace `users`) are personal data: only their number is passed on.
"""

from pydantic import Field

from ..client.models import User, Workspace
from .base import Summary
from .text import clip, sanitize


class WhoAmI(Summary):
    """Whose token this is (the token itself is never shown)."""

    user_id: str
    name: str | None
    email: str | None
    user_type: str | None


def summarize_user(user: User) -> WhoAmI:
    name = user.name or " ".join(p for p in (user.first_name, user.last_name) if p) or None
    return WhoAmI(
        user_id=sanitize(user.id, 40),
        name=clip(name, 120),
        email=clip(user.email, 200),
        user_type=clip(user.user_type, 40),
    )


def render_user_text(me: WhoAmI) -> str:
    who = " ".join(p for p in (me.name, f"<{me.email}>" if me.email else None) if p) or "(no name given)"
    kind = f", {me.user_type}" if me.user_type else ""
    return f"The token works. It belongs to {who} (user {me.user_id}{kind})."


class WorkspaceRow(Summary):
    id: str
    title: str | None
    description: str | None
    members: int | None


class WorkspaceList(Summary):
    """Workspaces the token's owner belongs to."""

    total: int | None
    rows: list[WorkspaceRow]
    default_workspace_id: str | None = Field(description="PROLIFIC_WORKSPACE_ID, used when a tool gets none")


def workspace_row(w: Workspace) -> WorkspaceRow:
    return WorkspaceRow(
        id=sanitize(w.id, 40),
        title=clip(w.title, 120),
        description=clip(w.description, 200),
        members=len(w.users) if w.users is not None else None,
    )


def render_workspaces_text(summary: WorkspaceList) -> str:
    lines = [f"{summary.total if summary.total is not None else len(summary.rows)} workspaces:"]
    for row in summary.rows:
        default = " (default)" if row.id == summary.default_workspace_id else ""
        members = f", {row.members} member{'s' if row.members != 1 else ''}" if row.members is not None else ""
        lines.append(f'- {row.id} "{row.title or ""}"{default}{members}')
    lines.append("Pass a workspace id to list_batches or list_collections.")
    return "\n".join(lines)
