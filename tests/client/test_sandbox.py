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
from tests.support.simulator import CANARY_TOKEN

BATCHES = "/api/v1/data-collection/batches"
AUTH = {"Authorization": f"Token {CANARY_TOKEN}"}
SEED_PAGE = Path(__file__).parents[1] / "data" / "seed-get-a-batch.txt"  # copy of shared/seed


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
    sandbox.state.paging = "offset"  # the mode that honours limit/offset
    error = _assert_envelope(_get(sandbox, BATCHES), 400)
    assert "workspace_id" in error["detail"]
    listed = _get(sandbox, BATCHES, workspace_id=WORKSPACE_ID).json()
    assert listed["meta"]["count"] == 6 == len(listed["results"])
    page = _get(sandbox, BATCHES, workspace_id=WORKSPACE_ID, limit="2", offset="1").json()
    assert [b["id"] for b in page["results"]] == [b["id"] for b in listed["results"][1:3]]


def test_injected_faults_apply_the_given_number_of_times(sandbox: RunningSandbox) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/faults", json={"kind": "status", "status": 503, "times": 2})
    codes = [_get(sandbox, f"{BATCHES}/{SEED_BATCH_ID}").status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    stats = httpx.get(f"{sandbox.url}/_sandbox/stats").json()
    assert stats["requests"] == 3


# -- the read surface (responses, instructions, reports, exports, datasets, collections, account) ----------

from prolific_taskbuilder_mcp.sandbox import data  # noqa: E402

API = "/api/v1/data-collection"
EVERY_READ_ROUTE = [
    f"{BATCHES}/{READY_BATCH_ID}/instructions",
    f"{BATCHES}/{READY_BATCH_ID}/responses",
    f"{BATCHES}/{READY_BATCH_ID}/report/",
    f"{BATCHES}/{READY_BATCH_ID}/export/{data.READY_BATCH_EXPORT_ID}",
    f"{API}/datasets/{data.V3_READY_DATASET_ID}",
    f"{API}/datasets/{data.V3_READY_DATASET_ID}/status",
    f"{API}/collections?workspace_id={WORKSPACE_ID}",
    f"{API}/collections/{data.COLLECTION_ID}",
    f"{API}/collections/{data.COLLECTION_ID}/responses",
    "/api/v1/users/me/",
    "/api/v1/workspaces/",
]


@pytest.mark.parametrize("path", EVERY_READ_ROUTE)
def test_every_route_answers_with_a_token_and_401_without(sandbox: RunningSandbox, path: str) -> None:
    assert httpx.get(sandbox.url + path, headers=AUTH).status_code == 200
    _assert_envelope(httpx.get(sandbox.url + path), 401)


def test_responses_are_served_in_each_documented_paging_mode(sandbox: RunningSandbox) -> None:
    url = f"{BATCHES}/{data.SURVEY_BATCH_ID}/responses"
    count = data.RESPONSE_COUNTS[data.SURVEY_BATCH_ID]
    everything = _get(sandbox, url, limit="7", offset="100").json()  # default: limit/offset ignored
    assert everything["meta"]["count"] == len(everything["results"]) == count
    assert "_links" not in everything

    sandbox.state.paging = "offset"
    first = _get(sandbox, url).json()  # no limit: the server's own page size
    assert len(first["results"]) == sandbox.state.page_size
    assert first["meta"]["count"] == count
    page = _get(sandbox, url, limit="7", offset="100").json()
    assert page["results"] == everything["results"][100:107]

    sandbox.state.paging = "links"
    walked, next_url = [], f"{sandbox.url}{url}?limit=7&offset=100"  # ignored: the links are the paging
    while next_url:
        body = httpx.get(next_url, headers={"Authorization": f"Token {CANARY_TOKEN}"}).json()
        walked += body["results"]
        next_url = body["_links"]["next"]["href"]
    assert walked == everything["results"]
    record = page["results"][0]
    assert set(record) >= {"id", "batch_id", "participant_id", "task_id", "response", "created_at"}
    assert isinstance(record["response"]["answer"], list)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["created_at"])
    assert re.fullmatch(r"[0-9a-f]{24}", record["participant_id"])


def test_batches_that_are_not_ready_have_no_responses(sandbox: RunningSandbox) -> None:
    empty = _get(sandbox, f"{BATCHES}/{SEED_BATCH_ID}/responses").json()
    assert empty == {"results": [], "meta": {"count": 0}}


def test_legacy_instructions_carry_deprecation_headers_and_can_be_retired(sandbox: RunningSandbox) -> None:
    response = _get(sandbox, f"{BATCHES}/{PROCESSING_BATCH_ID}/instructions")
    assert response.headers["Deprecation"] == "true"
    assert response.headers["Sunset"] == "Tue, 01 Sep 2026 23:59:59 GMT"
    assert response.json()["meta"]["count"] == 3
    assert _get(sandbox, f"{BATCHES}/{READY_BATCH_ID}/instructions").json()["results"] == []
    sandbox.state.legacy_instructions_gone = True
    gone = _get(sandbox, f"{BATCHES}/{PROCESSING_BATCH_ID}/instructions")
    _assert_envelope(gone, 410)
    assert gone.headers["Sunset"]


