"""The simulator's batch writes over real HTTP, against the reference (7.2, 7.4, 7.6, 7.9 and the state machine
of 12.1): what later build tools will be tested against, so it must be right on its own."""

from __future__ import annotations

import math
import time
from typing import Any

import httpx

from prolific_taskbuilder_mcp.sandbox import data
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.simulator import CANARY_TOKEN

BATCHES = "/api/v1/data-collection/batches"
AUTH = {"Authorization": f"Token {CANARY_TOKEN}"}
TASK = {
    "task_name": "Rate replies",
    "task_introduction": "<p>Read each reply.</p>",
    "task_steps": "<ol><li>Rate</li></ol>",
}


def _page(*items: dict[str, Any], position: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {"rows": [{"columns": [{"items": list(items)}]}]}
    return {**page, "display_position": position} if position else page


QUESTION = {
    "type": "multiple_choice",
    "description": "Helpful?",
    "answer_limit": 1,
    "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}],
}


def _call(sandbox: RunningSandbox, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, sandbox.url + path, headers=AUTH, json=body)


def _create(sandbox: RunningSandbox, **fields: Any) -> dict[str, Any]:
    body = {"name": "Helpfulness round 1", "workspace_id": data.WORKSPACE_ID, "task_details": TASK, **fields}
    created = _call(sandbox, "POST", BATCHES, body)
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    return result


def test_a_created_batch_is_uninitialised_with_ids_on_its_layout(sandbox: RunningSandbox) -> None:
    layout = [_page({"type": "rich_text", "content": "<p>Hi</p>"}, position="intro"), _page(QUESTION)]
    batch = _create(sandbox, dataset_id=data.SURVEY_DATASET_ID, batch_items=layout)
    assert batch["status"] == "UNINITIALISED"
    assert batch["total_task_count"] == 0
    assert batch["total_instruction_count"] == 1
    assert batch["datasets"][0]["id"] == data.SURVEY_DATASET_ID
    item = batch["batch_items"][1]["rows"][0]["columns"][0]["items"][0]
    assert item["id"]
    fetched = _call(sandbox, "GET", f"{BATCHES}/{batch['id']}").json()
    assert fetched == batch
    assert not any(key.startswith("_") for key in fetched)


def test_an_invalid_layout_is_a_422_listing_each_issue_by_position(sandbox: RunningSandbox) -> None:
    too_many = {**QUESTION, "answer_limit": 3}
    layout = [
        _page(QUESTION, position="intro"),
        _page({"type": "dataset_field", "field": "missing_col"}, {"type": "free_text"}, too_many),
    ]
    body = {"name": "x", "workspace_id": data.WORKSPACE_ID, "task_details": TASK, "batch_items": layout}
    refused = _call(sandbox, "POST", BATCHES, {**body, "dataset_id": data.SURVEY_DATASET_ID})
    assert refused.status_code == 422
    payload = refused.json()
    assert payload["type"] == "INVALID_BATCH_ITEMS"
    found = {(i["page"], i["item"]): i["message"] for i in payload["issues"]}
    assert found == {
        (0, 0): 'Pages with display_position "intro" or "outro" may only contain image or rich_text content blocks',
        (1, 0): "Field does not exist in the dataset schema",
        (1, 1): "description is required",
        (1, 2): "answer_limit exceeds number of options",
    }
    assert next(i for i in payload["issues"] if i["page"] == 1 and i["item"] == 0)["field"] == "missing_col"
    missing = _call(sandbox, "POST", BATCHES, {"workspace_id": data.WORKSPACE_ID, "task_details": TASK})
    assert missing.status_code == 400
    assert "name" in missing.json()["error"]["detail"]


def test_an_update_changes_only_what_is_sent(sandbox: RunningSandbox) -> None:
    batch = _create(sandbox, batch_items=[_page(QUESTION)])
    renamed = _call(sandbox, "PATCH", f"{BATCHES}/{batch['id']}", {"name": "Round 2"})
    assert renamed.status_code == 200
    assert renamed.json() == {**batch, "name": "Round 2"}
    assert _call(sandbox, "PATCH", f"{BATCHES}/{batch['id']}", {}).status_code == 400
    assert _call(sandbox, "PATCH", f"{BATCHES}/{batch['id']}", {"colour": "red"}).status_code == 400
    cleared = _call(sandbox, "PATCH", f"{BATCHES}/{batch['id']}", {"batch_items": None}).json()
    assert "batch_items" not in cleared
    assert cleared["total_instruction_count"] == 0
    assert _call(sandbox, "PATCH", f"{BATCHES}/00000000-0000-4000-8000-00000000dead", {"name": "x"}).status_code == 404


def test_setup_checks_its_preconditions_then_runs_to_ready(sandbox: RunningSandbox) -> None:
    no_dataset = _create(sandbox, batch_items=[_page(QUESTION)])
    refused = _call(sandbox, "POST", f"{BATCHES}/{no_dataset['id']}/setup", {})
    assert refused.status_code == 400
    assert "No dataset" in refused.json()["error"]["detail"]
    partial_only = _create(sandbox, dataset_id=data.V4_ONLY_PARTIAL_DATASET_ID, batch_items=[_page(QUESTION)])
    assert "not ready" in _call(sandbox, "POST", f"{BATCHES}/{partial_only['id']}/setup").json()["error"]["detail"]
    no_questions = _create(sandbox, dataset_id=data.SURVEY_DATASET_ID)
    assert (
        "no instructions" in _call(sandbox, "POST", f"{BATCHES}/{no_questions['id']}/setup").json()["error"]["detail"]
    )

    batch = _create(sandbox, dataset_id=data.V4_COMPLETE_THEN_FAILED_DATASET_ID, batch_items=[_page(QUESTION)])
    started = _call(sandbox, "POST", f"{BATCHES}/{batch['id']}/setup", {"tasks_per_group": 3})
    assert started.status_code == 202
    assert started.content == b""
    assert _call(sandbox, "GET", f"{BATCHES}/{batch['id']}/status").json() == {"status": "PROCESSING"}
    layout_change = _call(sandbox, "PATCH", f"{BATCHES}/{batch['id']}", {"batch_items": [_page(QUESTION)]})
    assert layout_change.status_code == 400
    assert _call(sandbox, "PATCH", f"{BATCHES}/{batch['id']}", {"name": "still allowed"}).status_code == 200
    time.sleep(sandbox.state.processing_delay + 0.1)
    ready = _call(sandbox, "GET", f"{BATCHES}/{batch['id']}").json()
    assert ready["status"] == "READY"
    assert ready["total_task_count"] == 40
    assert ready["total_task_groups"] == math.ceil(40 / 3)
    again = _call(sandbox, "POST", f"{BATCHES}/{batch['id']}/setup")
    assert again.status_code == 400
    assert "UNINITIALISED" in again.json()["error"]["detail"]


def test_a_failing_dataset_ends_setup_in_error(sandbox: RunningSandbox) -> None:
    sandbox.state.datasets[data.SURVEY_DATASET_ID]["name"] = "replies FAIL_SETUP"
    batch = _create(sandbox, dataset_id=data.SURVEY_DATASET_ID, batch_items=[_page(QUESTION)])
    assert _call(sandbox, "POST", f"{BATCHES}/{batch['id']}/setup").status_code == 202
    time.sleep(sandbox.state.processing_delay + 0.1)
    assert _call(sandbox, "GET", f"{BATCHES}/{batch['id']}/status").json() == {"status": "ERROR"}


def test_a_duplicate_is_a_fresh_uninitialised_copy(sandbox: RunningSandbox) -> None:
    source = _create(sandbox, dataset_id=data.SURVEY_DATASET_ID, batch_items=[_page(QUESTION)])
    copied = _call(sandbox, "POST", f"{BATCHES}/{source['id']}/duplicate", {})
    assert copied.status_code == 201
    twin = copied.json()
    assert twin["name"] == "Helpfulness round 1 (Copy)"
    assert twin["id"] != source["id"]
    assert twin["status"] == "UNINITIALISED"
    assert twin["datasets"] == source["datasets"]  # the same dataset, not a copy
    assert twin["task_details"] == source["task_details"]
    assert twin["batch_items"][0]["id"] != source["batch_items"][0]["id"]
    fresh = _call(sandbox, "POST", f"{BATCHES}/{source['id']}/duplicate", {"name": "R3", "upload_new_dataset": True})
    assert fresh.json()["datasets"] == []
    assert fresh.json()["name"] == "R3"
