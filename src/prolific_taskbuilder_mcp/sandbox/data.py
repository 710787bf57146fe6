"""Seeded fixtures of the simulated Prolific account. Fixed ids, so docs, tests and demos can name them."""

from __future__ import annotations

from typing import Any

WORKSPACE_ID = "6278acb09062db3b35bcbeb0"
USER_ID = "6278cb09062dbb35bc4abebc"

SEED_BATCH_ID = "a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c"
READY_BATCH_ID = "01974850-9e29-744a-811c-b26612812345"
PROCESSING_BATCH_ID = "0192041c-470f-7336-8e3d-e03fc086a4e1"
ERROR_BATCH_ID = "7c1e9a52-4b3d-4e8f-9a26-5d0b8c3f1e74"
NO_DETAILS_BATCH_ID = "b5d2c8e1-6f4a-4c3b-8e7d-2a9f0c1b3d45"

# The example of the "Get a Batch" reference page, byte for byte (internally inconsistent as documented:
# UNINITIALISED yet 120 tasks).
SEED_BATCH: dict[str, Any] = {
    "id": SEED_BATCH_ID,
    "created_at": "2024-01-15T09:30:00Z",
    "created_by": USER_ID,
    "datasets": [
        {
            "id": "d9f1e7a4-3c2b-4e5f-9a7d-8b6c4e2f1a0b",
            "total_datapoint_count": 1500,
            "filename": "user_responses_2024-01.csv",
        }
    ],
    "name": "Data Collection Batch",
    "status": "UNINITIALISED",
    "total_task_count": 120,
    "total_instruction_count": 5,
    "workspace_id": WORKSPACE_ID,
    "schema_version": 1,
    "task_details": {
        "task_name": "Sentiment Analysis Task",
        "task_introduction": "<p>Welcome to the sentiment analysis task. Your goal is to classify the "
        "sentiment of given text samples.</p>",
        "task_steps": "<ol><li>Read the text carefully.</li><li>Choose the sentiment category that best "
        "fits the text.</li><li>Submit your response.</li></ol>",
    },
    "total_task_groups": 3,
}


def _item(suffix: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"0193b6f3-0a11-7c40-8e2b-6d5f4a3b2c{suffix}", **fields}


READY_BATCH: dict[str, Any] = {
    "id": READY_BATCH_ID,
    "created_at": "2026-03-02T10:15:04.118Z",
    "created_by": USER_ID,
    "datasets": [
        {
            "id": "0193b6f2-5c1e-7d2a-9f10-3b7c8e4a2d61",
            "total_datapoint_count": 40,
            "filename": None,
        },
        {
            "id": "0193b6f2-5c1e-7d2a-9f10-3b7c8e4a2d62",
            "total_datapoint_count": 12,
            "filename": "extra_prompts.csv",
        },
    ],
    "name": "Chatbot pairwise eval — March",
    "status": "READY",
    "total_task_count": 52,
    "total_instruction_count": 2,
    "workspace_id": WORKSPACE_ID,
    "schema_version": 1,
    "task_details": {
        "task_name": "Compare two chatbot answers",
        "task_introduction": "<p>You will read a prompt and two answers.</p>",
        "task_steps": "<ol><li>Read the prompt.</li><li>Read both answers.</li>"
        "<li>Pick the better one and explain why.</li></ol>",
    },
    "total_task_groups": 11,
    "auto_sync_enabled": False,
    "batch_items": [
        _item(
            "10",
            display_position="body",
            rows=[
                _item("11", columns=[_item("12", items=[_item("13", type="dataset_field", field="prompt")])]),
                _item(
                    "14",
                    columns=[
                        _item("15", items=[_item("16", type="dataset_field", field="response_a")]),
                        _item("17", items=[_item("18", type="dataset_field", field="response_b")]),
                    ],
                ),
                _item(
                    "19",
                    columns=[
                        _item(
                            "1a",
                            items=[
                                _item(
                                    "1b",
                                    type="multiple_choice",
                                    description="Which answer is better?",
                                    answer_limit=1,
                                    options=[
                                        {"label": "Answer A", "value": "a"},
                                        {"label": "Answer B", "value": "b"},
                                        {"label": "They are equally good", "value": "tie"},
                                    ],
                                ),
                                _item(
                                    "1c",
                                    type="free_text",
                                    description="Why?",
                                    validation={"type": "string", "min": 10, "max": 500},
                                ),
                            ],
                        )
                    ],
                ),
            ],
        )
    ],
}

