"""What a write will do, and what it did: the one-screen summary a user consents to, and the outcome. Pure."""

from typing import Any, Literal

from pydantic import Field

from ..client.models import AppendResult, Batch, Dataset, SyncJob
from .base import Summary
from .batches import BatchSummary, WaitResult
from .datasets import DatasetDetails, ImportSummary, error_sample
from .text import clip, quoted

APP = "https://app.prolific.com"


def publish_hint(workspace_id: str | None) -> str:
    """Where the user turns a READY batch into a study (reference 11.3-11.4): the app, never this server."""
    where = f"{APP}/researcher/workspaces/{workspace_id}/home" if workspace_id else APP
    return (
        f"The batch is READY. To collect data, open {where}, create a study (New study), choose AI Task Builder as "
        "the data collection method and pick this batch (or, if a study already uses it, nothing more is needed). "
        "Publishing the study is what spends money: the user does it in the app; this server never does."
    )


class AppendSummary(Summary):
    """Records appended to a dataset (9.8)."""

    accepted: int | None = Field(description="Records accepted (duplicates of earlier records included)")
    duplicates: int | None = Field(description="Accepted but not stored twice: identical to a record already there")
    rejected: int | None
    errors: list[str] = Field(description="Rejected records: 'record N: field: reason' (a sample)")
    errors_omitted: int


class SyncSummary(Summary):
    """A batch sync (7.10-7.11): tasks made for datapoints added after setup."""

    sync_id: str | None
    status: str | None = Field(description="queued, processing, complete or failed")
    tasks_created: int | None = None
    datapoints_processed: int | None = None
    groups_created: int | None = None
    groups_expanded: int | None = Field(default=None, description="Partly filled task groups topped up")
    reason: str | None = None
    waited_seconds: float | None = None
    timed_out: bool = False


def summarize_append(result: AppendResult) -> AppendSummary:
    lines, omitted = error_sample(result.errors, result.rejected_count)
    return AppendSummary(
        accepted=result.accepted_count,
        duplicates=result.duplicate_count,
        rejected=result.rejected_count,
        errors=lines,
        errors_omitted=omitted,
    )


def summarize_sync(job: SyncJob, waited: float | None = None, timed_out: bool = False) -> SyncSummary:
    return SyncSummary(
        sync_id=clip(job.sync_id, 64),
        status=clip(job.status, 40),
        tasks_created=job.tasks_created,
        datapoints_processed=job.datapoints_processed,
        groups_created=job.groups_created,
        groups_expanded=job.groups_expanded,
        reason=clip(job.reason, 300),
        waited_seconds=round(waited, 1) if waited is not None else None,
        timed_out=timed_out,
    )


class WriteOutcome(Summary):
    """A write tool's result: done, or what it would do and how to confirm it, or that nothing changed."""

    outcome: Literal["done", "needs_confirmation", "declined"]
    change: str = Field(description="The change, as the user was (or will be) asked to approve it")
    confirmation: str | None = Field(
        default=None, description="Pass back as `confirmation`, with the same arguments, to make the change (10 min)"
    )
    batch: BatchSummary | None = None
    wait: WaitResult | None = None
    dataset: DatasetDetails | None = None
    upload: ImportSummary | None = Field(default=None, description="The import this call's upload started")
    appended: AppendSummary | None = None
    sync: SyncSummary | None = None
    notes: list[str] = Field(default_factory=list, description="What the user should know (schema choices, keys)")
    next_step: str


def describe_update(batch: Batch, changes: dict[str, Any]) -> str:
    """'Update batch "X" (id): rename to "Y"; …' (participant-facing text quoted)."""
    parts = []
    if "name" in changes:
        parts.append(f"rename it to {quoted(str(changes['name']), 120)}")
    if "task_details" in changes:
        details = changes["task_details"]
        parts.append(
            f"set the task name to {quoted(str(details.get('task_name', '')), 120)} and replace its introduction "
            "and steps"
        )
    if "auto_sync_enabled" in changes:
        parts.append(f"turn auto-sync {'on' if changes['auto_sync_enabled'] else 'off'}")
    if "dataset_id" in changes:
        parts.append(f"attach dataset {changes['dataset_id']} instead of {_attached(batch)}")
    if "batch_items" in changes:
        questions = changes.get("_questions", "?")
        parts.append(
            f"replace its layout ({batch.total_instruction_count or 0} instructions now) with {questions} "
            "question(s) beside the dataset's fields; the old instructions are deleted"
        )
    name = quoted(batch.name or "(unnamed)", 120)
    return f"Update batch {name} ({batch.id}, {batch.status or 'status unknown'}): " + "; ".join(parts) + "."


def describe_dataset(name: str, workspace_id: str, records: int, source: str, schema: str) -> str:
    return (
        f"Create dataset {quoted(name, 120)} in workspace {workspace_id} and upload {records} record"
        f"{'s' if records != 1 else ''} {source} ({schema}). Nothing is shown to participants until a batch "
        "using it is set up and published."
    )


