"""Build tools (off by default: `--allow-writes`): each asks the user before it changes anything (`consent.py`).

The `consent` parameter is filled by a resolver before the body runs, never by the caller: the SDK leaves it out
of the input schema.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.elicitation import ElicitationResult
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resolve import Elicit, Resolve
from mcp_types import CallToolResult, ToolAnnotations
from pydantic import Field

from .. import consent
from ..boundary import progress_of, tool_boundary
from ..consent import Approval
from ..context import Ctx, app_context, client_of, remember
from ..ids import BatchId, DatasetId, WorkspaceId
from ..questions import Question
from ..reads import build as reads
from ..summaries.build import WriteOutcome, render_write_text
from ._common import Timeout, ToolSpec, check_wait, resolve_workspace, structured_result

CHANGES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True)
"""Changes a batch in place (a repeat with the same arguments changes nothing more)."""
STARTS_SETUP = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True
)

Confirmation = Annotated[
    str | None,
    Field(max_length=64, description="The confirmation string a previous call returned, to make that exact change"),
]
Text = Annotated[str | None, Field(min_length=1, max_length=10_000)]


def _changes(
    name: str | None,
    task_name: str | None,
    task_introduction: str | None,
    task_steps: str | None,
    auto_sync: bool | None,
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name
    details = (task_name, task_introduction, task_steps)
    if any(value is not None for value in details):
        if any(value is None for value in details):
            raise ToolError(
                "task_name, task_introduction and task_steps are replaced together: pass all three (Prolific "
                "requires them as a set). Nothing was sent to Prolific."
            )
        changes["task_details"] = dict(zip(("task_name", "task_introduction", "task_steps"), details, strict=True))
    if auto_sync is not None:
        changes["auto_sync_enabled"] = auto_sync
    return changes


async def _ask_update(
    batch_id: str,
    name: str | None,
    task_name: str | None,
    task_introduction: str | None,
    task_steps: str | None,
    auto_sync: bool | None,
    confirmation: str | None,
    ctx: Ctx,
) -> Elicit[Approval] | Approval:
    changes = _changes(name, task_name, task_introduction, task_steps, auto_sync)

    async def describe() -> str:
        async with tool_boundary(ctx, "batch", batch_id):
            return await reads.describe_update(client_of(ctx), batch_id, changes)

    return await consent.ask(ctx, "update_batch", {"batch_id": batch_id, **changes}, confirmation, describe)


async def update_batch(
    batch_id: BatchId,
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_update)],
    name: Annotated[str | None, Field(min_length=1, max_length=200, description="New batch name")] = None,
    task_name: Text = None,
    task_introduction: Text = None,
    task_steps: Text = None,
    auto_sync: Annotated[bool | None, Field(strict=True, description="Turn auto-sync of new data on or off")] = None,
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Change a batch's name, task details (name, introduction and steps, together) or auto-sync. Sends only
    what changes. Asks the user first; without an elicitation-capable client it changes nothing and returns the
    change with a confirmation string to call again with."""
    changes = _changes(name, task_name, task_introduction, task_steps, auto_sync)
    if not changes:
        raise ToolError("Nothing to change: pass name, the task details, or auto_sync. Nothing was sent to Prolific.")
    decided = consent.decision(ctx, consent_outcome)
    async with tool_boundary(ctx, "batch", batch_id):
        change = await reads.describe_update(client_of(ctx), batch_id, changes)
        if decided == "approved":
            result = await reads.update_batch(client_of(ctx), batch_id, changes, change)
    remember(ctx, "batch", batch_id)
    if decided != "approved":
        result = _not_done(ctx, decided, "update_batch", {"batch_id": batch_id, **changes}, change)
    return structured_result(result, render_write_text(result))


