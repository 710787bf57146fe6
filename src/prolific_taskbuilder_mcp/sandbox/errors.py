"""Prolific's error envelope, as every simulated error is sent: `status` equal to the HTTP code; the refusal the
simulator's write rules raise; its timestamps."""

from __future__ import annotations

import time
from typing import Any

from starlette.responses import JSONResponse

_ERROR_CODES = {
    400: 140000,
    401: 140001,
    403: 140003,
    404: 140100,
    405: 140005,
    409: 140009,
    410: 140010,
    422: 140022,
    429: 140029,
    500: 150000,
    502: 150002,
    503: 150003,
    504: 150004,
}
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def error_response(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {
        "error": {
            "status": status,
            "error_code": _ERROR_CODES.get(status, 140000 if status < 500 else 150000),
            "title": _TITLES.get(status, "Error"),
            "detail": detail,
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


class WriteRefusedError(Exception):
    """A 4xx: `status` and the body's `detail` (or, for 422, the whole INVALID_BATCH_ITEMS body)."""

    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(str(detail))
        self.status = status
        self.detail = detail


def now_iso() -> str:
    moment = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment)) + f".{int(moment % 1 * 1000):03d}Z"
