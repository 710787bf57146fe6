"""One valid sample call per tool and resource template: the fault matrix, fuzzing and soak iterate these.

Adding a tool without adding it here fails `test_every_tool_has_a_sample_call`. Sample calls answer at
once (no waiting), so they can run thousands of times.
"""

from __future__ import annotations

from typing import Any

from prolific_taskbuilder_mcp.sandbox import READY_BATCH_ID, SEED_BATCH_ID, WORKSPACE_ID
from prolific_taskbuilder_mcp.sandbox.data import (
    COLLECTION_ID,
    READY_BATCH_EXPORT_ID,
    SURVEY_BATCH_ID,
    V4_PARTIAL_DATASET_ID,
)

TOOL_CALLS: dict[str, dict[str, Any]] = {
    "get_batch": {"batch_id": SEED_BATCH_ID},
    "get_batch_status": {"batch_id": READY_BATCH_ID},
    "list_batches": {"workspace_id": WORKSPACE_ID, "limit": 3},
    "wait_for_batch": {"batch_id": READY_BATCH_ID, "timeout_seconds": 5},
    "get_batch_instructions": {"batch_id": SURVEY_BATCH_ID},
    "get_batch_responses": {"batch_id": SURVEY_BATCH_ID, "limit": 10},
    "summarize_batch_responses": {"batch_id": READY_BATCH_ID},
    "get_batch_report": {"batch_id": READY_BATCH_ID},
    "export_batch": {"batch_id": READY_BATCH_ID},
    "get_batch_export": {"batch_id": READY_BATCH_ID, "export_id": READY_BATCH_EXPORT_ID},
    "get_dataset": {"dataset_id": V4_PARTIAL_DATASET_ID},
    "list_collections": {"workspace_id": WORKSPACE_ID},
    "get_collection": {"collection_id": COLLECTION_ID},
    "summarize_collection_responses": {"collection_id": COLLECTION_ID},
    "export_collection": {"collection_id": COLLECTION_ID, "wait": False},
    "whoami": {},
    "list_workspaces": {},
}

RESOURCE_URIS: dict[str, str] = {
    "prolific://batches/{batch_id}": f"prolific://batches/{READY_BATCH_ID}",
    "prolific://batches/{batch_id}/instructions": f"prolific://batches/{SURVEY_BATCH_ID}/instructions",
    "prolific://batches/{batch_id}/responses/summary": f"prolific://batches/{READY_BATCH_ID}/responses/summary",
    "prolific://workspaces/{workspace_id}/batches": f"prolific://workspaces/{WORKSPACE_ID}/batches",
    "prolific://datasets/{dataset_id}": f"prolific://datasets/{V4_PARTIAL_DATASET_ID}",
    "prolific://collections/{collection_id}": f"prolific://collections/{COLLECTION_ID}",
}

TOOL_ORDER = [  # the documented tools/list order
    "get_batch",
    "get_batch_status",
    "list_batches",
    "wait_for_batch",
    "get_batch_instructions",
    "get_batch_responses",
    "summarize_batch_responses",
    "get_batch_report",
    "export_batch",
    "get_batch_export",
    "get_dataset",
    "list_collections",
    "get_collection",
    "summarize_collection_responses",
    "export_collection",
    "whoami",
    "list_workspaces",
]

INITIALIZE: dict[str, Any] = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
}
"""A raw 2025-11-25 initialize request, for tests that speak JSON-RPC without the SDK's client."""
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
"""What a Streamable HTTP POST carries."""
