"""The base of every structured result."""

from pydantic import BaseModel, ConfigDict


class Summary(BaseModel):
    """A structured result: strict (unknown fields refused), and its validator built on first use rather
    than at import, because clients spawn stdio servers often and start-up time is a cost they pay."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
