"""Tested against an external client: the MCP Inspector CLI (TypeScript, from npm) drives the demo server.

`make pytest` installs it (pinned) into .tools/inspector and passes its path in PROLIFIC_MCP_INSPECTOR.
Without npm the tests skip, except under CI, where a missing Inspector is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from prolific_taskbuilder_mcp.sandbox import SEED_BATCH_ID
from tests.support.calls import TOOL_ORDER
from tests.support.processes import COMMAND, child_env, serve_http

pytestmark = pytest.mark.e2e

INSPECTOR = os.environ.get("PROLIFIC_MCP_INSPECTOR", "")


@pytest.fixture(scope="module")
def inspector() -> str:
    if not Path(INSPECTOR).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the MCP Inspector CLI is missing ({INSPECTOR!r}); `make inspector` installs it")
        pytest.skip("MCP Inspector CLI not installed (needs npm; `make inspector`)")
    return INSPECTOR


def _run(inspector: str, target: list[str], *method: str) -> Any:
    completed = subprocess.run(
        [inspector, "--cli", *target, "--method", *method],
        capture_output=True,
        text=True,
        timeout=90,
        env=child_env(),
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout)


STDIO = [COMMAND, "--demo"]


def test_inspector_lists_our_tools_over_stdio(inspector: str) -> None:
    listed = _run(inspector, STDIO, "tools/list")
    assert [tool["name"] for tool in listed["tools"]] == TOOL_ORDER
    assert all(tool["outputSchema"] and tool["annotations"] for tool in listed["tools"])


def test_inspector_calls_get_batch_over_stdio(inspector: str) -> None:
    called = _run(inspector, STDIO, "tools/call", "--tool-name", "get_batch", "--tool-arg", f"batch_id={SEED_BATCH_ID}")
    assert called.get("isError") in (None, False)
    assert called["structuredContent"]["status"] == "UNINITIALISED"
    assert called["content"][0]["text"].startswith('Batch "Data Collection Batch"')


def test_inspector_reads_a_batch_resource_over_stdio(inspector: str) -> None:
    read = _run(inspector, STDIO, "resources/read", "--uri", f"prolific://batches/{SEED_BATCH_ID}")
    content = read["contents"][0]
    assert content["mimeType"] == "application/json"
    assert json.loads(content["text"])["id"] == SEED_BATCH_ID


def test_inspector_lists_prompts_over_stdio(inspector: str) -> None:
    prompts = _run(inspector, STDIO, "prompts/list")
    assert {p["name"] for p in prompts["prompts"]} == {
        "batch_status_report",
        "troubleshoot_batch",
        "analyze_batch_responses",
    }


def test_inspector_drives_the_http_server(inspector: str, tmp_path: Path) -> None:
    with serve_http(child_env(), "--demo", log=tmp_path / "server.log") as server:
        target = [server.url, "--transport", "http"]
        assert [tool["name"] for tool in _run(inspector, target, "tools/list")["tools"]] == TOOL_ORDER
        called = _run(
            inspector, target, "tools/call", "--tool-name", "get_batch", "--tool-arg", f"batch_id={SEED_BATCH_ID}"
        )
        assert called["structuredContent"]["id"] == SEED_BATCH_ID
        read = _run(inspector, target, "resources/read", "--uri", f"prolific://batches/{SEED_BATCH_ID}")
        assert json.loads(read["contents"][0]["text"])["status"] == "UNINITIALISED"
        assert len(_run(inspector, target, "prompts/list")["prompts"]) == 3
