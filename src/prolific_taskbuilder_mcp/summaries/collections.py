"""Collections (pages of questions with no dataset). Pure functions, no I/O."""

from pydantic import Field

from ..client.models import Collection
from .base import Summary
from .batches import TaskDetailsSummary, summarize_task_details
from .instructions import CONTENT_TYPES, MAX_QUESTIONS, Question, collection_items, question, render_question
from .text import clip, plural, sanitize


class CollectionRow(Summary):
    id: str
    name: str | None
    created_at: str | None
    pages: int | None


class CollectionList(Summary):
    """Collections of a workspace, newest first."""

    workspace_id: str
    total: int | None
    rows: list[CollectionRow]
    next_cursor: str | None = Field(description="Pass as cursor to get the next rows; null at the end")


def collection_row(c: Collection) -> CollectionRow:
    pages = c.item_count if c.item_count is not None else (len(c.collection_items) if c.collection_items else None)
    return CollectionRow(id=sanitize(c.id, 64), name=clip(c.name, 120), created_at=clip(c.created_at, 40), pages=pages)


def render_collection_list_text(summary: CollectionList) -> str:
    total = "?" if summary.total is None else str(summary.total)
    lines = [f"Workspace {summary.workspace_id}: {total} collections."]
    for row in summary.rows:
        pages = "?" if row.pages is None else str(row.pages)
        lines.append(f'- {row.id} pages {pages} {(row.created_at or "?")[:10]} "{row.name or ""}"')
    if summary.next_cursor:
        lines.append(f"More: call again with cursor={summary.next_cursor}")
    return "\n".join(lines)


class CollectionDetails(Summary):
    """One collection: its task details and the questions on each page."""

    id: str
    name: str | None
    workspace_id: str | None
    created_at: str | None
    task_details: TaskDetailsSummary | None
    pages: int
    questions: list[Question]
    questions_omitted: int
    content_blocks: int


def summarize_collection(c: Collection) -> CollectionDetails:
    questions: list[Question] = []
    blocks = 0
    total = 0
    for page, item in collection_items(c):
        if item.type in CONTENT_TYPES:
            blocks += 1
            continue
        total += 1
        if len(questions) < MAX_QUESTIONS:
            questions.append(question(item, page))
    return CollectionDetails(
        id=sanitize(c.id, 64),
        name=clip(c.name, 200),
        workspace_id=clip(c.workspace_id, 40),
        created_at=clip(c.created_at, 40),
        task_details=summarize_task_details(c.task_details),
        pages=len(c.collection_items or []),
        questions=questions,
        questions_omitted=total - len(questions),
        content_blocks=blocks,
    )


def render_collection_text(d: CollectionDetails) -> str:
    lines = [
        f'Collection "{d.name or "(unnamed)"}" {d.id}: {plural(d.pages, "page")}, '
        f"{plural(len(d.questions) + d.questions_omitted, 'question')}, "
        f"{plural(d.content_blocks, 'content block')}. Created {d.created_at or '?'} in workspace "
        f"{d.workspace_id or '?'}."
    ]
    if d.task_details is not None:
        lines.append(
            f'Task "{d.task_details.task_name or "(unnamed)"}": {d.task_details.introduction or ""}'.rstrip(": ")
        )
    lines += [render_question(q) for q in d.questions]
    if d.questions_omitted:
        lines.append(f"({d.questions_omitted} more questions not shown)")
    return "\n".join(lines)
