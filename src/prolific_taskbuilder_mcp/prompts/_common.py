"""The prompt declaration every prompt module uses."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PromptSpec:
    """A prompt as its module declares it; the server factory registers it under the function's name."""

    fn: Callable[..., str]
    title: str
