"""Transports: stdio (stdout carries only JSON-RPC) and Streamable HTTP at /mcp."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import secrets
import signal
import socket
import stat
import sys
from collections.abc import Callable
from typing import Any

import anyio
import uvicorn
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.stdio import stdio_server
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import SecretStr
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from ..client.tenants import credential_hash
from ..config import Settings
from ..context import token_in
from ..http_protocol import DeadlineH11Protocol
from ..sdk import lowlevel_server
from ..sockets import bind_or_explain, url_of
from .app import ProlificMCPServer
from .jsonrpc import INVALID_REQUEST, error_reply, reply_to_malformed

logger = logging.getLogger(__name__)

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
_MAX_LINE_BYTES = 64 * 1024 * 1024


class _PipeLines:
    """stdin as an async iterator of lines, read by the event loop (cancellable, unlike a reader thread).

    The SDK reads stdin in a worker thread, which a signal cannot interrupt; reading the pipe on the loop
    lets SIGTERM stop the server at once (and the lifespan close the httpx pool). Malformed messages, and lines
    longer than the limit, are answered here with JSON-RPC errors (`jsonrpc.py`) instead of reaching the SDK,
    which would drop them silently (or, for an over-long line, crash the reader).
    """

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader
        self.replies: _PipeWriter | None = None
        """Where error replies go: our stdout pipe (set by run_stdio); without it they are only logged."""

    def __aiter__(self) -> _PipeLines:
        return self

    async def __anext__(self) -> str:
        while True:
            try:
                raw = await self._reader.readuntil(b"\n")
            except asyncio.IncompleteReadError as exc:  # end of input
                if not exc.partial:
                    raise StopAsyncIteration from None
                raw = exc.partial
            except asyncio.LimitOverrunError as exc:
                await self._discard_line(exc.consumed)
                await self._reply(
                    error_reply(INVALID_REQUEST, f"Invalid Request: the line is longer than {_MAX_LINE_BYTES} bytes")
                )
                continue
            line = raw.decode("utf-8", errors="replace")
            problem = reply_to_malformed(line)
            if problem is None:
                return line
            await self._reply(problem)

    async def _discard_line(self, consumed: int) -> None:
        """Drop the rest of an over-long line, up to and including its newline."""
        await self._reader.readexactly(consumed)
        while True:
            try:
                await self._reader.readuntil(b"\n")
                return
            except asyncio.LimitOverrunError as exc:
                await self._reader.readexactly(exc.consumed)
            except asyncio.IncompleteReadError:
                return

    async def _reply(self, line: str) -> None:
        logger.warning("Answered a malformed message: %s", line.strip()[:200])
        if self.replies is not None:
            await self.replies.write(line)
            await self.replies.flush()


async def _stdin_lines() -> _PipeLines | None:
    """A loop-driven stdin when stdin is a pipe, socket or terminal; None (the SDK's own reader) otherwise.

    Regular files and /dev/null cannot be polled (epoll refuses them), so they keep the SDK's reader.
    """
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=_MAX_LINE_BYTES)
    try:
        fd = sys.stdin.fileno()
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(fd)):
            return None
        pipe = os.fdopen(os.dup(fd), "rb", buffering=0)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), pipe)
    except (OSError, ValueError, AttributeError):
        return None
    return _PipeLines(reader)


class _PipeWriter:
    """stdout written by the event loop: the SDK writes and flushes each message in a worker thread, two
    thread hand-offs per result, a cost that `make bench` shows."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer

    async def write(self, text: str) -> None:
        self._writer.write(text.encode("utf-8"))

    async def flush(self) -> None:
        await self._writer.drain()


async def _stdout_pipe() -> _PipeWriter | None:
    """A loop-driven stdout when stdout is a pipe or socket (what MCP clients give); None otherwise.

    Like the SDK, it keeps the wire to itself: JSON-RPC goes to a private duplicate of fd 1, and fd 1 is
    pointed at stderr, so a stray print can never corrupt the protocol.
    """
    if sys.platform == "win32":  # pragma: no cover - POSIX pipes only
        return None
    import fcntl

    loop = asyncio.get_running_loop()
    try:
        fd = sys.stdout.fileno()
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return None
        sys.stdout.flush()
        wire = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
        os.dup2(sys.stderr.fileno(), fd)
        pipe = os.fdopen(wire, "wb", buffering=0)
        transport, protocol = await loop.connect_write_pipe(
            lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader()), pipe
        )
    except (OSError, ValueError, AttributeError):
        return None
    return _PipeWriter(asyncio.StreamWriter(transport, protocol, None, loop))


