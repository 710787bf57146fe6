"""The simulator's fidelity to the reference, checked over real HTTP with plain httpx."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from prolific_taskbuilder_mcp.sandbox import (
    ERROR_BATCH_ID,
    NO_DETAILS_BATCH_ID,
    PROCESSING_BATCH_ID,
    READY_BATCH_ID,
    SEED_BATCH_ID,
    WORKSPACE_ID,
)
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox

from .conftest import CANARY_TOKEN

BATCHES = "/api/v1/data-collection/batches"
AUTH = {"Authorization": f"Token {CANARY_TOKEN}"}
SEED_PAGE = Path(__file__).parent / "data" / "seed-get-a-batch.txt"  # copy of shared/seed


def _get(sandbox: RunningSandbox, path: str, headers: dict[str, str] | None = None, **params: str) -> httpx.Response:
    return httpx.get(sandbox.url + path, headers=AUTH if headers is None else headers, params=params)


def _assert_envelope(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status
    assert isinstance(error["error_code"], int)
    assert error["title"]
    assert error["detail"]
    return dict(error)


def test_the_seed_example_is_served_exactly_as_documented(sandbox: RunningSandbox) -> None:
    documented = {
        "id": "a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c",
        "created_at": "2024-01-15T09:30:00Z",
        "created_by": "6278cb09062dbb35bc4abebc",
        "datasets": [
            {
                "id": "d9f1e7a4-3c2b-4e5f-9a7d-8b6c4e2f1a0b",
                "total_datapoint_count": 1500,
                "filename": "user_responses_2024-01.csv",
            }
        ],
        "name": "Data Collection Batch",
        "status": "UNINITIALISED",
        "total_task_count": 120,
        "total_instruction_count": 5,
        "workspace_id": "6278acb09062db3b35bcbeb0",
        "schema_version": 1,
        "task_details": {
            "task_name": "Sentiment Analysis Task",
            "task_introduction": "<p>Welcome to the sentiment analysis task. Your goal is to classify the "
            "sentiment of given text samples.</p>",
            "task_steps": "<ol><li>Read the text carefully.</li><li>Choose the sentiment category that best "
            "fits the text.</li><li>Submit your response.</li></ol>",
        },
        "total_task_groups": 3,
    }
    response = _get(sandbox, f"{BATCHES}/{SEED_BATCH_ID}")
    assert response.status_code == 200
    assert response.json() == documented


def test_the_seed_example_matches_the_captured_reference_page(sandbox: RunningSandbox) -> None:
    """The JSON example on the captured page (lines numbered 1..24) parses to exactly what we serve."""
    numbered = re.findall(r"^(\d+)(.*)$", SEED_PAGE.read_text(), re.MULTILINE)
    start = next(i for i, (n, rest) in enumerate(numbered) if n == "1" and rest.strip() == "{")
    lines = []
    for expected, (n, rest) in enumerate(numbered[start:], 1):
        if int(n) != expected:
            break
        lines.append(rest)
    documented = json.loads("\n".join(lines))
    assert documented["id"] == SEED_BATCH_ID
    assert _get(sandbox, f"{BATCHES}/{SEED_BATCH_ID}").json() == documented


@pytest.mark.parametrize(
    ("batch_id", "status"),
    [
        (SEED_BATCH_ID, "UNINITIALISED"),
        (READY_BATCH_ID, "READY"),
        (PROCESSING_BATCH_ID, "PROCESSING"),
        (ERROR_BATCH_ID, "ERROR"),
        (NO_DETAILS_BATCH_ID, "UNINITIALISED"),
    ],
)
def test_every_seeded_batch_has_its_status_on_both_endpoints(
    sandbox: RunningSandbox, batch_id: str, status: str
) -> None:
    assert _get(sandbox, f"{BATCHES}/{batch_id}").json()["status"] == status
    assert _get(sandbox, f"{BATCHES}/{batch_id}/status").json() == {"status": status}


def test_the_ready_batch_has_two_datasets_and_the_draft_has_null_task_details(sandbox: RunningSandbox) -> None:
    assert len(_get(sandbox, f"{BATCHES}/{READY_BATCH_ID}").json()["datasets"]) == 2
    assert _get(sandbox, f"{BATCHES}/{NO_DETAILS_BATCH_ID}").json()["task_details"] is None


def test_the_processing_batch_turns_ready_after_its_delay(sandbox: RunningSandbox) -> None:
    sandbox.state.processing_delay = 0.3
    sandbox.state.reset()
    assert _get(sandbox, f"{BATCHES}/{PROCESSING_BATCH_ID}/status").json()["status"] == "PROCESSING"
    time.sleep(0.35)
    batch = _get(sandbox, f"{BATCHES}/{PROCESSING_BATCH_ID}").json()
    assert batch["status"] == "READY"
    assert batch["total_task_count"] == 250


def test_a_missing_token_gets_a_401_envelope(sandbox: RunningSandbox) -> None:
    error = _assert_envelope(_get(sandbox, f"{BATCHES}/{SEED_BATCH_ID}", headers={}), 401)
    assert "credentials" in error["detail"]


def test_a_wrong_token_gets_a_401_envelope_that_does_not_echo_it(sandbox: RunningSandbox) -> None:
    response = _get(sandbox, f"{BATCHES}/{SEED_BATCH_ID}", headers={"Authorization": "Token wrong-token-xyz"})
    _assert_envelope(response, 401)
    assert "wrong-token-xyz" not in response.text


def test_auth_is_checked_before_routing(sandbox: RunningSandbox) -> None:
    _assert_envelope(_get(sandbox, "/api/v1/no/such/route", headers={}), 401)


@pytest.mark.parametrize("batch_id", ["00000000-0000-4000-8000-000000000404", "not-a-uuid"])
def test_unknown_or_malformed_ids_get_a_404_envelope(sandbox: RunningSandbox, batch_id: str) -> None:
    _assert_envelope(_get(sandbox, f"{BATCHES}/{batch_id}"), 404)


def test_both_trailing_slash_forms_are_served_without_redirect(sandbox: RunningSandbox) -> None:
    with_slash = _get(sandbox, f"{BATCHES}/{SEED_BATCH_ID}/")
    assert with_slash.status_code == 200
    assert with_slash.json()["id"] == SEED_BATCH_ID


def test_a_wrong_method_gets_a_405_envelope(sandbox: RunningSandbox) -> None:
    response = httpx.delete(f"{sandbox.url}{BATCHES}/{SEED_BATCH_ID}", headers=AUTH)
    _assert_envelope(response, 405)


def test_list_batches_requires_a_workspace_and_wraps_results_with_meta(sandbox: RunningSandbox) -> None:
    error = _assert_envelope(_get(sandbox, BATCHES), 400)
    assert "workspace_id" in error["detail"]
    listed = _get(sandbox, BATCHES, workspace_id=WORKSPACE_ID).json()
    assert listed["meta"]["count"] == 5 == len(listed["results"])
    page = _get(sandbox, BATCHES, workspace_id=WORKSPACE_ID, limit="2", offset="1").json()
    assert [b["id"] for b in page["results"]] == [b["id"] for b in listed["results"][1:3]]


def test_injected_faults_apply_the_given_number_of_times(sandbox: RunningSandbox) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/faults", json={"kind": "status", "status": 503, "times": 2})
    codes = [_get(sandbox, f"{BATCHES}/{SEED_BATCH_ID}").status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    stats = httpx.get(f"{sandbox.url}/_sandbox/stats").json()
    assert stats["requests"] == 3
