"""Build operations (issue 14's surface, first pieces): describe a change before it is made, then make it.

Plain async functions over the client, like the rest of `reads/`: no MCP, no consent (the tools ask first).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from ..client import ProlificClient, ProlificError
from ..client.clock import Clock
from ..client.models import Batch, ImportJob, SyncJob
from ..datafiles import LocalFile, RecordsError, chunks
from ..errors import ReadError, explain
from ..questions import Question, layout, shown_fields
from ..summaries import build
from ..summaries.batches import WaitResult, summarize_batch
from ..summaries.build import WriteOutcome, summarize_append, summarize_sync
from ..summaries.datasets import summarize_dataset_details, summarize_import
from .batches import wait_for_batch
from .jobs import poll_job
from .progress import Progress

IMPORT_DONE = frozenset({"complete", "partial", "failed", "pending_schema"})
SYNC_DONE = frozenset({"complete", "failed"})


async def describe_update(
    client: ProlificClient, batch_id: str, changes: dict[str, Any], questions: list[Question] | None
) -> tuple[str, dict[str, Any]]:
    """The change to approve, and the PATCH body: with `questions`, a new layout showing the fields of the dataset
    the batch will have. Layout and dataset changes are refused on a PROCESSING batch (setup is building tasks)."""
    batch = await client.get_batch(batch_id)
    structural = (["dataset"] if "dataset_id" in changes else []) + (["layout"] if questions else [])
    if structural and (batch.status or "").upper() == "PROCESSING":
        raise ReadError(
            f"Batch {batch.id} is PROCESSING (setup is building its tasks): its {' and '.join(structural)} cannot "
            "change now. wait_for_batch tells when it is READY; then call again. Nothing was changed."
        )
    body = dict(changes)
    if questions:
        dataset_id = changes.get("dataset_id") or (batch.datasets[0].id if batch.datasets else None)
        fields: list[str] = []
        if dataset_id:
            fields = shown_fields((await client.get_dataset(dataset_id)).schema_)
        body["batch_items"] = layout(questions, fields)
        return build.describe_update(batch, {**body, "_questions": len(questions)}), body
    return build.describe_update(batch, body), body


async def update_batch(client: ProlificClient, batch_id: str, changes: dict[str, Any], change: str) -> WriteOutcome:
    batch = await client.update_batch(batch_id, changes)
    step = "get_batch shows the batch as it is now."
    if (batch.status or "").upper() == "READY":
        step += f" {build.publish_hint(batch.workspace_id)}"
    return WriteOutcome(outcome="done", change=change, batch=summarize_batch(batch), next_step=step)


async def describe_create(
    client: ProlificClient, name: str, workspace_id: str, dataset_id: str, questions: list[Question]
) -> tuple[str, list[dict[str, Any]]]:
    """The change to approve, and the layout to send: the dataset's shown fields beside the questions."""
    dataset = await client.get_dataset(dataset_id)
    fields = shown_fields(dataset.schema_)
    return build.describe_create(name, workspace_id, dataset, len(questions), fields), layout(questions, fields)


def _made(batch: Batch, change: str) -> WriteOutcome:
    """The outcome of a write that made a batch: what to do with it next."""
    later = " once a dataset is attached" if not batch.datasets else ""
    return WriteOutcome(
        outcome="done",
        change=change,
        batch=summarize_batch(batch),
        next_step=f"setup_batch(batch_id={batch.id!r}) builds its tasks from the dataset{later}.",
    )


async def create_batch(client: ProlificClient, body: dict[str, Any], change: str) -> WriteOutcome:
    return _made(await client.create_batch(body), change)


async def created_before(client: ProlificClient, batch_id: str, change: str) -> WriteOutcome:
    """The batch an identical create made minutes ago (returned instead of making a second one)."""
    again = f"{change} Already done by an identical call in the last 10 minutes: this is that batch, not a new one."
    return _made(await client.get_batch(batch_id), again)


async def describe_duplicate(client: ProlificClient, batch_id: str, name: str | None, new_dataset: bool) -> str:
    batch = await client.get_batch(batch_id)
    return build.describe_duplicate(batch, name, new_dataset)


async def duplicate_batch(client: ProlificClient, batch_id: str, body: dict[str, Any], change: str) -> WriteOutcome:
    return _made(await client.duplicate_batch(batch_id, body), change)


NOT_QUESTIONS = frozenset({"rich_text", "image", "dataset_field"})


