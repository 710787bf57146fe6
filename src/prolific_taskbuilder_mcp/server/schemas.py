"""Tools for tools/list: built by the SDK's own `Tool.from_function`, with compacted schemas.

Compact JSON Schemas: the same constraints in fewer characters (context is a budget). Pydantic's schemas
repeat a `title` on every model and property, spell nullable fields as `anyOf: [{type: T}, {type: null}]`, and
carry `default: null` on optional output fields. Every client receives all of tools/list, and models read the
input schemas, so those are rewritten: titles dropped (names and descriptions remain), simple nullables folded
into `type: [T, "null"]`, defaults dropped from output schemas (an output has no defaults), definitions used once
inlined. The validation meaning is unchanged; tests validate real results against the compacted schemas, and
tests/snapshots/tools/ holds what each tool looks like to a client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp.server.mcpserver.tools import Tool

    from ..tools._common import ToolSpec

_MAPS_OF_SCHEMAS = ("properties", "$defs", "patternProperties")
_LISTS_OF_SCHEMAS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMAS = ("items", "additionalProperties", "not")


def compact_schema(schema: Any, *, output: bool = False) -> Any:
    """A compacted copy of a JSON Schema object."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and output:
            continue
        if key in _MAPS_OF_SCHEMAS and isinstance(value, dict):
            out[key] = {name: compact_schema(sub, output=output) for name, sub in value.items()}
        elif key in _LISTS_OF_SCHEMAS and isinstance(value, list):
            out[key] = [compact_schema(sub, output=output) for sub in value]
        elif key in _SCHEMAS and isinstance(value, dict):
            out[key] = compact_schema(value, output=output)
        else:
            out[key] = value
    return _fold_nullable(out)


def _fold_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [{type: T, ...}, {type: null}]` -> `type: [T, "null"], ...` for scalar and array types."""
    options = schema.get("anyOf")
    if not isinstance(options, list) or len(options) != 2 or {"type": "null"} not in options:
        return schema
    other = options[0] if options[1] == {"type": "null"} else options[1]
    kind = other.get("type")
    if kind not in ("string", "integer", "number", "boolean", "array"):
        return schema  # objects and $refs keep the long form
    merged = {k: v for k, v in schema.items() if k != "anyOf"}
    for key, value in other.items():
        if key == "description" and "description" in merged:
            continue  # the field's own description wins over its type's
        if key in merged:
            return schema  # a clash: keep the long form
        merged[key] = value
    merged["type"] = [kind, "null"]
    return merged


def inline_single_use_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace `$ref`s to definitions used exactly once by the definition itself.

    Shorter, and cheaper for clients to validate against (no reference resolution per result). Definitions
    used more than once, or recursively, stay in `$defs`.
    """
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return schema
    uses: dict[str, int] = {}

    def count(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                uses[ref[8:]] = uses.get(ref[8:], 0) + 1
            for value in node.values():
                count(value)
        elif isinstance(node, list):
            for value in node:
                count(value)

    count(schema)
    single = {name for name, n in uses.items() if n == 1 and name in defs}

    def replace(node: Any, depth: int = 0) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref[8:] in single and len(node) == 1 and depth < 20:
                return replace(defs[ref[8:]], depth + 1)
            return {k: replace(v, depth) for k, v in node.items()}
        if isinstance(node, list):
            return [replace(v, depth) for v in node]
        return node

    out = replace({k: v for k, v in schema.items() if k != "$defs"})
    kept = {name: replace(value) for name, value in defs.items() if name not in single}
    if kept:
        out["$defs"] = kept
    return dict(out)


_BUILT: dict[tuple[Callable[..., Any], str], Tool] = {}
"""Tools already built in this process: a server is built once per process, but tests build hundreds."""


def build_tool(spec: ToolSpec) -> Tool:
    """The SDK's tool for `spec` (`Tool.from_function`, with all its checks), its schemas compacted."""
    key = (spec.fn, spec.title)
    if key not in _BUILT:
        _BUILT[key] = _build(spec)
    return _BUILT[key]


def _build(spec: ToolSpec) -> Tool:
    from mcp.server.mcpserver.tools import Tool

    tool = Tool.from_function(spec.fn, title=spec.title, description=spec.description, annotations=spec.annotations)
    tool.parameters = compact_schema(tool.parameters)
    metadata = tool.fn_metadata
    if metadata.output_schema is not None:
        metadata.output_schema = inline_single_use_defs(compact_schema(metadata.output_schema, output=True))
    return tool


def build_tools(specs: Iterable[ToolSpec]) -> list[Tool]:
    return [build_tool(spec) for spec in specs]
