"""What every resource module shares: the resource declaration and id validation."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver.exceptions import ResourceError

from ..ids import IdKind, InvalidIdError, check_id


@dataclass(frozen=True)
class ResourceSpec:
    """A resource template as its module declares it; the server factory registers it (JSON documents)."""

    uri: str
    name: str
    title: str
    description: str
    fn: Callable[..., Any]


def valid_id(kind: IdKind, value: str) -> str:
    """The id, checked before any request; a bad one is a resource error saying what a valid one looks like."""
    try:
        return check_id(kind, value)
    except InvalidIdError as exc:
        raise ResourceError(str(exc)) from None
