"""Dataset tools. Through the SDK's in-memory MCP client; the simulator in-process.

Expected values are computed from the simulator's own data and generator (a separate package from the
client), so each assertion compares two independent readings of the API.
"""

from __future__ import annotations

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data
from tests.protocol.helpers import call_ok

pytestmark = pytest.mark.anyio


# -- datasets -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset_id", "status", "words"),
    [
        (data.V3_READY_DATASET_ID, "READY", "Use it in a batch"),
        (data.V3_PROCESSING_DATASET_ID, "PROCESSING", "Check again"),
        (data.V3_ERROR_DATASET_ID, "ERROR", "upload it again"),
        (data.V3_UNINITIALISED_DATASET_ID, "UNINITIALISED", "Upload a file"),
        (data.V4_PARTIAL_DATASET_ID, "complete", "Use it in a batch"),
        (data.V4_FAILED_DATASET_ID, "failed", "Fix the file"),
        (data.V4_PENDING_DATASET_ID, "pending_schema", "Set a schema"),
    ],
)
async def test_datasets_in_every_status(client: Client, dataset_id: str, status: str, words: str) -> None:
    text, out = await call_ok(client, "get_dataset", {"dataset_id": dataset_id})
    assert out["status"] == status
    assert words in text


async def test_import_errors_are_listed(client: Client) -> None:
    _, out = await call_ok(client, "get_dataset", {"dataset_id": data.V4_PARTIAL_DATASET_ID})
    partial = out["imports"][1]
    assert partial["status"] == "partial"
    assert partial["rejected"] == 2
    assert partial["errors"] == ["record 17: prompt: missing value", "record 63: invalid JSON"]
    assert "prompt:text" in out["schema_fields"][0]
    failed_text, _ = await call_ok(client, "get_dataset", {"dataset_id": data.V4_FAILED_DATASET_ID})
    assert "not valid JSONL" in failed_text


async def test_a_complete_import_makes_a_v4_dataset_ready_whatever_came_after(client: Client) -> None:
    text, out = await call_ok(client, "get_dataset", {"dataset_id": data.V4_COMPLETE_THEN_FAILED_DATASET_ID})
    assert out["ready_for_setup"] is True
    assert out["status"] == "failed"  # the newest import (listed last upstream): reported beside the readiness
    assert [job["status"] for job in out["imports"]] == ["failed", "complete"]  # newest first
    assert "Ready for setup: 1 import complete" in text
    assert 'The newest import ("transcripts-v2.jsonl") failed' in text


async def test_a_partial_import_alone_is_partial_never_usable(client: Client) -> None:
    text, out = await call_ok(client, "get_dataset", {"dataset_id": data.V4_ONLY_PARTIAL_DATASET_ID})
    assert out["ready_for_setup"] is None
    assert "usable" not in text.lower()
    assert "accepted 95 records and rejected 5" in text
    assert "not documented" in text


async def test_schema_strictness_labels_and_import_progress_are_shown(client: Client) -> None:
    text, out = await call_ok(client, "get_dataset", {"dataset_id": data.SURVEY_DATASET_ID})
    assert out["schema_strict"] is True
    assert 'message:text "Customer message"' in out["schema_fields"]
    assert "(strict: records missing a field are rejected)" in text
    running, out = await call_ok(client, "get_dataset", {"dataset_id": data.V4_PENDING_DATASET_ID})
    assert out["imports"][1]["progress"] == "read 120, written 0"
    assert "progress: read 120, written 0; last update" in running
