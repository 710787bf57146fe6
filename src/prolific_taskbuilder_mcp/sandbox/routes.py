"""The simulated AI Task Builder endpoints, presigned downloads and test hooks (`/_sandbox/`)."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import tempfile
import time
import zipfile
from dataclasses import asdict
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import data, dataset_writes, generate
from .errors import WriteRefusedError, error_response
from .state import Fault, SandboxState


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


async def get_batch(request: Request) -> Response:
    batch = _state(request).batch(request.path_params["batch_id"])
    if batch is None:
        return error_response(404, "Batch not found.")
    return JSONResponse(batch)


async def _json_body(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        return None


def _refused(exc: WriteRefusedError) -> Response:
    if exc.status == 422:  # INVALID_BATCH_ITEMS is a top-level object, not the error envelope (2.7.2)
        return JSONResponse(exc.detail, status_code=422)
    return error_response(exc.status, exc.detail)


async def create_batch(request: Request) -> Response:
    try:
        return JSONResponse(_state(request).create_batch(await _json_body(request)), status_code=201)
    except WriteRefusedError as exc:
        return _refused(exc)


async def update_batch(request: Request) -> Response:
    try:
        batch = _state(request).update_batch(request.path_params["batch_id"], await _json_body(request))
    except WriteRefusedError as exc:
        return _refused(exc)
    return error_response(404, "Batch not found.") if batch is None else JSONResponse(batch)


async def setup_batch(request: Request) -> Response:
    try:
        found = _state(request).setup_batch(request.path_params["batch_id"], await _json_body(request))
    except WriteRefusedError as exc:
        return _refused(exc)
    return Response(status_code=202) if found else error_response(404, "Batch not found.")


async def duplicate_batch(request: Request) -> Response:
    batch = _state(request).duplicate_batch(request.path_params["batch_id"], await _json_body(request))
    return error_response(404, "Batch not found.") if batch is None else JSONResponse(batch, status_code=201)


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
    """`{"results": [...], "meta": {"count": N}}` under the simulator's paging mode (see `_window`)."""
    window = _window(request, len(rows))
    if isinstance(window, Response):
        return window
    start, stop, links = window
    return JSONResponse({"results": rows[start:stop], "meta": {"count": len(rows)}, **links})


def _window(request: Request, total: int) -> tuple[int, int, dict[str, Any]] | Response:
    """The rows `[start, stop)` a list request gets, and the `_links` to add, per the simulator's paging mode.

    Paging of AI Task Builder lists is undocumented (reference §2.6), so the simulator serves each documented
    variant: `ignore` returns everything whatever the query says (the default: what the docs describe),
    `offset` honours `limit`/`offset` (default limit: `page_size`), and `links` serves `page_size` rows per
    page with `_links.next.href` to follow (ignoring `limit`/`offset`).
    """
    state = _state(request)
    if state.paging == "ignore":
        return 0, total, {}
    if state.paging == "links":
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            return error_response(400, {"page": ["A valid integer is required."]})
        start = (page - 1) * state.page_size
        stop = min(total, start + state.page_size)
        following = str(request.url.include_query_params(page=page + 1)) if stop < total else None
        previous = str(request.url.include_query_params(page=page - 1)) if page > 1 else None
        links = {"self": {"href": str(request.url), "title": "Current"}, "next": {"href": following, "title": "Next"}}
        links["previous"] = {"href": previous, "title": "Previous"}
        return start, stop, {"_links": links}
    try:
        offset = max(0, int(request.query_params.get("offset", "0")))
        limit = max(1, int(request.query_params.get("limit", str(state.page_size))))
    except ValueError:
        return error_response(400, {"limit": ["A valid integer is required."]})
    return offset, min(total, offset + limit), {}


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
    instructions = state.instructions_of(owner_id)
    total = state.response_count(owner_id) if instructions else 0
    window = _window(request, total)
    if isinstance(window, Response):
        return window
    start, stop, links = window
    key = f"{owner_id}:{start}:{stop}:{total}:{json.dumps(links)}"
    body = state.cached_body(key)
    if body is None:
        datapoints = state.datapoints_of(owner_id)
        rows = generate.responses(owner_id, owner_field, owner_id, instructions, start, stop, datapoints)
        body = json.dumps({"results": list(rows), "meta": {"count": total}, **links}).encode()
        state.cache_body(key, body)
    return Response(body, media_type="application/json")


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
        if state.lookup("collections", owner_id) is None:
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


