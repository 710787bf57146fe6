"""Batch summaries: API model -> result model (structured) + compact text (for the model to read).

Pure functions, no I/O. The result models are strict (`extra="forbid"`): what we promise in the output
schema is exactly what we send.
"""

import json
from typing import Any

from pydantic import Field

from ..client.models import Batch, BatchDataset, TaskDetails
from .base import Summary
from .text import html_to_steps, html_to_text, parse_time, plural, sanitize

_MAX_OTHER_FIELD_CHARS = 1000

STATUS_MEANINGS: dict[str, str] = {
    "UNINITIALISED": "Created, but no tasks exist yet: setup has not run.",
    "PROCESSING": "Setup is turning the dataset into tasks; this usually takes seconds to minutes.",
    "READY": "Tasks are built; the batch can be attached to a Prolific study to collect responses.",
    "ERROR": "Setup failed; the dataset or the batch layout may be unusable.",
}

_NEXT_STEPS: dict[str, list[str]] = {
    "UNINITIALISED": [
        "Attach a ready dataset and instructions (or a layout), then run setup in the Prolific app or API.",
    ],
    "PROCESSING": [
        "Check again in a few seconds with get_batch_status; setup ends in READY or ERROR.",
    ],
    "READY": [
        "Collect responses: create a Prolific study with data_collection_method DC_TOOL and "
        "data_collection_id set to this batch id, then publish it.",
        "Once participants have answered, read the responses or request an export.",
    ],
    "ERROR": [
        "Check the dataset's status and import errors; the data may be malformed.",
        "Fix the data, then duplicate the batch (or create a new one) and run setup again.",
    ],
}


class DatasetSummary(Summary):
    id: str | None
    name: str | None = Field(description="Dataset name, or its file name when it has no name")
    filename: str | None
    total_datapoint_count: int | None
    status: str | None


class TaskDetailsSummary(Summary):
    task_name: str | None
    introduction: str | None = Field(description="task_introduction as plain text (HTML removed)")
    steps: list[str] = Field(description="task_steps as a list of plain-text steps")


class BatchSummary(Summary):
    """One AI Task Builder batch, summarised for an assistant."""

    id: str
    name: str | None
    status: str | None = Field(description="UNINITIALISED, PROCESSING, READY or ERROR (or a newer value)")
    status_meaning: str
    next_steps: list[str]
    created_at: str | None
    created_by: str | None
    workspace_id: str | None
    schema_version: int | None
    total_task_count: int | None
    total_instruction_count: int | None
    total_task_groups: int | None
    datasets: list[DatasetSummary]
    task_details: TaskDetailsSummary | None
    auto_sync_enabled: bool | None
    layout_pages: int | None = Field(description="Pages in the batch_items layout; null for legacy batches")
    other_fields: dict[str, Any] = Field(description="Fields Prolific sent that this server does not know yet")


def status_meaning(status: str | None) -> str:
    """One sentence on what a batch status means; neutral for values we do not know."""
    if status is None:
        return "Prolific did not report a status for this batch."
    known = STATUS_MEANINGS.get(status)
    if known is not None:
        return known
    return f"Status {sanitize(status, 40)!r} is newer than this server; check the batch in the Prolific app."


def next_steps(status: str | None) -> list[str]:
    """What a user can do now, given the batch status."""
    if status in _NEXT_STEPS:
        return list(_NEXT_STEPS[status])
    return ["Open the batch in the Prolific app to see what this status allows."]


def _bounded(value: Any) -> Any:
    """An unknown upstream value, kept but made safe: strings sanitised, large values elided."""
    if isinstance(value, str):
        return sanitize(value, 500)
    if value is None or isinstance(value, bool | int | float):
        return value
    encoded = json.dumps(value, separators=(",", ":"), default=str)
    if len(encoded) > _MAX_OTHER_FIELD_CHARS:
        return f"<{len(encoded)} characters of JSON omitted>"
    if isinstance(value, list):
        return [_bounded(v) for v in value]
    if isinstance(value, dict):
        return {sanitize(str(k), 100): _bounded(v) for k, v in value.items()}
    return sanitize(str(value), 500)


def _text(value: str | None, limit: int) -> str | None:
    return None if value is None else sanitize(value, limit)


def summarize_dataset(dataset: BatchDataset) -> DatasetSummary:
    return DatasetSummary(
        id=_text(dataset.id, 64),
        name=_text(dataset.name or dataset.filename, 200),
        filename=_text(dataset.filename, 200),
        total_datapoint_count=dataset.total_datapoint_count,
        status=_text(dataset.status, 40),
    )


