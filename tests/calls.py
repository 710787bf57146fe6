"""One valid sample call per tool and resource template: the fault matrix, fuzzing and soak iterate these.

Adding a tool without adding it here fails `test_every_tool_has_a_sample_call`.
"""

from __future__ import annotations

from typing import Any

from prolific_taskbuilder_mcp.sandbox import READY_BATCH_ID, SEED_BATCH_ID

TOOL_CALLS: dict[str, dict[str, Any]] = {
    "get_batch": {"batch_id": SEED_BATCH_ID},
    "get_batch_status": {"batch_id": READY_BATCH_ID},
}

RESOURCE_URIS: dict[str, str] = {
    "prolific://batches/{batch_id}": f"prolific://batches/{READY_BATCH_ID}",
}
