"""The toolsets, declared once: each carries its tools, resource templates and prompts.

`--toolsets` / PROLIFIC_MCP_TOOLSETS picks which a server exposes, so users can keep tools/list small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import ConfigError
from ..prompts import batches as batch_prompts
from ..prompts._common import PromptSpec
from ..resources import batches as batch_resources
from ..resources import collections as collection_resources
from ..resources import datasets as dataset_resources
from ..resources._common import ResourceSpec
from ..tools import account, batches, collections, datasets
from ..tools._common import ToolSpec


@dataclass(frozen=True)
class Toolset:
    name: str
    tools: tuple[ToolSpec, ...]
    resources: tuple[ResourceSpec, ...] = ()
    prompts: tuple[PromptSpec, ...] = ()


TOOLSETS: tuple[Toolset, ...] = (
    Toolset("batches", batches.TOOLS, batch_resources.RESOURCES, batch_prompts.PROMPTS),
    Toolset("datasets", datasets.TOOLS, dataset_resources.RESOURCES),
    Toolset("collections", collections.TOOLS, collection_resources.RESOURCES),
    Toolset("account", account.TOOLS),
)
"""Every read toolset, in the order their tools are listed."""

BUILD_NAME = "build"


def build_toolset() -> Toolset:
    """The write tools: served only with --allow-writes, after every read toolset. Imported only then (a server
    without writes never loads them: less start-up time and memory)."""
    from ..prompts import build as build_prompts
    from ..tools import build

    return Toolset(BUILD_NAME, build.TOOLS, prompts=build_prompts.PROMPTS)


NAMES = tuple(toolset.name for toolset in TOOLSETS)


def select(names: Sequence[str] | None, *, allow_writes: bool = False) -> tuple[Toolset, ...]:
    """The toolsets named (None: all), in declaration order, and `build` only with writes allowed. Unknown names
    are a one-line ConfigError."""
    writes = (build_toolset(),) if allow_writes and (names is None or BUILD_NAME in names) else ()
    if names is None:
        return (*TOOLSETS, *writes)
    if BUILD_NAME in names and not allow_writes:
        raise ConfigError(
            "prolific-taskbuilder-mcp: the build toolset changes data and is served only with --allow-writes "
            "(PROLIFIC_MCP_ALLOW_WRITES=1)"
        )
    unknown = [name for name in names if name not in (*NAMES, BUILD_NAME)]
    if unknown:
        raise ConfigError(
            f"prolific-taskbuilder-mcp: invalid PROLIFIC_MCP_TOOLSETS/--toolsets: unknown {', '.join(unknown)}; "
            f"choose from {', '.join(NAMES)} or all (comma-separated)"
        )
    return (*(toolset for toolset in TOOLSETS if toolset.name in names), *writes)


def all_tools() -> list[ToolSpec]:
    """Every tool, the write tools included (whether a server serves them is `select`'s to say)."""
    return [spec for toolset in (*TOOLSETS, build_toolset()) for spec in toolset.tools]