def summarize_task_details(details: TaskDetails | None) -> TaskDetailsSummary | None:
    if details is None:
        return None
    return TaskDetailsSummary(
        task_name=_text(details.task_name, 200),
        introduction=html_to_text(details.task_introduction, 1500),
        steps=html_to_steps(details.task_steps),
    )


def summarize_batch(batch: Batch) -> BatchSummary:
    """The structured summary of a batch as Prolific returned it."""
    status = _text(batch.status, 40)
    return BatchSummary(
        id=sanitize(batch.id, 64),
        name=_text(batch.name, 200),
        status=status,
        status_meaning=status_meaning(status),
        next_steps=next_steps(status),
        created_at=_text(batch.created_at, 40),
        created_by=_text(batch.created_by, 40),
        workspace_id=_text(batch.workspace_id, 40),
        schema_version=batch.schema_version,
        total_task_count=batch.total_task_count,
        total_instruction_count=batch.total_instruction_count,
        total_task_groups=batch.total_task_groups,
        datasets=[summarize_dataset(d) for d in batch.datasets[:20]],
        task_details=summarize_task_details(batch.task_details),
        auto_sync_enabled=batch.auto_sync_enabled,
        layout_pages=None if batch.batch_items is None else len(batch.batch_items),
        other_fields={sanitize(k, 100): _bounded(v) for k, v in list(batch.other_fields.items())[:30]},
    )


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def render_batch_text(summary: BatchSummary) -> str:
    """A compact, line-oriented rendering with the same facts as the structured summary."""
    lines = [
        f'Batch "{summary.name or "(unnamed)"}" {summary.id}',
        f"Status: {summary.status or 'unknown'}. {summary.status_meaning}",
    ]
    lines += [f"Next: {step}" for step in summary.next_steps]
    lines.append(
        f"Created {summary.created_at or '?'} by {summary.created_by or '?'} in workspace {summary.workspace_id or '?'}"
    )
    counts = (
        f"Tasks {_count(summary.total_task_count)}, instructions {_count(summary.total_instruction_count)},"
        f" task groups {_count(summary.total_task_groups)}, schema v{_count(summary.schema_version)}"
    )
    if summary.auto_sync_enabled is not None:
        counts += f", auto-sync {'on' if summary.auto_sync_enabled else 'off'}"
    if summary.layout_pages is not None:
        counts += f", layout pages {summary.layout_pages}"
    lines.append(counts)
    if not summary.datasets:
        lines.append("Datasets: none attached")
    for ds in summary.datasets:
        parts = [f"Dataset {ds.id or '?'}"]
        if ds.name:
            parts.append(ds.name)
        if ds.filename and ds.filename != ds.name:
            parts.append(f"file {ds.filename}")
        parts.append(f"{_count(ds.total_datapoint_count)} datapoints")
        if ds.status:
            parts.append(ds.status)
        lines.append(": ".join(parts[:1]) + (": " + ", ".join(parts[1:]) if parts[1:] else ""))
    details = summary.task_details
    if details is None:
        lines.append("Task details: none")
    else:
        lines.append(f'Task "{details.task_name or "(unnamed)"}": {details.introduction or ""}'.rstrip(": "))
        if details.steps:
            lines.append("Steps: " + " ".join(f"{i}. {s}" for i, s in enumerate(details.steps, 1)))
    if summary.other_fields:
        extra = json.dumps(summary.other_fields, separators=(",", ":"), ensure_ascii=False)
        lines.append(f"Other fields: {extra}")
    return "\n".join(lines)


class BatchStatusSummary(Summary):
    """The cheap status check of one batch."""

    batch_id: str
    status: str | None = Field(description="UNINITIALISED, PROCESSING, READY or ERROR (or a newer value)")
    status_meaning: str
    next_steps: list[str]
    is_final: bool = Field(description="True when the status will not change without user action (READY, ERROR)")


def summarize_status(batch_id: str, status: str | None) -> BatchStatusSummary:
    clean = _text(status, 40)
    return BatchStatusSummary(
        batch_id=batch_id,
        status=clean,
        status_meaning=status_meaning(clean),
        next_steps=next_steps(clean),
        is_final=clean in ("READY", "ERROR"),
    )


def render_status_text(summary: BatchStatusSummary) -> str:
    lines = [f"Batch {summary.batch_id}: {summary.status or 'unknown'}. {summary.status_meaning}"]
    lines += [f"Next: {step}" for step in summary.next_steps]
    return "\n".join(lines)


# -- lists ------------------------------------------------------------------------------------------


