"""What the model sees is deliberate: annotations are explicit and tools/list matches a committed snapshot.

After an intended change, regenerate with `UPDATE_SNAPSHOTS=1 make pytest` and review the diff.
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

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"


async def _surface() -> dict[str, Any]:
    async with Client(create_server(Settings(demo=True))) as client:
        tools = (await client.list_tools()).tools
        templates = (await client.list_resource_templates()).resource_templates
        prompts = (await client.list_prompts()).prompts
    return {
        "tools": [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools],
        "resource_templates": [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in templates],
        "prompts": [p.model_dump(mode="json", by_alias=True, exclude_none=True) for p in prompts],
    }


async def test_every_tool_declares_all_four_annotations_explicitly() -> None:
    for tool in (await _surface())["tools"]:
        annotations = tool.get("annotations", {})
        for hint in ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"):
            assert isinstance(annotations.get(hint), bool), f"{tool['name']} lacks {hint}"
        assert tool.get("title"), tool["name"]
        assert tool.get("description"), tool["name"]
        assert "outputSchema" in tool, tool["name"]


async def test_tools_list_matches_the_committed_snapshot() -> None:
    surface = await _surface()
    rendered = json.dumps(surface, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(rendered)
    assert SNAPSHOT.exists(), "no snapshot yet: run with UPDATE_SNAPSHOTS=1"
    assert json.loads(SNAPSHOT.read_text()) == surface, "tools/list changed: review, then UPDATE_SNAPSHOTS=1"


async def test_tools_are_listed_in_a_stable_order() -> None:
    first = [tool["name"] for tool in (await _surface())["tools"]]
    second = [tool["name"] for tool in (await _surface())["tools"]]
    assert first == second