async def describe_setup(
    client: ProlificClient, batch_id: str, tasks_per_group: int, dataset_id: str | None = None
) -> tuple[str, str]:
    """The change to approve and the dataset setup will use, after checking the preconditions (7.6) and saying
    which is missing: an UNINITIALISED batch, a dataset (attached or passed) that is ready (V3 READY, V4 with a
    complete import), and questions."""
    batch = await client.get_batch(batch_id)
    if (batch.status or "").upper() != "UNINITIALISED":
        raise ReadError(
            f"Batch {batch.id} is {batch.status}: setup runs once, on an UNINITIALISED batch (sync_batch adds tasks "
            "to a READY one). Nothing was changed."
        )
    chosen = dataset_id or (batch.datasets[0].id if batch.datasets else None)
    if not chosen:
        raise ReadError(
            f"Batch {batch.id} has no dataset: pass dataset_id, or attach one with update_batch(dataset_id=...). "
            "Nothing was changed."
        )
    dataset = summarize_dataset_details(await client.get_dataset(chosen))
    if dataset.ready_for_setup is False:
        raise ReadError(
            f"Dataset {dataset.id} is not ready for setup: {dataset.meaning} Setup needs a READY V3 dataset or a V4 "
            "dataset with a complete import (get_dataset shows its imports). Nothing was changed."
        )
    if not _has_questions(batch):
        raise ReadError(
            f"Batch {batch.id} has no questions: add them with update_batch(questions=...) first. Nothing was changed."
        )
    caveat = f" {dataset.meaning}" if dataset.ready_for_setup is None else ""
    return build.describe_setup(batch, tasks_per_group, chosen, dataset.total_datapoint_count) + caveat, chosen


def _has_questions(batch: Batch) -> bool:
    """Whether the batch has something to answer (a layout question, or legacy instructions by their count)."""
    if batch.batch_items is not None:
        return any(
            isinstance(item, dict) and item.get("type") not in NOT_QUESTIONS
            for page in batch.batch_items
            for row in page.get("rows") or []
            for column in row.get("columns") or []
            for item in column.get("items") or []
        )
    return batch.total_instruction_count != 0  # unknown (None) or counted: let Prolific decide


async def setup_batch(
    client: ProlificClient,
    batch_id: str,
    tasks_per_group: int,
    dataset_id: str,
    change: str,
    *,
    wait: bool,
    timeout_seconds: float,
    progress: Progress,
    clock: Clock,
) -> WriteOutcome:
    await client.setup_batch(batch_id, {"dataset_id": dataset_id, "tasks_per_group": tasks_per_group})
    waited: WaitResult | None = None
    if wait:
        waited = await wait_for_batch(client, batch_id, "READY", timeout_seconds, progress=progress, clock=clock)
    batch = await client.get_batch(batch_id)
    status = (waited.status if waited is not None else None) or batch.status
    if status == "READY":
        step = build.publish_hint(batch.workspace_id)
    elif status == "ERROR":
        step = (
            "Setup failed: get_batch and get_dataset show the batch and its data; fix the dataset, then "
            "duplicate_batch and set up the copy."
        )
    else:
        step = "wait_for_batch tells when the batch is READY (or ERROR)."
    return WriteOutcome(outcome="done", change=change, wait=waited, batch=summarize_batch(batch), next_step=step)


# -- datasets ------------------------------------------------------------------------------------------------