PROCESSING_BATCH: dict[str, Any] = {
    "id": PROCESSING_BATCH_ID,
    "created_at": "2026-11-20T08:00:00.000Z",
    "created_by": USER_ID,
    "datasets": [
        {
            "id": "0192041c-470f-7336-8e3d-e03fc086a4e2",
            "total_datapoint_count": 250,
            "filename": "toxicity_sample.csv",
        }
    ],
    "name": "Toxicity labelling — pilot",
    "status": "PROCESSING",
    "total_task_count": 0,
    "total_instruction_count": 3,
    "workspace_id": WORKSPACE_ID,
    "schema_version": 1,
    "task_details": {
        "task_name": "Is this comment toxic?",
        "task_introduction": "<p>Label each comment for toxicity.</p>",
        "task_steps": "<ol><li>Read the comment.</li><li>Choose a label.</li></ol>",
    },
    "total_task_groups": 0,
    "auto_sync_enabled": False,
}

# What the PROCESSING batch becomes once its setup finishes.
PROCESSING_BATCH_WHEN_READY: dict[str, Any] = {"status": "READY", "total_task_count": 250, "total_task_groups": 25}

ERROR_BATCH: dict[str, Any] = {
    "id": ERROR_BATCH_ID,
    "created_at": "2026-11-18T14:22:31.502Z",
    "created_by": USER_ID,
    "datasets": [
        {
            "id": "7c1e9a52-4b3d-4e8f-9a26-5d0b8c3f1e75",
            "total_datapoint_count": 0,
            "filename": "broken_export.zip",
        }
    ],
    "name": "Image captions — failed upload",
    "status": "ERROR",
    "total_task_count": 0,
    "total_instruction_count": 1,
    "workspace_id": WORKSPACE_ID,
    "schema_version": 1,
    "task_details": {
        "task_name": "Caption the image",
        "task_introduction": "<p>Write one sentence describing the image.</p>",
        "task_steps": "<p>Look at the image, then write a caption.</p>",
    },
    "total_task_groups": 0,
}

NO_DETAILS_BATCH: dict[str, Any] = {
    "id": NO_DETAILS_BATCH_ID,
    "created_at": "2026-11-25T09:00:00.000Z",
    "created_by": USER_ID,
    "datasets": [],
    "name": "Draft batch (no task details)",
    "status": "UNINITIALISED",
    "total_task_count": 0,
    "total_instruction_count": 0,
    "workspace_id": WORKSPACE_ID,
    "schema_version": 1,
    "task_details": None,
    "total_task_groups": 0,
}

BATCHES: tuple[dict[str, Any], ...] = (SEED_BATCH, READY_BATCH, PROCESSING_BATCH, ERROR_BATCH, NO_DETAILS_BATCH)


# -- a survey batch with every answer type, and thousands of generated responses --------------------

SURVEY_BATCH_ID = "0193c0de-5a1b-7c2d-8e3f-4a5b6c7d8e9f"
SURVEY_DATASET_ID = "0193c0de-5a1b-7c2d-8e3f-4a5b6c7d8ea0"


def _survey_item(suffix: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"0193c0df-0000-7000-8000-0000000000{suffix}", **fields}