def _not_done(ctx: Ctx, decided: str, tool: str, arguments: dict[str, Any], change: str) -> WriteOutcome:
    if decided == "ask_by_confirmation":
        confirmations = app_context(ctx).confirmations
        assert confirmations is not None
        token = confirmations.issue(consent.binding(ctx, tool, arguments))
        return WriteOutcome(
            outcome="needs_confirmation",
            change=change,
            confirmation=token,
            next_step="Ask the user; call again with this confirmation to proceed.",
        )
    return WriteOutcome(outcome="declined", change=change, next_step="Nothing to do unless the user asks again.")


async def _ask_setup(
    batch_id: str, tasks_per_group: int, confirmation: str | None, ctx: Ctx
) -> Elicit[Approval] | Approval:
    async def describe() -> str:
        async with tool_boundary(ctx, "batch", batch_id):
            return await reads.describe_setup(client_of(ctx), batch_id, tasks_per_group)

    arguments = {"batch_id": batch_id, "tasks_per_group": tasks_per_group}
    return await consent.ask(ctx, "setup_batch", arguments, confirmation, describe)


async def setup_batch(
    batch_id: BatchId,
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_setup)],
    tasks_per_group: Annotated[int, Field(strict=True, ge=1, le=1000, description="Tasks per participant")] = 1,
    wait: Annotated[bool, Field(strict=True, description="Wait for READY (with progress)")] = True,
    timeout_seconds: Timeout = 45,
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Build a batch's tasks from its dataset (one task per datapoint), then wait for READY with progress.
    Checks first that the batch is UNINITIALISED with a dataset attached. Asks the user first. Publishes
    nothing and spends no money: the result says where the user publishes a study in the Prolific app."""
    check_wait(ctx, timeout_seconds)
    decided = consent.decision(ctx, consent_outcome)
    app = app_context(ctx)
    async with tool_boundary(ctx, "batch", batch_id):
        change = await reads.describe_setup(client_of(ctx), batch_id, tasks_per_group)
        if decided == "approved":
            result = await reads.setup_batch(
                client_of(ctx),
                batch_id,
                tasks_per_group,
                change,
                wait=wait,
                timeout_seconds=timeout_seconds,
                progress=progress_of(ctx),
                clock=app.clock,
            )
    remember(ctx, "batch", batch_id)
    if decided != "approved":
        arguments = {"batch_id": batch_id, "tasks_per_group": tasks_per_group}
        result = _not_done(ctx, decided, "setup_batch", arguments, change)
    return structured_result(result, render_write_text(result))


CREATES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True)
Name = Annotated[str, Field(min_length=1, max_length=200, description="The batch's name, as researchers see it")]
TaskText = Annotated[str, Field(min_length=1, max_length=10_000)]


def _create_body(
    name: str,
    workspace_id: str,
    dataset_id: str,
    task_name: str,
    task_introduction: str,
    task_steps: str,
    batch_items: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "workspace_id": workspace_id,
        "dataset_id": dataset_id,
        "task_details": {"task_name": task_name, "task_introduction": task_introduction, "task_steps": task_steps},
    }
    if batch_items is not None:
        body["batch_items"] = batch_items
    return body


async def _ask_create(
    name: str,
    dataset_id: str,
    task_name: str,
    task_introduction: str,
    task_steps: str,
    questions: list[Question],
    workspace_id: str | None,
    confirmation: str | None,
    ctx: Ctx,
) -> Elicit[Approval] | Approval:
    workspace = resolve_workspace(ctx, workspace_id)
    arguments = _create_arguments(name, workspace, dataset_id, task_name, task_introduction, task_steps, questions)

    async def describe() -> str:
        async with tool_boundary(ctx, "dataset", dataset_id):
            return (await reads.describe_create(client_of(ctx), name, workspace, dataset_id, questions))[0]

    return await consent.ask(ctx, "create_batch", arguments, confirmation, describe)


def _create_arguments(
    name: str,
    workspace: str,
    dataset_id: str,
    task_name: str,
    task_introduction: str,
    task_steps: str,
    questions: list[Question],
) -> dict[str, Any]:
    return {
        **_create_body(name, workspace, dataset_id, task_name, task_introduction, task_steps),
        "questions": [q.model_dump(mode="json") for q in questions],
    }


async def create_batch(
    name: Name,
    dataset_id: DatasetId,
    task_name: TaskText,
    task_introduction: TaskText,
    task_steps: TaskText,
    questions: Annotated[list[Question], Field(min_length=1, max_length=20)],
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_create)],
    workspace_id: WorkspaceId | None = None,
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Create a batch on a dataset: one page showing the datapoint's fields beside the questions (free_text,
    multiple_choice, multiple_choice_with_free_text, free_text_with_unit, file_upload; each checked before
    anything is sent). Starts UNINITIALISED; setup_batch then builds its tasks. Asks the user first; an identical
    call within 10 minutes returns the batch the first one made."""
    workspace = resolve_workspace(ctx, workspace_id)
    arguments = _create_arguments(name, workspace, dataset_id, task_name, task_introduction, task_steps, questions)
    decided = consent.decision(ctx, consent_outcome)
    app = app_context(ctx)
    key = consent.binding(ctx, "create_batch", arguments)
    earlier = app.creates.find(key) if app.creates is not None else None
    async with tool_boundary(ctx, "dataset", dataset_id):
        change, items = await reads.describe_create(client_of(ctx), name, workspace, dataset_id, questions)
        body = _create_body(name, workspace, dataset_id, task_name, task_introduction, task_steps, items)
        if decided == "approved" and earlier is not None:
            result = await reads.created_before(client_of(ctx), earlier, change)
        elif decided == "approved":
            result = await reads.create_batch(client_of(ctx), body, change)
            if result.batch is not None and app.creates is not None:
                app.creates.remember(key, result.batch.id)
    if decided != "approved":
        result = _not_done(ctx, decided, "create_batch", arguments, change)
    elif result.batch is not None:
        remember(ctx, "batch", result.batch.id)
    remember(ctx, "dataset", dataset_id)
    return structured_result(result, render_write_text(result))


