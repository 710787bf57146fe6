"""Tool schemas: compacted for tools/list, and precomputed so that start-up does not generate them.

Compact JSON Schemas for tools/list: the same constraints in fewer characters (context is a budget).

Pydantic's schemas repeat a `title` on every model and property, spell nullable fields as
`anyOf: [{type: T}, {type: null}]`, and carry `default: null` on optional output fields. Every client
receives all of tools/list, and models read the input schemas, so those are rewritten: titles dropped (names and
descriptions remain), simple nullables folded into `type: [T, "null"]`, defaults dropped from output
schemas (an output has no defaults). The validation meaning is unchanged; tests validate real results
against the compacted schemas.

Precomputed: generating 17 tools' input and output schemas with pydantic takes about 50 ms, a third of
what this server adds to the SDK's own start-up, and clients spawn stdio servers often. The compacted
schemas are therefore generated once (`make schemas`) into tool_schemas.json beside this module, and
loaded at start-up. A test regenerates them from the code and fails when the file is stale; a tool
missing from the file is generated at start-up as before. Arguments and results are still validated at
call time by the pydantic models, never by the file.
"""

from __future__ import annotations

import inspect
import json
import logging
import sys
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp.server.mcpserver.tools import Tool

    from ..tools import ToolSpec

logger = logging.getLogger(__name__)

SCHEMA_FILE = Path(__file__).with_name("tool_schemas.json")

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


def build_tools(specs: Iterable[ToolSpec], *, precomputed: bool = True) -> list[Tool]:
    """The SDK's tools for `specs`, with compacted schemas: precomputed ones when available."""
    schemas = load_schema_file() if precomputed else {}
    return [_tool_from(spec, schemas.get(spec.name)) for spec in specs]


def generate_schema_file(specs: Iterable[ToolSpec]) -> dict[str, dict[str, Any]]:
    """What tool_schemas.json must hold for `specs`: each tool's compacted input and output schema."""
    return {
        tool.name: {"inputSchema": tool.parameters, "outputSchema": tool.output_schema}
        for tool in build_tools(specs, precomputed=False)
    }


def load_schema_file() -> dict[str, Any]:
    try:
        loaded = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("Precomputed tool schemas unreadable (%s); generating them", type(exc).__name__)
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _tool_from(spec: ToolSpec, schemas: Mapping[str, Any] | None) -> Tool:
    from mcp.server.mcpserver.tools import Tool
    from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata, func_metadata

    if schemas is None:
        logger.debug("No precomputed schemas for %s; generating them", spec.name)
        tool = Tool.from_function(spec.fn, title=spec.title, description=spec.description, annotations=spec.annotations)
        tool.parameters = compact_schema(tool.parameters)
        metadata = tool.fn_metadata
        if metadata.output_schema is not None:
            metadata.output_schema = inline_single_use_defs(compact_schema(metadata.output_schema, output=True))
        return tool
    hints = typing.get_type_hints(spec.fn, include_extras=True)  # once: evaluating annotations is the cost
    context_kwarg = _context_parameter(hints)
    # Only the arguments model is built here; with its schema given, FuncMetadata does not derive one.
    arguments = func_metadata(spec.fn, skip_names=[context_kwarg] if context_kwarg else [], structured_output=False)
    metadata = FuncMetadata(
        arg_model=arguments.arg_model,
        output_model=_output_model(spec.name, hints.get("return")),
        output_schema=schemas["outputSchema"],
    )
    return Tool(
        fn=spec.fn,
        name=spec.name,
        title=spec.title,
        description=spec.description,
        parameters=schemas["inputSchema"],
        fn_metadata=metadata,
        is_async=inspect.iscoroutinefunction(spec.fn),
        context_kwarg=context_kwarg,
        annotations=spec.annotations,
    )


def _context_parameter(hints: Mapping[str, Any]) -> str | None:
    """The parameter annotated with the SDK's Context (what `Tool.from_function` finds)."""
    from mcp.server.mcpserver import Context

    for name, hint in hints.items():
        kind = typing.get_origin(hint) or hint
        if name != "return" and inspect.isclass(kind) and issubclass(kind, Context):
            return name
    return None


def _output_model(name: str, returned: Any) -> Any:
    """The model in a tool's `Annotated[CallToolResult, Model]` return annotation."""
    arguments = typing.get_args(returned)
    if len(arguments) != 2:
        raise TypeError(f"{name} must return Annotated[CallToolResult, OutputModel]")
    return arguments[1]


def write_schema_file() -> None:
    """`make schemas`: regenerate tool_schemas.json from the code."""
    from ..tools import TOOLSETS

    specs = [spec for toolset in TOOLSETS.values() for spec in toolset]
    text = json.dumps(generate_schema_file(specs), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    sys.stderr.write(f"wrote {len(specs)} tools' schemas to {SCHEMA_FILE}\n")
