"""Build the MCP Bundle (.mcpb): one portable bundle for macOS, Windows and Linux.

    python scripts/build_mcpb.py [--out dist]

The manifest's `uv` server type (manifest 0.4): the bundle carries our source and a `pyproject.toml` naming its
dependencies, and the host (Claude Desktop) installs Python and those dependencies with uv on the user's
machine. Nothing compiled and no build-machine path is inside, so the same file installs everywhere; the
dependencies (pydantic-core is compiled) are resolved for the user's platform when the host first starts it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "prolific_taskbuilder_mcp"
ENTRY_POINT = "server/main.py"
LAUNCHER = '''"""MCPB entry point: run prolific-taskbuilder-mcp from the source bundled beside this file."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from prolific_taskbuilder_mcp.cli import main  # noqa: E402

main()
'''
PLATFORMS = ["darwin", "win32", "linux"]


def bundle_pyproject(project: dict[str, object]) -> str:
    """The bundle's own pyproject: its dependencies, nothing to build (uv runs the entry point in a venv)."""
    lines = [
        "[project]",
        f'name = "{project["name"]}-bundle"',
        f'version = "{project["version"]}"',
        f'requires-python = "{project["requires-python"]}"',
        "dependencies = [",
        *[f"    {json.dumps(dependency)}," for dependency in project["dependencies"]],  # type: ignore[attr-defined]
        "]",
        "",
        "[tool.uv]",
        "package = false",
        "",
    ]
    return "\n".join(lines)


def manifest_for(project: dict[str, object]) -> dict[str, object]:
    manifest: dict[str, object] = json.loads((ROOT / "manifest.json").read_text())
    manifest["compatibility"] = {
        **manifest.get("compatibility", {}),  # type: ignore[dict-item]
        "platforms": PLATFORMS,
        "runtimes": {"python": project["requires-python"]},
    }
    return manifest


def build(out_dir: Path) -> Path:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    manifest = manifest_for(project)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "bundle"
        source = stage / "server" / "src"
        shutil.copytree(
            ROOT / "src" / PACKAGE,
            source / PACKAGE,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        (stage / ENTRY_POINT).write_text(LAUNCHER)
        (stage / "pyproject.toml").write_text(bundle_pyproject(project))
        (stage / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        shutil.copy(ROOT / "README.md", stage / "README.md")
        shutil.copy(ROOT / "LICENSE", stage / "LICENSE")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{manifest['name']}-{manifest['version']}.mcpb"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(stage.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(stage).as_posix())
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    sys.stdout.write(f"{build(parser.parse_args().out)}\n")


if __name__ == "__main__":
    main()