async def _ask_duplicate(
    batch_id: str, name: str | None, upload_new_dataset: bool, confirmation: str | None, ctx: Ctx
) -> Elicit[Approval] | Approval:
    async def describe() -> str:
        async with tool_boundary(ctx, "batch", batch_id):
            return await reads.describe_duplicate(client_of(ctx), batch_id, name, upload_new_dataset)

    arguments = {"batch_id": batch_id, "name": name, "upload_new_dataset": upload_new_dataset}
    return await consent.ask(ctx, "duplicate_batch", arguments, confirmation, describe)


async def duplicate_batch(
    batch_id: BatchId,
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_duplicate)],
    name: Annotated[str | None, Field(min_length=1, max_length=200, description="Default: '<name> (Copy)'")] = None,
    upload_new_dataset: Annotated[bool, Field(strict=True, description="The copy gets no dataset")] = False,
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Copy a batch (its layout and task details; no tasks, no responses), sharing its dataset unless
    upload_new_dataset. The copy starts UNINITIALISED. Asks the user first."""
    decided = consent.decision(ctx, consent_outcome)
    body: dict[str, Any] = {"upload_new_dataset": upload_new_dataset, **({"name": name} if name else {})}
    async with tool_boundary(ctx, "batch", batch_id):
        change = await reads.describe_duplicate(client_of(ctx), batch_id, name, upload_new_dataset)
        if decided == "approved":
            result = await reads.duplicate_batch(client_of(ctx), batch_id, body, change)
    if decided != "approved":
        arguments = {"batch_id": batch_id, "name": name, "upload_new_dataset": upload_new_dataset}
        result = _not_done(ctx, decided, "duplicate_batch", arguments, change)
    elif result.batch is not None:
        remember(ctx, "batch", result.batch.id)
    remember(ctx, "batch", batch_id)
    return structured_result(result, render_write_text(result))


TOOLS = (
    ToolSpec(create_batch, "Create a batch", CREATES),
    ToolSpec(update_batch, "Update a batch", CHANGES),
    ToolSpec(duplicate_batch, "Duplicate a batch", CREATES),
    ToolSpec(setup_batch, "Set up a batch", STARTS_SETUP),
)
