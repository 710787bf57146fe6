"""The one exception hierarchy of the Prolific client.

Every failure of a Prolific call surfaces as a subclass of `ProlificError`. Their text is built only
from the HTTP status and length-bounded fields of Prolific's error envelope, never from request headers,
and those fields pass through the redactor first (a proxy in front of Prolific may echo the request's
Authorization header), so the text is safe to show to a model and to log.
"""

from __future__ import annotations


class ProlificError(Exception):
    """Base class: a Prolific API call did not produce the expected result."""

    maybe_applied: bool = False
    """A write whose request may have reached Prolific before it failed (a 5xx, a timeout, a dropped
    connection): the change may have been made, so look before trying again."""

    def __init__(self, message: str, *, status: int | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


class UnauthorizedError(ProlificError):
    """401: the token is missing, wrong or revoked."""


class ForbiddenError(ProlificError):
    """403: the token is valid but may not see this resource or feature."""


class NotFoundError(ProlificError):
    """404: the resource does not exist or is not visible to this token."""


class ClientRequestError(ProlificError):
    """Any other 4xx (400, 405, 409, 410, 422 ...): Prolific refused the request as made."""


class RateLimitedError(ProlificError):
    """429: too many requests. `retry_after` is in seconds when Prolific said so."""

    def __init__(self, message: str, *, retry_after: float | None = None, detail: str | None = None) -> None:
        super().__init__(message, status=429, detail=detail)
        self.retry_after = retry_after


class UpstreamError(ProlificError):
    """5xx: a failure on Prolific's side."""


class NetworkError(ProlificError):
    """Prolific could not be reached (DNS, connection refused or reset, TLS)."""


class NotSentError(NetworkError):
    """The connection to Prolific was never made (refused, DNS, TLS): the request surely did not reach it, so even a
    write may be sent again."""


class UploadRefusedError(ProlificError):
    """The file storage a presigned upload URL points at refused the upload (the URL expired, or the file is not
    what was signed for)."""


class RequestTimeoutError(ProlificError):
    """Prolific did not answer within the configured time."""


class UnexpectedResponseError(ProlificError):
    """Prolific answered with a body that is not JSON, not of the expected shape, or too large."""
