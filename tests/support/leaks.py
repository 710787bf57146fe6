"""Driving every error path a tool can take, and collecting everything a client or a log reader would see."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from typing import Any, Protocol

import pytest
from mcp import Client
from mcp_types import LoggingMessageNotificationParams, TextContent

from prolific_taskbuilder_mcp.logs import configure_logging
from prolific_taskbuilder_mcp.sandbox import Fault, SandboxState
from tests.support.calls import TOOL_CALLS


class HasState(Protocol):
    @property
    def state(self) -> SandboxState: ...


# Every error path a tool can take; each entry: (fault or None, arguments override or None)
ERROR_PATHS: dict[str, tuple[Fault | None, dict[str, Any] | None]] = {
    "401": (Fault(kind="status", status=401, times=None), None),
    "403": (Fault(kind="status", status=403, times=None), None),
    "404": (Fault(kind="status", status=404, times=None), None),
    "429": (Fault(kind="status", status=429, retry_after="0.2", times=None), None),
    "500": (Fault(kind="status", status=500, times=None), None),
    "503": (Fault(kind="status", status=503, times=None), None),
    "timeout": (Fault(kind="delay", seconds=3, times=None), None),
    "malformed body": (Fault(kind="not_json", times=None), None),
    "invalid input": (None, {"batch_id": "../../users/me"}),
    # Prolific behind a proxy or WAF that repeats the request's Authorization header in its error body:
    "403 echoing the token": (Fault(kind="status", status=403, times=None, echo_authorization=True), None),
    "422 echoing the token": (Fault(kind="status", status=422, times=None, echo_authorization=True), None),
    "429 echoing the token": (
        Fault(kind="status", status=429, retry_after="0.2", times=None, echo_authorization=True),
        None,
    ),
    "503 echoing the token (retried)": (Fault(kind="status", status=503, times=None, echo_authorization=True), None),
    "HTML 502 echoing the token": (Fault(kind="html", status=502, times=None, echo_authorization=True), None),
    "non-JSON echoing the token": (Fault(kind="not_json", times=None, echo_authorization=True), None),
}


# Over stdio and HTTP a sample of tools (one per kind of call: single GET, paged list, multi-page read, POST,
# account) proves the transports add no leak; in memory every tool takes every path.
TRANSPORT_SAMPLE = ("get_batch", "list_batches", "summarize_batch_responses", "export_batch", "whoami")


async def drive_every_error_path(
    client: Client, sandbox: HasState, tools: tuple[str, ...] = tuple(TOOL_CALLS)
) -> list[str]:
    seen: list[str] = []
    for fault, override in ERROR_PATHS.values():
        for tool in tools:
            arguments = TOOL_CALLS[tool]
            if override is not None:
                if not arguments:
                    continue  # a tool without arguments has no invalid input
                arguments = dict.fromkeys(arguments, override["batch_id"])
            if fault is not None:
                sandbox.state.add_fault(Fault(**fault.__dict__))
            result = await client.call_tool(tool, arguments)
            sandbox.state.clear_faults()
            assert result.is_error is True
            seen += [block.text for block in result.content if isinstance(block, TextContent)]
            seen.append(result.model_dump_json())
    return seen


class Logs:
    def __init__(self) -> None:
        self.messages: list[str] = []

    async def __call__(self, params: LoggingMessageNotificationParams) -> None:
        self.messages.append(str(params.data))


@pytest.fixture
def debug_stderr() -> Iterator[io.StringIO]:
    """Our real logging setup at DEBUG, writing to a buffer instead of stderr."""
    buffer = io.StringIO()
    saved = sys.stderr
    sys.stderr = buffer
    try:
        configure_logging("DEBUG", [])  # no redaction list: prove nothing logs the token in the first place
    finally:
        sys.stderr = saved
    yield buffer
    logging.getLogger().handlers.clear()
