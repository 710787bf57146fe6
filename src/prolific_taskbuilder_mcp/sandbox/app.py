"""The simulated Prolific API: an ASGI app faithful to the AI Task Builder reference.

Fidelity rules (see the reference's simulator checklist): every error uses Prolific's envelope with
`status` equal to the HTTP code; 401 for a missing or wrong token on every route, before anything else;
404 for unknown ids (malformed ids included); both trailing-slash forms of every path are accepted and
never redirected; batch statuses are UPPER CASE; a PROCESSING batch turns READY after a delay.

Test hooks live under `/_sandbox/` (no token needed): faults to inject, request counts, reset, settings.
Presigned download links (reports, exports) point at `/_files/`, which needs no token and honours expiry.

Simulator choices the reference leaves open (kept stable): lists accept `limit`/`offset` and return
everything by default, newest first; responses are generated on demand (see `generate.py`); an export is
`generating` for `export_polls` status reads, then `complete` (or `failed` for a batch in ERROR); the
legacy instructions endpoint answers `{"results": []}` for batch_items batches and can be switched to
`410 Gone` (its announced sunset); collection responses exist for one collection and answer 404 "not
available yet" for the others, as the docs announce.

The pieces: `state.py` (data, clocks, faults, counts), `routes.py` (the endpoints, downloads and hooks),
`faults.py` (what each fault does on the wire), `errors.py` (Prolific's error envelope); this module is the ASGI
entry that applies auth, latency and faults before the routes.
"""

from __future__ import annotations

import asyncio
import hashlib
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from .errors import error_response
from .faults import fault_response, send_truncated
from .routes import routes
from .state import Fault, SandboxState

__all__ = ["Fault", "SandboxApp", "SandboxState", "create_app"]


class SandboxApp:
    """ASGI entry: slash folding, request accounting, auth, latency and faults, then the routes."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.router = Starlette(
            routes=routes(),
            exception_handlers={404: self._not_found, 405: self._not_allowed},
        )
        self.router.router.redirect_slashes = False
        self.router.state.sandbox = state

    @staticmethod
    async def _not_found(request: Request, exc: Exception) -> Response:
        return error_response(404, "Not found.")

    @staticmethod
    async def _not_allowed(request: Request, exc: Exception) -> Response:
        return error_response(405, f'Method "{request.method}" not allowed.')

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        path: str = scope["path"]
        if len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/") or "/", "raw_path": path.rstrip("/").encode()}
            path = scope["path"]
        if path.startswith(("/_sandbox/", "/_files/", "/raw-datasets/")):
            await self.router(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        fault = self.state.record(scope["method"], path, tuple(key for key, _ in query))
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self._auth_problem(headers.get("authorization"))
        if problem is not None:
            await error_response(401, problem)(scope, receive, send)
            return
        token = headers["authorization"].partition(" ")[2]
        self.state.note_caller(token, scope["method"], path, sent_cookie="cookie" in headers)
        if self.state.edge_cookies:
            send = _setting_cookie(send, token)
        if self.state.latency:
            await asyncio.sleep(self.state.latency)
        if fault is not None:
            if fault.kind in ("delay", "reset", "truncated"):
                await asyncio.sleep(fault.seconds)
            if fault.kind == "reset":
                # Start a response, then drop the connection: the client sees it cut mid-response.
                await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})
                raise ConnectionResetError("injected connection reset")
            if fault.kind == "truncated":
                await send_truncated(send)
                return
            response = fault_response(fault, headers.get("authorization"))
            if response is not None:
                await response(scope, receive, send)
                return
        await self.router(scope, receive, send)

    def _auth_problem(self, header: str | None) -> str | None:
        if not header:
            return "Authentication credentials were not provided."
        scheme, _, token = header.partition(" ")
        if scheme != "Token" or not token.strip():
            return "Invalid token header. Use 'Authorization: Token <your token>'."
        if not self.state.accepts(token):
            return "Invalid token."
        return None


def _setting_cookie(send: Send, token: str) -> Send:
    """`send`, with a cookie naming `token`'s caller added to the response's headers."""
    cookie = f"edge_session={hashlib.sha256(token.encode()).hexdigest()[:16]}; Path=/; HttpOnly".encode()

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
        await send(message)

    return sending


def create_app(state: SandboxState | None = None) -> SandboxApp:
    """The simulator as an ASGI app (in-process for `--demo`, or under uvicorn on loopback)."""
    return SandboxApp(state or SandboxState())