async def run_stdio(server: ProlificMCPServer) -> None:
    """Serve over stdio until stdin closes or SIGTERM/SIGINT arrives; the lifespan then closes the pool."""
    stdin = await _stdin_lines()
    stdout = await _stdout_pipe()
    if stdin is not None:
        stdin.replies = stdout
    async with anyio.create_task_group() as tg:

        async def stop_on_signal() -> None:
            with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
                async for received in signals:
                    logger.info("Received %s; shutting down", signal.Signals(received).name)
                    tg.cancel_scope.cancel()
                    return

        tg.start_soon(stop_on_signal)
        lowlevel = lowlevel_server(server)
        async with stdio_server(stdin=stdin, stdout=stdout) as (read_stream, write_stream):  # type: ignore[arg-type]
            await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())
        tg.cancel_scope.cancel()


class AccessKeyMiddleware:
    """Requires `Authorization: Bearer <key>` on every HTTP request (compared in constant time)."""

    def __init__(self, app: ASGIApp, key: SecretStr) -> None:
        self.app = app
        self._expected = f"Bearer {key.get_secret_value()}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == b"authorization"), b"")
        if hmac.compare_digest(given, self._expected):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": "unauthorized", "detail": "send 'Authorization: Bearer <access key>'"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b'Bearer realm="prolific-taskbuilder-mcp"'),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


_PRINCIPALS_KEPT = 1024
"""Authenticated users the credential middleware keeps built (by salted hash; forgotten all at once when full)."""


class CredentialMiddleware:
    """Names who is asking, so that a stateful session is bound to the credential that created it: a request
    with another access key or another user token gets 404 for that session id, exactly as if it did not exist.

    The credential is a salted hash of the request's `Authorization` and `X-Prolific-Token` headers, handed to the
    SDK as the request's authenticated user (the SDK compares it with its session's creator). In per-user mode a
    request without a usable `X-Prolific-Token` is refused here, with a one-line explanation.
    """

    def __init__(self, app: ASGIApp, *, per_user_tokens: bool) -> None:
        self.app = app
        self._per_user = per_user_tokens
        self._salt = secrets.token_bytes(32)
        self._users: dict[str, AuthenticatedUser] = {}  # by principal: building one costs more than hashing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        token = token_in(headers) if self._per_user else None
        if self._per_user and token is None:
            detail = (
                "this server acts with each user's own Prolific token: send it in the X-Prolific-Token header "
                "(create one in the Prolific app under Settings > API tokens)"
            )
            await _refuse(send, 401, "missing_prolific_token", detail)
            return
        principal = credential_hash(self._salt, headers.get("authorization", ""), token or "")
        user = self._users.get(principal)
        if user is None:
            if len(self._users) >= _PRINCIPALS_KEPT:
                self._users.clear()
            user = self._users[principal] = AuthenticatedUser(AccessToken(token="", client_id=principal, scopes=[]))
        await self.app({**scope, "user": user}, receive, send)