async def create_dataset(request: Request) -> Response:
    try:
        return JSONResponse(_state(request).create_dataset(await _json_body(request)), status_code=201)
    except WriteRefusedError as exc:
        return _refused(exc)


async def get_upload_url(request: Request) -> Response:
    """9.5: 201 (the CLI requires exactly 201 for this GET: it creates an import job)."""
    state = _state(request)
    try:
        target = state.upload_target(
            request.path_params["dataset_id"], request.path_params["filename"], request.url.netloc
        )
    except WriteRefusedError as exc:
        return _refused(exc)
    return error_response(404, "Dataset not found.") if target is None else JSONResponse(target, status_code=201)


async def get_import(request: Request) -> Response:
    job = _state(request).poll_import(request.path_params["dataset_id"], request.path_params["import_id"])
    return error_response(404, "Import not found.") if job is None else JSONResponse(job)


async def append_datapoints(request: Request) -> Response:
    """9.8: JSONL only (`application/x-ndjson`); 200 with the counts (a simulator choice: the code is unknown)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-ndjson":
        return error_response(415, "Send the records as JSONL with Content-Type: application/x-ndjson.")
    try:
        counts = _state(request).append_datapoints(request.path_params["dataset_id"], await request.body())
    except WriteRefusedError as exc:
        return _refused(exc)
    return error_response(404, "Dataset not found.") if counts is None else JSONResponse(counts)


async def sync_batch(request: Request) -> Response:
    try:
        job = _state(request).start_sync(request.path_params["batch_id"])
    except WriteRefusedError as exc:
        return _refused(exc)
    return error_response(404, "Batch not found.") if job is None else JSONResponse(job, status_code=202)


async def get_sync(request: Request) -> Response:
    job = _state(request).poll_sync(request.path_params["batch_id"], request.path_params["sync_id"])
    return error_response(404, "Sync not found.") if job is None else JSONResponse(job)


# -- the storage origin (presigned uploads, 9.6: no token; the URL is the credential) ---------------


def _s3_error(status: int, code: str, message: str) -> Response:
    body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return Response(body, status_code=status, media_type="application/xml")


async def storage_put(request: Request) -> Response:
    """Receive a presigned PUT as S3 would: the exact signed URL on its own origin, the signed Content-Type, a
    Content-Length (S3 refuses chunked uploads). Every request's headers are recorded for tests."""
    state = _state(request)
    key = request.path_params["key"]
    query = request.scope.get("query_string", b"").decode("latin-1")
    headers = {k.lower(): v for k, v in request.headers.items()}
    state.note_storage_request({"method": request.method, "path": request.url.path, "query": query, "headers": headers})
    upload = state.upload_for(key)
    if request.method != "PUT" or upload is None:
        return _s3_error(404 if upload is None else 405, "NoSuchUpload", "No upload was signed for this key.")
    signed = (
        f"X-Amz-Expires={int(upload['expires'])}&X-Amz-Signature={dataset_writes.signature(key, upload['expires'])}"
    )
    if query != signed or headers.get("host") != upload["host"]:
        return _s3_error(403, "SignatureDoesNotMatch", "The request is not the URL that was signed.")
    if upload["expires"] <= state.wall():
        return _s3_error(403, "AccessDenied", "Request has expired")
    if headers.get("content-type") != upload["content_type"]:
        return _s3_error(403, "SignatureDoesNotMatch", "The Content-Type is not the one that was signed.")
    if "content-length" not in headers:
        return _s3_error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")
    with tempfile.SpooledTemporaryFile(max_size=1 << 20) as spool:
        async for chunk in request.stream():
            spool.write(chunk)
        spool.seek(0)
        await anyio.to_thread.run_sync(state.receive_upload, key, spool)
    return Response(status_code=200)


