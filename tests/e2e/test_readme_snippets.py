"""Every JSON and TOML client snippet in the README really starts the server and talks MCP.

`uvx prolific-taskbuilder-mcp ARGS` is run as the installed `prolific-taskbuilder-mcp ARGS` (the package is
not fetched from PyPI here; `test_packaging.py` runs the built wheel through uvx). Placeholder tokens are
replaced by the test token, and token variants are pointed at the simulator.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from prolific_taskbuilder_mcp.sandbox import READY_BATCH_ID
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.processes import COMMAND, child_env, serve_http
from tests.support.simulator import CANARY_TOKEN

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

README = (Path(__file__).parents[2] / "README.md").read_text()
BLOCKS = re.findall(r"```(json|toml)\n(.*?)```", README, re.S)
PLACEHOLDER_TOKENS = {"your-prolific-api-token", "${input:prolific-token}", "${env:PROLIFIC_TOKEN}"}
HTTP_KEY = "your-access-key-of-at-least-32-characters"


def _servers() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for language, body in BLOCKS:
        document = json.loads(body) if language == "json" else tomllib.loads(body)
        servers = document.get("mcpServers") or document.get("servers") or document.get("mcp_servers")
        assert servers, f"a {language} snippet configures no server: {body[:80]}"
        found += [(f"{language}:{name}:{n}", entry) for n, (name, entry) in enumerate(servers.items())]
    return found


SERVERS = _servers()
STDIO = [(name, entry) for name, entry in SERVERS if "command" in entry]
REMOTE = [(name, entry) for name, entry in SERVERS if "url" in entry]


def test_the_readme_has_a_snippet_for_every_client() -> None:
    for client in ("Claude Desktop", "Claude Code", "Cursor", "VS Code", "Codex CLI", "Streamable HTTP"):
        assert f"### {client}" in README or client in README
    assert len(STDIO) >= 9
    assert len(REMOTE) >= 2
    assert any("--demo" in entry.get("args", []) for _, entry in STDIO)
    assert any("PROLIFIC_TOKEN" in entry.get("env", {}) for _, entry in STDIO)
    vscode = [json.loads(body) for language, body in BLOCKS if language == "json" and '"servers"' in body]
    assert any(doc.get("inputs", [{}])[0].get("password") is True for doc in vscode)
    codex = [tomllib.loads(body) for language, body in BLOCKS if language == "toml"]
    assert all(entry["startup_timeout_sec"] >= 30 for doc in codex for entry in doc["mcp_servers"].values())


def _local_command(entry: dict[str, Any]) -> list[str]:
    command, args = entry["command"], list(entry.get("args", []))
    if Path(command).name == "uvx":
        assert args[0] == "prolific-taskbuilder-mcp", "uvx must name the published package"
        args = args[1:]
    else:
        assert Path(command).name == "prolific-taskbuilder-mcp", f"unexpected command {command}"
    return [COMMAND, *args]


def _environment(entry: dict[str, Any], sandbox: RunningSandbox) -> dict[str, str]:
    env = {k: (CANARY_TOKEN if v in PLACEHOLDER_TOKENS else v) for k, v in entry.get("env", {}).items()}
    if "--demo" not in entry.get("args", []):
        assert env.get("PROLIFIC_TOKEN") == CANARY_TOKEN, "a real-token snippet sets PROLIFIC_TOKEN"
        env["PROLIFIC_URL"] = sandbox.url  # the simulator stands in for api.prolific.com
    return child_env(**env)


@pytest.mark.parametrize(("name", "entry"), STDIO, ids=[name for name, _ in STDIO])
async def test_each_stdio_snippet_starts_the_server(sandbox: RunningSandbox, name: str, entry: dict[str, Any]) -> None:
    command = _local_command(entry)
    params = StdioServerParameters(command=command[0], args=command[1:], env=_environment(entry, sandbox))
    async with Client(stdio_client(params)) as client:
        assert "get_batch" in [tool.name for tool in (await client.list_tools()).tools]
        result = await client.call_tool("get_batch_status", {"batch_id": READY_BATCH_ID})
        assert result.is_error is False
        assert isinstance(result.structured_content, dict)
        assert result.structured_content["status"] == "READY"


def test_the_claude_code_commands_name_the_same_server() -> None:
    lines = [line for line in README.splitlines() if line.startswith("claude mcp add") and " -- " in line]
    assert len(lines) >= 2
    for line in lines:
        after = shlex.split(line.split(" -- ", 1)[1])
        assert after[:2] == ["uvx", "prolific-taskbuilder-mcp"]
        assert set(after[2:]) <= {"--demo"}


@pytest.mark.parametrize(("name", "entry"), REMOTE, ids=[name for name, _ in REMOTE])
async def test_each_remote_snippet_reaches_the_http_server(
    sandbox: RunningSandbox, tmp_path: Path, name: str, entry: dict[str, Any]
) -> None:
    headers = {k: (CANARY_TOKEN if v in PLACEHOLDER_TOKENS else v) for k, v in entry["headers"].items()}
    per_user = "X-Prolific-Token" in headers
    env = child_env(PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_HTTP_KEY=HTTP_KEY)
    env.update({"PROLIFIC_MCP_PER_USER_TOKENS": "1"} if per_user else {"PROLIFIC_TOKEN": CANARY_TOKEN})
    with serve_http(env, log=tmp_path / "server.log") as server:
        url = entry["url"].replace("127.0.0.1:8000", f"127.0.0.1:{server.port}")
        assert entry.get("type", "http") == "http"
        http = httpx2.AsyncClient(headers=headers)
        async with http, Client(streamable_http_client(url, http_client=http)) as client:
            result = await client.call_tool("get_batch_status", {"batch_id": READY_BATCH_ID})
            assert result.is_error is False
        unauthenticated = httpx2.AsyncClient()
        async with unauthenticated:
            refused = await unauthenticated.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
            assert refused.status_code == 401
            if per_user:  # the key alone is not enough: the user's own token is required too
                keyed = {"Authorization": headers["Authorization"]}
                no_token = await unauthenticated.post(
                    url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers=keyed
                )
                assert no_token.status_code == 401
                assert "X-Prolific-Token" in no_token.text


def test_the_remote_recipe_works_as_written_with_a_real_host_header(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """The README's remote recipe, replayed: its flags, a generated key, a request for `myserver.example`."""
    import secrets

    import httpx

    line = next(line for line in README.splitlines() if "--allowed-hosts myserver.example" in line and "--host" in line)
    words = shlex.split(line.split("prolific-taskbuilder-mcp", 1)[1])
    words = [w for w in words if w not in ("--transport", "http", "--port", "8000")]  # serve_http sets these
    key = secrets.token_urlsafe(32)
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_HTTP_KEY=key)
    with serve_http(env, *words, log=tmp_path / "server.log") as server:
        url = f"http://127.0.0.1:{server.port}/mcp"
        headers = {
            "Authorization": f"Bearer {key}",
            "Accept": "application/json, text/event-stream",
            "Content-Type": "application/json",
        }
        initialize = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        }
        named = httpx.post(url, json=initialize, headers={**headers, "Host": f"myserver.example:{server.port}"})
        assert named.status_code == 200, named.text
        other = httpx.post(url, json=initialize, headers={**headers, "Host": f"evil.example:{server.port}"})
        assert other.status_code == 421
