"""Contract: the simulator's batch objects carry what Prolific's public OpenAPI spec (Jan 2025) requires."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from prolific_taskbuilder_mcp.sandbox import SandboxState
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.simulator import CANARY_TOKEN

SPEC = Path(__file__).parents[1] / "data" / "prolific-openapi-2025-01.yml"  # copy of shared/reference


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    return loaded


def test_every_simulated_batch_satisfies_the_spec_batch_schema(sandbox: RunningSandbox, spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["AITaskBuilderBatch"]
    required = set(schema["required"])
    statuses = set(schema["properties"]["status"]["enum"])
    assert {"id", "created_at", "created_by", "name", "status", "total_task_count", "workspace_id"} <= required
    for batch_id in SandboxState().batches:
        batch = httpx.get(
            f"{sandbox.url}/api/v1/data-collection/batches/{batch_id}",
            headers={"Authorization": f"Token {CANARY_TOKEN}"},
        ).json()
        assert required <= set(batch), batch_id
        assert batch["status"] in statuses
        assert batch["total_task_count"] >= 0
        assert re.fullmatch(r"[0-9a-f]{24}", batch["workspace_id"])
        assert re.fullmatch(r"[0-9a-f]{24}", batch["created_by"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", batch["created_at"])


def test_the_status_endpoint_answers_with_the_spec_status_enum(sandbox: RunningSandbox, spec: dict[str, Any]) -> None:
    path = spec["paths"]["/api/v1/data-collection/batches/{batch_id}/status"]["get"]
    assert "200" in path["responses"]
    statuses = set(spec["components"]["schemas"]["AITaskBuilderBatch"]["properties"]["status"]["enum"])
    for batch_id in SandboxState().batches:
        body = httpx.get(
            f"{sandbox.url}/api/v1/data-collection/batches/{batch_id}/status",
            headers={"Authorization": f"Token {CANARY_TOKEN}"},
        ).json()
        assert set(body) == {"status"}
        assert body["status"] in statuses


def test_the_error_envelope_has_the_spec_error_fields(sandbox: RunningSandbox, spec: dict[str, Any]) -> None:
    detail_schema = spec["components"]["schemas"]["ErrorDetail"]
    body = httpx.get(
        f"{sandbox.url}/api/v1/data-collection/batches/00000000-0000-4000-8000-000000000404",
        headers={"Authorization": f"Token {CANARY_TOKEN}"},
    ).json()
    assert set(detail_schema["required"]) <= set(body["error"])
