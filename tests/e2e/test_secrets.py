"""The canary token must appear nowhere over stdio and HTTP: results, stderr at debug level, log notifications.

A sample of tools (one per kind of call) takes every error path; tests/protocol/test_secrets.py runs them all.
"""

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

from prolific_taskbuilder_mcp.logs import configure_logging
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.leaks import TRANSPORT_SAMPLE, Logs, drive_every_error_path
from tests.support.processes import COMMAND, HttpServer, child_env, serve_http
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.anyio


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
        PROLIFIC_TIMEOUT="0.15",
        PROLIFIC_MCP_MAX_ATTEMPTS="2",
        PROLIFIC_MCP_CALL_DEADLINE="0.4",
        PROLIFIC_MCP_RETRY_BACKOFF="0.01",
    )


async def test_no_error_path_leaks_the_token_over_stdio(sandbox: RunningSandbox, tmp_path: Any) -> None:
    logs = Logs()
    env = _fast_failing_env(sandbox)
    params = StdioServerParameters(command=COMMAND, args=["--log-level", "DEBUG"], env=env)
    with (tmp_path / "stderr.log").open("w+") as errlog:
        # 2026-07-28 clients opt in to log notifications per request
        async with Client(stdio_client(params, errlog=errlog), logging_callback=logs, log_level="debug") as client:
            texts = await drive_every_error_path(client, sandbox, TRANSPORT_SAMPLE)
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
    logs = Logs()
    async with Client(debug_http_server.url, logging_callback=logs, mode="legacy") as client:
        await client.set_logging_level("debug")
        texts = await drive_every_error_path(client, sandbox, TRANSPORT_SAMPLE)
    stderr = debug_http_server.stderr()
    assert "GET /api/v1/" in stderr
    assert logs.messages
    for text in [*texts, *logs.messages, stderr]:
        assert CANARY_TOKEN not in text