class BatchRow(Summary):
    id: str
    name: str | None
    status: str | None
    total_task_count: int | None
    created_at: str | None


class BatchList(Summary):
    """Batches of a workspace, newest first, filtered and paged."""

    workspace_id: str
    matching: int = Field(description="Batches matching the filters")
    total: int = Field(description="Batches read from the workspace")
    counts_by_status: dict[str, int] = Field(description="All batches read, by status (before filtering)")
    rows: list[BatchRow]
    next_cursor: str | None = Field(description="Pass as cursor to get the next rows; null at the end")
    incomplete: bool = Field(description="True when the workspace has more batches than this server reads")


def _newest_first(batch: Batch) -> tuple[int, float]:
    moment = parse_time(batch.created_at)
    return (0, -moment.timestamp()) if moment else (1, 0.0)


def summarize_batch_list(
    workspace_id: str,
    batches: list[Batch],
    *,
    status: str | None,
    name_contains: str | None,
    offset: int,
    limit: int,
    incomplete: bool,
) -> tuple[BatchList, int | None]:
    """The list and the offset of the next rows (None at the end)."""
    counts: dict[str, int] = {}
    for batch in batches:
        key = _text(batch.status, 40) or "unknown"
        if key in counts or len(counts) < 20:
            counts[key] = counts.get(key, 0) + 1
    needle = name_contains.casefold() if name_contains else None
    matching = [
        b
        for b in sorted(batches, key=_newest_first)
        if (status is None or (b.status or "").upper() == status.upper())
        and (needle is None or needle in (b.name or "").casefold())
    ]
    window = matching[offset : offset + limit]
    rows = [
        BatchRow(
            id=sanitize(b.id, 64),
            name=_text(b.name, 120),
            status=_text(b.status, 40),
            total_task_count=b.total_task_count,
            created_at=_text(b.created_at, 40),
        )
        for b in window
    ]
    next_offset = offset + len(window) if offset + len(window) < len(matching) else None
    summary = BatchList(
        workspace_id=workspace_id,
        matching=len(matching),
        total=len(batches),
        counts_by_status=counts,
        rows=rows,
        next_cursor=None,
        incomplete=incomplete,
    )
    return summary, next_offset


def render_batch_list_text(summary: BatchList) -> str:
    counts = ", ".join(f"{k} {v}" for k, v in summary.counts_by_status.items()) or "none"
    lines = [f"Workspace {summary.workspace_id}: {summary.total} batches ({counts}); {summary.matching} match."]
    for row in summary.rows:
        day = (row.created_at or "?")[:10]
        lines.append(f'- {row.id} {row.status or "?"} tasks {_count(row.total_task_count)} {day} "{row.name or ""}"')
    if summary.next_cursor:
        lines.append(f"More: call again with cursor={summary.next_cursor}")
    if summary.incomplete:
        lines.append("Only the first batches of this very large workspace were read; counts are partial.")
    return "\n".join(lines)


# -- waiting ----------------------------------------------------------------------------------------


class WaitResult(Summary):
    """Where a batch stands after waiting for a target status."""

    batch_id: str
    target: str
    status: str | None
    reached: bool = Field(description="True when the batch reached the target status")
    timed_out: bool
    waited_seconds: float
    polls: int
    status_meaning: str
    next_steps: list[str]


def summarize_wait(
    batch_id: str, target: str, status: str | None, *, waited: float, polls: int, timed_out: bool
) -> WaitResult:
    clean = _text(status, 40)
    steps = next_steps(clean)
    if timed_out:
        steps = [f"Still {clean or 'unknown'} after {waited:.0f} s: call wait_for_batch again to keep waiting."]
    return WaitResult(
        batch_id=batch_id,
        target=target,
        status=clean,
        reached=clean == target,
        timed_out=timed_out,
        waited_seconds=round(waited, 1),
        polls=polls,
        status_meaning=status_meaning(clean),
        next_steps=steps,
    )


def render_wait_text(result: WaitResult) -> str:
    if result.reached:
        checks = plural(result.polls, "check")
        head = f"Batch {result.batch_id} is {result.status} (after {result.waited_seconds:g} s, {checks})."
    elif result.timed_out:
        status = result.status or "unknown"
        head = f"Batch {result.batch_id} is still {status}: timed out after {result.waited_seconds:g} s."
    else:
        head = f"Batch {result.batch_id} stopped at {result.status or 'unknown'} (wanted {result.target})."
    lines = [head, result.status_meaning]
    lines += [f"Next: {step}" for step in result.next_steps]
    return "\n".join(lines)
