"""What the model sees is deliberate: annotations are explicit, and every tool, resource template and prompt matches
its committed snapshot (one file per tool in tests/snapshots/tools/, as github-mcp-server keeps them).

After an intended change, regenerate with `make snapshots` (UPDATE_SNAPSHOTS=1) and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.config import Settings
from prolific_taskbuilder_mcp.server import create_server

pytestmark = pytest.mark.anyio

SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
TOOLS = SNAPSHOTS / "tools"
UPDATE = bool(os.environ.get("UPDATE_SNAPSHOTS"))


async def _surface() -> dict[str, list[dict[str, Any]]]:
    async with Client(create_server(Settings(demo=True, allow_writes=True))) as client:  # every tool, writes too
        tools = (await client.list_tools()).tools
        templates = (await client.list_resource_templates()).resource_templates
        prompts = (await client.list_prompts()).prompts
    return {
        "tools": [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools],
        "resource_templates": [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in templates],
        "prompts": [p.model_dump(mode="json", by_alias=True, exclude_none=True) for p in prompts],
    }


def _check(path: Path, value: Any) -> None:
    rendered = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered)
    assert path.exists(), f"no snapshot {path.name} yet: run `make snapshots`"
    assert json.loads(path.read_text()) == value, f"{path.name} changed: review, then `make snapshots`"


async def test_every_tool_declares_all_four_annotations_explicitly() -> None:
    for tool in (await _surface())["tools"]:
        annotations = tool.get("annotations", {})
        for hint in ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"):
            assert isinstance(annotations.get(hint), bool), f"{tool['name']} lacks {hint}"
        assert tool.get("title"), tool["name"]
        assert tool.get("description"), tool["name"]
        assert "outputSchema" in tool, tool["name"]


async def test_each_tool_matches_its_committed_snapshot() -> None:
    tools = (await _surface())["tools"]
    for tool in tools:
        _check(TOOLS / f"{tool['name']}.json", tool)
    if UPDATE:
        for stale in set(TOOLS.glob("*.json")) - {TOOLS / f"{tool['name']}.json" for tool in tools}:
            stale.unlink()
    assert sorted(path.stem for path in TOOLS.glob("*.json")) == sorted(tool["name"] for tool in tools), (
        "a snapshot has no tool (or a tool no snapshot): run `make snapshots`"
    )


async def test_the_order_of_tools_templates_and_prompts_matches_the_snapshot() -> None:
    surface = await _surface()
    _check(SNAPSHOTS / "order.json", {kind: [item.get("name") for item in items] for kind, items in surface.items()})


async def test_resource_templates_and_prompts_match_their_snapshots() -> None:
    surface = await _surface()
    _check(SNAPSHOTS / "resource_templates.json", surface["resource_templates"])
    _check(SNAPSHOTS / "prompts.json", surface["prompts"])


async def test_tools_are_listed_in_a_stable_order() -> None:
    first = [tool["name"] for tool in (await _surface())["tools"]]
    second = [tool["name"] for tool in (await _surface())["tools"]]
    assert first == second
