"""Batch tools: look up, list, wait for, read the questions and responses of, report on and export batches.

Each tool validates its arguments (the signature), calls one read inside the boundary, remembers the ids it
showed (for completions) and renders the result.
"""

from typing import Annotated

from mcp_types import CallToolResult
from pydantic import Field

from ..boundary import progress_of, tool_boundary
from ..context import Ctx, app_context, client_of, remember
from ..ids import WORKSPACE_ARG, BatchId, ExportId, WorkspaceId
from ..reads import batches as reads
from ..reads.batches import WaitTarget
from ..summaries.batches import (
    BatchList,
    BatchStatusSummary,
    BatchSummary,
    WaitResult,
    render_batch_list_text,
    render_batch_text,
    render_status_text,
    render_wait_text,
)
from ..summaries.exports import ExportStatus, ReportLink, render_export_text, render_report_text
from ..summaries.instructions import BatchInstructions, render_instructions_text
from ..summaries.responses import ResponsesPage, ResponsesSummary, render_page_text, render_summary_text
from ._common import (
    READ_ONLY,
    STARTS_WORK,
    Cursor,
    Timeout,
    ToolSpec,
    check_wait,
    cursor_offset,
    resolve_workspace,
    structured_result,
)


async def get_batch(batch_id: BatchId, ctx: Ctx) -> Annotated[CallToolResult, BatchSummary]:
    """Get one batch: status and its meaning, next steps, task and question counts, datasets, and the
    task introduction and steps as plain text. Use for "what is batch X?"; for status alone use
    get_batch_status."""
    async with tool_boundary(ctx, "batch", batch_id):
        summary = await reads.get_batch(client_of(ctx), batch_id)
    remember(ctx, "batch", batch_id)
    remember(ctx, "dataset", *(d.id for d in summary.datasets))
    return structured_result(summary, render_batch_text(summary))


async def get_batch_status(batch_id: BatchId, ctx: Ctx) -> Annotated[CallToolResult, BatchStatusSummary]:
    """Check a batch's status (UNINITIALISED, PROCESSING, READY, ERROR), what it means and what to do next.
    Cheapest way to answer "is my batch ready?". To wait for a change, use wait_for_batch."""
    async with tool_boundary(ctx, "batch", batch_id):
        summary = await reads.get_batch_status(client_of(ctx), batch_id)
    remember(ctx, "batch", batch_id)
    return structured_result(summary, render_status_text(summary))


async def list_batches(
    ctx: Ctx,
    workspace_id: Annotated[WorkspaceId | None, Field(description=WORKSPACE_ARG)] = None,
    status: Annotated[
        str | None,
        Field(pattern=r"^[A-Za-z_]{1,40}$", description="Only this status: UNINITIALISED, PROCESSING, READY or ERROR"),
    ] = None,
    name_contains: Annotated[
        str | None, Field(min_length=1, max_length=100, description="Only names containing this (any case)")
    ] = None,
    limit: Annotated[int, Field(strict=True, ge=1, le=50, description="Rows to return, 1-50")] = 20,
    cursor: Cursor = None,
) -> Annotated[CallToolResult, BatchList]:
    """List a workspace's batches, newest first: id, name, status, task count, creation date, plus counts
    per status. Use to find a batch or see which are READY; then get_batch for one."""
    offset = cursor_offset(cursor)
    chosen = resolve_workspace(ctx, workspace_id)
    async with tool_boundary(ctx, "workspace", chosen):
        summary = await reads.list_batches(
            client_of(ctx), chosen, status=status, name_contains=name_contains, offset=offset, limit=limit
        )
    if summary.rows:  # ids seen in results only: a typed id that lists nothing is not offered back
        remember(ctx, "workspace", chosen)
    remember(ctx, "batch", *(row.id for row in reversed(summary.rows)))
    return structured_result(summary, render_batch_list_text(summary))


async def wait_for_batch(
    batch_id: BatchId,
    ctx: Ctx,
    until: Annotated[WaitTarget, Field(description="Status to wait for; ERROR always ends the wait")] = "READY",
    timeout_seconds: Timeout = 45,
) -> Annotated[CallToolResult, WaitResult]:
    """Wait until a batch reaches a status (default READY) or ERROR, polling with backoff and reporting
    progress. At the timeout it returns the current status with timed_out true: call again to keep waiting."""
    check_wait(ctx, timeout_seconds)
    remember(ctx, "batch", batch_id)
    app = app_context(ctx)
    async with tool_boundary(ctx, "batch", batch_id):
        result = await reads.wait_for_batch(
            client_of(ctx), batch_id, until, timeout_seconds, progress=progress_of(ctx), clock=app.clock
        )
    return structured_result(result, render_wait_text(result))


