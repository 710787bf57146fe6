"""Tolerant models of what the Prolific API returns.

They read the fields we know and keep every other field (`extra="allow"`), so a field Prolific adds
tomorrow is carried along instead of dropped or rejected. Enumerations are plain strings: a status value
we have never seen survives parsing. Only what we cannot work without (a batch's `id`) is required.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    @property
    def other_fields(self) -> dict[str, Any]:
        """Fields Prolific sent that this model does not know."""
        return dict(self.model_extra or {})


class TaskDetails(_Tolerant):
    task_name: str | None = None
    task_introduction: str | None = None
    task_steps: str | None = None


class BatchDataset(_Tolerant):
    """An item of `batch.datasets` (its full field list is not documented)."""

    id: str | None = None
    name: str | None = None
    filename: str | None = None
    total_datapoint_count: int | None = None
    status: str | None = None


class Batch(_Tolerant):
    """An AI Task Builder batch (GET /api/v1/data-collection/batches/{batch_id})."""

    id: str
    name: str | None = None
    status: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    workspace_id: str | None = None
    schema_version: int | None = None
    total_task_count: int | None = None
    total_instruction_count: int | None = None
    total_task_groups: int | None = None
    datasets: list[BatchDataset] = []
    task_details: TaskDetails | None = None
    batch_items: list[dict[str, Any]] | None = None
    auto_sync_enabled: bool | None = None

    @field_validator("datasets", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


class BatchStatus(_Tolerant):
    """GET /batches/{batch_id}/status: `{"status": ...}`, documented as "enum or null"."""

    status: str | None = None