SURVEY_BATCH: dict[str, Any] = {
    "id": SURVEY_BATCH_ID,
    "created_at": "2026-10-05T13:40:00.000Z",
    "created_by": USER_ID,
    "datasets": [{"id": SURVEY_DATASET_ID, "total_datapoint_count": 800, "filename": None}],
    "name": "Customer support replies — quality survey",
    "status": "READY",
    "total_task_count": 800,
    "total_instruction_count": 7,
    "workspace_id": WORKSPACE_ID,
    "schema_version": 1,
    "task_details": {
        "task_name": "Rate a customer support reply",
        "task_introduction": "<p>You will read a customer message and the reply an assistant wrote.</p>",
        "task_steps": "<ol><li>Read the message and the reply.</li><li>Answer every question.</li></ol>",
    },
    "total_task_groups": 100,
    "auto_sync_enabled": True,
    "batch_items": [
        _survey_item(
            "01",
            display_position="intro",
            rows=[
                _survey_item(
                    "02",
                    columns=[
                        _survey_item(
                            "03",
                            items=[
                                _survey_item(
                                    "04",
                                    type="rich_text",
                                    content="<p>Thank you for helping us rate support replies.</p>",
                                    content_format="html",
                                )
                            ],
                        )
                    ],
                )
            ],
        ),
        _survey_item(
            "10",
            display_position="body",
            rows=[
                _survey_item(
                    "11",
                    columns=[
                        _survey_item("12", items=[_survey_item("13", type="dataset_field", field="message")]),
                        _survey_item("14", items=[_survey_item("15", type="dataset_field", field="reply")]),
                    ],
                ),
                _survey_item(
                    "16",
                    columns=[
                        _survey_item(
                            "17",
                            items=[
                                _survey_item(
                                    "20",
                                    type="multiple_choice",
                                    description="Did the reply solve the customer's problem?",
                                    answer_limit=1,
                                    options=[
                                        {"label": "Yes", "value": "yes"},
                                        {"label": "Partly", "value": "partly"},
                                        {"label": "No", "value": "no"},
                                    ],
                                ),
                                _survey_item(
                                    "21",
                                    type="multiple_choice",
                                    description="Which problems does the reply have?",
                                    answer_limit=-1,
                                    options=[
                                        {"label": "Rude tone", "value": "tone"},
                                        {"label": "Wrong facts", "value": "facts"},
                                        {"label": "Too long", "value": "length"},
                                        {"label": "Ignores the question", "value": "off_topic"},
                                        {"label": "None of the above", "value": "none", "exclusive": True},
                                    ],
                                    disable_dropdown=True,
                                ),
                                _survey_item(
                                    "22",
                                    type="multiple_choice_with_free_text",
                                    description="How would the customer feel after this reply?",
                                    answer_limit=1,
                                    options=[
                                        {"label": "Satisfied", "value": "satisfied", "heading": "Why?"},
                                        {"label": "Neutral", "value": "neutral", "heading": "Why?"},
                                        {"label": "Annoyed", "value": "annoyed", "heading": "What annoys them?"},
                                    ],
                                ),
                                _survey_item(
                                    "23",
                                    type="free_text",
                                    description="How would you improve the reply?",
                                    helper_text="One or two sentences.",
                                    validation={"type": "string", "min": 5, "max": 1000},
                                ),
                                _survey_item(
                                    "24",
                                    type="free_text_with_unit",
                                    description="How long did reading the reply take you?",
                                    unit_options=[
                                        {"label": "seconds", "value": "seconds"},
                                        {"label": "minutes", "value": "minutes"},
                                    ],
                                    default_unit="seconds",
                                    unit_position="suffix",
                                ),
                                _survey_item(
                                    "25",
                                    type="file_upload",
                                    description="Optional: upload a screenshot of a better reply.",
                                    accepted_file_types=[".png", ".jpg", ".pdf"],
                                    max_file_size_mb=5,
                                    min_file_count=1,
                                    max_file_count=2,
                                ),
                                _survey_item(
                                    "26",
                                    type="video_narration",
                                    description="Optional: record yourself reading the reply aloud.",
                                ),
                            ],
                        )
                    ],
                ),
            ],
        ),
    ],
}