def test_export_jobs_are_generating_then_complete_and_idempotent(sandbox: RunningSandbox) -> None:
    url = f"{sandbox.url}{BATCHES}/{data.SURVEY_BATCH_ID}/export"
    first = httpx.post(url, headers=AUTH)
    assert first.status_code == 202
    export_id = first.json()["export_id"]
    assert first.json() == {"status": "generating", "export_id": export_id}
    again = httpx.post(url, headers=AUTH)
    assert again.status_code == 202
    assert again.json()["export_id"] == export_id  # the same job while it is generating
    statuses = [_get(sandbox, f"{BATCHES}/{data.SURVEY_BATCH_ID}/export/{export_id}").json() for _ in range(2)]
    assert statuses[0] == {"status": "generating"}
    assert statuses[1]["status"] == "complete"
    assert statuses[1]["expires_at"].endswith("Z")
    done = httpx.post(url, headers=AUTH)
    assert done.status_code == 200
    assert done.json()["url"] == statuses[1]["url"]


def test_an_expired_export_link_is_refused_then_refreshed_by_polling(sandbox: RunningSandbox) -> None:
    path = f"{BATCHES}/{READY_BATCH_ID}/export/{data.READY_BATCH_EXPORT_ID}"
    old = _get(sandbox, path).json()["url"]
    assert httpx.get(old).status_code == 200
    later = time.time() + 2 * sandbox.state.url_ttl
    sandbox.state.wall = lambda: later
    assert httpx.get(old).status_code == 403
    fresh = _get(sandbox, path).json()["url"]
    assert fresh != old
    assert httpx.get(fresh).status_code == 200


def test_an_export_of_a_failed_batch_fails(sandbox: RunningSandbox) -> None:
    job = httpx.post(f"{sandbox.url}{BATCHES}/{ERROR_BATCH_ID}/export", headers=AUTH).json()
    path = f"{BATCHES}/{ERROR_BATCH_ID}/export/{job['export_id']}"
    assert [_get(sandbox, path).json()["status"] for _ in range(2)] == ["generating", "failed"]
    _assert_envelope(_get(sandbox, f"{BATCHES}/{ERROR_BATCH_ID}/export/{data.READY_BATCH_EXPORT_ID}"), 404)


def test_datasets_report_their_versions_and_derived_status(sandbox: RunningSandbox) -> None:
    v3 = _get(sandbox, f"{API}/datasets/{data.V3_ERROR_DATASET_ID}").json()
    assert v3["schema_version"] == 3
    assert v3["imports"] is None
    v4 = _get(sandbox, f"{API}/datasets/{data.V4_PENDING_DATASET_ID}").json()
    assert v4["schema"] is None
    assert [i["status"] for i in v4["imports"]] == ["pending_schema", "processing"]
    statuses = {
        dataset_id: _get(sandbox, f"{API}/datasets/{dataset_id}/status").json()["status"]
        for dataset_id in (data.V3_PROCESSING_DATASET_ID, data.V4_PENDING_DATASET_ID, data.V4_FAILED_DATASET_ID)
    }
    assert statuses == {
        data.V3_PROCESSING_DATASET_ID: "PROCESSING",
        data.V4_PENDING_DATASET_ID: "PROCESSING",
        data.V4_FAILED_DATASET_ID: "READY",
    }
    _assert_envelope(_get(sandbox, f"{API}/datasets/00000000-0000-4000-8000-000000000000"), 404)


def test_collections_list_and_responses(sandbox: RunningSandbox) -> None:
    _assert_envelope(_get(sandbox, f"{API}/collections"), 400)
    listed = _get(sandbox, f"{API}/collections", workspace_id=WORKSPACE_ID).json()
    assert listed["meta"]["count"] == len(data.COLLECTIONS)
    assert all("item_count" in c for c in listed["results"])
    responses = _get(sandbox, f"{API}/collections/{data.COLLECTION_ID}/responses", limit="3").json()
    assert responses["meta"]["count"] == data.COLLECTION_RESPONSE_COUNTS[data.COLLECTION_ID]
    assert all(r["collection_id"] == data.COLLECTION_ID for r in responses["results"])
    missing = _assert_envelope(_get(sandbox, f"{API}/collections/{data.NO_RESPONSES_COLLECTION_ID}/responses"), 404)
    assert "not available yet" in missing["detail"]


def test_the_account_endpoints_answer_like_the_reference(sandbox: RunningSandbox) -> None:
    sandbox.state.paging = "offset"  # the mode that honours limit/offset
    me = _get(sandbox, "/api/v1/users/me").json()
    assert me["id"] == data.USER_ID
    assert "email" in me
    workspaces = _get(sandbox, "/api/v1/workspaces/", limit="1").json()
    assert workspaces["meta"]["count"] == len(data.WORKSPACES)
    assert [w["id"] for w in workspaces["results"]] == [WORKSPACE_ID]


def test_generated_responses_are_deterministic(sandbox: RunningSandbox) -> None:
    sandbox.state.paging = "offset"  # the mode that honours limit/offset
    url = f"{BATCHES}/{data.SURVEY_BATCH_ID}/responses"
    assert _get(sandbox, url, limit="50").json() == _get(sandbox, url, limit="50").json()
    sandbox.state.response_counts[data.SURVEY_BATCH_ID] = 100_000
    tail = _get(sandbox, url, limit="5", offset="99995").json()
    assert tail["meta"]["count"] == 100_000
    assert len(tail["results"]) == 5
