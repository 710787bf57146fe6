"""What a write will do, and what it did: the one-screen summary a user consents to, and the outcome. Pure."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..client.models import Batch, Dataset
from .base import Summary
from .batches import BatchSummary, WaitResult
from .text import quoted

PUBLISH_HINT = (
    "To collect data, create a study in the Prolific app (Studies > New study), choose AI Task Builder as the data "
    "collection method and pick this batch; publishing the study is what spends money, and this server never does it."
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
    name = quoted(batch.name or "(unnamed)", 120)
    return f"Update batch {name} ({batch.id}, {batch.status or 'status unknown'}): " + "; ".join(parts) + "."


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


def describe_setup(batch: Batch, tasks_per_group: int) -> str:
    dataset = batch.datasets[0] if batch.datasets else None
    points = dataset.total_datapoint_count if dataset is not None else None
    tasks = f" ({points} datapoints -> {points} tasks, {tasks_per_group} per participant submission)" if points else ""
    return (
        f"Set up batch {quoted(batch.name or '(unnamed)', 120)} ({batch.id}): build its tasks from dataset "
        f"{dataset.id if dataset else '(none attached)'}{tasks}. Nothing is published and no money is spent."
    )


def render_write_text(result: WriteOutcome) -> str:
    if result.outcome == "needs_confirmation":
        return (
            f"Nothing changed yet. {result.change}\nShow this to the user; if they agree, call the tool again with the "
            f"same arguments and confirmation={result.confirmation!r} (valid 10 minutes, once)."
        )
    if result.outcome == "declined":
        return f"Nothing was changed: the user did not approve. ({result.change})"
    lines = [f"Done. {result.change}"]
    if result.wait is not None:
        lines.append(
            f"Batch status {result.wait.status or 'unknown'} after {result.wait.waited_seconds:.0f} s"
            + (" (still running: check again with wait_for_batch)." if result.wait.timed_out else ".")
        )
    lines.append(f"Next: {result.next_step}")
    return "\n".join(lines)