# Legacy (pre-batch_items) instructions, served by the deprecated /instructions endpoint.
LEGACY_INSTRUCTIONS: dict[str, list[dict[str, Any]]] = {
    PROCESSING_BATCH_ID: [
        {
            "id": "0192041c-470f-7336-8e3d-e03fc086a4f1",
            "type": "multiple_choice",
            "batch_id": PROCESSING_BATCH_ID,
            "created_by": "Sean",
            "created_at": "2026-11-20T08:00:01.055Z",
            "description": "Is this comment toxic?",
            "answer_limit": 1,
            "options": [
                {"label": "Toxic", "value": "toxic"},
                {"label": "Not toxic", "value": "not_toxic"},
                {"label": "Unsure", "value": "unsure"},
            ],
        },
        {
            "id": "0192041c-470f-7336-8e3d-e03fc086a4f2",
            "type": "free_text",
            "batch_id": PROCESSING_BATCH_ID,
            "created_by": "Sean",
            "created_at": "2026-11-20T08:00:01.056Z",
            "description": "If toxic, which words make it so?",
        },
        {
            "id": "0192041c-470f-7336-8e3d-e03fc086a4f3",
            "type": "free_text_with_unit",
            "batch_id": PROCESSING_BATCH_ID,
            "created_by": "Sean",
            "created_at": "2026-11-20T08:00:01.057Z",
            "description": "How confident are you?",
            "unit_options": [{"label": "%", "value": "percent"}, {"label": "out of 10", "value": "of_ten"}],
            "unit_position": "suffix",
        },
    ],
    ERROR_BATCH_ID: [
        {
            "id": "7c1e9a52-4b3d-4e8f-9a26-5d0b8c3f1e80",
            "type": "free_text",
            "batch_id": ERROR_BATCH_ID,
            "created_by": "Priya",
            "created_at": "2026-11-18T14:22:40.000Z",
            "description": "Write one sentence describing the image.",
        }
    ],
}

READY_BATCH_EXPORT_ID = "0194e000-0000-7000-8000-00000000e001"
"""A recent, complete export of the READY batch exists at reset (so export_batch answers 200 at once)."""

# Responses generated per batch at reset (the simulator makes them on demand, deterministically).
RESPONSE_COUNTS: dict[str, int] = {READY_BATCH_ID: 312, SURVEY_BATCH_ID: 2400}

BATCHES = (*BATCHES, SURVEY_BATCH)


# -- datasets: V3 in every status, V4 with imports in every terminal status -------------------------


def _v3(dataset_id: str, name: str, status: str, count: int, filename: str | None, created: str) -> dict[str, Any]:
    return {
        "id": dataset_id,
        "name": name,
        "created_at": created,
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "total_datapoint_count": count,
        "schema_version": 3,
        "status": status,
        "filename": filename,
        "has_predetermined_grouping_id": False,
        "schema": None,
        "imports": None,
    }


def _import(dataset_id: str, import_id: str, status: str, filename: str, **fields: Any) -> dict[str, Any]:
    return {
        "dataset_id": dataset_id,
        "import_id": import_id,
        "type": "upload",
        "filename": filename,
        "created_at": "2026-03-02T09:58:11.004Z",
        "updated_at": "2026-03-02T09:58:40.771Z",
        "status": status,
        **fields,
    }