async def _upload_file(client: ProlificClient, file: LocalFile, target: Any, progress: Progress) -> None:
    sent = [0]
    step = max(file.size // 20, 1)

    async def reporting() -> AsyncIterator[bytes]:
        next_report = step
        async for chunk in chunks(file, sent):
            yield chunk
            if sent[0] >= next_report:
                next_report = sent[0] + step
                await progress(sent[0], file.size, f"Uploaded {sent[0] / 2**20:.1f} of {file.size / 2**20:.1f} MiB")

    await client.upload(target, reporting(), file.size)


async def create_dataset(
    client: ProlificClient,
    body: dict[str, Any],
    source: bytes | LocalFile,
    filename: str,
    change: str,
    notes: list[str],
    *,
    timeout_seconds: float,
    progress: Progress,
    clock: Clock,
) -> WriteOutcome:
    """Create a V4 dataset, upload the records through the presigned URL, and wait for the import to finish."""
    dataset = await client.create_dataset(body)
    instead = (
        f"Nothing else changed. Call add_datapoints(dataset_id={dataset.id!r}, records=[...]) to add records to this "
        "dataset (up to 1,000 per call) rather than creating another."
    )
    try:
        target = await client.get_upload_url(dataset.id, filename)
        if not target.import_id:
            raise ReadError(
                f"Created dataset {dataset.id}, but Prolific returned no import job for its upload, so the records "
                f"were not sent. {instead}"
            )
        await progress(0, None, f"Created dataset {dataset.id}; uploading {filename}")
        if isinstance(source, bytes):
            await client.upload(target, source, len(source))
        else:
            await _upload_file(client, source, target, progress)
    except (ProlificError, RecordsError) as exc:
        why = explain(exc, "dataset", dataset.id) if isinstance(exc, ProlificError) else str(exc)
        raise ReadError(f"Created dataset {dataset.id}, but its records were not uploaded: {why} {instead}") from None
    import_id = target.import_id
    polled = await poll_job(
        lambda: client.get_import(dataset.id, import_id),
        lambda job: (job.status or "") in IMPORT_DONE,
        lambda job: f"Import {job.status or 'unknown'} ({_import_progress(job)})",
        timeout_seconds,
        progress=progress,
        clock=clock,
    )
    details = summarize_dataset_details(await client.get_dataset(dataset.id))
    upload = summarize_import(polled.job) if polled.job is not None else None
    status = upload.status if upload is not None else None
    if polled.timed_out and status not in IMPORT_DONE:
        step = f"The import is still {status or 'running'}: get_dataset(dataset_id={dataset.id!r}) shows when it ends."
    elif status == "complete":
        step = f"create_batch(dataset_id={dataset.id!r}, ...) makes a batch on it."
    elif status == "partial":
        step = (
            f"Some records were rejected (see errors). Fix them and add them with add_datapoints(dataset_id="
            f"{dataset.id!r}, ...); setup needs a complete import, so if create_batch/setup_batch refuse, create "
            "the dataset again from corrected records."
        )
    elif status == "pending_schema":
        step = (
            f"The import waits for the dataset's schema: get_dataset(dataset_id={dataset.id!r}) shows it; set one "
            "in the Prolific app."
        )
    else:
        step = "Nothing was imported: fix the records (see the reason) and call create_dataset again."
    return WriteOutcome(outcome="done", change=change, dataset=details, upload=upload, notes=notes, next_step=step)


async def dataset_created_before(client: ProlificClient, dataset_id: str, change: str) -> WriteOutcome:
    """The dataset an identical create made minutes ago (returned instead of making and uploading a second one)."""
    details = summarize_dataset_details(await client.get_dataset(dataset_id))
    return WriteOutcome(
        outcome="done",
        change=f"{change} Already done by an identical call in the last 10 minutes: this is that dataset, not a new "
        "one.",
        dataset=details,
        next_step=f"create_batch(dataset_id={dataset_id!r}, ...) makes a batch on it.",
    )


def _import_progress(job: ImportJob) -> str:
    read = job.processed_offset if job.processed_offset is not None else job.accepted_count
    return f"{read if read is not None else '?'} records read"


async def describe_append(client: ProlificClient, dataset_id: str, records: int) -> str:
    dataset = await client.get_dataset(dataset_id)
    if (dataset.schema_version is not None and dataset.schema_version != 4) or dataset.schema_ is None:
        raise ReadError(
            f"Dataset {dataset.id} is not a V4 dataset with a schema: Prolific appends records only to those. "
            "create_dataset makes one. Nothing was changed."
        )
    return build.describe_append(dataset, records)


async def add_datapoints(client: ProlificClient, dataset_id: str, jsonl: bytes, change: str) -> WriteOutcome:
    appended = summarize_append(await client.append_datapoints(dataset_id, jsonl))
    details = summarize_dataset_details(await client.get_dataset(dataset_id))
    return WriteOutcome(
        outcome="done",
        change=change,
        appended=appended,
        dataset=details,
        next_step=(
            "A READY batch on this dataset gets tasks for the new records by sync_batch(batch_id=...) (batches with "
            "auto-sync on get them by themselves)."
        ),
    )


# -- sync ----------------------------------------------------------------------------------------------------


async def describe_sync(client: ProlificClient, batch_id: str) -> str:
    batch = await client.get_batch(batch_id)
    if (batch.status or "").upper() != "READY":
        raise ReadError(
            f"Batch {batch.id} is {batch.status}: sync adds tasks to a READY batch (setup_batch builds the first "
            "ones). Nothing was changed."
        )
    if not batch.datasets:
        raise ReadError(f"Batch {batch.id} has no dataset attached: there is nothing to sync. Nothing was changed.")
    return build.describe_sync(batch)


async def sync_batch(
    client: ProlificClient,
    batch_id: str,
    change: str,
    *,
    wait: bool,
    timeout_seconds: float,
    progress: Progress,
    clock: Clock,
) -> WriteOutcome:
    job = await client.sync_batch(batch_id)
    summary = summarize_sync(job)
    sync_id = job.sync_id
    if wait and sync_id and (job.status or "") not in SYNC_DONE:
        polled = await poll_job(
            lambda: client.get_sync(batch_id, sync_id),
            lambda j: (j.status or "") in SYNC_DONE,
            lambda j: f"Sync {j.status or 'unknown'}",
            timeout_seconds,
            progress=progress,
            clock=clock,
        )
        last: SyncJob = polled.job or job
        summary = summarize_sync(last, polled.waited, polled.timed_out and (last.status or "") not in SYNC_DONE)
    batch = await client.get_batch(batch_id)
    if summary.status == "complete":
        step = (
            "The new tasks are in the batch; a study already published on it serves them to participants. "
            + build.publish_hint(batch.workspace_id)
        )
    elif summary.status == "failed":
        step = "The sync failed (see the reason): check the dataset with get_dataset, then sync_batch again."
    else:
        step = f"The sync is {summary.status or 'running'}: get_batch shows the task count when it is done."
    return WriteOutcome(outcome="done", change=change, sync=summary, batch=summarize_batch(batch), next_step=step)
