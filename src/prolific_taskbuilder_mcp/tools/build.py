"""Build tools (off by default: `--allow-writes`): each asks the user before it changes anything (`consent.py`).

The `consent` parameter is filled by a resolver before the body runs, never by the caller: the SDK leaves it out
of the input schema.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from mcp.server.elicitation import ElicitationResult
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resolve import Elicit, Resolve
from mcp_types import CallToolResult, ToolAnnotations
from pydantic import Field

from .. import consent, datafiles
from ..boundary import progress_of, tool_boundary
from ..consent import Approval
from ..context import Ctx, app_context, client_of, remember
from ..ids import BatchId, DatasetId, WorkspaceId
from ..questions import Question
from ..reads import build as reads
from ..summaries import build as build_summaries
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
    dataset_id: str | None = None,
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if dataset_id is not None:
        changes["dataset_id"] = dataset_id
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


def _update_arguments(batch_id: str, changes: dict[str, Any], questions: list[Question] | None) -> dict[str, Any]:
    shown = {"questions": [q.model_dump(mode="json") for q in questions]} if questions else {}
    return {"batch_id": batch_id, **changes, **shown}


async def _ask_update(
    batch_id: str,
    name: str | None,
    task_name: str | None,
    task_introduction: str | None,
    task_steps: str | None,
    auto_sync: bool | None,
    questions: list[Question] | None,
    dataset_id: str | None,
    confirmation: str | None,
    ctx: Ctx,
) -> Elicit[Approval] | Approval:
    changes = _changes(name, task_name, task_introduction, task_steps, auto_sync, dataset_id)

    async def describe() -> str:
        async with tool_boundary(ctx, "batch", batch_id):
            return (await reads.describe_update(client_of(ctx), batch_id, changes, questions))[0]

    arguments = _update_arguments(batch_id, changes, questions)
    return await consent.ask(ctx, "update_batch", arguments, confirmation, describe)


async def update_batch(
    batch_id: BatchId,
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_update)],
    name: Annotated[str | None, Field(min_length=1, max_length=200, description="New batch name")] = None,
    task_name: Text = None,
    task_introduction: Text = None,
    task_steps: Text = None,
    auto_sync: Annotated[bool | None, Field(strict=True, description="Turn auto-sync of new data on or off")] = None,
    questions: Annotated[
        list[Question] | None,
        Field(
            min_length=1, max_length=20, description="Replace the layout: these questions beside the dataset's fields"
        ),
    ] = None,
    dataset_id: Annotated[DatasetId | None, Field(description="Attach this dataset instead")] = None,
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Change a batch: name, task details (name, introduction and steps, together), auto-sync, its questions
    (replacing the layout: the old instructions are deleted) or its dataset. Sends only what changes; questions and
    dataset cannot change while the batch is PROCESSING. Asks the user first; without an elicitation-capable client
    it changes nothing and returns the change with a confirmation string to call again with."""
    changes = _changes(name, task_name, task_introduction, task_steps, auto_sync, dataset_id)
    if not changes and not questions:
        raise ToolError(
            "Nothing to change: pass name, the task details, auto_sync, questions or dataset_id. Nothing was sent to "
            "Prolific."
        )
    decided = consent.decision(ctx, consent_outcome)
    async with tool_boundary(ctx, "batch", batch_id):
        change, body = await reads.describe_update(client_of(ctx), batch_id, changes, questions)
        if decided == "approved":
            result = await reads.update_batch(client_of(ctx), batch_id, body, change)
    remember(ctx, "batch", batch_id)
    if decided != "approved":
        result = _not_done(ctx, decided, "update_batch", _update_arguments(batch_id, changes, questions), change)
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
    batch_id: str, tasks_per_group: int, dataset_id: str | None, confirmation: str | None, ctx: Ctx
) -> Elicit[Approval] | Approval:
    async def describe() -> str:
        async with tool_boundary(ctx, "batch", batch_id):
            return (await reads.describe_setup(client_of(ctx), batch_id, tasks_per_group, dataset_id))[0]

    arguments = {"batch_id": batch_id, "tasks_per_group": tasks_per_group, "dataset_id": dataset_id}
    return await consent.ask(ctx, "setup_batch", arguments, confirmation, describe)


