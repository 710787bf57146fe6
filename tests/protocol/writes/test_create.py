"""create_batch and duplicate_batch: typed questions checked before anything is sent, the layout built from the
dataset's schema, one batch per approved create (an identical repeat returns it), and the whole build path from
a dataset to a READY batch whose questions read back as they were written."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data
from tests.protocol.helpers import call_error, call_ok, text_of
from tests.support.simulator import InProcessSandbox, server_for

from .test_consent import Answer

pytestmark = pytest.mark.anyio

QUESTIONS: list[dict[str, Any]] = [
    {
        "type": "multiple_choice",
        "text": "Is the reply helpful?",
        "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}],
    },
    {"type": "free_text", "text": "Why?", "min_length": 10, "max_length": 500, "placeholder": "Because..."},
    {
        "type": "free_text_with_unit",
        "text": "How warm is the room?",
        "units": [{"label": "°C", "value": "c", "min": -10, "max": 50}, {"label": "°F", "value": "f"}],
        "unit_position": "prefix",
        "default_unit": "c",
    },
]
CREATE_DETAILS = {
    "task_name": "Rate replies",
    "task_introduction": "<p>Read.</p>",
    "task_steps": "<ol><li>Rate</li></ol>",
}
CREATE: dict[str, Any] = {
    "name": "Helpfulness round 1",
    "dataset_id": data.SURVEY_DATASET_ID,
    "task_name": "Rate replies",
    "task_introduction": "<p>Read the customer's message and the reply.</p>",
    "task_steps": "<ol><li>Read</li><li>Answer</li></ol>",
    "questions": QUESTIONS,
    "workspace_id": data.WORKSPACE_ID,
}


def _writes(sandbox: InProcessSandbox) -> int:
    return sandbox.state.requests_matching("POST") + sandbox.state.requests_matching("PATCH")


async def test_from_a_dataset_to_a_ready_batch_whose_questions_read_back(sandbox: InProcessSandbox) -> None:
    answer = Answer("accept")
    async with Client(server_for(sandbox, allow_writes=True), mode="legacy", elicitation_callback=answer) as client:
        text, created = await call_ok(client, "create_batch", CREATE)
        batch_id = created["batch"]["id"]
        assert created["outcome"] == "done"
        assert created["batch"]["status"] == "UNINITIALISED"
        assert "setup_batch" in text
        _, setup = await call_ok(client, "setup_batch", {"batch_id": batch_id})
        assert setup["wait"]["status"] == "READY"
        _, read = await call_ok(client, "get_batch_instructions", {"batch_id": batch_id})
    assert "with 3 questions, showing message, reply" in answer.asked[0]
    assert "800 datapoints -> 800 tasks" in answer.asked[0]
    assert read["dataset_fields"] == ["message", "reply"]  # the metadata field is not shown to participants
    helpful, why, warmth = read["questions"]
    assert helpful["options"][0]["label"] == "Yes"
    assert helpful["answer_limit"] == 1
    assert why["limits"] == "10-500 characters"
    assert why["placeholder"] == "Because..."
    assert warmth["unit_labels"] == ["°C", "°F"]
    assert warmth["unit_position"] == "prefix"
    assert warmth["limits"] == "°C -10-50"


async def test_an_identical_create_within_10_minutes_returns_the_first_batch(sandbox: InProcessSandbox) -> None:
    async with Client(server_for(sandbox, allow_writes=True, confirm_writes="never")) as client:
        _, first = await call_ok(client, "create_batch", CREATE)
        text, second = await call_ok(client, "create_batch", CREATE)
        _, other = await call_ok(client, "create_batch", {**CREATE, "name": "Round 2"})
    assert second["batch"]["id"] == first["batch"]["id"]
    assert "this is that batch, not a new one" in text
    assert other["batch"]["id"] != first["batch"]["id"]
    assert sandbox.state.requests_matching("POST /api/v1/data-collection/batches") == 2


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ({"type": "multiple_choice", "text": "Q", "options": [{"label": "A", "value": "a"}]}, "at least 2"),
        (
            {
                "type": "multiple_choice",
                "text": "Q",
                "pick": 3,
                "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}],
            },
            "exceeds the 2 options",
        ),
        (
            {
                "type": "multiple_choice_with_free_text",
                "text": "Q",
                "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}],
            },
            "heading",
        ),
        ({"type": "free_text", "text": "Q", "min_length": 50, "max_length": 5}, "larger than max_length"),
        ({"type": "free_text_with_unit", "text": "Q", "units": [{"label": "kg", "value": "kg"}]}, "at least 2"),
        ({"type": "file_upload", "text": "Q", "accepted_file_types": ["pdf"]}, "accepted_file_types"),
        ({"type": "video_narration", "text": "Q"}, "questions"),
    ],
)
async def test_invalid_questions_are_refused_before_anything_is_sent_or_asked(
    sandbox: InProcessSandbox, question: dict[str, Any], why: str
) -> None:
    answer = Answer("accept")
    async with Client(server_for(sandbox, allow_writes=True), mode="legacy", elicitation_callback=answer) as client:
        result = await client.call_tool("create_batch", {**CREATE, "questions": [question]})
    assert result.is_error is True
    assert why in text_of(result)
    assert "Nothing was sent to Prolific" in text_of(result)
    assert sandbox.state.request_count == 0
    assert answer.asked == []


async def test_a_duplicate_shares_the_dataset_and_starts_uninitialised(sandbox: InProcessSandbox) -> None:
    async with Client(server_for(sandbox, allow_writes=True, confirm_writes="never")) as client:
        _, copied = await call_ok(client, "duplicate_batch", {"batch_id": data.SURVEY_BATCH_ID, "name": "Survey again"})
    batch = copied["batch"]
    assert batch["name"] == "Survey again"
    assert batch["status"] == "UNINITIALISED"
    assert batch["id"] != data.SURVEY_BATCH_ID
    assert [d["id"] for d in batch["datasets"]] == [d["id"] for d in data.SURVEY_BATCH["datasets"]]
    assert _writes(sandbox) == 1


async def test_update_replaces_questions_and_dataset_but_not_while_processing(sandbox: InProcessSandbox) -> None:
    answer = Answer("accept")
    async with Client(server_for(sandbox, allow_writes=True), mode="legacy", elicitation_callback=answer) as client:
        _, created = await call_ok(client, "create_batch", CREATE)
        batch_id = created["batch"]["id"]
        one = [QUESTIONS[0]]
        _, updated = await call_ok(client, "update_batch", {"batch_id": batch_id, "questions": one})
        assert updated["batch"]["total_instruction_count"] == 1
        _, read = await call_ok(client, "get_batch_instructions", {"batch_id": batch_id})
        assert [q["text"] for q in read["questions"]] == ["Is the reply helpful?"]
        assert read["dataset_fields"] == ["message", "reply"]
        moved = await call_ok(client, "update_batch", {"batch_id": batch_id, "dataset_id": data.V3_READY_DATASET_ID})
        assert moved[1]["batch"]["datasets"][0]["id"] == data.V3_READY_DATASET_ID
        sent = sandbox.state.requests_matching("PATCH")
        processing = await call_error(client, "update_batch", {"batch_id": data.PROCESSING_BATCH_ID, "questions": one})
        renamed = await call_ok(client, "update_batch", {"batch_id": data.PROCESSING_BATCH_ID, "name": "Renamed"})
    assert "PROCESSING" in processing
    assert "Nothing was changed" in processing
    assert sandbox.state.requests_matching("PATCH") == sent + 1  # the refused change was never sent; the rename was
    assert renamed[1]["outcome"] == "done"
    assert "replace its layout" in answer.asked[1]
    assert "the old instructions are deleted" in answer.asked[1]
    assert f"attach dataset {data.V3_READY_DATASET_ID}" in answer.asked[2]


async def test_setup_says_which_precondition_is_missing_before_asking(sandbox: InProcessSandbox) -> None:
    answer = Answer("accept")
    bare = sandbox.state.create_batch(
        {"name": "No questions", "workspace_id": data.WORKSPACE_ID, "task_details": CREATE_DETAILS}
    )["id"]
    async with Client(server_for(sandbox, allow_writes=True), mode="legacy", elicitation_callback=answer) as client:
        no_dataset = await call_error(client, "setup_batch", {"batch_id": bare})
        failed = await call_error(client, "setup_batch", {"batch_id": bare, "dataset_id": data.V4_FAILED_DATASET_ID})
        no_questions = await call_error(client, "setup_batch", {"batch_id": bare, "dataset_id": data.SURVEY_DATASET_ID})
        ready = await call_error(client, "setup_batch", {"batch_id": data.READY_BATCH_ID})
        _, created = await call_ok(client, "create_batch", {**CREATE, "dataset_id": data.V3_READY_DATASET_ID})
        _, done = await call_ok(
            client, "setup_batch", {"batch_id": created["batch"]["id"], "dataset_id": data.SURVEY_DATASET_ID}
        )
    assert "has no dataset: pass dataset_id" in no_dataset
    assert f"Dataset {data.V4_FAILED_DATASET_ID} is not ready for setup" in failed
    assert "has no questions" in no_questions
    assert "sync_batch adds tasks to a READY one" in ready
    assert all("Nothing was changed" in text for text in (no_dataset, failed, no_questions, ready))
    assert len(answer.asked) == 2  # the refused setups asked nobody
    assert f"from dataset {data.SURVEY_DATASET_ID} (800 datapoints -> 800 tasks" in answer.asked[1]
    assert done["wait"]["status"] == "READY"
    assert done["batch"]["datasets"][0]["id"] == data.SURVEY_DATASET_ID
