"""Instructions (the questions participants answer), from a batch layout, the legacy endpoint or a
collection's pages. Pure functions, no I/O."""

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field

from ..client.models import Collection, Instruction
from .base import Summary
from .text import clip, html_to_text, quoted, sanitize

CONTENT_TYPES = frozenset({"rich_text", "image"})
MAX_QUESTIONS = 40
MAX_OPTIONS = 25


class Option(Summary):
    value: str
    label: str
    heading: str | None = Field(default=None, description="multiple_choice_with_free_text: the prompt above its box")
    exclusive: bool = Field(default=False, description="Picking it clears the others (e.g. 'None of the above')")


class Question(Summary):
    """One instruction, flattened for reading."""

    id: str | None
    type: str | None
    text: str | None = Field(description="The question as participants see it")
    page: int | None = Field(description="1-based page of the layout or collection; null for legacy instructions")
    helper_text: str | None = None
    answer_limit: int | None = Field(default=None, description="1 single choice, -1 unlimited, n up to n")
    options: list[Option] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list, description="Unit values, as answers carry them")
    unit_labels: list[str] = Field(default_factory=list, description="Unit labels participants see, e.g. °C")
    unit_position: str | None = Field(default=None, description="prefix or suffix: where the unit picker sits")
    default_unit: str | None = None
    limits: str | None = Field(
        default=None, description="Answer limits: text length ('10-500 characters') or number range per unit"
    )
    placeholder: str | None = Field(default=None, description="The input's placeholder text")
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
    heading = raw.get("heading")
    return Option(
        value=value,
        label=sanitize(str(raw.get("label") or value), 120),
        heading=html_to_text(heading, 160) if isinstance(heading, str) and heading else None,
        exclusive=raw.get("exclusive") is True,
    )


def _range(rule: Any) -> str | None:
    """`{min, max}` as 'min-max', 'at least min' or 'at most max'; None without bounds."""
    if not isinstance(rule, dict):
        return None
    low, high = (
        v if isinstance(v, int | float) and not isinstance(v, bool) else None
        for v in (rule.get("min"), rule.get("max"))
    )
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    if low is not None:
        return f"at least {low:g}"
    if high is not None:
        return f"at most {high:g}"
    return None


def _limits(item: Instruction) -> str | None:
    if item.type == "free_text":
        span = _range(item.validation)
        return f"{span} characters" if span else None
    if item.type == "free_text_with_unit":
        per_unit = [
            f"{sanitize(str(u.get('label') or u.get('value')), 20)} {span}"
            for u in (item.unit_options or [])[:10]
            if isinstance(u, dict) and (span := _range(u.get("validation")))
        ]
        return ", ".join(per_unit) or None
    return None


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
    units = [u for u in (item.unit_options or [])[:10] if isinstance(u, dict)]
    return Question(
        id=clip(item.id, 64),
        type=clip(item.type, 40),
        text=html_to_text(item.description, 500),
        page=page,
        helper_text=clip(item.helper_text, 300),
        answer_limit=item.answer_limit,
        options=[_option(o) for o in (item.options or [])[:MAX_OPTIONS] if isinstance(o, dict)],
        units=[sanitize(str(u.get("value", "")), 40) for u in units],
        unit_labels=[sanitize(str(u.get("label") or u.get("value", "")), 40) for u in units],
        unit_position=clip(item.unit_position, 20),
        default_unit=clip(item.default_unit, 40),
        limits=_limits(item),
        placeholder=clip(item.placeholder_text_input, 160),
        file_rules=_file_rules(item) if item.type == "file_upload" else None,
    )


def layout_items(batch_items: list[dict[str, Any]]) -> Iterable[tuple[int | None, Instruction]]:
    """(page, item) for every item of a batch_items layout, in reading order. Pages are the body pages, numbered
    from 1; intro and outro pages (shown once, content only) have no number."""
    number = 0
    for page in batch_items:
        if not isinstance(page, dict):
            continue
        position = str(page.get("display_position") or "body").lower()
        if position == "body":
            number += 1
        for row in page.get("rows") or []:
            for column in row.get("columns") or [] if isinstance(row, dict) else []:
                for item in column.get("items") or [] if isinstance(column, dict) else []:
                    if isinstance(item, dict):
                        yield (number if position == "body" else None), Instruction.model_validate(item)


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
        line += f" ({limit}: " + ", ".join(_render_option(o) for o in q.options) + ")"
    if q.units:
        shown = [
            label if label == value else f"{label}={value}"
            for label, value in zip(q.unit_labels, q.units, strict=False)
        ]
        where = f", picker {q.unit_position}" if q.unit_position else ""
        default = f", default {q.default_unit}" if q.default_unit else ""
        line += " (units: " + ", ".join(shown) + where + default + ")"
    if q.limits:
        line += f" (limits: {q.limits})"
    if q.placeholder:
        line += f" (placeholder {quoted(q.placeholder, 160)})"
    if q.file_rules:
        line += f" ({q.file_rules})"
    if q.id:
        line += f" id {q.id}"
    return line


def _render_option(o: Option) -> str:
    text = f"{o.label}={o.value}"
    if o.heading:
        text += f" [box: {quoted(o.heading, 160)}]"
    if o.exclusive:
        text += " [exclusive]"
    return text


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