async def setup_batch(
    batch_id: BatchId,
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_setup)],
    tasks_per_group: Annotated[int, Field(strict=True, ge=1, le=1000, description="Tasks per participant")] = 1,
    dataset_id: Annotated[
        DatasetId | None, Field(description="Build from this dataset (default: the attached one)")
    ] = None,
    wait: Annotated[bool, Field(strict=True, description="Wait for READY (with progress)")] = True,
    timeout_seconds: Timeout = 45,
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Build a batch's tasks from its dataset (one task per datapoint), then wait for READY with progress.
    Checks first, and says which is missing: the batch is UNINITIALISED, has questions, and has a ready dataset
    (attached or dataset_id; V3 READY, V4 with a complete import). Asks the user first. Publishes nothing and
    spends no money: the result links to where the user publishes a study in the Prolific app."""
    check_wait(ctx, timeout_seconds)
    decided = consent.decision(ctx, consent_outcome)
    app = app_context(ctx)
    async with tool_boundary(ctx, "batch", batch_id):
        change, chosen = await reads.describe_setup(client_of(ctx), batch_id, tasks_per_group, dataset_id)
        if decided == "approved":
            result = await reads.setup_batch(
                client_of(ctx),
                batch_id,
                tasks_per_group,
                chosen,
                change,
                wait=wait,
                timeout_seconds=timeout_seconds,
                progress=progress_of(ctx),
                clock=app.clock,
            )
    remember(ctx, "batch", batch_id)
    if decided != "approved":
        arguments = {"batch_id": batch_id, "tasks_per_group": tasks_per_group, "dataset_id": dataset_id}
        result = _not_done(ctx, decided, "setup_batch", arguments, change)
    return structured_result(result, render_write_text(result))


ADDS = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True)
"""Appends records (an identical record appended again is not stored twice)."""
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


# -- datasets ------------------------------------------------------------------------------------------------

Scalar = str | int | float | bool | None
Records = Annotated[
    list[dict[str, Scalar]] | None,
    Field(
        min_length=1,
        max_length=datafiles.MAX_INLINE_RECORDS,
        description='The records inline (at most 1,000), e.g. [{"text": "...", "META_id": "42"}]',
    ),
]
FilePath = Annotated[
    str | None,
    Field(
        min_length=1,
        max_length=4096,
        description="A local .csv (header row) or .jsonl file, at most 200 MB (stdio only: over HTTP the path would "
        "be the server's disk)",
    ),
]
Fields = Annotated[
    dict[str, datafiles.FieldType] | None,
    Field(
        max_length=datafiles.MAX_FIELDS,
        description="The schema: field name -> type. Default: inferred from the records' keys (text; keys starting "
        "META_ or metadata_ are metadata)",
    ),
]


@dataclass(frozen=True)
class _Source:
    """What create_dataset uploads: the records as JSONL bytes, or a checked local file; and the schema."""

    content: bytes | datafiles.LocalFile
    filename: str
    records: int
    schema: datafiles.Schema
    notes: list[str]
    identity: dict[str, Any]
    """What a confirmation is bound to besides the name and workspace (a digest of the records, or the file)."""

    def describe(self) -> str:
        if isinstance(self.content, datafiles.LocalFile):
            return f"from {self.content.path.name} ({self.content.size / 2**20:.1f} MiB)"
        return "given inline"


async def _source(
    ctx: Ctx,
    records: list[dict[str, Any]] | None,
    file_path: str | None,
    fields: Mapping[str, str] | None,
) -> _Source:
    """Check the records or file before anything is sent (bad input: a tool error, Prolific never called)."""
    if (records is None) == (file_path is None):
        raise ToolError("Pass either records (inline, at most 1,000) or file_path (a local .csv or .jsonl), not both.")
    try:
        if file_path is not None:
            if app_context(ctx).settings.transport == "http":
                raise ToolError(
                    "file_path reads this server's own disk, so it works only when the server runs on your machine "
                    "over stdio. Over HTTP, pass the records inline (at most 1,000) and add more with add_datapoints. "
                    "Nothing was sent to Prolific."
                )
            file = await datafiles.inspect(file_path)
            schema = datafiles.schema_for(file.keys, fields)
            identity = {"file": str(file.path.resolve()), "size": file.size, "modified_ns": file.modified_ns}
            return _Source(file, file.upload_name, file.records, schema, _key_notes(file.keys, schema), identity)
        assert records is not None
        keys = datafiles.keys_of(records)
        schema = datafiles.schema_for(keys, fields)
        content = datafiles.jsonl(records)
        identity = {"records_sha256": hashlib.sha256(content).hexdigest()}
        return _Source(content, "records.jsonl", len(records), schema, _key_notes(keys, schema), identity)
    except datafiles.RecordsError as exc:
        raise ToolError(f"{exc} Nothing was sent to Prolific.") from None


def _key_notes(keys: list[str], schema: datafiles.Schema) -> list[str]:
    notes = []
    if schema.inferred:
        metadata = [name for name, kind in schema.fields.items() if kind == "metadata"]
        notes.append(
            "Schema inferred from the records' keys: "
            + (f"{', '.join(metadata)} as metadata (not shown to participants), " if metadata else "")
            + "every other key as text shown to participants. Records missing a field are rejected (strict)."
        )
    ignored = datafiles.unknown_keys(keys, schema)
    if ignored:
        notes.append(f"Keys not in the schema are ignored by Prolific: {', '.join(ignored[:10])}.")
    return notes


def _dataset_arguments(name: str, workspace: str, source: _Source) -> dict[str, Any]:
    return {"name": name, "workspace_id": workspace, "fields": source.schema.fields, **source.identity}


async def _ask_create_dataset(
    name: str,
    workspace_id: str | None,
    records: list[dict[str, Any]] | None,
    file_path: str | None,
    fields: Mapping[str, str] | None,
    confirmation: str | None,
    ctx: Ctx,
) -> Elicit[Approval] | Approval:
    workspace = resolve_workspace(ctx, workspace_id)
    source = await _source(ctx, records, file_path, fields)

    async def describe() -> str:
        return build_summaries.describe_dataset(
            name, workspace, source.records, source.describe(), source.schema.describe()
        )

    return await consent.ask(ctx, "create_dataset", _dataset_arguments(name, workspace, source), confirmation, describe)


async def create_dataset(
    name: Annotated[str, Field(min_length=1, max_length=200, description="The dataset's name")],
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_create_dataset)],
    workspace_id: WorkspaceId | None = None,
    records: Records = None,
    file_path: FilePath = None,
    fields: Fields = None,
    timeout_seconds: Timeout = 45,
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Create a dataset (V4, typed schema) and upload its records: inline (at most 1,000) or from a local .csv or
    .jsonl file (stdio only, at most 200 MB, streamed). The schema comes from `fields` or is inferred from the keys.
    Waits for the import and reports accepted and rejected records with reasons. Asks the user first; an identical
    call within 10 minutes returns the dataset the first one made."""
    check_wait(ctx, timeout_seconds)
    workspace = resolve_workspace(ctx, workspace_id)
    source = await _source(ctx, records, file_path, fields)
    arguments = _dataset_arguments(name, workspace, source)
    change = build_summaries.describe_dataset(
        name, workspace, source.records, source.describe(), source.schema.describe()
    )
    decided = consent.decision(ctx, consent_outcome)
    if decided != "approved":
        result = _not_done(ctx, decided, "create_dataset", arguments, change)
        return structured_result(result, render_write_text(result))
    app = app_context(ctx)
    key = consent.binding(ctx, "create_dataset", arguments)
    earlier = app.creates.find(key) if app.creates is not None else None
    async with tool_boundary(ctx, "dataset"):
        if earlier is not None:
            result = await reads.dataset_created_before(client_of(ctx), earlier, change)
        else:
            body = {"name": name, "workspace_id": workspace, "schema": source.schema.body()}
            result = await reads.create_dataset(
                client_of(ctx),
                body,
                source.content,
                source.filename,
                change,
                source.notes,
                timeout_seconds=timeout_seconds,
                progress=progress_of(ctx),
                clock=app.clock,
            )
            if result.dataset is not None and app.creates is not None:
                app.creates.remember(key, result.dataset.id)
    if result.dataset is not None:
        remember(ctx, "dataset", result.dataset.id)
    return structured_result(result, render_write_text(result))


