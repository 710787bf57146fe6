"""create_dataset, add_datapoints and sync_batch: records checked before anything is sent, the upload through the
presigned URL on the storage origin (no token there, the exact URL, the signed Content-Type), the import waited for,
rejected records reported with reasons, appends and syncs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import Fault, data
from tests.protocol.helpers import ProgressLog, call_error, call_ok
from tests.support.simulator import CANARY_TOKEN, InProcessSandbox, new_sandbox, server_for

from .test_consent import Answer

pytestmark = pytest.mark.anyio

RECORDS: list[dict[str, Any]] = [
    {"reply": f"Reply number {n}", "question": f"Question {n}", "META_ref": f"r-{n}"} for n in range(1, 6)
]
QUESTIONS: list[dict[str, Any]] = [
    {
        "type": "multiple_choice",
        "text": "Is the reply helpful?",
        "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}],
    },
    {"type": "free_text", "text": "Why?", "max_length": 500},
]


def _never(sandbox: InProcessSandbox, **settings: Any) -> Client:
    return Client(
        server_for(sandbox, allow_writes=True, confirm_writes="never", workspace_id=data.WORKSPACE_ID, **settings)
    )


async def test_inline_records_become_a_dataset_with_an_inferred_schema(sandbox: InProcessSandbox) -> None:
    progress = ProgressLog()
    async with _never(sandbox) as client:
        result = await client.call_tool(
            "create_dataset", {"name": "Replies", "records": RECORDS}, progress_callback=progress
        )
        assert result.is_error is False, result.content
        made = result.structured_content
        assert made is not None
        _, out = await call_ok(client, "get_dataset", {"dataset_id": made["dataset"]["id"]})
    assert made["outcome"] == "done"
    assert made["upload"]["status"] == "complete"
    assert made["upload"]["accepted"] == 5
    assert made["dataset"]["total_datapoint_count"] == 5
    assert made["dataset"]["ready_for_setup"] is True
    assert "META_ref as metadata" in made["notes"][0]
    assert progress.values  # the import was polled with progress
    dataset = sandbox.state.datasets[made["dataset"]["id"]]
    assert dataset["schema"] == {
        "strict": True,
        "fields": {"reply": {"type": "text"}, "question": {"type": "text"}, "META_ref": {"type": "metadata"}},
    }
    assert out["total_datapoint_count"] == 5
    # The upload went to the storage origin: the URL exactly as issued, the signed type, and no credential.
    (put,) = sandbox.state.storage_requests
    assert put["method"] == "PUT"
    assert put["headers"]["host"] == "uploads.prolific.test"
    assert put["headers"]["content-type"] == "application/x-ndjson"
    assert "authorization" not in put["headers"]
    assert CANARY_TOKEN not in json.dumps(put)
    assert "create_batch(dataset_id=" in made["next_step"]


async def test_rejected_records_are_reported_with_their_reasons(sandbox: InProcessSandbox) -> None:
    records = [*RECORDS, {"reply": "", "question": "Empty reply", "META_ref": "r-6"}, RECORDS[0]]
    async with _never(sandbox) as client:
        text, out = await call_ok(client, "create_dataset", {"name": "Replies", "records": records})
    assert out["upload"]["status"] == "partial"
    assert out["upload"]["rejected"] == 1
    assert out["upload"]["duplicates"] == 1
    assert out["upload"]["errors"] == ["record 5: reply: missing value"]
    assert "record 5: reply: missing value" in text
    assert out["dataset"]["total_datapoint_count"] == 5


async def test_bad_records_or_fields_are_refused_before_anything_is_sent(sandbox: InProcessSandbox) -> None:
    async with _never(sandbox) as client:
        both = await call_error(client, "create_dataset", {"name": "x", "records": RECORDS, "file_path": "records.csv"})
        assert "not both" in both
        hidden = await call_error(client, "create_dataset", {"name": "x", "records": [{"META_a": "1"}]})
        assert "No field would be shown" in hidden
        nested = await call_error(client, "create_dataset", {"name": "x", "records": [{"text": {"a": 1}}]})
        assert "Invalid arguments for create_dataset: records.0.text" in nested
        kind = await call_error(client, "create_dataset", {"name": "x", "records": RECORDS, "fields": {"reply": "pdf"}})
        assert "reply" in kind
        missing = await call_error(client, "create_dataset", {"name": "x", "file_path": "/nonexistent/data.csv"})
        assert "Cannot read 'data.csv'" in missing
        wrong = await call_error(client, "create_dataset", {"name": "x", "file_path": "/etc/passwd"})
        assert "not a .csv or .jsonl" in wrong
        many = await call_error(
            client, "add_datapoints", {"dataset_id": data.SURVEY_DATASET_ID, "records": [{"a": "1"}] * 1001}
        )
        assert "At most 1,000 records" in many
    assert sandbox.state.request_count == 0


async def test_a_local_csv_is_streamed_and_counted(sandbox: InProcessSandbox, tmp_path: Path) -> None:
    path = tmp_path / "replies 2026.csv"
    rows = ["reply,question,metadata_source"] + [f'"Reply, {n}",Q{n},forum' for n in range(250)]
    path.write_text("\n".join(rows) + "\n")
    progress = ProgressLog()
    async with _never(sandbox) as client:
        result = await client.call_tool(
            "create_dataset", {"name": "From CSV", "file_path": str(path)}, progress_callback=progress
        )
    out = result.structured_content
    assert result.is_error is False, result.content
    assert out is not None
    assert "250 records from replies 2026.csv" in out["change"]
    assert out["upload"]["accepted"] == 250
    assert out["dataset"]["schema_fields"] == ["reply:text", "question:text", "metadata_source:metadata"]
    (put,) = sandbox.state.storage_requests
    assert put["path"].endswith("/replies-2026.csv")
    assert put["headers"]["content-type"] == "text/csv"
    assert put["headers"]["content-length"] == str(path.stat().st_size)


async def test_file_path_is_refused_over_http(sandbox: InProcessSandbox, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("text\nhello\n")
    async with _never(sandbox, transport="http") as client:
        refused = await call_error(client, "create_dataset", {"name": "x", "file_path": str(path)})
    assert "stdio" in refused
    assert sandbox.state.request_count == 0


async def test_append_then_sync_adds_tasks_to_a_ready_batch(sandbox: InProcessSandbox) -> None:
    async with _never(sandbox) as client:
        _, made = await call_ok(client, "create_dataset", {"name": "Replies", "records": RECORDS})
        dataset_id = made["dataset"]["id"]
        _, batch = await call_ok(
            client,
            "create_batch",
            {
                "name": "Helpfulness",
                "dataset_id": dataset_id,
                "task_name": "Rate",
                "task_introduction": "Read the reply.",
                "task_steps": "Answer.",
                "questions": QUESTIONS,
            },
        )
        batch_id = batch["batch"]["id"]
        premature = await call_error(client, "sync_batch", {"batch_id": batch_id})
        assert "READY" in premature
        _, ready = await call_ok(client, "setup_batch", {"batch_id": batch_id, "tasks_per_group": 2})
        assert ready["wait"]["status"] == "READY"
        assert "app.prolific.com/researcher/workspaces/" in ready["next_step"]
        more = [{"reply": f"Late reply {n}", "question": "Q", "META_ref": f"late-{n}"} for n in range(3)]
        _, appended = await call_ok(
            client, "add_datapoints", {"dataset_id": dataset_id, "records": [*more, RECORDS[0]]}
        )
        assert appended["appended"]["accepted"] == 4
        assert appended["appended"]["duplicates"] == 1
        assert appended["dataset"]["total_datapoint_count"] == 8
        progress = ProgressLog()
        result = await client.call_tool("sync_batch", {"batch_id": batch_id}, progress_callback=progress)
        synced = result.structured_content
        assert result.is_error is False, result.content
        assert synced is not None
    assert synced["sync"]["status"] == "complete"
    assert synced["sync"]["tasks_created"] == 3
    assert synced["sync"]["groups_expanded"] == 1  # 5 tasks in groups of 2: the last group had room for one
    assert synced["sync"]["groups_created"] == 1
    assert synced["batch"]["total_task_count"] == 8
    assert "app.prolific.com/researcher/workspaces/" in synced["next_step"]  # READY: where to publish
    assert progress.values


@pytest.mark.parametrize("action", ["decline", "cancel"])
async def test_declined_or_cancelled_dataset_writes_change_nothing(sandbox: InProcessSandbox, action: str) -> None:
    before = copy.deepcopy((sandbox.state.datasets, sandbox.state.batches))
    answer = Answer(action)
    server = server_for(sandbox, allow_writes=True, workspace_id=data.WORKSPACE_ID)
    async with Client(server, mode="legacy", elicitation_callback=answer) as client:
        _, made = await call_ok(client, "create_dataset", {"name": "Replies", "records": RECORDS})
        _, appended = await call_ok(
            client, "add_datapoints", {"dataset_id": data.SURVEY_DATASET_ID, "records": RECORDS[:2]}
        )
        _, synced = await call_ok(client, "sync_batch", {"batch_id": data.READY_BATCH_ID})
    assert [out["outcome"] for out in (made, appended, synced)] == ["declined"] * 3
    assert len(answer.asked) == 3
    assert (sandbox.state.datasets, sandbox.state.batches) == before
    assert sandbox.state.requests_matching("POST") == 0
    assert sandbox.state.storage_requests == []


async def test_an_identical_create_within_ten_minutes_returns_the_first_dataset(sandbox: InProcessSandbox) -> None:
    async with _never(sandbox) as client:
        _, first = await call_ok(client, "create_dataset", {"name": "Replies", "records": RECORDS})
        text, again = await call_ok(client, "create_dataset", {"name": "Replies", "records": RECORDS})
        _, other = await call_ok(client, "create_dataset", {"name": "Replies", "records": RECORDS[:2]})
    assert again["dataset"]["id"] == first["dataset"]["id"]
    assert "Already done by an identical call" in text
    assert other["dataset"]["id"] != first["dataset"]["id"]
    assert sandbox.state.requests_matching("POST /api/v1/data-collection/datasets") == 2
    assert len(sandbox.state.storage_requests) == 2


async def test_a_write_is_not_repeated_after_it_may_have_reached_prolific(sandbox: InProcessSandbox) -> None:
    sandbox.state.add_fault(Fault(kind="status", status=502, path="/datasets", times=1))
    async with _never(sandbox) as client:
        failed = await call_error(client, "create_dataset", {"name": "Replies", "records": RECORDS})
    assert "may have been made" in failed
    assert sandbox.state.requests_matching("POST /api/v1/data-collection/datasets") == 1  # sent once, not retried


async def test_a_refused_upload_names_the_dataset_already_made(sandbox: InProcessSandbox) -> None:
    sandbox.state.url_ttl = -1.0  # every upload URL has expired by the time it is used
    async with _never(sandbox) as client:
        failed = await call_error(client, "create_dataset", {"name": "Replies", "records": RECORDS})
    (dataset_id,) = [d for d in sandbox.state.datasets if d not in {seeded["id"] for seeded in data.DATASETS}]
    assert f"Created dataset {dataset_id}, but its records were not uploaded" in failed
    assert "storage refused the upload (403)" in failed
    assert "add_datapoints" in failed


async def test_an_import_that_rejects_every_record_fails_with_the_reasons(sandbox: InProcessSandbox) -> None:
    records = [{"reply": "", "question": "Q"}, {"reply": "", "question": "Q2"}]
    async with _never(sandbox) as client:
        text, out = await call_ok(client, "create_dataset", {"name": "Empty replies", "records": records})
    assert out["upload"]["status"] == "failed"
    assert out["upload"]["reason"] == "Every record was rejected."
    assert out["dataset"]["ready_for_setup"] is False
    assert "Nothing was imported" in out["next_step"]
    assert "record 0: reply: missing value" in text


async def test_with_participants_answering_a_ready_batch_gets_responses_per_datapoint() -> None:
    sandbox = new_sandbox(participants_answer=True)  # as in the demo
    async with _never(sandbox) as client:
        _, made = await call_ok(client, "create_dataset", {"name": "Replies", "records": RECORDS})
        details = {"task_name": "Rate", "task_introduction": "Read.", "task_steps": "Answer."}
        arguments = {"name": "b", "dataset_id": made["dataset"]["id"], "questions": QUESTIONS, **details}
        _, batch = await call_ok(client, "create_batch", arguments)
        batch_id = batch["batch"]["id"]
        _, before = await call_ok(client, "summarize_batch_responses", {"batch_id": batch_id})
        await call_ok(client, "setup_batch", {"batch_id": batch_id})
        _, after = await call_ok(client, "summarize_batch_responses", {"batch_id": batch_id})
        _, page = await call_ok(client, "get_batch_responses", {"batch_id": batch_id, "limit": 6})
    assert before["responses"] == 0  # nobody answers before the batch is READY
    assert after["responses"] == 5 * 3 * 2  # five tasks, three raters each, two questions
    assert page["datapoints"]["T1"] == {"META_ref": "r-1"}


async def test_a_task_group_id_field_groups_tasks_by_value_at_setup_and_sync(sandbox: InProcessSandbox) -> None:
    fields = {"reply": "text", "session": "task_group_id"}
    records = [{"reply": f"Reply {n}", "session": f"s{n % 2}"} for n in range(6)]  # two sessions of three
    async with _never(sandbox) as client:
        _, made = await call_ok(client, "create_dataset", {"name": "Sessions", "records": records, "fields": fields})
        dataset_id = made["dataset"]["id"]
        assert made["notes"] == []  # nothing inferred, no key ignored
        details = {"task_name": "Rate", "task_introduction": "Read.", "task_steps": "Answer."}
        arguments = {"name": "Grouped", "dataset_id": dataset_id, "questions": QUESTIONS, **details}
        _, batch = await call_ok(client, "create_batch", arguments)
        batch_id = batch["batch"]["id"]
        _, ready = await call_ok(client, "setup_batch", {"batch_id": batch_id, "tasks_per_group": 5})
        assert ready["batch"]["total_task_groups"] == 2  # by session, whatever tasks_per_group says
        more = [{"reply": "Late reply", "session": "s1"}, {"reply": "New session", "session": "s9"}]
        await call_ok(client, "add_datapoints", {"dataset_id": dataset_id, "records": more})
        _, synced = await call_ok(client, "sync_batch", {"batch_id": batch_id})
    assert synced["sync"]["tasks_created"] == 2
    assert (synced["sync"]["groups_created"], synced["sync"]["groups_expanded"]) == (1, 1)
    assert synced["batch"]["total_task_groups"] == 3
