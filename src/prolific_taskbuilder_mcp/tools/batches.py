"""Batch tools: look up, list, wait for, read the questions and responses of, report on and export batches."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from ..client import ClientRequestError, NotFoundError, ProlificClient
from ..client.errors import NetworkError, RateLimitedError, RequestTimeoutError, UpstreamError
from ..client.models import Batch, ExportJob
from ..context import app_context
from ..ids import WORKSPACE_ARG, BatchId, ExportId, WorkspaceId
from ..summaries import instructions as instr
from ..summaries.batches import (
    BatchList,
    BatchStatusSummary,
    BatchSummary,
    WaitResult,
    render_batch_list_text,
    render_batch_text,
    render_status_text,
    render_wait_text,
    summarize_batch,
    summarize_batch_list,
    summarize_status,
    summarize_wait,
)
from ..summaries.exports import (
    ExportStatus,
    ReportLink,
    render_export_text,
    render_report_text,
    summarize_export,
    summarize_report,
)
from ..summaries.instructions import BatchInstructions, render_instructions_text
from ..summaries.responses import (
    ResponseAggregator,
    ResponsesPage,
    ResponsesSummary,
    render_page_text,
    render_summary_text,
    summarize_page,
)
from ..summaries.text import encode_cursor
from ._common import (
    READ_ONLY,
    STARTS_WORK,
    ErrorKind,
    ToolSpec,
    calling_prolific,
    cursor_offset,
    remember,
    structured_result,
)

MAX_LIST_ITEMS = 2000
"""Batches read from one workspace for list_batches (sorting and counting need them all)."""
RESPONSE_PAGE_SIZE = 1000
MAX_SUMMARISED_RESPONSES = 2_000_000
_TRANSIENT = (UpstreamError, NetworkError, RequestTimeoutError, RateLimitedError)

Timeout = Annotated[
    float,
    Field(ge=1, le=3600, description="Seconds to wait at most (default 45: many clients give up on a call at 60)"),
]


# -- orchestration shared with resources and prompts (client -> summaries) ----------------------------


async def batch_questions(client: ProlificClient, batch: Batch) -> BatchInstructions:
    """The questions of a batch: from its layout, else from the legacy endpoint (retired 1 Sep 2026)."""
    if batch.batch_items:
        return instr.from_layout(batch.id, batch.batch_items)
    try:
        legacy = await client.get_legacy_instructions(batch.id)
    except (NotFoundError, ClientRequestError) as exc:
        return instr.unavailable(
            batch.id,
            f"The batch has no page layout, and the legacy instructions endpoint answered {exc.status}: it was "
            "deprecated with a sunset of 1 Sep 2026. Open the batch in the Prolific app to see its questions.",
        )
    return instr.from_legacy(batch.id, legacy)


async def read_instructions(ctx: Context[Any, Any], batch_id: str, error: ErrorKind = ToolError) -> BatchInstructions:
    client = app_context(ctx).client
    async with calling_prolific(ctx, "batch", batch_id, error=error):
        batch = await client.get_batch(batch_id)
        return await batch_questions(client, batch)


async def aggregate_responses(
    ctx: Context[Any, Any],
    kind: Literal["batches", "collections"],
    owner_id: str,
    questions: list[instr.Question],
) -> ResponsesSummary:
    """Read every page of responses (one page in memory at a time) and aggregate them."""
    client = app_context(ctx).client
    aggregator = ResponseAggregator()

    async def fetch(offset: int, limit: int) -> Any:
        return await client.get_responses(kind, owner_id, offset=offset, limit=limit)

    async for page in client.iter_pages(fetch, page_size=RESPONSE_PAGE_SIZE, max_items=MAX_SUMMARISED_RESPONSES):
        aggregator.add_page(page.items, page.skipped, page.total)
        await ctx.report_progress(aggregator.responses, page.total, f"Read {aggregator.responses} responses")
    owner: Literal["batch", "collection"] = "batch" if kind == "batches" else "collection"
    return aggregator.result(owner, owner_id, questions)


async def summarize_responses_of_batch(
    ctx: Context[Any, Any], batch_id: str, error: ErrorKind = ToolError
) -> ResponsesSummary:
    questions = await read_instructions(ctx, batch_id, error)
    async with calling_prolific(ctx, "batch responses of", batch_id, error=error):
        return await aggregate_responses(ctx, "batches", batch_id, questions.questions)


async def list_workspace_batches(
    ctx: Context[Any, Any],
    workspace_id: str,
    *,
    status: str | None = None,
    name_contains: str | None = None,
    offset: int = 0,
    limit: int = 20,
    error: ErrorKind = ToolError,
) -> BatchList:
    client = app_context(ctx).client
    batches: list[Batch] = []
    incomplete = False

    async def fetch(off: int, lim: int) -> Any:
        return await client.list_batches(workspace_id, offset=off, limit=lim)

    async with calling_prolific(ctx, "workspace", workspace_id, error=error):
        async for page in client.iter_pages(fetch, page_size=200, max_items=MAX_LIST_ITEMS):
            batches.extend(page.items)
            if page.total is not None and page.total > MAX_LIST_ITEMS:
                incomplete = True
    summary, next_offset = summarize_batch_list(
        workspace_id,
        batches[:MAX_LIST_ITEMS],
        status=status,
        name_contains=name_contains,
        offset=offset,
        limit=limit,
        incomplete=incomplete or len(batches) > MAX_LIST_ITEMS,
    )
    if next_offset is not None:
        summary.next_cursor = encode_cursor(next_offset)
    remember(ctx, "batch", *(row.id for row in reversed(summary.rows)))
    return summary


def check_wait(ctx: Context[Any, Any], timeout_seconds: float) -> None:
    """Refuse a wait longer than PROLIFIC_MCP_MAX_WAIT before anything is sent."""
    limit = app_context(ctx).settings.max_wait
    if timeout_seconds > limit:
        raise ToolError(
            f"timeout_seconds must be at most {limit:g} (PROLIFIC_MCP_MAX_WAIT); got "
            f"{timeout_seconds:g}. Nothing was sent to Prolific."
        )


def resolve_workspace(ctx: Context[Any, Any], workspace_id: str | None) -> str:
    chosen = workspace_id or app_context(ctx).settings.workspace_id
    if chosen is None:
        raise ToolError(
            "No workspace_id given and no default workspace is configured. Call list_workspaces to find the "
            "workspace id, pass it as workspace_id, or set PROLIFIC_WORKSPACE_ID. Nothing was sent to Prolific."
        )
    remember(ctx, "workspace", chosen)
    return chosen


# -- tools ------------------------------------------------------------------------------------------


async def get_batch(batch_id: BatchId, ctx: Context[Any, Any]) -> Annotated[CallToolResult, BatchSummary]:
    """Get one batch: status and its meaning, next steps, task and question counts, datasets, and the
    task introduction and steps as plain text. Use for "what is batch X?"; for status alone use
    get_batch_status."""
    client = app_context(ctx).client
    async with calling_prolific(ctx, "batch", batch_id):
        batch = await client.get_batch(batch_id)
    summary = summarize_batch(batch)
    remember(ctx, "batch", batch_id)
    remember(ctx, "dataset", *(d.id for d in summary.datasets))
    return structured_result(summary, render_batch_text(summary))


async def get_batch_status(batch_id: BatchId, ctx: Context[Any, Any]) -> Annotated[CallToolResult, BatchStatusSummary]:
    """Check a batch's status (UNINITIALISED, PROCESSING, READY, ERROR), what it means and what to do next.
    Cheapest way to answer "is my batch ready?". To wait for a change, use wait_for_batch."""
    client = app_context(ctx).client
    async with calling_prolific(ctx, "batch", batch_id):
        status = await client.get_batch_status(batch_id)
    summary = summarize_status(batch_id, status.status)
    remember(ctx, "batch", batch_id)
    return structured_result(summary, render_status_text(summary))


async def list_batches(
    ctx: Context[Any, Any],
    workspace_id: Annotated[WorkspaceId | None, Field(description=WORKSPACE_ARG)] = None,
    status: Annotated[
        str | None,
        Field(pattern=r"^[A-Za-z_]{1,40}$", description="Only this status: UNINITIALISED, PROCESSING, READY or ERROR"),
    ] = None,
    name_contains: Annotated[
        str | None, Field(min_length=1, max_length=100, description="Only names containing this (any case)")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=50, description="Rows to return, 1-50")] = 20,
    cursor: Annotated[
        str | None, Field(max_length=64, description="next_cursor of the previous result, for more rows")
    ] = None,
) -> Annotated[CallToolResult, BatchList]:
    """List a workspace's batches, newest first: id, name, status, task count, creation date, plus counts
    per status. Use to find a batch or see which are READY; then get_batch for one."""
    offset = cursor_offset(cursor)
    chosen = resolve_workspace(ctx, workspace_id)
    summary = await list_workspace_batches(
        ctx, chosen, status=status, name_contains=name_contains, offset=offset, limit=limit
    )
    return structured_result(summary, render_batch_list_text(summary))


async def wait_for_batch(
    batch_id: BatchId,
    ctx: Context[Any, Any],
    until: Annotated[
        Literal["READY", "PROCESSING", "ERROR"], Field(description="Status to wait for; ERROR always ends the wait")
    ] = "READY",
    timeout_seconds: Timeout = 45,
) -> Annotated[CallToolResult, WaitResult]:
    """Wait until a batch reaches a status (default READY) or ERROR, polling with backoff and reporting
    progress. At the timeout it returns the current status with timed_out true: call again to keep waiting."""
    check_wait(ctx, timeout_seconds)
    client = app_context(ctx).client
    remember(ctx, "batch", batch_id)
    started = time.monotonic()
    delay, polls, failures = 1.0, 0, 0
    status: str | None = None
    while True:
        try:
            async with calling_prolific(ctx, "batch", batch_id):
                try:
                    status = (await client.get_batch_status(batch_id)).status
                    failures = 0
                except _TRANSIENT:
                    # Each poll already retried; one failed poll is tolerated, two in a row end the wait.
                    failures += 1
                    if failures >= 2:
                        raise
        finally:
            polls += 1
        waited = time.monotonic() - started
        finished = status == until or status == "ERROR" or (until == "PROCESSING" and status == "READY")
        if (finished and failures == 0) or waited >= timeout_seconds:
            result = summarize_wait(batch_id, until, status, waited=waited, polls=polls, timed_out=not finished)
            return structured_result(result, render_wait_text(result))
        await ctx.report_progress(
            min(waited, timeout_seconds), timeout_seconds, f"Batch is {status or 'unknown'} after {waited:.0f} s"
        )
        await anyio.sleep(min(delay, max(0.0, timeout_seconds - waited)))
        delay = min(delay * 1.5, 10.0)


async def get_batch_instructions(
    batch_id: BatchId, ctx: Context[Any, Any]
) -> Annotated[CallToolResult, BatchInstructions]:
    """List a batch's questions with type, text, options, units and file rules, read from its page layout
    (or the legacy instructions of older batches). Use before reading responses, or to explain the task."""
    summary = await read_instructions(ctx, batch_id)
    remember(ctx, "batch", batch_id)
    return structured_result(summary, render_instructions_text(summary))


async def get_batch_responses(
    batch_id: BatchId,
    ctx: Context[Any, Any],
    limit: Annotated[int, Field(ge=1, le=100, description="Responses to return, 1-100")] = 20,
    cursor: Annotated[
        str | None, Field(max_length=64, description="next_cursor of the previous result, for more")
    ] = None,
) -> Annotated[CallToolResult, ResponsesPage]:
    """Read one page of a batch's raw responses (participant, task, question, answer by type). For totals
    and answer distributions over all responses use summarize_batch_responses instead."""
    offset = cursor_offset(cursor)
    questions = await read_instructions(ctx, batch_id)
    client = app_context(ctx).client
    async with calling_prolific(ctx, "batch responses of", batch_id):
        page = await client.get_responses("batches", batch_id, offset=offset, limit=limit)
    summary = summarize_page(batch_id, page.items[:limit], page.total, offset, questions.questions)
    end = offset + len(summary.rows)
    more = end < page.total if page.total is not None else page.raw_count >= limit
    if more or len(summary.rows) < min(len(page.items), limit):
        summary.next_cursor = encode_cursor(end)
    remember(ctx, "batch", batch_id)
    return structured_result(summary, render_page_text(summary))


async def summarize_batch_responses(
    batch_id: BatchId, ctx: Context[Any, Any]
) -> Annotated[CallToolResult, ResponsesSummary]:
    """Aggregate every response of a batch: totals, participants, tasks, time range, and per question the
    answer distribution (choice shares, number ranges, text samples, file counts). Size stays small for any
    batch; reports progress while reading pages."""
    summary = await summarize_responses_of_batch(ctx, batch_id)
    remember(ctx, "batch", batch_id)
    return structured_result(summary, render_summary_text(summary))


async def get_batch_report(batch_id: BatchId, ctx: Context[Any, Any]) -> Annotated[CallToolResult, ReportLink]:
    """Get the download link of a batch's CSV report (the dataset plus a column per answer) and when it
    expires. For everything including uploaded files, use export_batch."""
    client = app_context(ctx).client
    async with calling_prolific(ctx, "batch report of", batch_id):
        report = await client.get_batch_report(batch_id)
    link = summarize_report(batch_id, report)
    remember(ctx, "batch", batch_id)
    return structured_result(link, render_report_text(link))


async def wait_for_export(
    ctx: Context[Any, Any],
    kind: Literal["batches", "collections"],
    owner_id: str,
    job: ExportJob,
    timeout_seconds: float,
    started: float,
) -> tuple[ExportJob, bool]:
    """Poll an export until it is complete or failed, or the timeout passes (then True)."""
    client = app_context(ctx).client
    export_id = job.export_id
    delay = 1.0
    while job.status == "generating" and export_id:
        waited = time.monotonic() - started
        if waited >= timeout_seconds:
            return job, True
        await ctx.report_progress(min(waited, timeout_seconds), timeout_seconds, "Export is generating")
        await anyio.sleep(min(delay, max(0.0, timeout_seconds - waited)))
        delay = min(delay * 1.5, 5.0)
        job = await client.get_export(kind, owner_id, export_id)
    return job, False


async def run_export(
    ctx: Context[Any, Any], kind: Literal["batches", "collections"], owner_id: str, wait: bool, timeout_seconds: float
) -> ExportStatus:
    check_wait(ctx, timeout_seconds)
    client = app_context(ctx).client
    started = time.monotonic()
    what: Literal["batch", "collection"] = "batch" if kind == "batches" else "collection"
    async with calling_prolific(ctx, f"export of {what}", owner_id):
        job = await client.request_export(kind, owner_id)
        export_id = job.export_id
        timed_out = False
        if wait:
            job, timed_out = await wait_for_export(ctx, kind, owner_id, job, timeout_seconds, started)
    remember(ctx, what, owner_id)
    return summarize_export(
        what, owner_id, job, export_id, waited=time.monotonic() - started if wait else 0.0, timed_out=timed_out
    )


async def export_batch(
    batch_id: BatchId,
    ctx: Context[Any, Any],
    wait: Annotated[bool, Field(description="Wait for the archive (true) or return the export_id at once")] = True,
    timeout_seconds: Timeout = 45,
) -> Annotated[CallToolResult, ExportStatus]:
    """Export every response and uploaded file of a batch as a ZIP: requests the export, waits (with
    progress) until it is complete or failed, and returns the download link and its expiry. Repeating it
    returns the same export. Changes no data."""
    export = await run_export(ctx, "batches", batch_id, wait, timeout_seconds)
    return structured_result(export, render_export_text(export))


async def get_batch_export(
    batch_id: BatchId, export_id: ExportId, ctx: Context[Any, Any]
) -> Annotated[CallToolResult, ExportStatus]:
    """Check an export started by export_batch: generating, complete (download link and expiry) or
    failed. Calling it after the link expired gives a fresh link."""
    client = app_context(ctx).client
    async with calling_prolific(ctx, "export", export_id):
        job = await client.get_export("batches", batch_id, export_id)
    export = summarize_export("batch", batch_id, job, export_id, waited=0.0, timed_out=False)
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
