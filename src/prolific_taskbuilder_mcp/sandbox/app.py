"""The simulated Prolific API: an ASGI app faithful to the AI Task Builder reference.

Fidelity rules (see the reference's simulator checklist): every error uses Prolific's envelope with
`status` equal to the HTTP code; 401 for a missing or wrong token on every route, before anything else;
404 for unknown ids (malformed ids included); both trailing-slash forms of every path are accepted and
never redirected; batch statuses are UPPER CASE; a PROCESSING batch turns READY after a delay.

Test hooks live under `/_sandbox/` (no token needed): faults to inject, request counts, reset.
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import data

FaultKind = Literal["status", "html", "not_json", "wrong_shape", "delay", "drip", "huge", "reset", "truncated"]

_ERROR_CODES = {
    400: 140000,
    401: 140001,
    403: 140003,
    404: 140100,
    405: 140005,
    409: 140009,
    422: 140022,
    429: 140029,
    500: 150000,
    502: 150002,
    503: 150003,
    504: 150004,
}
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class Fault:
    """One injected misbehaviour, applied to the next `times` API requests whose path contains `path`."""

    kind: FaultKind = "status"
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0
    times: int | None = 1
    """How many requests it applies to; None: until cleared."""
    path: str | None = None


@dataclass
class SandboxState:
    """Everything the simulator knows. Thread-safe: tests change it while a server thread serves it."""

    token: str | None = "sandbox-token"
    """The one accepted token; None accepts any non-empty token (the embedded demo)."""
    processing_delay: float = 20.0
    """Seconds after start (or reset) at which the PROCESSING batch becomes READY."""
    latency: float = 0.0
    """Seconds added to every API response (to simulate a distant upstream)."""
    clock: Callable[[], float] = time.monotonic
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.batches = {b["id"]: copy.deepcopy(b) for b in data.BATCHES}
            self.faults = []
            self.requests = Counter()
            self.started = self.clock()

    @property
    def request_count(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self.faults = []

    def record(self, method: str, path: str) -> Fault | None:
        """Count one API request; return the fault to apply to it, if any."""
        with self._lock:
            self.requests[f"{method} {path}"] += 1
            for fault in self.faults:
                if fault.path is None or fault.path in path:
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self.faults.remove(fault)
                    return fault
        return None

    def batch(self, batch_id: str) -> dict[str, Any] | None:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return None
            if (
                batch_id == data.PROCESSING_BATCH_ID
                and batch["status"] == "PROCESSING"
                and self.clock() - self.started >= self.processing_delay
            ):
                batch.update(data.PROCESSING_BATCH_WHEN_READY)
            return copy.deepcopy(batch)


def error_response(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {
        "error": {
            "status": status,
            "error_code": _ERROR_CODES.get(status, 140000 if status < 500 else 150000),
            "title": _TITLES.get(status, "Error"),
            "detail": detail,
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


# -- API routes ------------------------------------------------------------------------------------


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


async def get_batch(request: Request) -> Response:
    batch = _state(request).batch(request.path_params["batch_id"])
    if batch is None:
        return error_response(404, "Batch not found.")
    return JSONResponse(batch)


async def get_batch_status(request: Request) -> Response:
    batch = _state(request).batch(request.path_params["batch_id"])
    if batch is None:
        return error_response(404, "Batch not found.")
    return JSONResponse({"status": batch["status"]})


async def list_batches(request: Request) -> Response:
    workspace_id = request.query_params.get("workspace_id")
    if not workspace_id:
        return error_response(400, {"workspace_id": ["This field is required."]})
    state = _state(request)
    batches = [state.batch(batch_id) for batch_id in list(state.batches)]
    rows = [b for b in batches if b is not None and b.get("workspace_id") == workspace_id]
    rows.sort(key=lambda b: str(b.get("created_at")), reverse=True)
    try:
        offset = int(request.query_params.get("offset", "0"))
        limit = int(request.query_params.get("limit", str(len(rows) or 1)))
    except ValueError:
        return error_response(400, {"limit": ["A valid integer is required."]})
    return JSONResponse({"results": rows[offset : offset + limit], "meta": {"count": len(rows)}})


# -- test hooks ------------------------------------------------------------------------------------


async def hook_faults(request: Request) -> Response:
    state = _state(request)
    if request.method == "DELETE":
        state.clear_faults()
        return JSONResponse({"faults": []})
    if request.method == "POST":
        state.add_fault(Fault(**(await request.json())))
    return JSONResponse({"faults": [asdict(f) for f in state.faults]})


async def hook_stats(request: Request) -> Response:
    state = _state(request)
    return JSONResponse({"requests": state.request_count, "by_route": dict(state.requests)})


async def hook_reset(request: Request) -> Response:
    _state(request).reset()
    return JSONResponse({"reset": True})


# -- fault rendering -------------------------------------------------------------------------------


async def _drip(body: bytes, seconds: float) -> AsyncIterator[bytes]:
    for i in range(len(body)):
        yield body[i : i + 1]
        await asyncio.sleep(seconds)


def fault_response(fault: Fault) -> Response | None:
    """The response a fault produces; None for faults that only delay."""
    if fault.kind == "status":
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
        return error_response(fault.status, f"Injected fault {fault.status}.", headers)
    if fault.kind == "html":
        page = f"<html><body><h1>{fault.status} Bad Gateway</h1><p>nginx</p></body></html>"
        return Response(page, status_code=fault.status, media_type="text/html")
    if fault.kind == "not_json":
        return Response("this is not json {", status_code=200, media_type="application/json")
    if fault.kind == "wrong_shape":
        return JSONResponse(["an", "array", "instead", "of", "an", "object"])
    if fault.kind == "huge":
        return Response(b'{"pad":"' + b"x" * (12 * 1024 * 1024) + b'"}', media_type="application/json")
    if fault.kind == "drip":
        return StreamingResponse(_drip(b'{"id": "slow"}' * 50, fault.seconds or 1.0), media_type="application/json")
    return None


class SandboxApp:
    """ASGI entry: slash folding, request accounting, auth, latency and faults, then the routes."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        api = "/api/v1/data-collection"
        self.router = Starlette(
            routes=[
                Route(f"{api}/batches", list_batches, methods=["GET"]),
                Route(f"{api}/batches/{{batch_id}}", get_batch, methods=["GET"]),
                Route(f"{api}/batches/{{batch_id}}/status", get_batch_status, methods=["GET"]),
                Route("/_sandbox/faults", hook_faults, methods=["GET", "POST", "DELETE"]),
                Route("/_sandbox/stats", hook_stats, methods=["GET"]),
                Route("/_sandbox/reset", hook_reset, methods=["POST"]),
            ],
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
        if path.startswith("/_sandbox/"):
            await self.router(scope, receive, send)
            return
        fault = self.state.record(scope["method"], path)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self._auth_problem(headers.get("authorization"))
        if problem is not None:
            await error_response(401, problem)(scope, receive, send)
            return
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
                await _send_truncated(send)
                return
            response = fault_response(fault)
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
        if self.state.token is not None and token != self.state.token:
            return "Invalid token."
        return None


async def _send_truncated(send: Send) -> None:
    """Announce a longer body than is sent, then stop: the client sees an incomplete response."""
    body = json.dumps({"id": data.SEED_BATCH_ID, "name": "truncated"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )
    await send({"type": "http.response.body", "body": body[:20], "more_body": False})


def create_app(state: SandboxState | None = None) -> SandboxApp:
    """The simulator as an ASGI app (in-process for `--demo`, or under uvicorn on loopback)."""
    return SandboxApp(state or SandboxState())