V4_PARTIAL_DATASET_ID = "0193b6f2-5c1e-7d2a-9f10-3b7c8e4a2d61"
V3_READY_DATASET_ID = "d9f1e7a4-3c2b-4e5f-9a7d-8b6c4e2f1a0b"
V3_PROCESSING_DATASET_ID = "0192041c-470f-7336-8e3d-e03fc086a4e2"
V3_ERROR_DATASET_ID = "7c1e9a52-4b3d-4e8f-9a26-5d0b8c3f1e75"
V3_UNINITIALISED_DATASET_ID = "5e0c1f7a-2b3d-4c5e-8f9a-0b1c2d3e4f50"
V4_FAILED_DATASET_ID = "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f01"
V4_PENDING_DATASET_ID = "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f02"
V4_COMPLETE_THEN_FAILED_DATASET_ID = "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f03"
"""40 datapoints from a complete import, then a newer re-upload that failed (listed oldest first)."""
V4_ONLY_PARTIAL_DATASET_ID = "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f04"
"""One partial import and nothing complete: whether setup accepts it is not documented."""

_PROMPT_SCHEMA = {
    "strict": False,
    "fields": {
        "prompt": {"type": "text", "label": "Prompt"},
        "response_a": {"type": "text", "label": "Response A"},
        "response_b": {"type": "text", "label": "Response B"},
        "session_id": {"type": "task_group_id"},
    },
}

