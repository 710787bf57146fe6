"""Instructions (the questions participants answer), from a batch layout, the legacy endpoint or a
collection's pages. Pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field

from ..client.models import Collection, Instruction
from .base import Summary
from .text import clip, html_to_text, sanitize

CONTENT_TYPES = frozenset({"rich_text", "image"})
MAX_QUESTIONS = 40
MAX_OPTIONS = 25


class Option(Summary):
    value: str
    label: str


class Question(Summary):
    """One instruction, flattened for reading."""

    id: str | None
    type: str | None
    text: str | None = Field(description="The question as participants see it")
    page: int | None = Field(description="1-based page of the layout or collection; null for legacy instructions")
    helper_text: str | None = None
    answer_limit: int | None = Field(default=None, description="1 single choice, -1 unlimited, n up to n")
    options: list[Option] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    file_rules: str | None = None


class BatchInstructions(Summary):
    """The questions of one batch, and where they were read from."""

    batch_id: str
    source: Literal["batch_items", "legacy_instructions", "unavailable"]
    questions: list[Question]
    questions_omitted: int
    dataset_fields: list[str] = Field(description="Dataset fields the layout shows participants")
    content_blocks: int
    note: str | None


def _option(raw: dict[str, Any]) -> Option:
    value = sanitize(str(raw.get("value", "")), 100)
    return Option(value=value, label=sanitize(str(raw.get("label") or value), 120))


def _file_rules(item: Instruction) -> str | None:
    parts = []
    if item.accepted_file_types:
        parts.append(" ".join(sanitize(t, 12) for t in item.accepted_file_types[:10]))
    if item.min_file_count is not None or item.max_file_count is not None:
        parts.append(f"{item.min_file_count or 0}-{item.max_file_count or '?'} files")
    if item.max_file_size_mb is not None:
        parts.append(f"up to {item.max_file_size_mb:g} MB each")
    return ", ".join(parts) or None


def question(item: Instruction, page: int | None) -> Question:
    return Question(
        id=clip(item.id, 64),
        type=clip(item.type, 40),
        text=html_to_text(item.description, 500),
        page=page,
        helper_text=clip(item.helper_text, 300),
        answer_limit=item.answer_limit,
        options=[_option(o) for o in (item.options or [])[:MAX_OPTIONS] if isinstance(o, dict)],
        units=[sanitize(str(u.get("value", "")), 40) for u in (item.unit_options or [])[:10] if isinstance(u, dict)],
        file_rules=_file_rules(item) if item.type == "file_upload" else None,
    )


def layout_items(batch_items: list[dict[str, Any]]) -> Iterable[tuple[int, Instruction]]:
    """(1-based page, item) for every item of a batch_items layout, in reading order."""
    for number, page in enumerate(batch_items, 1):
        if not isinstance(page, dict):
            continue
        for row in page.get("rows") or []:
            for column in row.get("columns") or [] if isinstance(row, dict) else []:
                for item in column.get("items") or [] if isinstance(column, dict) else []:
                    if isinstance(item, dict):
                        yield number, Instruction.model_validate(item)


def collection_items(collection: Collection) -> Iterable[tuple[int, Instruction]]:
    pages = sorted(collection.collection_items or [], key=lambda p: p.order if p.order is not None else 0)
    for number, page in enumerate(pages, 1):
        for item in sorted(page.page_items, key=lambda i: i.order if i.order is not None else 0):
            yield number, item


def from_layout(batch_id: str, batch_items: list[dict[str, Any]]) -> BatchInstructions:
    questions: list[Question] = []
    fields: list[str] = []
    blocks = 0
    total = 0
    for page, item in layout_items(batch_items):
        if item.type in CONTENT_TYPES:
            blocks += 1
        elif item.type == "dataset_field":
            name = item.other_fields.get("field")
            if isinstance(name, str) and len(fields) < 30:
                fields.append(sanitize(name, 60))
        else:
            total += 1
            if len(questions) < MAX_QUESTIONS:
                questions.append(question(item, page))
    return BatchInstructions(
        batch_id=batch_id,
        source="batch_items",
        questions=questions,
        questions_omitted=total - len(questions),
        dataset_fields=fields,
        content_blocks=blocks,
        note=None,
    )


def from_legacy(batch_id: str, items: list[Instruction]) -> BatchInstructions:
    questions = [question(item, None) for item in items[:MAX_QUESTIONS]]
    note = None if items else "The batch has no layout and its legacy instructions list is empty."
    return BatchInstructions(
        batch_id=batch_id,
        source="legacy_instructions",
        questions=questions,
        questions_omitted=max(0, len(items) - MAX_QUESTIONS),
        dataset_fields=[],
        content_blocks=0,
        note=note,
    )


def unavailable(batch_id: str, why: str) -> BatchInstructions:
    return BatchInstructions(
        batch_id=batch_id,
        source="unavailable",
        questions=[],
        questions_omitted=0,
        dataset_fields=[],
        content_blocks=0,
        note=why,
    )


def render_question(q: Question) -> str:
    where = f"p{q.page} " if q.page is not None else ""
    line = f"- {where}[{q.type or '?'}] {q.text or '(no text)'}"
    if q.options:
        limit = {1: "pick one", -1: "pick any"}.get(q.answer_limit or 1, f"pick up to {q.answer_limit}")
        line += f" ({limit}: " + ", ".join(f"{o.label}={o.value}" for o in q.options) + ")"
    if q.units:
        line += " (units: " + ", ".join(q.units) + ")"
    if q.file_rules:
        line += f" ({q.file_rules})"
    if q.id:
        line += f" id {q.id}"
    return line


def render_instructions_text(summary: BatchInstructions) -> str:
    source = {
        "batch_items": "read from the batch layout",
        "legacy_instructions": "read from the legacy instructions endpoint",
        "unavailable": "not available",
    }[summary.source]
    lines = [f"Batch {summary.batch_id}: {len(summary.questions) + summary.questions_omitted} questions, {source}."]
    if summary.dataset_fields:
        lines.append("Shows dataset fields: " + ", ".join(summary.dataset_fields))
    if summary.content_blocks:
        lines.append(f"Content blocks (text/images): {summary.content_blocks}")
    lines += [render_question(q) for q in summary.questions]
    if summary.questions_omitted:
        lines.append(f"({summary.questions_omitted} more questions not shown)")
    if summary.note:
        lines.append(summary.note)
    return "\n".join(lines)