async def _refuse(send: Send, status: int, error: str, detail: str) -> None:
    body = json.dumps({"error": error, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """DNS-rebinding protection: Host and Origin must be localhost forms or explicitly allowed ones."""
    hosts = [*LOCAL_HOSTS, *settings.allowed_hosts]
    allowed_hosts = [form for host in hosts for form in (host, f"{host}:*")]
    origins = [f"{scheme}://{host}" for host in hosts for scheme in ("http", "https")]
    allowed_origins = [form for origin in origins for form in (origin, f"{origin}:*")] + settings.allowed_origins
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=allowed_hosts, allowed_origins=allowed_origins
    )


class JsonRpcEnvelopeMiddleware:
    """Where the SDK answers a malformed JSON-RPC body with 400 (as -32602 and a pydantic report of the input),
    answers instead with the error JSON-RPC 2.0 prescribes (-32700, -32600; `jsonrpc.py`).

    Nothing is parsed twice on the way in: the body is only recorded as the SDK reads it, and looked at when the
    SDK has refused it. Bodies over the size limit keep the SDK's 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body = bytearray()
        held: list[Any] = []  # a 400's start, until its body shows whether to replace it
        replaced = False

        async def recording() -> Any:
            message = await receive()
            if message["type"] == "http.request" and len(body) <= self._max_bytes:
                body.extend(message.get("body", b""))
            return message

        async def rewriting(message: Any) -> None:
            nonlocal replaced
            if replaced:
                return  # the rest of the SDK's refusal, already answered
            if message["type"] == "http.response.start" and message["status"] == 400:
                held.append(message)
                return
            if held and message["type"] == "http.response.body":
                problem = reply_to_malformed(bytes(body).decode("utf-8", errors="replace"))
                if problem is not None and len(body) <= self._max_bytes:
                    replaced = True
                    answer = problem.encode()
                    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())]
                    await send({"type": "http.response.start", "status": 400, "headers": headers})
                    await send({"type": "http.response.body", "body": answer})
                    return
                await send(held.pop())
            await send(message)

        await self.app(scope, recording, rewriting)


class CancelOnDisconnectMiddleware:
    """In stateful mode, a client that disconnects while its call runs cancels the call, as in stateless mode.

    A stateful session's handlers outlive the POST that started them (the SDK lets a client resume a stream, which
    this server, holding no event store, cannot serve), so a summary kept paging Prolific for its whole deadline
    after its caller had gone. When the connection of a POST carrying a JSON-RPC request drops before the response
    is complete, this sends the session the `notifications/cancelled` the client would have sent: the SDK then
    cancels the handler exactly as for a client's own cancellation.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not Headers(scope=scope).get("mcp-session-id"):
            await self.app(scope, receive, send)
            return
        body = bytearray()
        complete = False
        gone = False

        async def watching_receive() -> Any:
            nonlocal gone
            message = await receive()
            if message["type"] == "http.request" and len(body) <= self._max_bytes:
                body.extend(message.get("body", b""))
            elif message["type"] == "http.disconnect":
                gone = True
            return message

        async def watching_send(message: Any) -> None:
            nonlocal complete
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                complete = True
            await send(message)

        try:
            await self.app(scope, watching_receive, watching_send)
        finally:
            if gone and not complete:
                with anyio.CancelScope(shield=True):
                    await self._cancel(scope, bytes(body))

    async def _cancel(self, scope: Scope, body: bytes) -> None:
        try:
            message = json.loads(body)
        except ValueError:
            return
        if not isinstance(message, dict) or "id" not in message or message.get("method") in (None, "initialize"):
            return
        notice = {
            "jsonrpc": "2.0",
            "method": "notifications/cancelled",
            "params": {"requestId": message["id"], "reason": "the client disconnected"},
        }
        payload = json.dumps(notice).encode()
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"content-length", b"accept")]
        headers += [
            (b"content-length", str(len(payload)).encode()),
            (b"accept", b"application/json, text/event-stream"),
        ]
        sent = False

        async def once() -> Any:
            nonlocal sent
            if sent:
                await anyio.sleep_forever()
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}

        async def discard(_: Any) -> None:
            return None

        logger.info("A client disconnected during request %s; cancelling it", str(message["id"])[:64])
        with anyio.move_on_after(5):
            await self.app({**scope, "headers": headers}, once, discard)


