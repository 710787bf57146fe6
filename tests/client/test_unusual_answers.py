"""Answers the reference allows but our simulator does not give: a sync that is already finished when it is
queued, an append answered 201, an import status without its ids. The client and the reads take them in stride.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from prolific_taskbuilder_mcp.client import ClientOptions, ProlificClient
from prolific_taskbuilder_mcp.errors import ReadError
from prolific_taskbuilder_mcp.reads import build as reads
from tests.support.clock import FakeClock
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.anyio

BATCH = "0194d2b8-27a6-7b3c-9d1e-5f4a3b2c1d0e"
DATASET = "0194d2b8-27a6-7b3c-9d1e-5f4a3b2c1d0f"
WORKSPACE = "6278acb09062db3b35bcbeb0"


def _client(answers: dict[tuple[str, str], httpx.Response], seen: list[tuple[str, str]]) -> ProlificClient:
    def handler(request: httpx.Request) -> httpx.Response:
        key = (request.method, request.url.path.removeprefix("/api/v1/data-collection"))
        seen.append(key)
        return answers[key]

    options = ClientOptions(base_url="https://api.prolific.test", max_attempts=1)
    return ProlificClient(SecretStr(CANARY_TOKEN), options, transport=httpx.MockTransport(handler))


async def _no_progress(done: float, total: float | None, message: str) -> None:
    raise AssertionError(f"nothing to wait for, yet progress was reported: {message}")


async def test_a_sync_already_finished_when_queued_is_not_polled() -> None:
    seen: list[tuple[str, str]] = []
    batch = {"id": BATCH, "status": "READY", "workspace_id": WORKSPACE, "datasets": [{"id": DATASET}]}
    answers = {
        ("POST", f"/batches/{BATCH}/sync"): httpx.Response(
            200, json={"sync_id": "s-1", "batch_id": BATCH, "status": "complete", "tasks_created": 4}
        ),
        ("GET", f"/batches/{BATCH}"): httpx.Response(200, json=batch),
    }
    async with _client(answers, seen) as client:
        outcome = await reads.sync_batch(
            client, BATCH, "sync", wait=True, timeout_seconds=30, progress=_no_progress, clock=FakeClock()
        )
    assert outcome.sync is not None
    assert (outcome.sync.status, outcome.sync.tasks_created) == ("complete", 4)
    assert seen == [("POST", f"/batches/{BATCH}/sync"), ("GET", f"/batches/{BATCH}")]  # no GET of syncs/s-1
    assert f"workspaces/{WORKSPACE}" in outcome.next_step


async def test_an_append_answered_201_is_read_like_a_200() -> None:
    seen: list[tuple[str, str]] = []
    answers: dict[tuple[str, str], httpx.Response] = {
        ("POST", f"/datasets/{DATASET}/datapoints"): httpx.Response(
            201,
            json={
                "accepted_count": 2,
                "duplicate_count": 0,
                "rejected_count": 1,
                "errors": [{"index": 2, "field": "text", "message": "required"}],
            },
        ),
        ("GET", f"/datasets/{DATASET}"): httpx.Response(200, json={"id": DATASET, "status": "READY"}),
    }
    async with _client(answers, seen) as client:
        outcome = await reads.add_datapoints(client, DATASET, b'{"text": "a"}\n{"text": "b"}\n{}\n', "append")
    assert outcome.appended is not None
    assert (outcome.appended.accepted, outcome.appended.rejected) == (2, 1)
    assert outcome.appended.errors
    assert "text" in outcome.appended.errors[0]


async def test_an_import_status_without_its_ids_gets_them_from_the_request() -> None:
    seen: list[tuple[str, str]] = []
    body: dict[str, Any] = {"status": "complete", "written_count": 3}
    answers = {("GET", f"/datasets/{DATASET}/imports/i-1"): httpx.Response(200, json=body)}
    async with _client(answers, seen) as client:
        job = await client.get_import(DATASET, "i-1")
    assert (job.dataset_id, job.import_id, job.status, job.written_count) == (DATASET, "i-1", "complete", 3)


def _dataset_answers(upload: dict[str, Any], import_status: str) -> dict[tuple[str, str], httpx.Response]:
    return {
        ("POST", "/datasets"): httpx.Response(201, json={"id": DATASET, "name": "replies"}),
        ("GET", f"/datasets/{DATASET}/upload-url/replies.jsonl"): httpx.Response(201, json=upload),
        ("PUT", "/bucket/replies.jsonl"): httpx.Response(200),
        ("GET", f"/datasets/{DATASET}/imports/i-1"): httpx.Response(200, json={"status": import_status}),
        ("GET", f"/datasets/{DATASET}"): httpx.Response(200, json={"id": DATASET, "status": "PROCESSING"}),
    }


async def _create(answers: dict[tuple[str, str], httpx.Response], seen: list[tuple[str, str]]) -> Any:
    async with _client(answers, seen) as client:
        return await reads.create_dataset(
            client,
            {"name": "replies", "workspace_id": WORKSPACE},
            b'{"text": "a"}\n',
            "replies.jsonl",
            "create",
            [],
            timeout_seconds=30,
            progress=_quiet,
            clock=FakeClock(),
        )


async def _quiet(done: float, total: float | None, message: str) -> None:
    return None


async def test_an_import_waiting_for_a_schema_says_where_to_set_one() -> None:
    seen: list[tuple[str, str]] = []
    upload = {"upload_url": "https://uploads.test/bucket/replies.jsonl?sig=1", "import_id": "i-1"}
    outcome = await _create(_dataset_answers(upload, "pending_schema"), seen)
    assert outcome.upload.status == "pending_schema"
    assert "waits for the dataset's schema" in outcome.next_step
    assert ("PUT", "/bucket/replies.jsonl") in seen


async def test_an_upload_url_without_an_import_job_names_the_dataset_already_made() -> None:
    seen: list[tuple[str, str]] = []
    upload = {"upload_url": "https://uploads.test/bucket/replies.jsonl?sig=1"}
    with pytest.raises(ReadError) as caught:
        await _create(_dataset_answers(upload, "complete"), seen)
    assert f"Created dataset {DATASET}, but Prolific returned no import job" in str(caught.value)
    assert f"add_datapoints(dataset_id='{DATASET}'" in str(caught.value)
    assert ("PUT", "/bucket/replies.jsonl") not in seen  # nothing uploaded, nothing else created
    assert [key for key in seen if key[0] == "POST"] == [("POST", "/datasets")]
