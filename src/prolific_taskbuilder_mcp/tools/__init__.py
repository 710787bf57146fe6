"""The tools, grouped into toolsets (`--toolsets` / PROLIFIC_MCP_TOOLSETS) so users can keep tools/list small."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer

from . import account, batches, collections, datasets

TOOLSET_REGISTRARS: dict[str, Callable[[MCPServer[Any]], None]] = {
    "batches": batches.register,
    "datasets": datasets.register,
    "collections": collections.register,
    "account": account.register,
}
