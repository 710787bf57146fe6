"""Build the MCP Bundle (.mcpb): manifest.json + a launcher + the package and its dependencies.

    python scripts/build_mcpb.py [--out dist]

The dependencies include compiled wheels (pydantic-core), so a bundle runs on the platform and Python
minor version it was built with; the manifest inside the archive says which. Build one per platform.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = '''"""MCPB entry point: run prolific-taskbuilder-mcp from the bundled libraries."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

from prolific_taskbuilder_mcp.cli import main  # noqa: E402

main()
'''


def build(out_dir: Path) -> Path:
    manifest = json.loads((ROOT / "manifest.json").read_text())
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    manifest["compatibility"] = {
        **manifest.get("compatibility", {}),
        "platforms": [sys.platform],
        "runtimes": {"python": f">={version},<{sys.version_info.major}.{sys.version_info.minor + 1}"},
    }
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "bundle"
        lib = stage / "server" / "lib"
        lib.mkdir(parents=True)
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "--target", str(lib), str(ROOT)], check=True)  # noqa: S603 - our own paths
        (stage / "server" / "main.py").write_text(LAUNCHER)
        (stage / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        shutil.copy(ROOT / "README.md", stage / "README.md")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{manifest['name']}-{manifest['version']}-{sys.platform}-py{version}.mcpb"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(stage.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    archive.write(path, path.relative_to(stage).as_posix())
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    sys.stdout.write(f"{build(parser.parse_args().out)}\n")


if __name__ == "__main__":
    main()
