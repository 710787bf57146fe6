"""A real client in the suite: the Claude Code CLI (from npm) adds our server over stdio and over HTTP, and
`claude mcp list` runs its health check against it. No login is needed for that. A temporary HOME keeps the
user's own Claude Code configuration out of it.

`make pytest` installs the CLI (pinned) into .tools/claude-code and passes its path in
PROLIFIC_MCP_CLAUDE_CODE. Without npm the tests skip, except under CI, where a missing CLI is a failure.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import COMMAND, child_env, serve_http

pytestmark = pytest.mark.e2e

CLAUDE = os.environ.get("PROLIFIC_MCP_CLAUDE_CODE", "")


@pytest.fixture(scope="module")
def claude() -> str:
    if not Path(CLAUDE).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the Claude Code CLI is missing ({CLAUDE!r}); `make pytest` installs it with npm")
        pytest.skip("Claude Code CLI not installed (needs npm; `make pytest` installs it)")
    return CLAUDE


def _claude(claude: str, home: Path, *args: str) -> str:
    env = child_env(HOME=str(home), DISABLE_AUTOUPDATER="1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1")
    done = subprocess.run(
        [claude, "mcp", *args], env=env, capture_output=True, text=True, timeout=120, cwd=home, check=False
    )
    assert done.returncode == 0, done.stdout[-1500:] + done.stderr[-1500:]
    return done.stdout + done.stderr


def test_claude_code_connects_to_the_server_over_stdio(claude: str, tmp_path: Path) -> None:
    _claude(claude, tmp_path, "add", "--scope", "user", "prolific-demo", "--", COMMAND, "--demo")
    listed = _claude(claude, tmp_path, "list")
    line = next(line for line in listed.splitlines() if line.startswith("prolific-demo:"))
    assert "Connected" in line, listed


def test_claude_code_connects_to_the_server_over_http(claude: str, tmp_path: Path) -> None:
    with serve_http(child_env(), "--demo", log=tmp_path / "server.log") as server:
        _claude(claude, tmp_path, "add", "--scope", "user", "--transport", "http", "prolific-http", server.url)
        listed = _claude(claude, tmp_path, "list")
    line = next(line for line in listed.splitlines() if line.startswith("prolific-http:"))
    assert "Connected" in line, listed


def test_client_config_prints_a_command_claude_code_accepts(claude: str, tmp_path: Path) -> None:
    """`client-config claude-code --demo` prints the `claude mcp add` line; run as printed, it connects."""
    import shlex

    printed = subprocess.run(
        [COMMAND, "client-config", "claude-code", "--demo"], capture_output=True, text=True, timeout=30, check=True
    ).stdout.strip()
    words = shlex.split(printed)
    assert words[:3] == ["claude", "mcp", "add"]
    _claude(claude, tmp_path, *words[2:])
    listed = _claude(claude, tmp_path, "list")
    assert "prolific-demo:" in listed
    assert "Connected" in next(line for line in listed.splitlines() if line.startswith("prolific-demo:"))
