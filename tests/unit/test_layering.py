"""The layering is a test, not a hope: contracts over the import graph of src/ (every import, at any depth in a
module, relative ones resolved).

MCP layer (server, tools, resources, prompts, boundary, context, sdk) -> reads -> summaries -> client -> HTTP.
The simulator shares no code with the client.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

PACKAGE = "prolific_taskbuilder_mcp"
SRC = Path(__file__).parents[2] / "src" / PACKAGE
MCP_MODULES = ("mcp", "mcp_types")
OUR_MCP_LAYER = tuple(
    f"{PACKAGE}.{name}" for name in ("server", "tools", "resources", "prompts", "boundary", "context", "sdk")
)
FAMILIES = ("batches", "datasets", "collections", "account")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (for `from a import b`, both a and a.b, since b may be a module)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


GRAPH = {_module_name(path): _imports(path) for path in SRC.rglob("*.py")}


def _under(module: str, *prefixes: str) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def _violations(importers: tuple[str, ...], forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _under(module, *importers)
        for target in targets
        if _under(target, *forbidden) and not _under(target, *allowed)
    )


def _ours(*names: str) -> tuple[str, ...]:
    return tuple(f"{PACKAGE}.{name}" for name in names)


def test_the_graph_covers_every_layer() -> None:
    for layer in ("server.app", "tools.batches", "resources.batches", "reads.batches", "summaries.batches", "client"):
        assert f"{PACKAGE}.{layer}" in GRAPH
    assert f"{PACKAGE}.reads.batches" in GRAPH[f"{PACKAGE}.tools.batches"]  # the walk sees relative imports


def test_resources_do_not_import_tools_and_tools_do_not_import_resources() -> None:
    assert _violations(_ours("resources"), _ours("tools")) == []
    assert _violations(_ours("tools"), _ours("resources", "prompts")) == []
    assert _violations(_ours("prompts"), _ours("tools", "resources")) == []


@pytest.mark.parametrize("kind", ["tools", "resources", "prompts", "reads"])
def test_no_family_imports_a_sibling_family(kind: str) -> None:
    for family in FAMILIES:
        siblings = tuple(f"{PACKAGE}.{kind}.{other}" for other in FAMILIES if other != family)
        assert _violations(_ours(f"{kind}.{family}"), siblings) == []


def test_reads_and_summaries_know_nothing_of_mcp() -> None:
    assert _violations(_ours("reads", "summaries"), MCP_MODULES + OUR_MCP_LAYER) == []


def test_summaries_do_no_io() -> None:
    assert _violations(_ours("summaries"), ("httpx", "anyio", "asyncio", "socket", *_ours("reads"))) == []


def test_the_client_knows_nothing_of_mcp_or_the_layers_above() -> None:
    above = _ours("reads", "summaries", "sandbox", "errors", "config") + OUR_MCP_LAYER
    assert _violations(_ours("client"), MCP_MODULES + above) == []


def test_the_simulator_and_the_client_share_no_code() -> None:
    assert _violations(_ours("sandbox"), _ours("client", "reads", "summaries", "errors", "ids") + OUR_MCP_LAYER) == []
    assert _violations(_ours("client"), _ours("sandbox")) == []


PRIVATE_SDK = re.compile(r"[.\"']_(lowlevel_server|tool_manager|resource_manager|prompt_manager|connection)\b")


def test_private_sdk_attributes_are_used_in_one_module_only() -> None:
    users = sorted(
        _module_name(path) for path in SRC.rglob("*.py") if PRIVATE_SDK.search(path.read_text(encoding="utf-8"))
    )
    assert users == [f"{PACKAGE}.sdk"]


def test_the_worker_supervisor_imports_only_the_standard_library_and_sockets() -> None:
    """`--workers N` keeps a supervising process alive for the server's lifetime: it must stay lean (no pydantic,
    SDK, uvicorn or app), so its imports are the standard library's and the socket helpers'."""
    imported = _imports(SRC / "workers.py")
    ours = {name for name in imported if _under(name, PACKAGE)}
    assert {name for name in ours if not _under(name, f"{PACKAGE}.sockets")} == set(), ours
    others = {name.split(".")[0] for name in imported - ours}
    assert others <= set(sys.stdlib_module_names), others - set(sys.stdlib_module_names)
