"""`prolific-taskbuilder-mcp client-config CLIENT [--demo] [--write] [--force]`: the exact entry for this
installation, for each MCP client, and optionally merged into that client's config file.

The command is the absolute path of the running one, so the entry works from a clone, a venv, pipx or uv tool.
The token is never a value on a command line: it is a reference the client resolves (`${env:PROLIFIC_TOKEN}`,
VS Code's secret prompt, Codex's `env_vars`), or, for clients that can only hold a value (Claude Desktop), a
placeholder the user replaces in their own config file. `--write` backs the file up first, refuses to replace an
existing entry without `--force`, and checks the result parses.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLIENTS = ("claude-desktop", "claude-code", "cursor", "vscode", "codex", "windsurf", "http")
TOKEN_PLACEHOLDER = "paste-your-prolific-api-token-here"  # noqa: S105 - a placeholder, not a secret
HTTP_URL = "http://127.0.0.1:8000/mcp"


class ClientConfigError(Exception):
    """One line for the user: what is wrong and what to do."""


@dataclass(frozen=True)
class Entry:
    name: str
    """The server's name in the client's config."""
    command: str
    args: list[str]


def server_command() -> tuple[str, list[str]]:
    """The absolute command that runs this installation's server (and any arguments it needs first)."""
    running = Path(sys.argv[0])
    if running.name.startswith("prolific-taskbuilder-mcp") and running.exists():
        return str(running.absolute()), []
    found = shutil.which("prolific-taskbuilder-mcp", path=str(Path(sys.executable).parent))
    if found:
        return str(Path(found).absolute()), []
    return sys.executable, ["-m", "prolific_taskbuilder_mcp"]


def _home() -> Path:
    return Path(os.environ.get("HOME") or Path.home())


def _app_config() -> Path:
    """Where desktop apps keep their settings on this OS."""
    if sys.platform == "darwin":
        return _home() / "Library" / "Application Support"
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or _home() / "AppData" / "Roaming")
    return Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config")


def config_path(client: str) -> Path | None:
    """The client's documented per-user config file; None for clients configured by a command (Claude Code)
    or not at all (a remote entry)."""
    if client == "claude-desktop":
        return _app_config() / "Claude" / "claude_desktop_config.json"
    if client == "cursor":
        return _home() / ".cursor" / "mcp.json"
    if client == "vscode":
        return _app_config() / "Code" / "User" / "mcp.json"
    if client == "codex":
        return Path(os.environ.get("CODEX_HOME") or _home() / ".codex") / "config.toml"
    if client == "windsurf":
        return _home() / ".codeium" / "windsurf" / "mcp_config.json"
    return None


def _stdio(entry: Entry, env: dict[str, str] | None) -> dict[str, Any]:
    server: dict[str, Any] = {"command": entry.command, "args": entry.args}
    if env:
        server["env"] = env
    return server


def document(client: str, entry: Entry, demo: bool) -> dict[str, Any]:
    """The config document (the part this server adds) for a JSON client."""
    if client == "vscode":
        server = {"type": "stdio", **_stdio(entry, None if demo else {"PROLIFIC_TOKEN": "${input:prolific-token}"})}
        inputs = [
            {"type": "promptString", "id": "prolific-token", "description": "Prolific API token", "password": True}
        ]
        return {"servers": {entry.name: server}, **({} if demo else {"inputs": inputs})}
    if client == "claude-desktop":
        return {"mcpServers": {entry.name: _stdio(entry, None if demo else {"PROLIFIC_TOKEN": TOKEN_PLACEHOLDER})}}
    if client in ("cursor", "windsurf"):
        env = None if demo else {"PROLIFIC_TOKEN": "${env:PROLIFIC_TOKEN}"}
        return {"mcpServers": {entry.name: _stdio(entry, env)}}
    if client == "http":
        headers = {"Authorization": "Bearer ${env:PROLIFIC_MCP_HTTP_KEY}"}
        return {"mcpServers": {entry.name: {"url": HTTP_URL, "headers": headers}}}
    raise ClientConfigError(f"no JSON document for {client}")


def codex_table(entry: Entry, demo: bool) -> str:
    lines = [
        f"[mcp_servers.{entry.name}]",
        f"command = {json.dumps(entry.command)}",
        f"args = {json.dumps(entry.args)}",
        "startup_timeout_sec = 30",
    ]
    if not demo:
        lines.append('env_vars = ["PROLIFIC_TOKEN"]  # forwarded from the environment Codex runs in')
    return "\n".join(lines) + "\n"


def claude_code_commands(entry: Entry, demo: bool) -> list[str]:
    command = shlex.join([entry.command, *entry.args])
    if demo:
        return [f"claude mcp add --scope user {entry.name} -- {command}"]
    server = {"type": "stdio", **_stdio(entry, {"PROLIFIC_TOKEN": "${PROLIFIC_TOKEN}"})}
    # Project scope: Claude Code expands ${PROLIFIC_TOKEN} in .mcp.json from its environment when it starts.
    return [f"claude mcp add-json --scope project {entry.name} {shlex.quote(json.dumps(server))}"]