MCP_ACCEPT = b"application/json, text/event-stream"

HTTP_PROTOCOL = "prolific_taskbuilder_mcp.http_protocol:DeadlineH11Protocol"
"""uvicorn's h11 protocol with a request deadline (a string, so that worker processes import it too)."""


def build_http_app(server: ProlificMCPServer, settings: Settings) -> ASGIApp:
    DeadlineH11Protocol.request_timeout = settings.http_request_timeout  # this process's connections
    app: ASGIApp = server.streamable_http_app(
        streamable_http_path="/mcp",
        host=settings.host,
        stateless_http=settings.stateless_http,
        max_request_body_size=settings.max_request_bytes,
        max_sessions=settings.max_sessions,
        session_idle_timeout=settings.session_idle_timeout,
        transport_security=transport_security(settings),
    )
    app = JsonRpcEnvelopeMiddleware(app, settings.max_request_bytes)
    if not settings.stateless_http:
        app = CancelOnDisconnectMiddleware(app, settings.max_request_bytes)
    app = CredentialMiddleware(app, per_user_tokens=settings.per_user_tokens)
    if settings.http_key is not None:
        app = AccessKeyMiddleware(app, settings.http_key)
    return app


def bind_http(settings: Settings) -> socket.socket:
    """The listening socket for `settings`; a port in use (or an address we cannot bind) is a one-line BindError
    that says what to change."""
    return bind_or_explain(settings.host, settings.port)


async def run_http(server: ProlificMCPServer, settings: Settings, sock: socket.socket | None = None) -> None:
    """Serve Streamable HTTP at /mcp. Binds loopback unless told otherwise; the bound URL goes to stderr."""
    app = build_http_app(server, settings)
    sock = sock or bind_http(settings)
    sys.stderr.write(f"Serving MCP over Streamable HTTP at {url_of(sock, '/mcp')}\n")
    try:
        await _uvicorn(app, settings).serve(sockets=[sock])
    finally:
        sock.close()


def _uvicorn(app: ASGIApp, settings: Settings) -> uvicorn.Server:
    """uvicorn for `app`: our h11 protocol with a request deadline, our logging, a bounded graceful shutdown."""
    config = uvicorn.Config(
        app,
        http=HTTP_PROTOCOL,
        log_level=settings.log_level.lower(),
        access_log=False,
        log_config=None,  # keep our stderr handler (and its secret redaction)
        timeout_graceful_shutdown=10,
    )
    return uvicorn.Server(config)


def worker_app() -> tuple[ASGIApp, Settings]:
    """The ASGI app of one HTTP worker process, and its settings (server/worker.py; see workers.py)."""
    from ..client.memory import settle_startup
    from ..config import load_settings
    from ..logs import configure_logging
    from ..workers import WORKER_ARGV
    from .app import create_server

    settings = load_settings(json.loads(os.environ.get(WORKER_ARGV, "[]")))
    configure_logging(settings.log_level, [s for s in (settings.token, settings.http_key) if s is not None])
    app = build_http_app(create_server(settings), settings)
    settle_startup()  # as the single-process server does (cli._serve)
    return app, settings


def serve_worker(
    sock: socket.socket,
    app: ASGIApp,
    settings: Settings,
    should_stop: Callable[[], bool],
    beat: Callable[[], None],
) -> None:
    """Serve `app` on an inherited listening socket until SIGTERM/SIGINT or `should_stop()`. About every second,
    from the event loop itself (uvicorn's notify callback), `beat()` tells the supervisor this worker is alive and
    `should_stop()` is asked."""
    server = _uvicorn(app, settings)

    async def notify() -> None:
        if should_stop():
            logger.warning("The supervisor is gone; this worker stops")
            server.should_exit = True
            return
        beat()

    server.config.callback_notify = notify
    server.config.timeout_notify = 0.5  # type: ignore[assignment]  # checked once a second; any number works
    server.run(sockets=[sock])
