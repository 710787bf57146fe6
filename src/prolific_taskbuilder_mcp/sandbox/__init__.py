"""An embedded simulator of Prolific's AI Task Builder API.

It shares no code with the client on purpose: tests compare two independent readings of the API.
"""

from .app import Fault, SandboxApp, SandboxState, create_app
from .data import (
    ERROR_BATCH_ID,
    NO_DETAILS_BATCH_ID,
    PROCESSING_BATCH_ID,
    READY_BATCH_ID,
    SEED_BATCH,
    SEED_BATCH_ID,
    SURVEY_BATCH_ID,
    USER_ID,
    WORKSPACE_ID,
)

DEMO_BATCHES: dict[str, str] = {
    SEED_BATCH_ID: "UNINITIALISED, the reference page's own example",
    READY_BATCH_ID: "READY, two datasets, a page layout, 312 responses",
    SURVEY_BATCH_ID: "READY survey, every question type, 2,400 responses",
    PROCESSING_BATCH_ID: "PROCESSING: ask whether it is ready (it turns READY about 30 s after you first look)",
    ERROR_BATCH_ID: "ERROR, setup failed",
    NO_DETAILS_BATCH_ID: "UNINITIALISED, task_details is null",
}

__all__ = [
    "DEMO_BATCHES",
    "ERROR_BATCH_ID",
    "NO_DETAILS_BATCH_ID",
    "PROCESSING_BATCH_ID",
    "READY_BATCH_ID",
    "SEED_BATCH",
    "SEED_BATCH_ID",
    "SURVEY_BATCH_ID",
    "USER_ID",
    "WORKSPACE_ID",
    "Fault",
    "SandboxApp",
    "SandboxState",
    "create_app",
]
