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


def explain(exc: ProlificError, what: str = "resource", ident: str | None = None, *, per_user: bool = False) -> str:
    """One message, safe to show, that names the failure and the next step. `per_user`: the token is the user's
    own, sent by their MCP client in X-Prolific-Token (not the server's)."""
    target = f"{what} {ident}" if ident else what
    detail = f" Prolific said: {exc.detail}" if exc.detail else ""
    if isinstance(exc, UnauthorizedError):
        if per_user:
            return (
                "Prolific rejected your API token (401): it is missing, wrong or revoked. Create a new token in "
                "the Prolific app (Settings > API tokens) and put it in the X-Prolific-Token header your MCP client "
                "sends to this server."
            )
        return (
            "Prolific rejected the API token (401): it is missing, wrong or revoked. Create a new token in "
            "the Prolific app (Settings > API tokens), set PROLIFIC_TOKEN to it and restart this server."
        )
    if isinstance(exc, ForbiddenError):
        return (
            f"Prolific refused access to {target} (403): the token's account may not see it, or the "
            f"feature is not enabled for the account.{detail} Check the workspace membership in the app."
        )
    if isinstance(exc, NotFoundError):
        return (
            f"No {target} is visible to this token (404). Check the id (copy it from the Prolific app) "
            "and that the token's account is a member of the batch's workspace."
        )
    if isinstance(exc, RateLimitedError):
        wait = f"{math.ceil(exc.retry_after)} s" if exc.retry_after is not None else "a few seconds"
        return f"Prolific is rate limiting requests (429). Wait {wait}, then call again."
    if isinstance(exc, UpstreamError):
        return (
            f"Prolific had a server error ({exc.status}) while reading {target}. This is on Prolific's "
            "side: try again in a minute; if it persists, check Prolific's status page."
        )
    if isinstance(exc, RequestTimeoutError):
        return (
            f"Prolific did not answer in time while reading {target} ({exc.message}). Try again; if "
            "Prolific is slow today, raise PROLIFIC_TIMEOUT."
        )
    if isinstance(exc, NetworkError):
        return (
            f"Could not reach Prolific while reading {target} ({exc.message}). Check the network "
            "connection and PROLIFIC_URL, then try again."
        )
    if isinstance(exc, UnexpectedResponseError):
        return (
            f"{exc.message}. Try again later; if it persists, the Prolific API may have changed: "
            "please report it to the prolific-taskbuilder-mcp maintainers."
        )
    if isinstance(exc, ClientRequestError):
        return f"Prolific refused the request for {target} ({exc.status}).{detail}"
    return f"Prolific call for {target} failed: {exc.message}"
