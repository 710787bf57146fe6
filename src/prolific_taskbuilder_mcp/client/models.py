"""Tolerant models of what the Prolific API returns.

They read the fields we know and keep every other field (`extra="allow"`), so a field Prolific adds
tomorrow is carried along instead of dropped or rejected. Enumerations are plain strings: a status value
we have never seen survives parsing. Only what we cannot work without (a batch's `id`) is required.
"""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Tolerant(BaseModel):
    """Unknown fields kept; the validator is built on first use, not at import (start-up time)."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True, defer_build=True)

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


class Instruction(_Tolerant):
    """A question: a legacy instruction, a batch_items item, or a collection page item.

    Content blocks (`rich_text`, `image`) and `dataset_field` items share the shape; `type` tells them apart.
    """

    id: str | None = None
    type: str | None = None
    description: str | None = None
    helper_text: str | None = None
    answer_limit: int | None = None
    options: list[dict[str, Any]] | None = None
    unit_options: list[dict[str, Any]] | None = None
    default_unit: str | None = None
    unit_position: str | None = None
    placeholder_text_input: str | None = None
    validation: dict[str, Any] | None = None
    accepted_file_types: list[str] | None = None
    max_file_size_mb: float | None = None
    min_file_count: int | None = None
    max_file_count: int | None = None
    order: int | None = None


class ResponseBody(_Tolerant):
    instruction_id: str | None = None
    type: str | None = None
    answer: Any = None
    """An array of answer objects (current docs and CLI); the 2025 spec says a string: both are kept."""


class TaskResponse(_Tolerant):
    """One participant's answer to one instruction of one task (batch) or page item (collection)."""

    id: str | None = None
    batch_id: str | None = None
    collection_id: str | None = None
    participant_id: str | None = None
    task_id: str | None = None
    correlation_id: str | None = None
    submission_id: str | None = None
    metadata: dict[str, Any] | None = None
    """The datapoint's own fields (what the participant was shown and answered about)."""
    created_at: str | None = None
    response: ResponseBody | None = None


class ResponseDigest(BaseModel):
    """The parts of a response an aggregate reads (who, which task, when, the answer), and nothing else: a
    summary of 100,000 responses validates a third less this way than as full `TaskResponse`s."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    id: str | None = None
    participant_id: str | None = None
    task_id: str | None = None
    created_at: str | None = None
    response: ResponseBody | None = None


class Report(_Tolerant):
    """GET /batches/{id}/report/: every field optional and nullable."""

    url: str | None = None
    expires_at: str | None = None
    http_method: str | None = None


class ExportJob(_Tolerant):
    """A batch or collection export: generating, complete (url, expires_at) or failed."""

    status: str | None = None
    export_id: str | None = None
    url: str | None = None
    expires_at: str | None = None
    reason: str | None = None


class ImportJob(_Tolerant):
    dataset_id: str | None = None
    import_id: str | None = None
    type: str | None = None
    status: str | None = None
    filename: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    processing_started_at: str | None = None
    processed_offset: int | None = None
    written_count: int | None = None
    duplicate_seen_count: int | None = None
    rejected_seen_count: int | None = None
    accepted_count: int | None = None
    duplicate_count: int | None = None
    rejected_count: int | None = None
    errors: list[dict[str, Any]] | None = None
    reason: str | None = None


class Dataset(_Tolerant):
    id: str
    name: str | None = None
    created_at: str | None = None
    workspace_id: str | None = None
    total_datapoint_count: int | None = None
    schema_version: int | None = None
    status: str | None = None
    filename: str | None = None
    has_predetermined_grouping_id: bool | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    imports: list[ImportJob] | None = None


class UploadTarget(_Tolerant):
    """Where to PUT a dataset file (9.5): a presigned storage URL, and the import job it starts (V4)."""

    upload_url: str
    http_method: str | None = None
    content_type: str | None = None
    import_id: str | None = None
    dataset_id: str | None = None
    expires_at: str | None = None
    file_key: str | None = None


class AppendResult(_Tolerant):
    """Records appended to a V4 dataset (9.8; field names inferred from import jobs)."""

    accepted_count: int | None = None
    duplicate_count: int | None = None
    rejected_count: int | None = None
    errors: list[dict[str, Any]] | None = None


class SyncJob(_Tolerant):
    """A batch sync (7.10, 7.11): tasks for datapoints appended after setup."""

    sync_id: str | None = None
    batch_id: str | None = None
    dataset_id: str | None = None
    status: str | None = None
    created_at: str | None = None
    tasks_created: int | None = None
    datapoints_processed: int | None = None
    groups_created: int | None = None
    groups_expanded: int | None = None
    reason: str | None = None


class CollectionPage(_Tolerant):
    id: str | None = None
    order: int | None = None
    page_items: list[Instruction] = []

    @field_validator("page_items", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


class Collection(_Tolerant):
    id: str
    name: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    workspace_id: str | None = None
    task_details: TaskDetails | None = None
    collection_items: list[CollectionPage] | None = None
    item_count: int | None = None


class User(_Tolerant):
    id: str
    email: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    user_type: str | None = None


class Workspace(_Tolerant):
    id: str
    title: str | None = None
    description: str | None = None
    users: list[dict[str, Any]] | None = None


ItemT = TypeVar("ItemT", bound=BaseModel)


@dataclass(frozen=True)
class Page(Generic[ItemT]):
    """One page of a list endpoint: the items that parsed, the total Prolific reported (if any), and how many
    records were not objects (skipped, not fatal)."""

    items: list[ItemT]
    total: int | None
    skipped: int = 0
    raw_count: int = 0
    has_next: bool = False
    """The walk reads another page after this one (or would have, but for its `max_items`)."""
    starts_request: bool = True
    """The first page of an upstream response (a streamed body comes out in several pages)."""
