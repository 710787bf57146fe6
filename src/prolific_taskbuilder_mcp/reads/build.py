"""Build operations (issue 14's surface, first pieces): describe a change before it is made, then make it.

Plain async functions over the client, like the rest of `reads/`: no MCP, no consent (the tools ask first).
"""

from __future__ import annotations

from typing import Any

from ..client import ProlificClient
from ..client.clock import Clock
from ..client.models import Batch
from ..errors import ReadError
from ..questions import Question, layout, shown_fields
from ..summaries import build
from ..summaries.batches import WaitResult, summarize_batch
from ..summaries.build import WriteOutcome
from .batches import wait_for_batch
from .progress import Progress


async def describe_update(client: ProlificClient, batch_id: str, changes: dict[str, Any]) -> str:
    batch = await client.get_batch(batch_id)
    return build.describe_update(batch, changes)


async def update_batch(client: ProlificClient, batch_id: str, changes: dict[str, Any], change: str) -> WriteOutcome:
    batch = await client.update_batch(batch_id, changes)
    return WriteOutcome(
        outcome="done",
        change=change,
        batch=summarize_batch(batch),
        next_step="get_batch shows the batch as it is now.",
    )


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


async def describe_setup(client: ProlificClient, batch_id: str, tasks_per_group: int) -> str:
    batch = await client.get_batch(batch_id)
    _check_setup(batch)
    return build.describe_setup(batch, tasks_per_group)


def _check_setup(batch: Batch) -> None:
    """The preconditions this server can see before asking anyone (Prolific checks the dataset itself)."""
    if (batch.status or "").upper() != "UNINITIALISED":
        raise ReadError(
            f"Batch {batch.id} is {batch.status}: setup runs once, on an UNINITIALISED batch. Nothing was changed."
        )
    if not batch.datasets:
        raise ReadError(
            f"Batch {batch.id} has no dataset attached: attach one first (update_batch can't yet; use the Prolific "
            "app). Nothing was changed."
        )


async def setup_batch(
    client: ProlificClient,
    batch_id: str,
    tasks_per_group: int,
    change: str,
    *,
    wait: bool,
    timeout_seconds: float,
    progress: Progress,
    clock: Clock,
) -> WriteOutcome:
    await client.setup_batch(batch_id, {"tasks_per_group": tasks_per_group})
    waited: WaitResult | None = None
    if wait:
        waited = await wait_for_batch(client, batch_id, "READY", timeout_seconds, progress=progress, clock=clock)
    ready = waited is not None and waited.status == "READY"
    return WriteOutcome(
        outcome="done",
        change=change,
        wait=waited,
        next_step=build.PUBLISH_HINT if ready else "wait_for_batch tells when the batch is READY (or ERROR).",
    )