DATASETS: tuple[dict[str, Any], ...] = (
    _v3(
        V3_READY_DATASET_ID,
        "User responses January",
        "READY",
        1500,
        "user_responses_2024-01.csv",
        "2024-01-14T17:02:11Z",
    ),
    _v3(
        "0193b6f2-5c1e-7d2a-9f10-3b7c8e4a2d62",
        "Extra prompts",
        "READY",
        12,
        "extra_prompts.csv",
        "2026-03-02T09:50:00.000Z",
    ),
    _v3(
        V3_PROCESSING_DATASET_ID,
        "Toxicity sample",
        "PROCESSING",
        250,
        "toxicity_sample.csv",
        "2026-11-20T07:58:00.000Z",
    ),
    _v3(V3_ERROR_DATASET_ID, "Image captions", "ERROR", 0, "broken_export.zip", "2026-11-18T14:20:00.000Z"),
    _v3(
        V3_UNINITIALISED_DATASET_ID,
        "New dataset (nothing uploaded)",
        "UNINITIALISED",
        0,
        None,
        "2026-11-26T10:00:00.000Z",
    ),
    {
        "id": V4_PARTIAL_DATASET_ID,
        "name": "AI response evaluation",
        "created_at": "2026-03-02T09:55:00.000Z",
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "total_datapoint_count": 40,
        "schema_version": 4,
        "schema": _PROMPT_SCHEMA,
        "imports": [
            _import(
                V4_PARTIAL_DATASET_ID,
                "01935c2d-1a2b-7c4d-8e6f-7a8b9c0d1e30",
                "complete",
                "more_prompts.jsonl",
                accepted_count=2,
                duplicate_count=2,
                created_at="2026-03-03T11:00:00.000Z",
                updated_at="2026-03-03T11:00:05.000Z",
            ),
            _import(
                V4_PARTIAL_DATASET_ID,
                "01935c2d-1a2b-7c4d-8e6f-7a8b9c0d1e2f",
                "partial",
                "reviews.jsonl",
                processing_started_at="2026-03-02T09:58:20.310Z",
                accepted_count=38,
                duplicate_count=0,
                rejected_count=2,
                errors=[
                    {"record_index": 17, "field": "prompt", "reason": "missing value"},
                    {"record_index": 63, "reason": "invalid JSON"},
                ],
                reason="Some records were rejected.",
            ),
        ],
    },
    {
        "id": SURVEY_DATASET_ID,
        "name": "Support replies",
        "created_at": "2026-10-05T13:30:00.000Z",
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "total_datapoint_count": 800,
        "schema_version": 4,
        "schema": {
            "strict": True,
            "fields": {
                "message": {"type": "text", "label": "Customer message"},
                "reply": {"type": "text", "label": "Assistant reply"},
                "ticket": {"type": "metadata"},
            },
        },
        "imports": [
            _import(
                SURVEY_DATASET_ID,
                "0193c0de-5a1b-7c2d-8e3f-4a5b6c7d8ea1",
                "complete",
                "replies.jsonl",
                accepted_count=800,
            )
        ],
    },
    {
        "id": V4_FAILED_DATASET_ID,
        "name": "Audio clips (failed upload)",
        "created_at": "2026-11-10T16:00:00.000Z",
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "total_datapoint_count": 0,
        "schema_version": 4,
        "schema": {"strict": True, "fields": {"clip": {"type": "audio_url", "label": "Clip"}}},
        "imports": [
            _import(
                V4_FAILED_DATASET_ID,
                "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f11",
                "failed",
                "clips.jsonl",
                reason="The file is not valid JSONL: line 1 is not a JSON object.",
            )
        ],
    },
    {
        "id": V4_COMPLETE_THEN_FAILED_DATASET_ID,
        "name": "Chat transcripts (re-upload failed)",
        "created_at": "2026-11-01T09:00:00.000Z",
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "total_datapoint_count": 40,
        "schema_version": 4,
        "schema": _PROMPT_SCHEMA,
        "imports": [
            _import(
                V4_COMPLETE_THEN_FAILED_DATASET_ID,
                "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f31",
                "complete",
                "transcripts.jsonl",
                accepted_count=40,
                created_at="2026-11-01T09:05:00.000Z",
                updated_at="2026-11-01T09:06:00.000Z",
            ),
            _import(
                V4_COMPLETE_THEN_FAILED_DATASET_ID,
                "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f32",
                "failed",
                "transcripts-v2.jsonl",
                reason="The file is not valid JSONL: line 3 is not a JSON object.",
                created_at="2026-11-20T14:00:00.000Z",
                updated_at="2026-11-20T14:00:09.000Z",
            ),
        ],
    },
    {
        "id": V4_ONLY_PARTIAL_DATASET_ID,
        "name": "Image captions (partial)",
        "created_at": "2026-11-15T10:00:00.000Z",
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "total_datapoint_count": 95,
        "schema_version": 4,
        "schema": _PROMPT_SCHEMA,
        "imports": [
            _import(
                V4_ONLY_PARTIAL_DATASET_ID,
                "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f41",
                "partial",
                "captions.jsonl",
                accepted_count=95,
                rejected_count=5,
                errors=[{"record_index": 4, "field": "prompt", "reason": "missing value"}],
                created_at="2026-11-15T10:01:00.000Z",
            )
        ],
    },
    {
        "id": V4_PENDING_DATASET_ID,
        "name": "Product photos (no schema yet)",
        "created_at": "2026-11-27T08:00:00.000Z",
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "total_datapoint_count": 0,
        "schema_version": 4,
        "schema": None,
        "imports": [
            _import(V4_PENDING_DATASET_ID, "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f21", "pending_schema", "photos.csv"),
            _import(
                V4_PENDING_DATASET_ID,
                "0193d2a1-7b2c-7d3e-8f4a-5b6c7d8e9f22",
                "processing",
                "photos-2.csv",
                processed_offset=120,
                written_count=0,
            ),
        ],
    },
)


# -- collections ------------------------------------------------------------------------------------

COLLECTION_ID = "019be590-c2bd-714d-b808-70cd01a28b3c"
"""Has responses (the responses endpoint answers with the shape the reference infers)."""
NO_RESPONSES_COLLECTION_ID = "019be5a0-41c2-7d3e-8f4a-5b6c7d8e9f30"
"""Its responses endpoint answers 404 'not available yet', as the docs announce for today."""


def _page_item(suffix: str, order: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"019be591-0000-7a00-8000-0000000000{suffix}", "order": order, **fields}


