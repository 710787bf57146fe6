"""Prolific API client: httpx, auth, retries, error translation. Knows nothing about MCP."""

from .clock import REAL_CLOCK, Clock
from .errors import (
    ClientRequestError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    ProlificError,
    RateLimitedError,
    RequestTimeoutError,
    UnauthorizedError,
    UnexpectedResponseError,
    UpstreamError,
)
from .http import ClientOptions, ProlificClient
from .models import Batch, BatchDataset, BatchStatus, TaskDetails

__all__ = [
    "REAL_CLOCK",
    "Batch",
    "BatchDataset",
    "BatchStatus",
    "ClientOptions",
    "ClientRequestError",
    "Clock",
    "ForbiddenError",
    "NetworkError",
    "NotFoundError",
    "ProlificClient",
    "ProlificError",
    "RateLimitedError",
    "RequestTimeoutError",
    "TaskDetails",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "UpstreamError",
]
