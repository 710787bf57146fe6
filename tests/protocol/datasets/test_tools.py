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
