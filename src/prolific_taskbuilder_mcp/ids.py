"""Identifier types shared by tools, resources and prompts: validated before any request is made.

UUIDs are checked by shape (8-4-4-4-12 hex, any version or variant) because Prolific's own examples are not
always RFC-4122-valid; workspace and user ids are 24-hex ObjectIds.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, ValidationError

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
OBJECT_ID_PATTERN = r"^[0-9a-fA-F]{24}$"
EXAMPLE_BATCH_ID = "a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c"
EXAMPLE_WORKSPACE_ID = "6278acb09062db3b35bcbeb0"

IdKind = Literal["batch", "dataset", "collection", "export", "workspace"]

EXPECTED: dict[IdKind, str] = {
    "batch": f"a UUID such as {EXAMPLE_BATCH_ID}",
    "dataset": "a UUID such as 0193b6f2-5c1e-7d2a-9f10-3b7c8e4a2d61",
    "collection": "a UUID such as 019be590-c2bd-714d-b808-70cd01a28b3c",
    "export": "a UUID such as the export_id export_batch returned",
    "workspace": f"a 24-character hex id such as {EXAMPLE_WORKSPACE_ID} (list_workspaces shows yours)",
}


def _uuid(kind: IdKind) -> object:
    return Field(pattern=UUID_PATTERN, min_length=36, max_length=36, description=f"{kind.title()} id: {EXPECTED[kind]}")


BatchId = Annotated[str, _uuid("batch")]
DatasetId = Annotated[str, _uuid("dataset")]
CollectionId = Annotated[str, _uuid("collection")]
ExportId = Annotated[str, _uuid("export")]
WorkspaceId = Annotated[
    str,
    Field(
        pattern=OBJECT_ID_PATTERN, min_length=24, max_length=24, description=f"Workspace id: {EXPECTED['workspace']}"
    ),
]

WORKSPACE_ARG = (
    f"Workspace id: 24 hex characters such as {EXAMPLE_WORKSPACE_ID} (list_workspaces); default PROLIFIC_WORKSPACE_ID"
)

_ADAPTERS: dict[IdKind, TypeAdapter[str]] = {
    "batch": TypeAdapter(BatchId),
    "dataset": TypeAdapter(DatasetId),
    "collection": TypeAdapter(CollectionId),
    "export": TypeAdapter(ExportId),
    "workspace": TypeAdapter(WorkspaceId),
}


class InvalidIdError(ValueError):
    """An id failed validation; the message says what a valid one looks like."""


def check_id(kind: IdKind, value: str) -> str:
    """Validate an id outside a tool's argument model (resource templates, prompts, settings)."""
    try:
        return _ADAPTERS[kind].validate_python(value)
    except ValidationError:
        raise InvalidIdError(invalid_value_message(f"{kind}_id", value, EXPECTED[kind])) from None


_JSON_TYPE_NAMES = {
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "dict": "object",
    "list": "array",
    "NoneType": "null",
}
"""Python type names as the JSON a client sent calls them."""


def describe_value(value: object) -> str:
    """A short, safe description of a rejected value (never echo long or hostile input in full)."""
    if not isinstance(value, str):
        names = {"int": "integer", "float": "number", "bool": "boolean", "dict": "object", "list": "array"}
        name = {**names, "NoneType": "null"}.get(type(value).__name__, type(value).__name__)
        return f"an {name}" if name[0] in "aeiou" else f"a {name}"
    if not value:
        return "an empty string"
    shown = re.sub(r"[^\x20-\x7e]", "?", value[:40])
    more = f"… ({len(value)} characters)" if len(value) > 40 else ""
    return f"{shown!r}{more}"


def invalid_value_message(name: str, value: object, expected: str) -> str:
    return f"Invalid {name}: got {describe_value(value)}; expected {expected}. Nothing was sent to Prolific."