def describe_append(dataset: Dataset, records: int) -> str:
    return (
        f"Append {records} record{'s' if records != 1 else ''} to dataset {quoted(dataset.name or dataset.id, 120)} "
        f"({dataset.id}, {dataset.total_datapoint_count if dataset.total_datapoint_count is not None else '?'} "
        "datapoints now). Batches on it with auto-sync on get tasks for them; others need sync_batch."
    )


def describe_sync(batch: Batch) -> str:
    dataset = batch.datasets[0].id if batch.datasets else "(none attached)"
    return (
        f"Sync batch {quote_name(batch)} ({batch.id}): add tasks for datapoints of dataset {dataset} that have none "
        f"yet (it has {batch.total_task_count if batch.total_task_count is not None else '?'} tasks now). Nothing is "
        "published."
    )


def quote_name(batch: Batch) -> str:
    return quoted(batch.name or "(unnamed)", 120)


def _attached(batch: Batch) -> str:
    return batch.datasets[0].id or "(unknown)" if batch.datasets else "(none)"


def describe_create(name: str, workspace_id: str, dataset: Dataset, questions: int, fields: list[str]) -> str:
    points = dataset.total_datapoint_count
    size = f"{points} datapoints -> {points} tasks" if points is not None else "datapoints unknown"
    shown = f", showing {', '.join(fields)}" if fields else ""
    return (
        f"Create batch {quoted(name, 120)} in workspace {workspace_id} on dataset "
        f"{quoted(dataset.name or dataset.id, 120)} ({dataset.id}, {size}) with {questions} "
        f"question{'s' if questions != 1 else ''}{shown}. It starts UNINITIALISED: nothing is built or published."
    )


def describe_duplicate(batch: Batch, name: str | None, new_dataset: bool) -> str:
    copy_name = name or f"{batch.name} (Copy)"
    data = "with no dataset (upload a new one)" if new_dataset else "sharing the same dataset"
    return (
        f"Duplicate batch {quoted(batch.name or '(unnamed)', 120)} ({batch.id}) as {quoted(copy_name, 120)}, "
        f"{data}; the copy starts UNINITIALISED."
    )


def describe_setup(batch: Batch, tasks_per_group: int, dataset_id: str, points: int | None) -> str:
    tasks = f" ({points} datapoints -> {points} tasks, {tasks_per_group} per participant submission)" if points else ""
    return (
        f"Set up batch {quoted(batch.name or '(unnamed)', 120)} ({batch.id}): build its tasks from dataset "
        f"{dataset_id}{tasks}. Nothing is published and no money is spent."
    )


def _counts(accepted: int | None, duplicates: int | None, rejected: int | None) -> str:
    """'; accepted 4, duplicates 0, rejected 1' for the counts Prolific reported (absent ones left out)."""
    shown = [
        f"{label} {n}" for label, n in (("accepted", accepted), ("duplicates", duplicates), ("rejected", rejected))
    ]
    kept = [text for text, n in zip(shown, (accepted, duplicates, rejected), strict=True) if n is not None]
    return f"; {', '.join(kept)}" if kept else ""


def render_write_text(result: WriteOutcome) -> str:
    if result.outcome == "needs_confirmation":
        return (
            f"Nothing changed yet. {result.change}\nShow this to the user; if they agree, call the tool again with the "
            f"same arguments and confirmation={result.confirmation!r} (valid 10 minutes, once)."
        )
    if result.outcome == "declined":
        return f"Nothing was changed: the user did not approve. ({result.change})"
    lines = [f"Done. {result.change}"]
    lines.extend(f"Note: {note}" for note in result.notes)
    if result.dataset is not None:
        d = result.dataset
        lines.append(f"Dataset {d.id}: {d.total_datapoint_count} datapoints. {d.meaning}")
    if result.upload is not None:
        u = result.upload
        counts = _counts(u.accepted, u.duplicates, u.rejected)
        lines.append(f"Import {u.import_id}: {u.status} ({u.meaning or 'unknown status'}){counts}.")
        if u.reason:
            lines.append(f"Reason: {u.reason}")
        lines.extend(f"- {error}" for error in u.errors)
        if u.errors_omitted:
            lines.append(f"- … {u.errors_omitted} more rejected")
    if result.appended is not None:
        a = result.appended
        lines.append(f"Appended: {_counts(a.accepted, a.duplicates, a.rejected)[2:] or 'counts not reported'}.")
        lines.extend(f"- {error}" for error in a.errors)
        if a.errors_omitted:
            lines.append(f"- … {a.errors_omitted} more rejected")
    if result.sync is not None:
        y = result.sync
        made = f": {y.tasks_created} tasks, {y.groups_created} new groups" if y.tasks_created is not None else ""
        lines.append(f"Sync {y.sync_id}: {y.status}{made}" + (f" ({y.reason})" if y.reason else "") + ".")
    if result.batch is not None:
        b = result.batch
        lines.append(f"Batch {b.id}: {b.status}, {b.total_task_count} tasks.")
    if result.wait is not None:
        lines.append(
            f"Batch status {result.wait.status or 'unknown'} after {result.wait.waited_seconds:.0f} s"
            + (" (still running: check again with wait_for_batch)." if result.wait.timed_out else ".")
        )
    lines.append(f"Next: {result.next_step}")
    return "\n".join(lines)
