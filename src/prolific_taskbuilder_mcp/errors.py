"""Prolific failures explained for the model: what happened and what to do next.

Used by `boundary.py`, where client exceptions become tool or resource errors. Pure: no MCP, no I/O.
"""

from __future__ import annotations

import math

from .client.errors import (
    ClientRequestError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    ProlificError,
    RateLimitedError,
    RequestTimeoutError,
    UnauthorizedError,
    UnexpectedResponseError,
    UpstreamError,
)


class ReadError(Exception):
    """A read cannot give its answer for a reason that is not a Prolific failure (e.g. an endpoint Prolific has
    announced but does not serve yet). The message is complete and safe to show as it is."""


_GATE_PHRASES = ("permission to access", "not have access to this feature", "early access")


def _feature_gate(exc: ProlificError) -> bool:
    """Prolific's answer for a feature the account does not have yet (collections are early access): "You do
    not currently have permission to access to this feature." (a 404 in Prolific's CLI tests; 403 likely too)."""
    detail = (exc.detail or "").lower()
    return isinstance(exc, NotFoundError | ForbiddenError) and any(p in detail for p in _GATE_PHRASES)


def _not_found_advice(what: str) -> str:
    """What to check after a 404, by the kind of id that was not found."""
    kind = what.split()[-1] if what else ""
    if kind == "workspace":
        return "Check the workspace id: list_workspaces shows the ones this token's account belongs to."
    if kind in ("batch", "collection", "dataset"):
        return (
            f"Check the {kind} id (copy it from the Prolific app, or find it with "
            f"{'list_batches' if kind == 'batch' else 'list_collections' if kind == 'collection' else 'get_batch'})"
            f" and that the token's account is a member of the {kind}'s workspace."
        )
    if kind == "export":
        return "Check the export id: export ids expire, so request a new export with export_batch or export_collection."
    return "Check the id (copy it from the Prolific app) and that the token's account can see it."


MAYBE_APPLIED = (
    " The request reached Prolific before it failed, so the change may have been made: look (get_batch, get_dataset "
    "or list_batches) before calling again, or it may be made twice."
)


def explain(exc: ProlificError, what: str = "resource", ident: str | None = None, *, per_user: bool = False) -> str:
    """One message, safe to show, that names the failure and the next step. `per_user`: the token is the user's
    own, sent by their MCP client in X-Prolific-Token (not the server's). A write that may have been applied before
    it failed says so."""
    message = _explain(exc, what, ident, per_user=per_user)
    return message + MAYBE_APPLIED if exc.maybe_applied else message


def _explain(exc: ProlificError, what: str, ident: str | None, *, per_user: bool) -> str:
    target = f"{what} {ident}" if ident else what
    detail = f" Prolific said: {exc.detail}" if exc.detail else ""
    if isinstance(exc, UnauthorizedError):
        if per_user:
            return (
                f"Prolific rejected your API token (401): it is missing, wrong or revoked.{detail} Create a new "
                "token in the Prolific app (Settings > API tokens) and put it in the X-Prolific-Token header your MCP "
                "client sends to this server."
            )
        return (
            f"Prolific rejected the API token (401): it is missing, wrong or revoked.{detail} Create a new token "
            "in the Prolific app (Settings > API tokens), set PROLIFIC_TOKEN to it and restart this server."
        )
    if _feature_gate(exc):
        return (
            f"Prolific has not enabled this feature for the token's account ({exc.status}): collections are in "
            f"early access.{detail} Ask Prolific (your account manager or support) to enable AI Task Builder "
            "collections for the workspace; batches work without it."
        )
    if isinstance(exc, ForbiddenError):
        return (
            f"Prolific refused access to {target} (403): the token's account may not see it, or the "
            f"feature is not enabled for the account.{detail} Check the workspace membership in the app."
        )
    if isinstance(exc, NotFoundError):
        return f"No {target} is visible to this token (404).{detail} {_not_found_advice(what)}"
    if isinstance(exc, RateLimitedError):
        wait = f"{math.ceil(exc.retry_after)} s" if exc.retry_after is not None else "a few seconds"
        return f"Prolific is rate limiting requests (429).{detail} Wait {wait}, then call again."
    if isinstance(exc, UpstreamError):
        return (
            f"Prolific had a server error ({exc.status}) for {target}. This is on Prolific's "
            "side: try again in a minute; if it persists, check Prolific's status page."
        )
    if isinstance(exc, RequestTimeoutError):
        return (
            f"Prolific did not answer in time for {target} ({exc.message}). Try again; if "
            "Prolific is slow today, raise PROLIFIC_TIMEOUT."
        )
    if isinstance(exc, NetworkError):
        return (
            f"Could not reach Prolific for {target} ({exc.message}). Check the network "
            "connection and PROLIFIC_URL, then try again."
        )
    if isinstance(exc, UnexpectedResponseError) and "PROLIFIC_MCP_MAX_" in exc.message:
        return f"{exc.message}." if not exc.message.endswith(".") else exc.message  # a limit of ours: it says which
    if isinstance(exc, UnexpectedResponseError):
        return (
            f"{exc.message}. Try again later; if it persists, the Prolific API may have changed: "
            "please report it to the prolific-taskbuilder-mcp maintainers."
        )
    if isinstance(exc, ClientRequestError):
        return f"Prolific refused the request for {target} ({exc.status}).{detail}"
    return f"Prolific call for {target} failed: {exc.message}"
