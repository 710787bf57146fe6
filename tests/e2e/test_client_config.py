"""`client-config`: the printed and written entries name this installation's command, keep the token out of
command lines, merge safely, and the written command really starts the server (tools/list answers)."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.support.processes import COMMAND, child_env
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.anyio

FILES = {
    "claude-desktop": ".config/Claude/claude_desktop_config.json",
    "cursor": ".cursor/mcp.json",
    "vscode": ".config/Code/User/mcp.json",
    "codex": ".codex/config.toml",
    "windsurf": ".codeium/windsurf/mcp_config.json",
}


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = child_env(HOME=str(home), PROLIFIC_TOKEN=CANARY_TOKEN)  # the token must never be copied anywhere
    for variable in ("XDG_CONFIG_HOME", "APPDATA", "CODEX_HOME"):
        env.pop(variable, None)
    return subprocess.run(
        [COMMAND, "client-config", *args], env=env, capture_output=True, text=True, timeout=30, check=False
    )


def _servers(client: str, path: Path) -> dict[str, Any]:
    text = path.read_text()
    if client == "codex":
        servers: dict[str, Any] = tomllib.loads(text)["mcp_servers"]
        return servers
    document = json.loads(text)
    return document["servers" if client == "vscode" else "mcpServers"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("client", sorted(FILES))
async def test_the_written_entry_starts_the_server(tmp_path: Path, client: str) -> None:
    done = _run(tmp_path, client, "--demo", "--write")
    assert done.returncode == 0, done.stderr
    path = tmp_path / FILES[client]
    entry = _servers(client, path)["prolific-demo"]
    assert Path(entry["command"]).is_absolute()
    params = StdioServerParameters(command=entry["command"], args=entry["args"], env=child_env())
    async with Client(stdio_client(params)) as mcp:
        names = [tool.name for tool in (await mcp.list_tools()).tools]
    assert "get_batch" in names


@pytest.mark.parametrize("client", sorted(FILES))
def test_a_real_entry_references_the_token_and_never_holds_it(tmp_path: Path, client: str) -> None:
    assert _run(tmp_path, client, "--write").returncode == 0
    written = (tmp_path / FILES[client]).read_text()
    assert CANARY_TOKEN not in written
    entry = _servers(client, tmp_path / FILES[client])["prolific"]
    reference = {
        "claude-desktop": "paste-your-prolific-api-token-here",
        "cursor": "${env:PROLIFIC_TOKEN}",
        "windsurf": "${env:PROLIFIC_TOKEN}",
        "vscode": "${input:prolific-token}",
    }
    if client == "codex":
        assert entry["env_vars"] == ["PROLIFIC_TOKEN"]
    else:
        assert entry["env"]["PROLIFIC_TOKEN"] == reference[client]


def test_writing_merges_backs_up_and_refuses_to_replace_without_force(tmp_path: Path) -> None:
    path = tmp_path / FILES["cursor"]
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"mcpServers": {"other": {"command": "x"}}, "theme": "dark"}))
    assert _run(tmp_path, "cursor", "--write").returncode == 0
    merged = json.loads(path.read_text())
    assert set(merged["mcpServers"]) == {"other", "prolific"}
    assert merged["theme"] == "dark"
    assert len(list(path.parent.glob("mcp.json.*.bak"))) == 1
    again = _run(tmp_path, "cursor", "--write")
    assert again.returncode == 2
    assert "--force" in again.stderr
    assert _run(tmp_path, "cursor", "--write", "--force").returncode == 0

    codex = tmp_path / FILES["codex"]
    codex.parent.mkdir(parents=True)
    codex.write_text('model = "o4"\n\n[mcp_servers.prolific]\ncommand = "old"\n\n[mcp_servers.other]\ncommand = "x"\n')
    assert _run(tmp_path, "codex", "--write").returncode == 2
    assert _run(tmp_path, "codex", "--write", "--force").returncode == 0
    parsed = tomllib.loads(codex.read_text())
    assert parsed["model"] == "o4"
    assert parsed["mcp_servers"]["prolific"]["command"] != "old"
    assert parsed["mcp_servers"]["other"]["command"] == "x"


def test_a_broken_config_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / FILES["windsurf"]
    path.parent.mkdir(parents=True)
    path.write_text("{ not json")
    done = _run(tmp_path, "windsurf", "--write")
    assert done.returncode == 2
    assert "not valid JSON" in done.stderr
    assert path.read_text() == "{ not json"


def test_claude_code_and_http_are_printed(tmp_path: Path) -> None:
    code = _run(tmp_path, "claude-code")
    assert code.returncode == 0
    assert code.stdout.startswith("claude mcp add-json --scope project prolific ")
    assert "${PROLIFIC_TOKEN}" in code.stdout
    assert CANARY_TOKEN not in code.stdout + code.stderr
    demo = _run(tmp_path, "claude-code", "--demo")
    assert demo.stdout.strip().endswith("--demo")
    remote = json.loads(_run(tmp_path, "http").stdout)
    assert remote["mcpServers"]["prolific"]["url"].endswith("/mcp")
    assert _run(tmp_path, "claude-code", "--write").returncode == 2  # Claude Code is configured by its command
