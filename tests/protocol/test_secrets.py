"""The canary token must appear nowhere: results, stderr at debug level, exception text, log notifications.

In memory, every tool takes every error path; tests/e2e repeats a sample over stdio and HTTP.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import SEED_BATCH_ID
from tests.support.leaks import Logs, debug_stderr, drive_every_error_path
from tests.support.simulator import CANARY_TOKEN, InProcessSandbox, server_for

pytestmark = pytest.mark.anyio
__all__ = ["debug_stderr"]  # a fixture, used by name


async def test_no_error_path_leaks_the_token_in_memory(sandbox: InProcessSandbox, debug_stderr: io.StringIO) -> None:
    logs = Logs()
    server = server_for(sandbox, request_timeout=0.1, call_deadline=0.1, max_attempts=2)
    async with Client(server, logging_callback=logs, mode="legacy") as client:
        await client.set_logging_level("debug")  # handshake-era clients opt in with logging/setLevel
        texts = await drive_every_error_path(client, sandbox)
    assert texts
    assert logs.messages  # retries were reported to the client...
    for text in [*texts, *logs.messages, debug_stderr.getvalue()]:
        assert CANARY_TOKEN not in text  # ...and nothing carried the token


async def test_a_crash_inside_a_tool_leaks_nothing(
    sandbox: InProcessSandbox, debug_stderr: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prolific_taskbuilder_mcp.reads import batches

    def explode(batch: Any) -> Any:
        raise RuntimeError(f"boom with {CANARY_TOKEN}")

    monkeypatch.setattr(batches, "summarize_batch", explode)
    async with Client(server_for(sandbox)) as client:
        result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
    assert result.is_error is True
    assert CANARY_TOKEN not in result.model_dump_json()
    assert "boom" not in result.model_dump_json()  # an unexpected exception's text is not shown


async def test_a_crash_names_the_tool_says_what_to_try_and_logs_one_redacted_traceback(
    sandbox: InProcessSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import SecretStr

    from prolific_taskbuilder_mcp.logs import configure_logging
    from prolific_taskbuilder_mcp.reads import batches

    def explode(batch: Any) -> Any:
        raise RuntimeError(f"boom with {CANARY_TOKEN}")

    monkeypatch.setattr(batches, "summarize_batch", explode)
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stderr", buffer)
    configure_logging("INFO", [SecretStr(CANARY_TOKEN)])  # as the command line sets it up
    try:
        async with Client(server_for(sandbox)) as client:
            result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
    finally:
        logging.getLogger().handlers.clear()
    text = result.content[0].text  # type: ignore[union-attr]
    assert result.is_error is True
    assert "get_batch failed inside this server (RuntimeError)" in text
    assert "Try the call again" in text
    assert "Invalid arguments" not in text
    stderr = buffer.getvalue()
    assert stderr.count("Traceback (most recent call last)") == 1
    assert "Tool get_batch failed unexpectedly" in stderr
    assert "boom with" in stderr  # the details are for the maintainers...
    assert CANARY_TOKEN not in stderr  # ...with the token masked


async def test_a_surprising_upstream_shape_is_prolifics_not_the_callers(sandbox: InProcessSandbox) -> None:
    """A list row whose id is a number: reported as Prolific's answer, naming the field, never as bad arguments."""
    from prolific_taskbuilder_mcp.sandbox import data

    odd = {**data.SEED_BATCH, "id": 12345}
    sandbox.state.batches["odd"] = odd
    async with Client(server_for(sandbox)) as client:
        result = await client.call_tool("list_batches", {"workspace_id": data.WORKSPACE_ID})
    text = result.content[0].text  # type: ignore[union-attr]
    assert result.is_error is True
    assert "Invalid arguments" not in text
    assert "Nothing was sent to Prolific" not in text
    assert "Prolific returned an unexpected response" in text
    assert "field id" in text


async def test_no_resource_read_leaks_a_token_that_the_upstream_echoes(sandbox: InProcessSandbox) -> None:
    from mcp.shared.exceptions import MCPError

    from prolific_taskbuilder_mcp.sandbox import Fault
    from tests.support.calls import RESOURCE_URIS

    seen: list[str] = []
    async with Client(server_for(sandbox, max_attempts=2)) as client:
        for status in (403, 422, 503):
            for uri in RESOURCE_URIS.values():
                sandbox.state.add_fault(Fault(kind="status", status=status, times=None, echo_authorization=True))
                with pytest.raises(MCPError) as caught:
                    await client.read_resource(uri)
                sandbox.state.clear_faults()
                seen.append(str(caught.value))
    assert any("**********" in text for text in seen)  # the echo arrived, masked
    for text in seen:
        assert CANARY_TOKEN not in text


async def test_upstream_data_carrying_the_token_is_masked_in_results(sandbox: InProcessSandbox) -> None:
    """Not only errors: a batch whose name carries the token comes back masked, in text and structured content."""
    from prolific_taskbuilder_mcp.sandbox import data

    sandbox.state.batches[SEED_BATCH_ID] = {
        **data.SEED_BATCH,
        "name": f"copied from Authorization: Token {CANARY_TOKEN}",
    }
    async with Client(server_for(sandbox)) as client:
        result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
        resource = await client.read_resource(f"prolific://batches/{SEED_BATCH_ID}")
    assert result.is_error is False
    assert CANARY_TOKEN not in result.model_dump_json()
    assert "**********" in str(result.structured_content)
    assert CANARY_TOKEN not in resource.model_dump_json()


async def test_progress_messages_carrying_upstream_text_are_redacted(sandbox: InProcessSandbox) -> None:
    """A wait reports the upstream status in its progress messages: a status echoing the token is masked there."""
    from prolific_taskbuilder_mcp.sandbox import PROCESSING_BATCH_ID

    sandbox.state.batches[PROCESSING_BATCH_ID]["status"] = f"QUEUED {CANARY_TOKEN}"
    messages: list[str] = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        messages.append(message or "")

    async with Client(server_for(sandbox)) as client:
        result = await client.call_tool(
            "wait_for_batch", {"batch_id": PROCESSING_BATCH_ID, "timeout_seconds": 3}, progress_callback=progress
        )
    assert messages
    assert all("Batch is QUEUED" in message for message in messages)
    assert not any(CANARY_TOKEN in message for message in messages)
    assert CANARY_TOKEN not in result.model_dump_json()