AppendRecords = Annotated[
    list[dict[str, Scalar]],
    Field(min_length=1, max_length=datafiles.MAX_INLINE_RECORDS, description="At most 1,000 records to append"),
]


async def _ask_append(
    dataset_id: str, records: list[dict[str, Any]], confirmation: str | None, ctx: Ctx
) -> Elicit[Approval] | Approval:
    content = _append_body(records)

    async def describe() -> str:
        async with tool_boundary(ctx, "dataset", dataset_id):
            return await reads.describe_append(client_of(ctx), dataset_id, len(records))

    arguments = {"dataset_id": dataset_id, "records_sha256": hashlib.sha256(content).hexdigest()}
    return await consent.ask(ctx, "add_datapoints", arguments, confirmation, describe)


def _append_body(records: list[dict[str, Any]]) -> bytes:
    try:
        return datafiles.jsonl(records)
    except datafiles.RecordsError as exc:
        raise ToolError(f"{exc} Nothing was sent to Prolific.") from None


async def add_datapoints(
    dataset_id: DatasetId,
    records: AppendRecords,
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_append)],
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Append records (at most 1,000) to a V4 dataset, checked against its schema one by one: reports accepted,
    duplicate and rejected records with reasons. A repeat of an identical record is accepted but not stored twice.
    Asks the user first."""
    content = _append_body(records)
    decided = consent.decision(ctx, consent_outcome)
    async with tool_boundary(ctx, "dataset", dataset_id):
        change = await reads.describe_append(client_of(ctx), dataset_id, len(records))
        if decided == "approved":
            result = await reads.add_datapoints(client_of(ctx), dataset_id, content, change)
    remember(ctx, "dataset", dataset_id)
    if decided != "approved":
        arguments = {"dataset_id": dataset_id, "records_sha256": hashlib.sha256(content).hexdigest()}
        result = _not_done(ctx, decided, "add_datapoints", arguments, change)
    return structured_result(result, render_write_text(result))


async def _ask_sync(batch_id: str, confirmation: str | None, ctx: Ctx) -> Elicit[Approval] | Approval:
    async def describe() -> str:
        async with tool_boundary(ctx, "batch", batch_id):
            return await reads.describe_sync(client_of(ctx), batch_id)

    return await consent.ask(ctx, "sync_batch", {"batch_id": batch_id}, confirmation, describe)


async def sync_batch(
    batch_id: BatchId,
    ctx: Ctx,
    consent_outcome: Annotated[ElicitationResult[Approval], Resolve(_ask_sync)],
    wait: Annotated[bool, Field(strict=True, description="Wait for the sync to finish (with progress)")] = True,
    timeout_seconds: Timeout = 45,
    confirmation: Confirmation = None,
) -> Annotated[CallToolResult, WriteOutcome]:
    """Add tasks to a READY batch for datapoints appended to its dataset since setup (add_datapoints), then wait
    for the sync with progress. Publishes nothing. Asks the user first."""
    check_wait(ctx, timeout_seconds)
    decided = consent.decision(ctx, consent_outcome)
    app = app_context(ctx)
    async with tool_boundary(ctx, "batch", batch_id):
        change = await reads.describe_sync(client_of(ctx), batch_id)
        if decided == "approved":
            result = await reads.sync_batch(
                client_of(ctx),
                batch_id,
                change,
                wait=wait,
                timeout_seconds=timeout_seconds,
                progress=progress_of(ctx),
                clock=app.clock,
            )
    remember(ctx, "batch", batch_id)
    if decided != "approved":
        result = _not_done(ctx, decided, "sync_batch", {"batch_id": batch_id}, change)
    return structured_result(result, render_write_text(result))


TOOLS = (
    ToolSpec(create_dataset, "Create a dataset", CREATES),
    ToolSpec(add_datapoints, "Add datapoints", ADDS),
    ToolSpec(create_batch, "Create a batch", CREATES),
    ToolSpec(update_batch, "Update a batch", CHANGES),
    ToolSpec(duplicate_batch, "Duplicate a batch", CREATES),
    ToolSpec(setup_batch, "Set up a batch", STARTS_SETUP),
    ToolSpec(sync_batch, "Sync a batch", STARTS_SETUP),
)
