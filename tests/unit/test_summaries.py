"""Pure summary functions: API model -> result model and compact text."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prolific_taskbuilder_mcp.client.models import Batch
from prolific_taskbuilder_mcp.sandbox import SEED_BATCH
from prolific_taskbuilder_mcp.summaries.batches import (
    BatchSummary,
    next_steps,
    render_batch_text,
    status_meaning,
    summarize_batch,
)
from prolific_taskbuilder_mcp.summaries.text import html_to_steps, html_to_text, sanitize


def _summary(payload: dict[str, object]) -> BatchSummary:
    return summarize_batch(Batch.model_validate(payload))


def test_seed_example_text_is_no_longer_than_its_raw_json() -> None:
    text = render_batch_text(_summary(SEED_BATCH))
    assert len(text) <= len(json.dumps(SEED_BATCH, separators=(",", ":")))


def test_seed_example_text_carries_every_documented_fact() -> None:
    text = render_batch_text(_summary(SEED_BATCH))
    for fact in (
        "a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c",
        "Data Collection Batch",
        "UNINITIALISED",
        "2024-01-15T09:30:00Z",
        "6278cb09062dbb35bc4abebc",
        "6278acb09062db3b35bcbeb0",
        "Tasks 120",
        "instructions 5",
        "task groups 3",
        "schema v1",
        "d9f1e7a4-3c2b-4e5f-9a7d-8b6c4e2f1a0b",
        "user_responses_2024-01.csv",
        "1500 datapoints",
        "Sentiment Analysis Task",
        "Your goal is to classify the sentiment of given text samples.",
        "1. Read the text carefully.",
        "3. Submit your response.",
    ):
        assert fact in text
    assert "<p>" not in text
    assert "<li>" not in text


def test_seed_example_structured_summary_has_plain_text_task_details() -> None:
    summary = _summary(SEED_BATCH)
    assert summary.task_details is not None
    assert summary.task_details.introduction == (
        "Welcome to the sentiment analysis task. Your goal is to classify the sentiment of given text samples."
    )
    assert summary.task_details.steps == [
        "Read the text carefully.",
        "Choose the sentiment category that best fits the text.",
        "Submit your response.",
    ]
    assert summary.datasets[0].name == "user_responses_2024-01.csv"
    assert summary.datasets[0].total_datapoint_count == 1500
    assert summary.other_fields == {}


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("UNINITIALISED", "setup has not run"),
        ("PROCESSING", "turning the dataset into tasks"),
        ("READY", "attached to a Prolific study"),
        ("ERROR", "failed"),
    ],
)
def test_each_known_status_has_its_own_meaning_and_next_steps(status: str, words: str) -> None:
    assert words in status_meaning(status)
    assert next_steps(status)
    assert next_steps(status) != next_steps("SOMETHING_ELSE")


def test_an_unknown_status_survives_with_a_neutral_meaning() -> None:
    payload = {**SEED_BATCH, "status": "ARCHIVED"}
    summary = _summary(payload)
    assert summary.status == "ARCHIVED"
    assert "newer than this server" in summary.status_meaning
    assert "ARCHIVED" in render_batch_text(summary)


def test_a_null_status_is_reported_not_rejected() -> None:
    summary = _summary({**SEED_BATCH, "status": None})
    assert summary.status is None
    assert "did not report a status" in summary.status_meaning


def test_null_task_details_is_handled() -> None:
    summary = _summary({**SEED_BATCH, "task_details": None})
    assert summary.task_details is None
    assert "Task details: none" in render_batch_text(summary)


def test_unknown_upstream_fields_are_kept_in_other_fields_and_in_the_text() -> None:
    payload = {**SEED_BATCH, "priority": "high", "labels": ["a", "b"], "quota": {"max": 3}}
    summary = _summary(payload)
    assert summary.other_fields == {"priority": "high", "labels": ["a", "b"], "quota": {"max": 3}}
    assert '"priority":"high"' in render_batch_text(summary)


def test_a_huge_unknown_field_is_elided_not_copied() -> None:
    payload = {**SEED_BATCH, "blob": ["x" * 100] * 100}
    summary = _summary(payload)
    assert isinstance(summary.other_fields["blob"], str)
    assert "omitted" in summary.other_fields["blob"]
    assert len(render_batch_text(summary)) < 2000


def test_missing_optional_fields_render_as_unknown() -> None:
    summary = _summary({"id": "a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c"})
    text = render_batch_text(summary)
    assert "Tasks ?" in text
    assert "Datasets: none attached" in text
    assert summary.datasets == []


def test_null_datasets_mean_no_datasets() -> None:
    assert _summary({**SEED_BATCH, "datasets": None}).datasets == []


def test_dataset_without_filename_uses_its_name() -> None:
    payload = copy.deepcopy(SEED_BATCH)
    payload["datasets"] = [{"id": "d9f1e7a4-3c2b-4e5f-9a7d-8b6c4e2f1a0b", "name": "Reviews", "status": "READY"}]
    summary = _summary(payload)
    assert summary.datasets[0].name == "Reviews"
    assert summary.datasets[0].total_datapoint_count is None
    assert "Reviews" in render_batch_text(summary)


@pytest.mark.parametrize(
    ("markup", "steps"),
    [
        ("<ol><li>One</li><li>Two <b>bold</b></li></ol>", ["One", "Two bold"]),
        ("<p>First</p><p>Second</p>", ["First", "Second"]),
        ("Just text", ["Just text"]),
        ("", []),
        (None, []),
        ("<ul><li>a &amp; b</li></ul><script>alert(1)</script>", ["a & b"]),
    ],
)
def test_steps_come_from_list_items_or_blocks(markup: str | None, steps: list[str]) -> None:
    assert html_to_steps(markup) == steps


def test_html_to_text_removes_markup_and_hidden_characters() -> None:
    assert html_to_text("<p>Hello\u202e <i>world</i>\u200b</p><style>p{}</style>") == "Hello world"
    assert html_to_text(None) is None


def test_sanitize_strips_invisible_bidi_and_tag_characters() -> None:
    hostile = "ok\u202egnp.exe\u2066 \U000e0041\U000e0042 done\x07"
    assert sanitize(hostile) == "okgnp.exe done"


def test_sanitize_bounds_length() -> None:
    assert len(sanitize("word " * 1000, limit=50)) == 50


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_sanitizing_twice_gives_the_same_result(text: str, limit: int) -> None:
    once = sanitize(text, limit)
    assert sanitize(once, limit) == once
    assert len(once) <= limit


@pytest.mark.parametrize(
    "values", [[3.0], [1.0, 2.0], [5.0, -1.0, 2.5], [0.1, 0.1, 9.0, 4.0], list(map(float, range(101)))]
)
def test_the_median_is_the_statistics_median(values: list[float]) -> None:
    import statistics

    from prolific_taskbuilder_mcp.summaries.responses import _median

    assert _median(values) == statistics.median(values)


def test_counts_and_types_read_as_english() -> None:
    from prolific_taskbuilder_mcp.ids import describe_value
    from prolific_taskbuilder_mcp.summaries.text import plural

    assert [plural(n, "check") for n in (0, 1, 2)] == ["0 checks", "1 check", "2 checks"]
    values: list[object] = [3, 1.5, True, {}, [], None]
    assert [describe_value(v) for v in values] == [
        "an integer",
        "a number",
        "a boolean",
        "an object",
        "an array",
        "a null",
    ]


def test_a_layout_keeps_what_researchers_set_and_numbers_body_pages_only() -> None:
    from prolific_taskbuilder_mcp.summaries.instructions import from_layout, render_instructions_text

    def page(position: str | None, *items: dict[str, object]) -> dict[str, object]:
        body: dict[str, object] = {"rows": [{"columns": [{"items": list(items)}]}]}
        return {**body, "display_position": position} if position else body

    layout = [
        page("intro", {"type": "rich_text", "content": "<p>Welcome</p>"}),
        page(
            None,
            {
                "id": "q1",
                "type": "multiple_choice_with_free_text",
                "description": "Feeling?",
                "answer_limit": 1,
                "options": [
                    {"label": "Fine", "value": "fine", "heading": "Why fine?"},
                    {"label": "None of these", "value": "none", "heading": "Say more", "exclusive": True},
                ],
            },
        ),
        page(
            "body",
            {
                "id": "q2",
                "type": "free_text_with_unit",
                "description": "Temperature?",
                "unit_options": [
                    {"label": "°C", "value": "celsius", "validation": {"type": "number", "min": -30, "max": 50}},
                    {"label": "°F", "value": "fahrenheit", "validation": {"type": "number", "min": -22, "max": 122}},
                ],
                "default_unit": "celsius",
                "unit_position": "prefix",
                "placeholder_text_input": "e.g. 21",
            },
            {"id": "q3", "type": "free_text", "description": "Why?", "validation": {"type": "string", "min": 10}},
        ),
        page("outro", {"type": "rich_text", "content": "<p>Thanks</p>"}),
    ]
    summary = from_layout("b", layout)
    feeling, temperature, why = summary.questions
    assert [q.page for q in summary.questions] == [1, 2, 2]  # the intro page is not question page 1
    assert feeling.options[0].heading == "Why fine?"
    assert feeling.options[1].exclusive is True
    assert temperature.unit_labels == ["°C", "°F"]
    assert temperature.unit_position == "prefix"
    assert temperature.limits == "°C -30-50, °F -22-122"
    assert temperature.placeholder == "e.g. 21"
    assert why.limits == "at least 10 characters"
    text = render_instructions_text(summary)
    assert '[box: "Say more"] [exclusive]' in text
    assert "units: °C=celsius, °F=fahrenheit, picker prefix, default celsius" in text
    assert summary.content_blocks == 2


def test_inline_records_are_bounded_and_a_schema_needs_a_shown_field() -> None:
    import pytest

    from prolific_taskbuilder_mcp import datafiles

    big = [{"text": "x" * 90_000} for _ in range(120)]
    with pytest.raises(datafiles.RecordsError, match="limited to 10 MiB"):
        datafiles.jsonl(big)
    assert datafiles.schema_for(["text", "META_id", "metadata_src"], None).fields == {
        "text": "text",
        "META_id": "metadata",
        "metadata_src": "metadata",
    }
    with pytest.raises(datafiles.RecordsError, match="No field would be shown"):
        datafiles.schema_for(["META_id"], None)
    with pytest.raises(datafiles.RecordsError, match="At most one field may be task_group_id"):
        datafiles.schema_for([], {"a": "text", "g": "task_group_id", "h": "task_group_id"})


@pytest.mark.anyio
async def test_an_unchanged_file_is_inspected_once_and_a_changed_one_again(tmp_path: Path) -> None:
    from prolific_taskbuilder_mcp import datafiles

    path = tmp_path / "data.csv"
    path.write_text("text\na\nb\n")
    first = await datafiles.inspect(str(path))
    assert await datafiles.inspect(str(path)) is first  # consent step and body: one read
    path.write_text("text\na\nb\nc\n")
    again = await datafiles.inspect(str(path))
    assert again is not first
    assert (first.records, again.records) == (2, 3)
