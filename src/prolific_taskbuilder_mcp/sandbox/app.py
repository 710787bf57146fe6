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
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import io
import json
import threading
import time
import zipfile
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import data, generate

FaultKind = Literal["status", "html", "not_json", "wrong_shape", "delay", "drip", "huge", "reset", "truncated"]

_ERROR_CODES = {
    400: 140000,
    401: 140001,
    403: 140003,
    404: 140100,
    405: 140005,
    409: 140009,
    410: 140010,
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
    410: "Gone",
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
    wall: Callable[[], float] = time.time
    """Wall-clock seconds since the epoch, for expiry times of presigned links."""
    export_polls: int = 2
    """Status reads an export job stays `generating` for."""
    url_ttl: float = 3600.0
    """Seconds a presigned report/export link stays valid."""
    legacy_instructions_gone: bool = False
    """When True the deprecated /instructions endpoint answers 410 Gone (its sunset has passed)."""
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)
    response_counts: dict[str, int] = field(default_factory=dict)
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.batches = {b["id"]: copy.deepcopy(b) for b in data.BATCHES}
            self.datasets = {d["id"]: copy.deepcopy(d) for d in data.DATASETS}
            self.collections = {c["id"]: copy.deepcopy(c) for c in data.COLLECTIONS}
            self.response_counts = {**data.RESPONSE_COUNTS, **data.COLLECTION_RESPONSE_COUNTS}
            self.exports = {
                data.READY_BATCH_EXPORT_ID: {
                    "id": data.READY_BATCH_EXPORT_ID,
                    "kind": "batch",
                    "owner": data.READY_BATCH_ID,
                    "status": "complete",
                    "polls": 0,
                    "failing": False,
                    "expires": self.wall() + self.url_ttl,
                }
            }
            self.export_polls = 2
            self.legacy_instructions_gone = False
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

    def lookup(self, table: Literal["datasets", "collections"], key: str) -> dict[str, Any] | None:
        """A copy of one dataset or collection (callers may change it freely), or None."""
        with self._lock:
            found = getattr(self, table).get(key)
            return None if found is None else copy.deepcopy(found)

    def instructions_of(self, owner_id: str) -> list[dict[str, Any]]:
        """The answerable instructions of a batch (layout or legacy) or a collection."""
        with self._lock:
            batch = self.batches.get(owner_id)
            collection = self.collections.get(owner_id)
            if batch is not None:
                items = batch.get("batch_items")
                found = generate.layout_instructions(items) if items else data.LEGACY_INSTRUCTIONS.get(owner_id, [])
            elif collection is not None:
                found = [
                    item for page in collection.get("collection_items") or [] for item in page.get("page_items") or []
                ]
            else:
                found = []
            return generate.answerable(copy.deepcopy(found))

    def response_count(self, owner_id: str) -> int:
        with self._lock:
            batch = self.batches.get(owner_id)
            if batch is not None and batch.get("status") != "READY":
                return 0
            return self.response_counts.get(owner_id, 0)

    def export_job(self, kind: str, owner_id: str, failing: bool) -> dict[str, Any]:
        """The owner's current export job, or a new one."""
        with self._lock:
            for job in self.exports.values():
                if job["owner"] == owner_id and job["status"] != "failed":
                    if job["status"] == "complete" and job["expires"] <= self.wall():
                        continue
                    return job
            export_id = f"0194e000-0000-7000-8000-{len(self.exports) + 1:012x}"
            job = {
                "id": export_id,
                "kind": kind,
                "owner": owner_id,
                "status": "generating",
                "polls": 0,
                "failing": failing,
                "expires": 0.0,
            }
            self.exports[export_id] = job
            return job

    def poll_export(self, owner_id: str, export_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self.exports.get(export_id)
            if job is None or job["owner"] != owner_id:
                return None
            if job["status"] == "generating":
                job["polls"] += 1
                if job["polls"] >= self.export_polls:
                    job["status"] = "failed" if job["failing"] else "complete"
            if job["status"] == "complete" and job["expires"] <= self.wall():
                job["expires"] = self.wall() + self.url_ttl  # re-polling refreshes an expired link
            return dict(job)


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
    return _paged(request, rows)


def _paged(request: Request, rows: list[dict[str, Any]]) -> Response:
    """`{"results": [...], "meta": {"count": N}}`, honouring `limit`/`offset` (default: everything)."""
    try:
        offset = max(0, int(request.query_params.get("offset", "0")))
        limit = max(1, int(request.query_params.get("limit", str(len(rows) or 1))))
    except ValueError:
        return error_response(400, {"limit": ["A valid integer is required."]})
    return JSONResponse({"results": rows[offset : offset + limit], "meta": {"count": len(rows)}})


def _limit_offset(request: Request, total: int) -> tuple[int, int] | Response:
    try:
        offset = max(0, int(request.query_params.get("offset", "0")))
        limit = max(1, int(request.query_params.get("limit", str(total or 1))))
    except ValueError:
        return error_response(400, {"limit": ["A valid integer is required."]})
    return offset, limit


_DEPRECATION = {"Deprecation": "true", "Sunset": "Tue, 01 Sep 2026 23:59:59 GMT"}


async def get_instructions(request: Request) -> Response:
    """Deprecated legacy endpoint: Deprecation and Sunset headers on every answer."""
    state = _state(request)
    batch = state.batch(request.path_params["batch_id"])
    if batch is None:
        return error_response(404, "Batch not found.", _DEPRECATION)
    if state.legacy_instructions_gone:
        return error_response(410, "This endpoint was removed. Use batch_items.", _DEPRECATION)
    rows = [] if batch.get("batch_items") else copy.deepcopy(data.LEGACY_INSTRUCTIONS.get(batch["id"], []))
    return JSONResponse({"results": rows, "meta": {"count": len(rows)}}, headers=_DEPRECATION)


def _responses_page(request: Request, owner_field: str, owner_id: str) -> Response:
    state = _state(request)
    total = state.response_count(owner_id)
    window = _limit_offset(request, total)
    if isinstance(window, Response):
        return window
    offset, limit = window
    instructions = state.instructions_of(owner_id)
    stop = min(total, offset + limit)
    rows = list(generate.responses(owner_id, owner_field, owner_id, instructions, offset, stop)) if instructions else []
    return JSONResponse({"results": rows, "meta": {"count": total if instructions else 0}})


async def get_batch_responses(request: Request) -> Response:
    batch_id = request.path_params["batch_id"]
    if _state(request).batch(batch_id) is None:
        return error_response(404, "Batch not found.")
    return _responses_page(request, "batch_id", batch_id)


def _signed_url(request: Request, kind: str, name: str, expires: float) -> str:
    signature = hashlib.sha256(f"{kind}/{name}/{int(expires)}".encode()).hexdigest()[:32]
    base = str(request.base_url).rstrip("/")
    return f"{base}/_files/{kind}/{name}?Expires={int(expires)}&Signature={signature}"


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


async def get_batch_report(request: Request) -> Response:
    state = _state(request)
    batch_id = request.path_params["batch_id"]
    if state.batch(batch_id) is None:
        return error_response(404, "Batch not found.")
    if state.response_count(batch_id) == 0:
        return JSONResponse({"url": None, "expires_at": None, "http_method": None})
    expires = state.wall() + state.url_ttl
    url = _signed_url(request, "reports", f"{batch_id}.csv", expires)
    return JSONResponse({"url": url, "expires_at": _iso(expires), "http_method": "GET"})


def _export_body(request: Request, job: dict[str, Any], with_id: bool) -> dict[str, Any]:
    if job["status"] == "complete":
        return {
            "status": "complete",
            "url": _signed_url(request, "exports", f"{job['id']}.zip", job["expires"]),
            "expires_at": _iso(job["expires"]),
        }
    if job["status"] == "failed":
        return {"status": "failed"}
    return {"status": "generating", "export_id": job["id"]} if with_id else {"status": "generating"}


async def request_export(request: Request) -> Response:
    state = _state(request)
    kind = "batch" if "batch_id" in request.path_params else "collection"
    owner_id = request.path_params.get("batch_id") or request.path_params["collection_id"]
    if kind == "batch":
        batch = state.batch(owner_id)
        if batch is None:
            return error_response(404, "Batch not found.")
        failing = batch.get("status") == "ERROR"
    else:
        if owner_id not in state.collections:
            return error_response(404, "Collection not found.")
        failing = False
    job = state.export_job(kind, owner_id, failing)
    if job["status"] == "complete":
        return JSONResponse(_export_body(request, job, with_id=False), status_code=200)
    return JSONResponse(_export_body(request, job, with_id=True), status_code=202)


async def get_export(request: Request) -> Response:
    state = _state(request)
    owner_id = request.path_params.get("batch_id") or request.path_params["collection_id"]
    job = state.poll_export(owner_id, request.path_params["export_id"])
    if job is None:
        return error_response(404, "Export not found.")
    return JSONResponse(_export_body(request, job, with_id=False))


async def get_dataset(request: Request) -> Response:
    dataset = _state(request).lookup("datasets", request.path_params["dataset_id"])
    if dataset is None:
        return error_response(404, "Dataset not found.")
    return JSONResponse(dataset)


async def get_dataset_status(request: Request) -> Response:
    dataset = _state(request).lookup("datasets", request.path_params["dataset_id"])
    if dataset is None:
        return error_response(404, "Dataset not found.")
    status = dataset.get("status")
    if dataset.get("schema_version") == 4:  # simulator choice, derived from the imports
        imports = dataset.get("imports") or []
        if not imports:
            status = "UNINITIALISED"
        elif any(i["status"] in ("uninitialised", "queued", "processing") for i in imports):
            status = "PROCESSING"
        else:
            status = "READY"
    return JSONResponse({"status": status})


async def list_collections(request: Request) -> Response:
    workspace_id = request.query_params.get("workspace_id")
    if not workspace_id:
        return error_response(400, {"workspace_id": ["This field is required."]})
    state = _state(request)
    with state._lock:
        rows = [
            {**copy.deepcopy(c), "item_count": len(c.get("collection_items") or [])}
            for c in state.collections.values()
            if c.get("workspace_id") == workspace_id
        ]
    rows.sort(key=lambda c: str(c.get("created_at")), reverse=True)
    return _paged(request, rows)


async def get_collection(request: Request) -> Response:
    collection = _state(request).lookup("collections", request.path_params["collection_id"])
    if collection is None:
        return error_response(404, "Collection not found.")
    return JSONResponse(collection)


async def get_collection_responses(request: Request) -> Response:
    state = _state(request)
    collection_id = request.path_params["collection_id"]
    if collection_id not in state.collections:
        return error_response(404, "Collection not found.")
    if collection_id not in data.COLLECTION_RESPONSE_COUNTS:
        return error_response(404, "Collection responses are not available yet. Request an export instead.")
    return _responses_page(request, "collection_id", collection_id)


async def users_me(request: Request) -> Response:
    return JSONResponse(copy.deepcopy(data.USER))


async def list_workspaces(request: Request) -> Response:
    return _paged(request, [copy.deepcopy(w) for w in data.WORKSPACES])


# -- presigned downloads (no token: the link is the credential) -----------------------------------


async def download(request: Request) -> Response:
    state = _state(request)
    kind, name = request.path_params["kind"], request.path_params["name"]
    try:
        expires = int(request.query_params.get("Expires", "0"))
    except ValueError:
        expires = 0
    signature = hashlib.sha256(f"{kind}/{name}/{expires}".encode()).hexdigest()[:32]
    denied = "<Error><Code>AccessDenied</Code><Message>{}</Message></Error>"
    if request.query_params.get("Signature") != signature:
        return Response(denied.format("Signature mismatch"), status_code=403, media_type="application/xml")
    if expires <= state.wall():
        return Response(denied.format("Request has expired"), status_code=403, media_type="application/xml")
    owner_id = name.split(".")[0]
    if kind == "exports":
        job = state.exports.get(owner_id)
        if job is None:
            return Response(denied.format("No such key"), status_code=404, media_type="application/xml")
        return Response(_export_zip(state, job["kind"], job["owner"]), media_type="application/zip")
    lines = ["participant_id,task_id,instruction_id,type,answer"]
    for record in _sample_records(state, "batch_id", owner_id):
        answer = json.dumps(record["response"]["answer"]).replace('"', '""')
        lines.append(
            f"{record['participant_id']},{record['task_id']},{record['response']['instruction_id']},"
            f'{record["response"]["type"]},"{answer}"'
        )
    return Response("\n".join(lines) + "\n", media_type="text/csv")


def _sample_records(state: SandboxState, owner_field: str, owner_id: str, limit: int = 1000) -> list[dict[str, Any]]:
    instructions = state.instructions_of(owner_id)
    stop = min(limit, state.response_count(owner_id))
    return list(generate.responses(owner_id, owner_field, owner_id, instructions, 0, stop))


def _export_zip(state: SandboxState, kind: str, owner_id: str) -> bytes:
    """A small but real archive with the documented file names (first 1,000 records only)."""
    records = _sample_records(state, f"{kind}_id", owner_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", f"# Export of {kind} {owner_id}\n\nSimulated by the embedded sandbox.\n")
        meta = state.batch(owner_id) if kind == "batch" else state.collections.get(owner_id)
        archive.writestr(f"{kind}.json", json.dumps(meta))
        name = "responses-by-task.jsonl" if kind == "batch" else "responses.jsonl"
        archive.writestr(name, "".join(json.dumps(r) + "\n" for r in records))
    return buffer.getvalue()


# -- test hooks ------------------------------------------------------------------------------------

_SETTABLE = frozenset({"processing_delay", "latency", "export_polls", "url_ttl", "legacy_instructions_gone"})


async def hook_config(request: Request) -> Response:
    """Change simulator settings: any of `_SETTABLE`, `response_counts` ({owner id: count}) and
    `extra_batches` (a number of seed-batch copies, for load tests)."""
    state = _state(request)
    body = await request.json()
    for key, value in body.items():
        if key in _SETTABLE:
            setattr(state, key, value)
        elif key == "response_counts":
            with state._lock:
                state.response_counts.update({str(k): int(v) for k, v in value.items()})
        elif key == "extra_batches":  # copies of the seed batch with ids 00000000-0000-4000-8000-<n>
            with state._lock:
                for n in range(int(value)):
                    batch_id = f"00000000-0000-4000-8000-{n:012d}"
                    state.batches[batch_id] = {**copy.deepcopy(data.SEED_BATCH), "id": batch_id}
        else:
            return JSONResponse({"error": f"unknown setting {key}"}, status_code=400)
    return JSONResponse({"ok": True})


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
        batch = f"{api}/batches/{{batch_id}}"
        collection = f"{api}/collections/{{collection_id}}"
        self.router = Starlette(
            routes=[
                Route(f"{api}/batches", list_batches, methods=["GET"]),
                Route(batch, get_batch, methods=["GET"]),
                Route(f"{batch}/status", get_batch_status, methods=["GET"]),
                Route(f"{batch}/instructions", get_instructions, methods=["GET"]),
                Route(f"{batch}/responses", get_batch_responses, methods=["GET"]),
                Route(f"{batch}/report", get_batch_report, methods=["GET"]),
                Route(f"{batch}/export", request_export, methods=["POST"]),
                Route(f"{batch}/export/{{export_id}}", get_export, methods=["GET"]),
                Route(f"{api}/datasets/{{dataset_id}}", get_dataset, methods=["GET"]),
                Route(f"{api}/datasets/{{dataset_id}}/status", get_dataset_status, methods=["GET"]),
                Route(f"{api}/collections", list_collections, methods=["GET"]),
                Route(collection, get_collection, methods=["GET"]),
                Route(f"{collection}/responses", get_collection_responses, methods=["GET"]),
                Route(f"{collection}/export", request_export, methods=["POST"]),
                Route(f"{collection}/export/{{export_id}}", get_export, methods=["GET"]),
                Route("/api/v1/users/me", users_me, methods=["GET"]),
                Route("/api/v1/workspaces", list_workspaces, methods=["GET"]),
                Route("/_files/{kind}/{name}", download, methods=["GET"]),
                Route("/_sandbox/config", hook_config, methods=["POST"]),
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
        if path.startswith(("/_sandbox/", "/_files/")):
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
