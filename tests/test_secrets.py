"""The canary token must appear nowhere: results, stderr at debug level, exception text, log notifications."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp_types import LoggingMessageNotificationParams, TextContent

from prolific_taskbuilder_mcp.logs import configure_logging
from prolific_taskbuilder_mcp.sandbox import SEED_BATCH_ID, Fault
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from prolific_taskbuilder_mcp.server import create_server

from .calls import TOOL_CALLS
from .conftest import CANARY_TOKEN, COMMAND, HttpServer, child_env, serve_http, settings_for

pytestmark = pytest.mark.anyio

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
}


# Over stdio and HTTP a sample of tools (one per kind of call: single GET, paged list, multi-page read, POST,
# account) proves the transports add no leak; in memory every tool takes every path.
TRANSPORT_SAMPLE = ("get_batch", "list_batches", "summarize_batch_responses", "export_batch", "whoami")


async def _drive_every_error_path(
    client: Client, sandbox: RunningSandbox, tools: tuple[str, ...] = tuple(TOOL_CALLS)
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


class _Logs:
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


async def test_no_error_path_leaks_the_token_in_memory(sandbox: RunningSandbox, debug_stderr: io.StringIO) -> None:
    logs = _Logs()
    settings = settings_for(sandbox, request_timeout=0.3, call_deadline=3.0, max_attempts=2)
    async with Client(create_server(settings), logging_callback=logs, mode="legacy") as client:
        await client.set_logging_level("debug")  # handshake-era clients opt in with logging/setLevel
        texts = await _drive_every_error_path(client, sandbox)
    assert texts
    assert logs.messages  # retries were reported to the client...
    for text in [*texts, *logs.messages, debug_stderr.getvalue()]:
        assert CANARY_TOKEN not in text  # ...and nothing carried the token


async def test_a_crash_inside_a_tool_leaks_nothing(
    sandbox: RunningSandbox, debug_stderr: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prolific_taskbuilder_mcp.tools import batches

    def explode(batch: Any) -> Any:
        raise RuntimeError(f"boom with {CANARY_TOKEN}")

    monkeypatch.setattr(batches, "summarize_batch", explode)
    async with Client(create_server(settings_for(sandbox))) as client:
        result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
    assert result.is_error is True
    assert CANARY_TOKEN not in result.model_dump_json()
    assert "boom" not in result.model_dump_json()  # an unexpected exception's text is not shown


def test_the_redacting_formatter_masks_a_token_that_reaches_a_log_line() -> None:
    from pydantic import SecretStr

    buffer = io.StringIO()
    saved = sys.stderr
    sys.stderr = buffer
    try:
        configure_logging("DEBUG", [SecretStr(CANARY_TOKEN)])
        try:
            raise ValueError(CANARY_TOKEN)
        except ValueError:
            logging.getLogger("test").exception("oops %s", CANARY_TOKEN)
    finally:
        sys.stderr = saved
        logging.getLogger().handlers.clear()
    assert "oops" in buffer.getvalue()
    assert CANARY_TOKEN not in buffer.getvalue()


def _fast_failing_env(sandbox: RunningSandbox) -> dict[str, str]:
    """The server's environment for error-path tests: short timeouts, one retry."""
    return child_env(
        PROLIFIC_TOKEN=CANARY_TOKEN,
        PROLIFIC_URL=sandbox.url,
        PROLIFIC_TIMEOUT="0.3",
        PROLIFIC_MCP_MAX_ATTEMPTS="2",
        PROLIFIC_MCP_CALL_DEADLINE="3",
    )


async def test_no_error_path_leaks_the_token_over_stdio(sandbox: RunningSandbox, tmp_path: Any) -> None:
    logs = _Logs()
    env = _fast_failing_env(sandbox)
    params = StdioServerParameters(command=COMMAND, args=["--log-level", "DEBUG"], env=env)
    with (tmp_path / "stderr.log").open("w+") as errlog:
        # 2026-07-28 clients opt in to log notifications per request
        async with Client(stdio_client(params, errlog=errlog), logging_callback=logs, log_level="debug") as client:
            texts = await _drive_every_error_path(client, sandbox, TRANSPORT_SAMPLE)
        errlog.seek(0)
        stderr = errlog.read()
    assert "GET /api/v1/" in stderr
    assert logs.messages
    for text in [*texts, *logs.messages, stderr]:
        assert CANARY_TOKEN not in text


@pytest.fixture
def debug_http_server(sandbox: RunningSandbox, tmp_path: Path) -> Iterator[HttpServer]:
    env = _fast_failing_env(sandbox)
    with serve_http(env, "--log-level", "DEBUG", log=tmp_path / "stderr.log") as server:
        yield server


async def test_no_error_path_leaks_the_token_over_http(sandbox: RunningSandbox, debug_http_server: HttpServer) -> None:
    logs = _Logs()
    async with Client(debug_http_server.url, logging_callback=logs, mode="legacy") as client:
        await client.set_logging_level("debug")
        texts = await _drive_every_error_path(client, sandbox, TRANSPORT_SAMPLE)
    stderr = debug_http_server.stderr()
    assert "GET /api/v1/" in stderr
    assert logs.messages
    for text in [*texts, *logs.messages, stderr]:
        assert CANARY_TOKEN not in text