async def list_collections(request: Request) -> Response:
    workspace_id = request.query_params.get("workspace_id")
    if not workspace_id:
        return error_response(400, {"workspace_id": ["This field is required."]})
    rows = _state(request).workspace_collections(workspace_id)
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
    if state.lookup("collections", collection_id) is None:
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
        job = state.export(owner_id)
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
        meta = state.batch(owner_id) if kind == "batch" else state.lookup("collections", owner_id)
        archive.writestr(f"{kind}.json", json.dumps(meta))
        name = "responses-by-task.jsonl" if kind == "batch" else "responses.jsonl"
        archive.writestr(name, "".join(json.dumps(r) + "\n" for r in records))
    return buffer.getvalue()


# -- test hooks ------------------------------------------------------------------------------------

_SETTABLE = frozenset(
    {"processing_delay", "latency", "export_polls", "url_ttl", "legacy_instructions_gone", "page_size", "edge_cookies"}
)


async def hook_config(request: Request) -> Response:
    """Change simulator settings: any of `_SETTABLE`, `paging` (`ignore`, `offset`, `links`), `response_counts`
    ({owner id: count}) and `extra_batches` (a number of seed-batch copies, for load tests)."""
    state = _state(request)
    body = await request.json()
    for key, value in body.items():
        if key in _SETTABLE:
            setattr(state, key, value)
        elif key == "response_counts":
            state.set_response_counts({str(k): int(v) for k, v in value.items()})
        elif key == "extra_batches":
            state.add_seed_copies(int(value))
        elif key == "paging" and value in ("ignore", "offset", "links"):
            state.paging = value
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


async def hook_participants(request: Request) -> Response:
    """Simulated participants answer a READY batch: `{"batch_id": ..., "raters": 3}` -> the number of responses."""
    body = await request.json()
    count = _state(request).answer(str(body.get("batch_id")), int(body.get("raters", 3)))
    if count is None:
        return JSONResponse({"error": "no such batch"}, status_code=404)
    return JSONResponse({"responses": count})


async def hook_stats(request: Request) -> Response:
    state = _state(request)
    return JSONResponse(
        {"requests": state.request_count, "by_route": dict(state.requests), "cookies_sent": state.cookies_sent}
    )


async def hook_reset(request: Request) -> Response:
    _state(request).reset()
    return JSONResponse({"reset": True})


# -- fault rendering -------------------------------------------------------------------------------


def routes() -> list[Route]:
    api = "/api/v1/data-collection"
    batch = f"{api}/batches/{{batch_id}}"
    collection = f"{api}/collections/{{collection_id}}"
    return [
        Route(f"{api}/batches", list_batches, methods=["GET"]),
        Route(f"{api}/batches", create_batch, methods=["POST"]),
        Route(batch, get_batch, methods=["GET"]),
        Route(batch, update_batch, methods=["PATCH"]),
        Route(f"{batch}/setup", setup_batch, methods=["POST"]),
        Route(f"{batch}/duplicate", duplicate_batch, methods=["POST"]),
        Route(f"{batch}/status", get_batch_status, methods=["GET"]),
        Route(f"{batch}/instructions", get_instructions, methods=["GET"]),
        Route(f"{batch}/responses", get_batch_responses, methods=["GET"]),
        Route(f"{batch}/report", get_batch_report, methods=["GET"]),
        Route(f"{batch}/export", request_export, methods=["POST"]),
        Route(f"{batch}/export/{{export_id}}", get_export, methods=["GET"]),
        Route(f"{api}/datasets/{{dataset_id}}", get_dataset, methods=["GET"]),
        Route(f"{api}/datasets/{{dataset_id}}/status", get_dataset_status, methods=["GET"]),
        Route(f"{api}/datasets", create_dataset, methods=["POST"]),
        Route(f"{api}/datasets/{{dataset_id}}/upload-url/{{filename}}", get_upload_url, methods=["GET"]),
        Route(f"{api}/datasets/{{dataset_id}}/imports/{{import_id}}", get_import, methods=["GET"]),
        Route(f"{api}/datasets/{{dataset_id}}/datapoints", append_datapoints, methods=["POST"]),
        Route(f"{batch}/sync", sync_batch, methods=["POST"]),
        Route(f"{batch}/syncs/{{sync_id}}", get_sync, methods=["GET"]),
        Route("/raw-datasets/{key:path}", storage_put, methods=["PUT", "GET", "POST"]),
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
        Route("/_sandbox/participants", hook_participants, methods=["POST"]),
        Route("/_sandbox/reset", hook_reset, methods=["POST"]),
    ]
