"""The tools, grouped into toolsets (`--toolsets` / PROLIFIC_MCP_TOOLSETS) so users can keep tools/list small."""

from __future__ import annotations

from . import account, batches, collections, datasets
from ._common import ToolSpec

TOOLSETS: dict[str, tuple[ToolSpec, ...]] = {
    "batches": batches.TOOLS,
    "datasets": datasets.TOOLS,
    "collections": collections.TOOLS,
    "account": account.TOOLS,
}
"""Each toolset's tools, in tools/list order."""

__all__ = ["TOOLSETS", "ToolSpec"]
