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
