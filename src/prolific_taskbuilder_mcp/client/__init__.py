"""Prolific API client: httpx, auth, retries, error translation. Knows nothing about MCP."""

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
from .http import ClientOptions, ProlificClient, clean_text
from .models import Batch, BatchDataset, BatchStatus, TaskDetails

__all__ = [
    "Batch",
    "BatchDataset",
    "BatchStatus",
    "ClientOptions",
    "ClientRequestError",
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
    "clean_text",
]