COLLECTIONS: tuple[dict[str, Any], ...] = (
    {
        "id": COLLECTION_ID,
        "schema_version": 1,
        "created_at": "2026-02-10T08:00:00.000Z",
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "name": "example-collection",
        "task_details": {
            "task_name": "example task name",
            "task_introduction": "<p>Example task introduction</p>",
            "task_steps": "<ol><li>Example Step 1</li><li>Example Step 2</li></ol>",
        },
        "collection_items": [
            {
                "id": "019be591-0000-7a00-8000-000000000001",
                "order": 0,
                "page_items": [
                    _page_item(
                        "02",
                        0,
                        type="rich_text",
                        content="# Welcome\nPlease read the **instructions** carefully before starting.",
                        content_format="markdown",
                    ),
                    _page_item(
                        "03",
                        1,
                        type="free_text",
                        description="How was your experience completing this task?",
                        validation={"type": "string", "min": 10, "max": 500},
                    ),
                    _page_item(
                        "04",
                        2,
                        type="file_upload",
                        description="Please upload a photo of your receipt.",
                        accepted_file_types=[".jpg", ".png", ".pdf"],
                        max_file_size_mb=5.0,
                        min_file_count=1,
                        max_file_count=3,
                    ),
                ],
            },
            {
                "id": "019be591-0000-7a00-8000-000000000005",
                "order": 1,
                "page_items": [
                    _page_item(
                        "06",
                        0,
                        type="multiple_choice",
                        description="Where did you shop?",
                        answer_limit=1,
                        options=[
                            {"label": "Supermarket", "value": "supermarket"},
                            {"label": "Pharmacy", "value": "pharmacy"},
                            {"label": "Online", "value": "online"},
                        ],
                    )
                ],
            },
        ],
        "last_modified_at": "2026-02-10T08:00:00.000Z",
        "last_modified_by": USER_ID,
    },
    {
        "id": NO_RESPONSES_COLLECTION_ID,
        "schema_version": 1,
        "created_at": "2026-11-01T12:00:00.000Z",
        "created_by": USER_ID,
        "workspace_id": WORKSPACE_ID,
        "name": "Voice notes about commuting",
        "task_details": None,
        "collection_items": [
            {
                "id": "019be5a0-41c2-7d3e-8f4a-5b6c7d8e9f31",
                "order": 0,
                "page_items": [
                    _page_item(
                        "40",
                        0,
                        type="file_upload",
                        description="Upload a voice note about your commute.",
                        accepted_file_types=[".m4a", ".mp3"],
                        max_file_size_mb=20,
                        min_file_count=1,
                        max_file_count=1,
                    )
                ],
            }
        ],
    },
)

COLLECTION_RESPONSE_COUNTS: dict[str, int] = {COLLECTION_ID: 150}


# -- account ----------------------------------------------------------------------------------------

OTHER_WORKSPACE_ID = "62fce6fff0a78eb4f3ebc09c"

USER: dict[str, Any] = {
    "id": USER_ID,
    "email": "demo.researcher@example.org",
    "first_name": "Dana",
    "last_name": "Demo",
    "name": "Dana Demo",
    "username": "dana.demo",
    "user_type": "researcher",
    "currency_code": "GBP",
    "balance": 125000,
    "available_balance": 98000,
}

WORKSPACES: tuple[dict[str, Any], ...] = (
    {
        "id": WORKSPACE_ID,
        "title": "AI evaluation lab",
        "description": "Annotation batches for model evaluation",
        "owner": USER_ID,
        "users": [
            {"id": USER_ID, "name": "Dana Demo", "email": "demo.researcher@example.org", "roles": ["WORKSPACE_ADMIN"]}
        ],
        "naivety_distribution_rate": None,
    },
    {
        "id": OTHER_WORKSPACE_ID,
        "title": "Behavioral Research Group",
        "description": "Workspace for managing behavioral study projects and participant recruitment",
        "owner": "60a42f4c693c29420793cb73",
        "users": [
            {"id": USER_ID, "name": "Dana Demo", "email": "demo.researcher@example.org", "roles": ["WORKSPACE_MEMBER"]}
        ],
        "naivety_distribution_rate": 0.5,
    },
)
