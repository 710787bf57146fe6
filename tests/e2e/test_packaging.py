"""The package as users get it: the built wheel run through uvx, `python -m`, the MCP Bundle and the
MCP Registry entry."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from prolific_taskbuilder_mcp import __version__
from prolific_taskbuilder_mcp.config import ENVIRONMENT
from prolific_taskbuilder_mcp.sandbox import READY_BATCH_ID
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.calls import TOOL_ORDER
from tests.support.processes import child_env
from tests.support.simulator import CANARY_TOKEN

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


async def _check_session(params: StdioServerParameters) -> None:
    async with Client(stdio_client(params)) as client:
        assert [tool.name for tool in (await client.list_tools()).tools] == TOOL_ORDER
        result = await client.call_tool("get_batch_status", {"batch_id": READY_BATCH_ID})
        assert result.is_error is False


# -- wheel, uvx, python -m ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    assert built.name == f"prolific_taskbuilder_mcp-{__version__}-py3-none-any.whl"
    return built


def test_the_wheel_carries_the_package_and_its_entry_point(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "prolific-taskbuilder-mcp = prolific_taskbuilder_mcp.cli:main" in archive.read(entry_points).decode()
    assert "prolific_taskbuilder_mcp/server/app.py" in names
    assert "prolific_taskbuilder_mcp/sandbox/generate.py" in names
    assert "prolific_taskbuilder_mcp/py.typed" in names  # the "Typing :: Typed" classifier's promise
    assert not [name for name in names if name.endswith(".json") and "/server/" in name]  # no generated schemas


def test_uvx_runs_the_built_wheel(wheel: Path) -> None:
    done = subprocess.run(
        [str(BIN / "uvx"), "--from", str(wheel), "prolific-taskbuilder-mcp", "--version"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"prolific-taskbuilder-mcp {__version__}"


def test_pipx_runs_the_built_wheel(wheel: Path, tmp_path: Path) -> None:
    env = {**child_env(), "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin")}
    done = subprocess.run(
        [str(BIN / "pipx"), "run", "--spec", str(wheel), "prolific-taskbuilder-mcp", "--version"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"prolific-taskbuilder-mcp {__version__}"


async def test_uvx_serves_the_demo_over_stdio(wheel: Path) -> None:
    await _check_session(
        StdioServerParameters(
            command=str(BIN / "uvx"), args=["--from", str(wheel), "prolific-taskbuilder-mcp", "--demo"], env=child_env()
        )
    )


async def test_python_dash_m_serves_over_stdio(sandbox: RunningSandbox) -> None:
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url)
    await _check_session(
        StdioServerParameters(command=sys.executable, args=["-m", "prolific_taskbuilder_mcp"], env=env)
    )


# -- MCP Bundle ------------------------------------------------------------------------------------------

MANIFEST = json.loads((ROOT / "manifest.json").read_text())


def test_the_bundle_manifest_has_the_required_fields() -> None:
    for field in ("manifest_version", "name", "version", "description", "author", "server"):
        assert MANIFEST[field], field
    assert MANIFEST["manifest_version"] == "0.4"
    assert MANIFEST["version"] == __version__ == PYPROJECT["project"]["version"]
    assert MANIFEST["author"]["name"]
    server = MANIFEST["server"]
    assert server["type"] == "uv"  # the host installs Python and the dependencies: one bundle for every OS
    assert server["entry_point"] == "server/main.py"
    assert server["mcp_config"]["command"] == "uv"
    assert server["mcp_config"]["args"] == ["run", "--directory", "${__dirname}", "server/main.py"]
    assert [tool["name"] for tool in MANIFEST["tools"]] == TOOL_ORDER


def test_the_bundle_asks_for_the_token_as_a_secret_and_the_url_as_an_option() -> None:
    config = MANIFEST["user_config"]
    assert config["prolific_token"]["sensitive"] is True
    assert config["prolific_token"]["required"] is True
    assert config["prolific_url"]["required"] is False
    env = MANIFEST["server"]["mcp_config"]["env"]
    assert env["PROLIFIC_TOKEN"] == "${user_config.prolific_token}"
    assert env["PROLIFIC_URL"] == "${user_config.prolific_url}"
    referenced = set(re.findall(r"\$\{user_config\.(\w+)\}", json.dumps(env)))
    assert referenced == set(config)
    assert set(env) - {"PYTHONPATH"} <= set(ENVIRONMENT.values())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mcpb")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_mcpb.py"), "--out", str(out)], check=True, capture_output=True
    )
    (archive,) = out.glob("*.mcpb")
    extracted = out / "extracted"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(extracted)
    return extracted


def _substitute(value: str, dirname: Path, user: dict[str, str]) -> str:
    value = value.replace("${__dirname}", str(dirname))
    return re.sub(r"\$\{user_config\.(\w+)\}", lambda m: user.get(m.group(1), ""), value)


async def test_the_bundle_entry_point_starts_the_server(bundle: Path, sandbox: RunningSandbox) -> None:
    manifest: dict[str, Any] = json.loads((bundle / "manifest.json").read_text())
    assert manifest["compatibility"]["platforms"] == ["darwin", "win32", "linux"]
    assert manifest["compatibility"]["runtimes"]["python"] == PYPROJECT["project"]["requires-python"]
    assert (bundle / "server" / "src" / "prolific_taskbuilder_mcp" / "__init__.py").is_file()
    bundled = tomllib.loads((bundle / "pyproject.toml").read_text())
    assert bundled["project"]["dependencies"] == PYPROJECT["project"]["dependencies"]
    config = manifest["server"]["mcp_config"]
    user = {"prolific_token": CANARY_TOKEN, "prolific_url": sandbox.url}  # workspace left empty, as a user may
    env = child_env(**{k: _substitute(v, bundle, user) for k, v in config["env"].items()})
    # As the host does: uv makes a venv in the bundle with the bundle's dependencies, then runs the entry point.
    assert config["command"] == "uv"
    args = [_substitute(a, bundle, user) for a in config["args"]]
    await _check_session(StdioServerParameters(command=str(BIN / "uv"), args=args, env=env))


def test_the_bundle_is_portable_and_small(bundle: Path) -> None:
    """No build-machine path and nothing compiled inside: the same file installs on every OS."""
    archive = next(bundle.parent.glob("*.mcpb"))
    assert archive.stat().st_size < 1_000_000, f"{archive.stat().st_size} bytes"
    machine = (str(ROOT), str(BIN), sys.prefix)
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert "manifest.json" in names
        assert "pyproject.toml" in names
        for name in names:
            assert Path(name).suffix not in (".so", ".pyd", ".dylib", ".pyc"), name
            text = opened.read(name).decode("utf-8", errors="replace")
            assert not any(place in text for place in machine), f"{name} names a build-machine path"


MCPB_CLI = os.environ.get("PROLIFIC_MCP_MCPB", "")


def test_the_official_bundle_cli_validates_the_manifest(bundle: Path) -> None:
    if not Path(MCPB_CLI).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the mcpb CLI is missing ({MCPB_CLI!r}); `make pytest` installs it with npm")
        pytest.skip("mcpb CLI not installed (needs npm; `make pytest` installs it)")
    done = subprocess.run(
        [MCPB_CLI, "validate", str(bundle / "manifest.json")], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in (done.stdout + done.stderr).lower()


# -- MCP Registry ---------------------------------------------------------------------------------------

SERVER_JSON = json.loads((ROOT / "server.json").read_text())
PACKAGE_KEYS = {
    "registryType",
    "registryBaseUrl",
    "identifier",
    "version",
    "fileSha256",
    "runtimeHint",
    "transport",
    "runtimeArguments",
    "packageArguments",
    "environmentVariables",
}


def test_server_json_has_what_the_registry_requires() -> None:
    assert SERVER_JSON["$schema"] == "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
    name = SERVER_JSON["name"]
    assert re.fullmatch(r"[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+", name)
    assert name.startswith("io.github.")
    assert 1 <= len(SERVER_JSON["description"]) <= 100
    assert SERVER_JSON["version"] == __version__
    (package,) = SERVER_JSON["packages"]
    assert set(package) <= PACKAGE_KEYS
    assert package["registryType"] == "pypi"
    assert package["identifier"] == PYPROJECT["project"]["name"]
    assert package["version"] == __version__
    assert package["runtimeHint"] == "uvx"
    assert package["transport"] == {"type": "stdio"}


def test_server_json_declares_the_token_as_a_required_secret() -> None:
    variables = {v["name"]: v for v in SERVER_JSON["packages"][0]["environmentVariables"]}
    assert variables["PROLIFIC_TOKEN"]["isRequired"] is True
    assert variables["PROLIFIC_TOKEN"]["isSecret"] is True
    for variable in variables.values():
        assert variable["name"] in ENVIRONMENT.values()
        assert isinstance(variable["isRequired"], bool)
        assert isinstance(variable["isSecret"], bool)
        assert variable["description"]
    assert not any(v["isSecret"] for n, v in variables.items() if n != "PROLIFIC_TOKEN")


def test_the_readme_carries_the_registry_ownership_marker() -> None:
    assert f"mcp-name: {SERVER_JSON['name']}" in (ROOT / "README.md").read_text()
