"""`make readme`: rewrite the README's configuration table from the settings' declarations in config.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from prolific_taskbuilder_mcp.config import settings_table

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- settings:start[^\n]*-->\n).*?(<!-- settings:end -->)", re.DOTALL)


def render(text: str) -> str:
    if not BLOCK.search(text):
        raise SystemExit("README.md has no <!-- settings:start --> ... <!-- settings:end --> block")
    return BLOCK.sub(lambda m: m.group(1) + settings_table() + m.group(2), text)


if __name__ == "__main__":
    README.write_text(render(README.read_text()))
    sys.stderr.write(f"wrote the configuration table into {README}\n")