def render(client: str, entry: Entry, demo: bool) -> str:
    if client == "claude-code":
        return "\n".join(claude_code_commands(entry, demo)) + "\n"
    if client == "codex":
        return codex_table(entry, demo)
    return json.dumps(document(client, entry, demo), indent=2) + "\n"


def _backup(path: Path) -> Path | None:
    if not path.exists():
        return None
    backup = path.with_name(f"{path.name}.{time.strftime('%Y%m%d-%H%M%S')}.bak")
    shutil.copy2(path, backup)
    return backup


def write(client: str, entry: Entry, demo: bool, force: bool) -> tuple[Path, Path | None]:
    """Merge the entry into the client's config file; returns the file and its backup (None if new)."""
    path = config_path(client)
    if path is None:
        raise ClientConfigError(f"{client} has no config file to write: run the printed command instead")
    if client == "codex":
        return path, _write_codex(path, entry, demo, force)
    current: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8") or "{}")
        except ValueError:
            raise ClientConfigError(f"{path} is not valid JSON: fix or move it, then run this again") from None
        if not isinstance(loaded, dict):
            raise ClientConfigError(f"{path} does not hold a JSON object: fix or move it, then run this again")
        current = loaded
    addition = document(client, entry, demo)
    key = "servers" if client == "vscode" else "mcpServers"
    servers = current.setdefault(key, {})
    if not isinstance(servers, dict):
        raise ClientConfigError(f'{path}: "{key}" is not an object: fix it, then run this again')
    if entry.name in servers and not force:
        raise ClientConfigError(f'{path} already has a server "{entry.name}": pass --force to replace it')
    servers[entry.name] = addition[key][entry.name]
    for item in addition.get("inputs", []):
        inputs = current.setdefault("inputs", [])
        if not any(isinstance(i, dict) and i.get("id") == item["id"] for i in inputs):
            inputs.append(item)
    text = json.dumps(current, indent=2) + "\n"
    json.loads(text)  # what we write parses
    backup = _backup(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, backup


def _write_codex(path: Path, entry: Entry, demo: bool, force: bool) -> Path | None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise ClientConfigError(f"{path} is not valid TOML: fix or move it, then run this again") from None
    header = f"[mcp_servers.{entry.name}]"
    if entry.name in parsed.get("mcp_servers", {}):
        if not force:
            raise ClientConfigError(f'{path} already has a server "{entry.name}": pass --force to replace it')
        text = _without_table(text, header)
    merged = text.rstrip("\n") + ("\n\n" if text.strip() else "") + codex_table(entry, demo)
    if entry.name not in tomllib.loads(merged).get("mcp_servers", {}):
        raise ClientConfigError(f"could not merge into {path}: add the printed table by hand")
    backup = _backup(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(merged, encoding="utf-8")
    return backup


def _without_table(text: str, header: str) -> str:
    """`text` without the TOML table `header` and its keys (up to the next table header)."""
    kept, skipping = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            skipping = stripped == header or stripped.startswith(header[:-1] + ".")
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="prolific-taskbuilder-mcp client-config",
        description="Print (or write) the MCP client entry that runs this installation of the server.",
    )
    parser.add_argument("client", choices=CLIENTS)
    parser.add_argument("--demo", action="store_true", help="an entry for the offline demo (no token needed)")
    parser.add_argument("--write", action="store_true", help="merge the entry into the client's config file")
    parser.add_argument("--force", action="store_true", help="with --write: replace an existing entry")
    parser.add_argument("--name", default=None, help="the server's name in the client (default: prolific)")
    args = parser.parse_args(argv)
    command, prefix = server_command()
    extra = ["--demo"] if args.demo else []
    entry = Entry(
        name=args.name or ("prolific-demo" if args.demo else "prolific"), command=command, args=[*prefix, *extra]
    )
    try:
        if args.write:
            path, backup = write(args.client, entry, args.demo, args.force)
            note = f" (previous version saved as {backup.name})" if backup else ""
            sys.stdout.write(f"Wrote the {entry.name!r} server into {path}{note}. Restart {args.client} to load it.\n")
            if args.client == "claude-desktop" and not args.demo:
                sys.stdout.write(f"Then replace {TOKEN_PLACEHOLDER} in that file with your Prolific API token.\n")
            return 0
    except ClientConfigError as exc:
        sys.stderr.write(f"prolific-taskbuilder-mcp client-config: {exc}\n")
        return 2
    where = config_path(args.client)
    sys.stdout.write(render(args.client, entry, args.demo))
    if where is not None:
        sys.stderr.write(f"# for {where} (or run again with --write to merge it there)\n")
    if args.client in ("cursor", "windsurf", "codex", "claude-code") and not args.demo:
        sys.stderr.write("# the token comes from PROLIFIC_TOKEN in the environment the client runs in\n")
    return 0
