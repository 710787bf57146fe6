"""Identifier types shared by tools, resources and prompts: validated before any request is made.

UUIDs are checked by shape (8-4-4-4-12 hex, any version or variant) because Prolific's own examples are not
always RFC-4122-valid; workspace and user ids are 24-hex ObjectIds.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, TypeAdapter, ValidationError

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
EXAMPLE_BATCH_ID = "a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c"

BatchId = Annotated[
    str,
    Field(
        pattern=UUID_PATTERN,
        min_length=36,
        max_length=36,
        description=f"Batch id: a UUID such as {EXAMPLE_BATCH_ID}",
    ),
]

_batch_id = TypeAdapter(BatchId)


class InvalidIdError(ValueError):
    """An id failed validation; the message says what a valid one looks like."""


def check_batch_id(value: str) -> str:
    """Validate a batch id outside a tool's argument model (resource templates, prompts)."""
    try:
        return _batch_id.validate_python(value)
    except ValidationError:
        expected = f"a UUID such as {EXAMPLE_BATCH_ID}"
        raise InvalidIdError(invalid_value_message("batch_id", value, expected)) from None


def describe_value(value: object) -> str:
    """A short, safe description of a rejected value (never echo long or hostile input in full)."""
    if not isinstance(value, str):
        return f"a {type(value).__name__}"
    if not value:
        return "an empty string"
    shown = re.sub(r"[^\x20-\x7e]", "?", value[:40])
    more = f"… ({len(value)} characters)" if len(value) > 40 else ""
    return f"{shown!r}{more}"


def invalid_value_message(name: str, value: object, expected: str) -> str:
    return f"Invalid {name}: got {describe_value(value)}; expected {expected}. Nothing was sent to Prolific."
