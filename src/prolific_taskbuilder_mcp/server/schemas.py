"""Tools for tools/list: built by the SDK's own `Tool.from_function`, with compacted schemas.

Compact JSON Schemas: the same constraints in fewer characters (context is a budget). Pydantic's schemas
repeat a `title` on every model and property, spell nullable fields as `anyOf: [{type: T}, {type: null}]`, and
carry `default: null` on optional output fields. Every client receives all of tools/list, and models read the
input schemas, so those are rewritten: titles dropped (names and descriptions remain), simple nullables folded
into `type: [T, "null"]`, defaults dropped from output schemas (an output has no defaults), definitions used once
inlined. The validation meaning is unchanged; tests validate real results against the compacted schemas, and
tests/snapshots/tools/ holds what each tool looks like to a client.

Cached, not committed: generating the schemas is most of this server's start-up work, and clients spawn stdio
servers often. The first start of a given version of the code builds every tool with `Tool.from_function` and
writes the compacted schemas to a cache file named by a fingerprint of the package's source and the versions of
Python, the SDK and pydantic; later starts of the same code read it (`sdk.tool_from_parts`). Any change to the
code or those versions changes the fingerprint, so a stale cache is never read; an unreadable or unwritable
cache only means generating again.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
import platform
import sys
import time
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp.server.mcpserver.tools import Tool

    from ..tools._common import ToolSpec

logger = logging.getLogger(__name__)

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
_STALE_AFTER = 24 * 3600.0

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
    from mcp.server.mcpserver.tools import Tool

    key = (spec.fn, spec.title)
    if key not in _BUILT:
        tool = Tool.from_function(spec.fn, title=spec.title, description=spec.description, annotations=spec.annotations)
        tool.parameters = compact_schema(tool.parameters)
        metadata = tool.fn_metadata
        if metadata.output_schema is not None:
            metadata.output_schema = inline_single_use_defs(compact_schema(metadata.output_schema, output=True))
        _BUILT[key] = tool
    return _BUILT[key]


def build_tools(specs: Sequence[ToolSpec], cache_dir: str | None = None) -> list[Tool]:
    """The tools for `specs`: from this process's memo, else the schema cache, else `Tool.from_function`.

    `cache_dir`: the cache's folder (PROLIFIC_MCP_CACHE_DIR); None for the user's cache folder, "off" for none.
    """
    if all((spec.fn, spec.title) in _BUILT for spec in specs):
        return [build_tool(spec) for spec in specs]
    directory = cache_folder(cache_dir)
    path = directory / f"tools-{fingerprint()}.json" if directory is not None else None
    cached = _read_cache(path)
    tools = []
    for spec in specs:
        entry = cached.get(spec.name)
        if (spec.fn, spec.title) not in _BUILT and entry is not None and entry.get("title") == spec.title:
            _BUILT[(spec.fn, spec.title)] = _from_cache(spec, entry)
        tools.append(build_tool(spec))
    missing = [tool for tool in tools if tool.name not in cached]
    if missing and path is not None:
        _write_cache(path, {**cached, **{tool.name: _cache_entry(tool) for tool in missing}})
    return tools


def with_wait_limit(tools: list[Tool], max_wait: float) -> list[Tool]:
    """The tools with `timeout_seconds` advertising the configured maximum wait (PROLIFIC_MCP_MAX_WAIT), so the
    schema a client sees allows exactly the waits the server accepts."""
    limited = []
    for tool in tools:
        properties = tool.parameters.get("properties", {})
        if "timeout_seconds" not in properties:
            limited.append(tool)
            continue
        timeout = {**properties["timeout_seconds"], "maximum": max_wait}
        parameters = {**tool.parameters, "properties": {**properties, "timeout_seconds": timeout}}
        limited.append(tool.model_copy(update={"parameters": parameters}))
    return limited


def cache_folder(configured: str | None) -> Path | None:
    """The configured folder; None (no cache) for "off"; else the user's cache folder (XDG_CACHE_HOME, ~/.cache,
    or LOCALAPPDATA on Windows)."""
    if configured is not None:
        return None if configured.strip().lower() in ("off", "") else Path(configured).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "prolific-taskbuilder-mcp"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "prolific-taskbuilder-mcp"


def fingerprint() -> str:
    """What the schemas depend on: every source file of the package and the installed SDK (by path, size and
    modification time, as Python's own bytecode cache judges them; a reinstall rewrites the files), and the Python
    and pydantic versions. Read from the files rather than `importlib.metadata`, which costs milliseconds a start."""
    import mcp
    import mcp_types
    import pydantic

    digest = hashlib.sha256()
    for part in (platform.python_version(), pydantic.VERSION, str(PACKAGE_ROOT)):
        digest.update(part.encode() + b"\0")
    for module in (mcp, mcp_types):
        if module.__file__ is not None:
            stat = os.stat(module.__file__)
            digest.update(f"{module.__file__}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    root = str(PACKAGE_ROOT)
    for source in sorted(_sources(root)):
        stat = os.stat(source)
        digest.update(f"{os.path.relpath(source, root)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:32]


def _sources(folder: str) -> list[str]:
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                found += _sources(entry.path)
            elif entry.name.endswith(".py"):
                found.append(entry.path)
    return found


def _cache_entry(tool: Tool) -> dict[str, Any]:
    return {
        "title": tool.title,
        "inputSchema": tool.parameters,
        "outputSchema": tool.output_schema,
        "context_kwarg": tool.context_kwarg,
    }


def _from_cache(spec: ToolSpec, entry: dict[str, Any]) -> Tool:
    from ..sdk import tool_from_parts

    tool: Tool = tool_from_parts(
        spec.fn,
        name=spec.name,
        title=spec.title,
        description=spec.description,
        annotations=spec.annotations,
        parameters=entry["inputSchema"],
        output_schema=entry["outputSchema"],
        output_model=output_model(spec),
        context_kwarg=entry["context_kwarg"],
    )
    return tool


def output_model(spec: ToolSpec) -> Any:
    """The model in a tool's `Annotated[CallToolResult, OutputModel]` return annotation."""
    returned = typing.get_type_hints(spec.fn, include_extras=True).get("return")
    arguments = typing.get_args(returned)
    if len(arguments) != 2 or not inspect.isclass(arguments[1]):
        raise TypeError(f"{spec.name} must return Annotated[CallToolResult, OutputModel]")
    return arguments[1]


def _read_cache(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        os.utime(path)  # in use: not stale
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.debug("tool schema cache unreadable (%s); generating the schemas", type(exc).__name__)
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write_cache(path: Path, entries: dict[str, Any]) -> None:
    """Atomically (a temporary file renamed into place), so concurrent starts never read half a file. Caches of
    other versions of the code unused for a day are removed (another install may still be using a newer one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entries, separators=(",", ":")), encoding="utf-8")
        temporary.replace(path)
        for other in path.parent.glob("tools-*.json"):
            if other != path and time.time() - other.stat().st_mtime > _STALE_AFTER:
                other.unlink(missing_ok=True)
    except OSError as exc:
        logger.debug("tool schema cache not written (%s)", type(exc).__name__)
