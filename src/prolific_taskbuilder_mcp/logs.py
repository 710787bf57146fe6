"""Logging to stderr only, with the API token scrubbed from every line as a last line of defence."""

from __future__ import annotations

import logging
import sys

from pydantic import SecretStr

from .redaction import Redactor

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then passes the whole line (message, args and traceback) through the redactor."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._redactor = Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self._redactor.text(super().format(record))


def configure_logging(level: str, secrets: list[SecretStr]) -> None:
    """Root logging to stderr at `level`; chatty libraries held at WARNING; secrets masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(_FORMAT, [s.get_secret_value() for s in secrets]))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    floor = max(logging.WARNING, logging.getLevelName(level))
    for noisy in ("httpx", "httpcore", "uvicorn.access", "sse_starlette", "mcp.server.streamable_http"):
        logging.getLogger(noisy).setLevel(floor)
