"""Compacted tool schemas mean what pydantic's schemas mean, in fewer characters."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from prolific_taskbuilder_mcp.server import schemas
from prolific_taskbuilder_mcp.server.schemas import (
    SCHEMA_FILE,
    build_tools,
    compact_schema,
    generate_schema_file,
    inline_single_use_defs,
)
from prolific_taskbuilder_mcp.summaries.account import WorkspaceList
from prolific_taskbuilder_mcp.summaries.batches import BatchList, BatchSummary
from prolific_taskbuilder_mcp.summaries.responses import ResponsesSummary
from prolific_taskbuilder_mcp.tools import TOOLSETS

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


def test_the_precomputed_tool_schemas_match_the_code() -> None:
    """tool_schemas.json is what the models generate today; if this fails, run `make schemas`."""
    specs = [spec for toolset in TOOLSETS.values() for spec in toolset]
    stored = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert stored == generate_schema_file(specs), "tool_schemas.json is stale: run `make schemas`"


def test_tools_built_from_precomputed_schemas_equal_tools_built_from_the_code() -> None:
    specs = [spec for toolset in TOOLSETS.values() for spec in toolset]
    fast = build_tools(specs)
    slow = build_tools(specs, precomputed=False)
    assert [t.name for t in fast] == [t.name for t in slow] == [s.name for s in specs]
    for quick, generated in zip(fast, slow, strict=True):
        assert quick.parameters == generated.parameters
        assert quick.output_schema == generated.output_schema
        assert quick.fn_metadata.output_model is generated.fn_metadata.output_model
        assert quick.fn_metadata.arg_model.model_json_schema() == generated.fn_metadata.arg_model.model_json_schema()
        assert (quick.title, quick.description, quick.annotations) == (
            generated.title,
            generated.description,
            generated.annotations,
        )
        assert (quick.context_kwarg, quick.is_async) == (generated.context_kwarg, generated.is_async)


def test_a_tool_missing_from_the_precomputed_file_is_generated(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = TOOLSETS["account"][0]
    monkeypatch.setattr(schemas, "load_schema_file", dict)
    (tool,) = build_tools([spec])
    assert tool.output_schema == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))[spec.name]["outputSchema"]
