"""The simulator's dataset writes and syncs over real HTTP, against the reference (9.1, 9.5-9.8, 7.10-7.11, 12.3,
12.5), and the client's upload and write-retry rules against it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from prolific_taskbuilder_mcp.client import ClientOptions, ProlificClient
from prolific_taskbuilder_mcp.client.errors import NotSentError, UploadRefusedError
from prolific_taskbuilder_mcp.client.http import retry_listener
from prolific_taskbuilder_mcp.sandbox import WORKSPACE_ID
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from prolific_taskbuilder_mcp.sockets import listening_socket, url_of
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.anyio

DATASETS = "/api/v1/data-collection/datasets"
AUTH = {"Authorization": f"Token {CANARY_TOKEN}"}
SCHEMA = {"strict": True, "fields": {"text": {"type": "text"}, "META_id": {"type": "metadata"}}}


def _call(sandbox: RunningSandbox, method: str, path: str, **kwargs: Any) -> httpx.Response:
    return httpx.request(method, sandbox.url + path, headers={**AUTH, **kwargs.pop("headers", {})}, **kwargs)


def _dataset(sandbox: RunningSandbox, schema: Any = SCHEMA) -> dict[str, Any]:
    body = {"name": "Replies", "workspace_id": WORKSPACE_ID, **({"schema": schema} if schema else {})}
    made = _call(sandbox, "POST", DATASETS, json=body)
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_create_validates_the_schema_and_answers_v3_or_v4(sandbox: RunningSandbox) -> None:
    v4 = _dataset(sandbox)
    assert (v4["schema_version"], v4["imports"], v4["total_datapoint_count"]) == (4, [], 0)
    v3 = _dataset(sandbox, schema=None)
    assert (v3["schema_version"], v3["status"], v3["imports"]) == (3, "UNINITIALISED", None)
    for schema, field in [
        ({"fields": {}}, "schema.fields"),
        ({"fields": {"a": {"type": "pdf"}}}, "schema.fields.a"),
        ({"fields": {"a": {"type": "task_group_id"}, "b": {"type": "task_group_id"}}}, "schema.fields"),
        ({"fields": {"a": {"type": "text"}}, "extra": 1}, "schema"),
    ]:
        refused = _call(sandbox, "POST", DATASETS, json={"name": "x", "workspace_id": WORKSPACE_ID, "schema": schema})
        assert refused.status_code == 400
        assert field in refused.json()["error"]["detail"]
    foreign = _call(sandbox, "POST", DATASETS, json={"name": "x", "workspace_id": "0" * 24})
    assert foreign.status_code == 404


def test_an_import_runs_uninitialised_queued_processing_then_partial(sandbox: RunningSandbox) -> None:
    dataset = _dataset(sandbox)
    unsupported = _call(sandbox, "GET", f"{DATASETS}/{dataset['id']}/upload-url/data.zip")
    assert unsupported.status_code == 400
    target = _call(sandbox, "GET", f"{DATASETS}/{dataset['id']}/upload-url/data.jsonl")
    assert target.status_code == 201  # a GET that creates an import job (9.5)
    url, import_id = target.json()["upload_url"], target.json()["import_id"]
    status = f"{DATASETS}/{dataset['id']}/imports/{import_id}"
    assert _call(sandbox, "GET", status).json()["status"] == "uninitialised"
    body = b'{"text": "a", "META_id": "1"}\n\n{"text": "a", "META_id": "1"}\n{"META_id": "2"}\n[1]\n'
    assert httpx.put(url, content=body, headers={"Content-Type": "text/csv"}).status_code == 403  # not the signed type
    assert httpx.put(url, content=body, headers={"Content-Type": "application/x-ndjson"}).status_code == 200
    assert httpx.put(url, content=body, headers={"Content-Type": "application/x-ndjson"}).status_code == 404  # used
    assert _call(sandbox, "GET", status).json()["status"] == "processing"
    done = _call(sandbox, "GET", status).json()
    assert done["status"] == "partial"
    assert (done["accepted_count"], done["duplicate_count"], done["rejected_count"]) == (2, 1, 2)
    assert done["errors"] == [
        {"record_index": 2, "field": "text", "reason": "missing value"},
        {"record_index": 3, "reason": "a record must be a JSON object"},
    ]
    assert _call(sandbox, "GET", f"{DATASETS}/{dataset['id']}").json()["total_datapoint_count"] == 1


def test_the_storage_origin_wants_the_exact_url_and_a_length(sandbox: RunningSandbox) -> None:
    dataset = _dataset(sandbox)
    url = _call(sandbox, "GET", f"{DATASETS}/{dataset['id']}/upload-url/a.csv").json()["upload_url"]
    on_the_api_origin = sandbox.url + httpx.URL(url).raw_path.decode()
    assert httpx.put(on_the_api_origin, content=b"text\na\n", headers={"Content-Type": "text/csv"}).status_code == 403
    reencoded = url.replace("X-Amz-Signature=", "X-Amz-Signature=%20")
    assert httpx.put(reencoded, content=b"text\na\n", headers={"Content-Type": "text/csv"}).status_code == 403

    def chunked() -> Any:
        yield b"text\na\n"

    refused = httpx.put(url, content=chunked(), headers={"Content-Type": "text/csv"})
    assert refused.status_code == 411  # storage refuses chunked uploads: the client must send a Content-Length


def test_append_is_jsonl_at_most_1000_and_409_during_an_import(sandbox: RunningSandbox) -> None:
    dataset = _dataset(sandbox)
    append = f"{DATASETS}/{dataset['id']}/datapoints"
    ndjson = {"Content-Type": "application/x-ndjson"}
    as_json = _call(sandbox, "POST", append, json=[{"text": "a"}])
    assert as_json.status_code == 415
    too_many = _call(sandbox, "POST", append, content=b'{"text": "a"}\n' * 1001, headers=ndjson)
    assert too_many.status_code == 400
    added = _call(sandbox, "POST", append, content=b'{"text": "a", "META_id": "1"}\nnope\n', headers=ndjson)
    assert added.status_code == 200
    assert added.json() == {
        "accepted_count": 1,
        "duplicate_count": 0,
        "rejected_count": 1,
        "errors": [{"record_index": 1, "reason": "invalid JSON"}],
    }
    target = _call(sandbox, "GET", f"{DATASETS}/{dataset['id']}/upload-url/b.jsonl").json()
    httpx.put(target["upload_url"], content=b'{"text": "b"}\n', headers={"Content-Type": target["content_type"]})
    busy = _call(sandbox, "POST", append, content=b'{"text": "c"}\n', headers=ndjson)
    assert busy.status_code == 409


async def test_the_client_uploads_without_its_token_and_reports_a_refusal(sandbox: RunningSandbox) -> None:
    async with ProlificClient(SecretStr(CANARY_TOKEN), ClientOptions(base_url=sandbox.url)) as client:
        dataset = await client.create_dataset({"name": "x", "workspace_id": WORKSPACE_ID, "schema": SCHEMA})
        target = await client.get_upload_url(dataset.id, "records.jsonl")
        await client.upload(target, b'{"text": "a"}\n', 14)
        with pytest.raises(UploadRefusedError, match=r"refused the upload \(404\)"):
            await client.upload(target, b'{"text": "a"}\n', 14)  # the URL was used once already
        with pytest.raises(ValueError, match="unsafe upload file name"):
            await client.get_upload_url(dataset.id, "../../x.csv")
    puts = [r for r in sandbox.state.storage_requests if r["method"] == "PUT"]
    assert len(puts) == 2
    assert all("authorization" not in r["headers"] for r in puts)
    assert all(r["headers"]["content-length"] == "14" for r in puts)


async def test_a_write_is_retried_only_when_the_connection_was_never_made() -> None:
    closed = listening_socket("127.0.0.1", 0)
    url = url_of(closed)
    closed.close()  # nothing listens there: every connection is refused before a byte is sent
    notices: list[str] = []

    async def heard(notice: str) -> None:
        notices.append(notice)

    token = retry_listener.set(heard)
    try:
        options = ClientOptions(base_url=url, backoff_base=0.0)
        async with ProlificClient(SecretStr(CANARY_TOKEN), options) as client:
            with pytest.raises(NotSentError) as raised:
                await client.create_dataset({"name": "x", "workspace_id": WORKSPACE_ID})
    finally:
        retry_listener.reset(token)
    assert len(notices) == 2  # sent again: it surely never reached Prolific
    assert raised.value.maybe_applied is False


async def test_an_upload_url_without_a_content_type_gets_the_one_its_extension_implies(sandbox: RunningSandbox) -> None:
    """The uploading guide's example omits fields the CLI reads: without `content_type`, the file's extension
    decides (what the storage signed for), so the upload is still accepted."""
    async with ProlificClient(SecretStr(CANARY_TOKEN), ClientOptions(base_url=sandbox.url)) as client:
        dataset = await client.create_dataset({"name": "x", "workspace_id": WORKSPACE_ID, "schema": SCHEMA})
        target = await client.get_upload_url(dataset.id, "records.jsonl")
        bare = target.model_copy(update={"content_type": None})
        await client.upload(bare, b'{"text": "a"}\n', 14)
    (put,) = [r for r in sandbox.state.storage_requests if r["method"] == "PUT"]
    assert put["headers"]["content-type"] == "application/x-ndjson"
