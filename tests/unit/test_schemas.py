"""Compacted tool schemas mean what pydantic's schemas mean, in fewer characters."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from prolific_taskbuilder_mcp.server.schemas import compact_schema, inline_single_use_defs
from prolific_taskbuilder_mcp.summaries.account import WorkspaceList
from prolific_taskbuilder_mcp.summaries.batches import BatchList, BatchSummary
from prolific_taskbuilder_mcp.summaries.responses import ResponsesSummary

MODELS = [BatchSummary, BatchList, ResponsesSummary, WorkspaceList]

# Documents that must be accepted or refused alike by the original and the compacted schema.
PROBES: list[tuple[type[Any], dict[str, Any]]] = [
    (
        WorkspaceList,
        {
            "total": 1,
            "rows": [{"id": "a", "title": "t", "description": None, "members": 2}],
            "default_workspace_id": None,
        },
    ),
    (WorkspaceList, {"total": "1", "rows": [], "default_workspace_id": None}),
    (
        WorkspaceList,
        {
            "total": None,
            "rows": [{"id": "a", "title": 3, "description": None, "members": 2}],
            "default_workspace_id": None,
        },
    ),
    (WorkspaceList, {"total": None, "rows": [], "default_workspace_id": None, "extra": 1}),
    (
        BatchList,
        {
            "workspace_id": "w",
            "matching": 0,
            "total": 0,
            "counts_by_status": {"READY": 1},
            "rows": [],
            "next_cursor": None,
            "incomplete": False,
        },
    ),
    (
        BatchList,
        {
            "workspace_id": "w",
            "matching": 0,
            "total": 0,
            "counts_by_status": {"READY": "1"},
            "rows": [],
            "next_cursor": None,
            "incomplete": False,
        },
    ),
]


@pytest.mark.parametrize(("model", "document"), PROBES)
def test_compaction_keeps_the_validation_meaning(model: type[Any], document: dict[str, Any]) -> None:
    original = model.model_json_schema()
    compacted = inline_single_use_defs(compact_schema(original, output=True))
    verdicts = []
    for schema in (original, compacted):
        try:
            jsonschema.validate(document, schema)
            verdicts.append(True)
        except jsonschema.ValidationError:
            verdicts.append(False)
    assert verdicts[0] == verdicts[1]


@pytest.mark.parametrize("model", MODELS)
def test_compaction_saves_characters_and_keeps_field_names(model: type[Any]) -> None:
    original = model.model_json_schema()
    compacted = compact_schema(original, output=True)
    assert len(json.dumps(compacted)) < len(json.dumps(original))
    assert set(compacted["properties"]) == set(original["properties"])
    assert "title" not in compacted


def test_a_property_called_title_survives() -> None:
    compacted = compact_schema(WorkspaceList.model_json_schema(), output=True)
    assert "title" in compacted["$defs"]["WorkspaceRow"]["properties"]


def test_nullable_scalars_fold_and_objects_do_not() -> None:
    schema = {
        "properties": {
            "a": {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}], "default": None},
            "b": {"anyOf": [{"$ref": "#/$defs/X"}, {"type": "null"}]},
        }
    }
    compacted = compact_schema(schema)
    assert compacted["properties"]["a"] == {"type": ["string", "null"], "maxLength": 3, "default": None}
    assert compacted["properties"]["b"] == schema["properties"]["b"]
    assert "default" not in compact_schema(schema, output=True)["properties"]["a"]


def test_single_use_definitions_are_inlined_and_shared_ones_kept() -> None:
    schema = {
        "properties": {"a": {"$ref": "#/$defs/Once"}, "b": {"$ref": "#/$defs/Twice"}, "c": {"$ref": "#/$defs/Twice"}},
        "$defs": {"Once": {"type": "integer"}, "Twice": {"type": "string"}},
    }
    inlined = inline_single_use_defs(schema)
    assert inlined["properties"]["a"] == {"type": "integer"}
    assert inlined["properties"]["b"] == {"$ref": "#/$defs/Twice"}
    assert inlined["$defs"] == {"Twice": {"type": "string"}}
    jsonschema.validate({"a": 1, "b": "x", "c": "y"}, inlined)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"a": "1"}, inlined)
