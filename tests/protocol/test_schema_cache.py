"""The tool-schema cache: a tool read from it is the tool `Tool.from_function` builds, a stale or broken cache is
never trusted, and a server without a usable cache folder still starts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mcp
import pydantic
import pytest
from mcp import Client
from mcp.server.mcpserver.tools import Tool

from prolific_taskbuilder_mcp.config import Settings
from prolific_taskbuilder_mcp.server import create_server, schemas
from prolific_taskbuilder_mcp.server.toolsets import all_tools

pytestmark = pytest.mark.anyio


@pytest.fixture
def no_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the tools this test process built, so build_tools goes to the cache (or builds)."""
    monkeypatch.setattr(schemas, "_BUILT", {})


def _fields(tool: Tool) -> dict[str, Any]:
    """Everything the SDK reads from a tool, in comparable form."""
    metadata = tool.fn_metadata
    return {
        "name": tool.name,
        "title": tool.title,
        "description": tool.description,
        "parameters": tool.parameters,
        "output_schema": tool.output_schema,
        "output_model": metadata.output_model,
        "wrap_output": metadata.wrap_output,
        "arguments": metadata.arg_model.model_json_schema(),
        "argument_fields": list(metadata.arg_model.model_fields),
        "is_async": tool.is_async,
        "context_kwarg": tool.context_kwarg,
        "annotations": tool.annotations,
        "resolved_params": {name: (r.fn, union) for name, (r, union) in tool.resolved_params.items()},
        "resolver_plans": sorted(map(str, tool.resolver_plans)),
        "icons": tool.icons,
        "meta": tool.meta,
    }


@pytest.mark.usefixtures("no_memo")
def test_a_tool_read_from_the_cache_equals_the_tool_from_the_function(tmp_path: Path) -> None:
    specs = all_tools()
    built = schemas.build_tools(specs, str(tmp_path))  # a miss: Tool.from_function, then written
    (written,) = tmp_path.glob("tools-*.json")
    assert set(json.loads(written.read_text())) == {spec.name for spec in specs}
    schemas._BUILT.clear()
    cached = schemas.build_tools(specs, str(tmp_path))  # a hit
    for fresh, reread in zip(built, cached, strict=True):
        assert fresh is not reread
        assert _fields(reread) == _fields(fresh)


@pytest.mark.usefixtures("no_memo")
async def test_a_server_built_from_the_cache_lists_and_answers_as_before(tmp_path: Path) -> None:
    settings = Settings(demo=True, cache_dir=str(tmp_path))
    async with Client(create_server(settings)) as client:
        before = [tool.model_dump() for tool in (await client.list_tools()).tools]
    schemas._BUILT.clear()
    server = create_server(settings)
    unbuilt = [tool for tool in server._tools_by_name.values() if "arg_model" not in vars(tool.fn_metadata)]
    assert len(unbuilt) == len(server._tools_by_name.values())  # argument models wait for each tool's first call
    async with Client(server) as client:
        assert [tool.model_dump() for tool in (await client.list_tools()).tools] == before
        result = await client.call_tool("get_batch", {"batch_id": "a3f47c2e-9d4b-4f1a-8b2e-3c9d7f5a1b2c"})
        assert result.is_error is False
        invalid = await client.call_tool("get_batch", {"batch_id": "nope"})
        assert invalid.is_error is True  # the argument model validates as before
        assert "Nothing was sent to Prolific" in invalid.content[0].text  # type: ignore[union-attr]
    built = [tool.name for tool in server._tools_by_name.values() if "arg_model" in vars(tool.fn_metadata)]
    assert built == ["get_batch"]


@pytest.mark.usefixtures("no_memo")
def test_a_broken_cache_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / f"tools-{schemas.fingerprint()}.json"
    path.write_text("{not json")
    tools = schemas.build_tools(all_tools(), str(tmp_path))
    assert [tool.name for tool in tools] == [spec.name for spec in all_tools()]
    assert set(json.loads(path.read_text())) == {spec.name for spec in all_tools()}


@pytest.mark.usefixtures("no_memo")
def test_a_cache_entry_for_another_title_is_not_trusted(tmp_path: Path) -> None:
    specs = all_tools()
    schemas.build_tools(specs, str(tmp_path))
    (path,) = tmp_path.glob("tools-*.json")
    entries = json.loads(path.read_text())
    entries["get_batch"]["title"] = "Something else"
    entries["get_batch"]["outputSchema"] = {"type": "object"}
    path.write_text(json.dumps(entries))
    schemas._BUILT.clear()
    tool = next(tool for tool in schemas.build_tools(specs, str(tmp_path)) if tool.name == "get_batch")
    assert tool.output_schema != {"type": "object"}


@pytest.mark.usefixtures("no_memo")
def test_without_a_usable_cache_folder_the_tools_are_built_all_the_same(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    for folder in ("off", str(blocked / "cache")):
        schemas._BUILT.clear()
        tools = schemas.build_tools(all_tools(), folder)
        assert [tool.name for tool in tools] == [spec.name for spec in all_tools()]
    assert list(tmp_path.glob("**/tools-*.json")) == []


def test_the_fingerprint_follows_the_source_and_the_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "module.py").write_text("x = 1\n")
    monkeypatch.setattr(schemas, "PACKAGE_ROOT", tmp_path)
    first = schemas.fingerprint()
    assert schemas.fingerprint() == first
    (tmp_path / "module.py").write_text("x = 22\n")
    assert schemas.fingerprint() != first
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other.py").write_text("y = 1\n")
    assert schemas.fingerprint() != first
    second = schemas.fingerprint()
    monkeypatch.setattr(pydantic, "VERSION", "0.0.0")
    assert schemas.fingerprint() != second
    third = schemas.fingerprint()
    sdk = tmp_path / "sdk" / "__init__.py"  # a reinstalled SDK: its files are rewritten
    sdk.parent.mkdir()
    sdk.write_text("")
    monkeypatch.setattr(mcp, "__file__", str(sdk))
    fourth = schemas.fingerprint()
    assert fourth != third
    sdk.write_text("# 2.4.0\n")
    assert schemas.fingerprint() != fourth


def test_the_cache_folder_follows_the_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert schemas.cache_folder("off") is None
    assert schemas.cache_folder(str(tmp_path)) == tmp_path
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert schemas.cache_folder(None) == tmp_path / "prolific-taskbuilder-mcp"