async def get_batch_instructions(batch_id: BatchId, ctx: Ctx) -> Annotated[CallToolResult, BatchInstructions]:
    """List a batch's questions with type, text, options, units and file rules, read from its page layout
    (or the legacy instructions of older batches). Use before reading responses, or to explain the task."""
    async with tool_boundary(ctx, "batch", batch_id):
        summary = await reads.get_batch_instructions(client_of(ctx), batch_id)
    remember(ctx, "batch", batch_id)
    return structured_result(summary, render_instructions_text(summary))


async def get_batch_responses(
    batch_id: BatchId,
    ctx: Ctx,
    limit: Annotated[int, Field(strict=True, ge=1, le=100, description="Responses to return, 1-100")] = 20,
    cursor: Annotated[
        str | None, Field(max_length=64, description="next_cursor of the previous result, for more")
    ] = None,
) -> Annotated[CallToolResult, ResponsesPage]:
    """Read one page of a batch's raw responses (participant, task, question, answer by type). For totals
    and answer distributions over all responses use summarize_batch_responses instead."""
    offset = cursor_offset(cursor)
    async with tool_boundary(ctx, "batch", batch_id):
        summary = await reads.get_batch_responses(client_of(ctx), batch_id, offset=offset, limit=limit)
    remember(ctx, "batch", batch_id)
    return structured_result(summary, render_page_text(summary))


async def summarize_batch_responses(batch_id: BatchId, ctx: Ctx) -> Annotated[CallToolResult, ResponsesSummary]:
    """Aggregate every response of a batch: totals, participants, tasks, time range, and per question the
    answer distribution (choice shares, number ranges, text samples, file counts). Size stays small for any
    batch; reports progress while reading pages."""
    async with tool_boundary(ctx, "batch", batch_id):
        summary = await reads.summarize_batch_responses(client_of(ctx), batch_id, progress=progress_of(ctx))
    remember(ctx, "batch", batch_id)
    return structured_result(summary, render_summary_text(summary))


async def get_batch_report(batch_id: BatchId, ctx: Ctx) -> Annotated[CallToolResult, ReportLink]:
    """Get the download link of a batch's CSV report (the dataset plus a column per answer) and when it
    expires. For everything including uploaded files, use export_batch."""
    async with tool_boundary(ctx, "batch report of", batch_id):
        link = await reads.get_batch_report(client_of(ctx), batch_id)
    remember(ctx, "batch", batch_id)
    return structured_result(link, render_report_text(link))


async def export_batch(
    batch_id: BatchId,
    ctx: Ctx,
    wait: Annotated[
        bool, Field(strict=True, description="Wait for the archive (true) or return the export_id at once")
    ] = True,
    timeout_seconds: Timeout = 45,
) -> Annotated[CallToolResult, ExportStatus]:
    """Export every response and uploaded file of a batch as a ZIP: requests the export, waits (with
    progress) until it is complete or failed, and returns the download link and its expiry. Repeating it
    returns the same export. Changes no data."""
    check_wait(ctx, timeout_seconds)
    app = app_context(ctx)
    async with tool_boundary(ctx, "export of batch", batch_id):
        export = await reads.export_batch(
            client_of(ctx),
            batch_id,
            wait=wait,
            timeout_seconds=timeout_seconds,
            progress=progress_of(ctx),
            clock=app.clock,
        )
    remember(ctx, "batch", batch_id)
    return structured_result(export, render_export_text(export))


async def get_batch_export(batch_id: BatchId, export_id: ExportId, ctx: Ctx) -> Annotated[CallToolResult, ExportStatus]:
    """Check an export started by export_batch: generating, complete (download link and expiry) or
    failed. Calling it after the link expired gives a fresh link."""
    async with tool_boundary(ctx, "export", export_id):
        export = await reads.get_batch_export(client_of(ctx), batch_id, export_id)
    remember(ctx, "batch", batch_id)
    return structured_result(export, render_export_text(export))


TOOLS = (
    ToolSpec(get_batch, "Get a batch", READ_ONLY),
    ToolSpec(get_batch_status, "Check a batch's status", READ_ONLY),
    ToolSpec(list_batches, "List a workspace's batches", READ_ONLY),
    ToolSpec(wait_for_batch, "Wait for a batch status", READ_ONLY),
    ToolSpec(get_batch_instructions, "Get a batch's questions", READ_ONLY),
    ToolSpec(get_batch_responses, "Read a page of responses", READ_ONLY),
    ToolSpec(summarize_batch_responses, "Summarise all responses", READ_ONLY),
    ToolSpec(get_batch_report, "Get a batch's CSV report link", READ_ONLY),
    ToolSpec(export_batch, "Export a batch as a ZIP", STARTS_WORK),
    ToolSpec(get_batch_export, "Check a batch export", READ_ONLY),
)
"""This toolset's tools, in tools/list order."""
