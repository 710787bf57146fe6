"""Every tool x every upstream fault -> the documented outcome; cancellation stops upstream work.

In-process: the simulator behind an ASGI transport, retries on the fake clock (no backoff spent), and a short call
deadline for the faults that hang (the only ones that cost real time). The loopback versions of the network faults
(reset, truncated, drip, timeout) are in tests/client.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp_types import TextContent

from prolific_taskbuilder_mcp.sandbox import Fault
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from prolific_taskbuilder_mcp.server import create_server
from tests.conftest import settings_for
from tests.support.calls import RESOURCE_URIS, TOOL_CALLS
from tests.support.simulator import CANARY_TOKEN, InProcessSandbox, server_for

pytestmark = pytest.mark.anyio

# fault -> words the error result must contain (what happened, what to do)
FAULT_OUTCOMES: dict[str, tuple[Fault, list[str]]] = {
    "latency 0.05s": (Fault(kind="delay", seconds=0.05, times=None), []),  # slow but within limits: success
    "429 Retry-After 120": (Fault(kind="status", status=429, retry_after="120", times=None), ["Wait 120 s"]),
    "429 then ok": (Fault(kind="status", status=429, retry_after="0.1", times=1), []),  # retried: success
    "500": (Fault(kind="status", status=500, times=None), ["server error (500)", "try again"]),
    "502": (Fault(kind="status", status=502, times=None), ["server error (502)"]),
    "503 then ok": (Fault(kind="status", status=503, times=1), []),  # retried: success
    "503": (Fault(kind="status", status=503, times=None), ["server error (503)"]),
    "connection reset": (Fault(kind="reset", times=None), ["Could not reach Prolific"]),
    "truncated body": (Fault(kind="truncated", times=None), ["Could not reach Prolific"]),
    "not JSON": (Fault(kind="not_json", times=None), ["unexpected response (status 200)", "not JSON"]),
    "wrong shape": (Fault(kind="wrong_shape", times=None), ["unexpected response (status 200)"]),
    "HTML page": (Fault(kind="html", status=502, times=None), ["server error (502)"]),
    "huge body": (Fault(kind="huge", times=None), ["unexpected response", "exceeded"]),
    "slow drip": (Fault(kind="drip", seconds=0.2, times=None), ["did not answer in time"]),  # the call deadline
    "timeout": (Fault(kind="delay", seconds=5, times=None), ["did not answer in time"]),
    "401": (Fault(kind="status", status=401, times=None), ["rejected the API token", "PROLIFIC_TOKEN"]),
    "403": (Fault(kind="status", status=403, times=None), ["refused access"]),
    "404": (Fault(kind="status", status=404, times=None), ["404", "Check the"]),
}


HANGS = frozenset({"slow drip", "timeout"})
"""Faults that never answer in time: the call deadline ends them."""


@pytest.fixture
async def fault_client(sandbox: InProcessSandbox) -> AsyncIterator[Client]:
    async with Client(server_for(sandbox, request_timeout=0.4, call_deadline=0.25, max_attempts=3)) as client:
        yield client


def test_every_tool_has_a_sample_call() -> None:
    async def names() -> set[str]:
        from prolific_taskbuilder_mcp.config import Settings

        async with Client(create_server(Settings(demo=True))) as client:
            return {tool.name for tool in (await client.list_tools()).tools}

    assert anyio.run(names) == set(TOOL_CALLS)


@pytest.mark.parametrize("tool", sorted(TOOL_CALLS))
@pytest.mark.parametrize("fault_name", list(FAULT_OUTCOMES))
async def test_fault_matrix(sandbox: InProcessSandbox, fault_client: Client, tool: str, fault_name: str) -> None:
    fault, words = FAULT_OUTCOMES[fault_name]
    sandbox.state.add_fault(Fault(**{**fault.__dict__}))
    with anyio.fail_after(10):
        if fault_name in HANGS:  # only the deadline ends these: a shorter one keeps the matrix fast
            async with Client(server_for(sandbox, request_timeout=0.1, call_deadline=0.08, max_attempts=3)) as short:
                result = await short.call_tool(tool, TOOL_CALLS[tool])
        else:
            result = await fault_client.call_tool(tool, TOOL_CALLS[tool])
    block = result.content[0]
    assert isinstance(block, TextContent)
    if words:
        assert result.is_error is True, block.text
        for word in words:
            assert word in block.text
    else:
        assert result.is_error is False, block.text
    assert CANARY_TOKEN not in block.text
    assert "Traceback" not in block.text
    sandbox.state.clear_faults()
    assert (await fault_client.call_tool(tool, TOOL_CALLS[tool])).is_error is False  # it keeps serving


@pytest.mark.parametrize("uri", sorted(RESOURCE_URIS.values()))
async def test_resources_survive_faults_too(sandbox: InProcessSandbox, fault_client: Client, uri: str) -> None:
    from mcp.shared.exceptions import MCPError

    sandbox.state.add_fault(Fault(kind="not_json", times=None))
    with pytest.raises(MCPError, match="unexpected response"):
        await fault_client.read_resource(uri)
    sandbox.state.clear_faults()
    assert (await fault_client.read_resource(uri)).contents


class CountingTransport(httpx.AsyncBaseTransport):
    """A real HTTP transport that counts responses still open (test-side instrumentation, not a mock)."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.open = 0
        self.started = anyio.Event()
        self.all_closed = anyio.Event()

    def _closed_one(self) -> None:
        self.open -= 1
        if self.open == 0:
            self.all_closed.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.open += 1
        self.started.set()
        try:
            response = await self._inner.handle_async_request(request)
        except BaseException:
            self._closed_one()
            raise
        transport = self

        class _Stream(httpx.AsyncByteStream):
            async def __aiter__(self) -> AsyncIterator[bytes]:
                async for chunk in response.stream:  # type: ignore[union-attr]
                    yield chunk

            async def aclose(self) -> None:
                transport._closed_one()
                await response.aclose()

        return httpx.Response(response.status_code, headers=response.headers, stream=_Stream())

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_a_cancelled_call_stops_its_upstream_request(_sandbox_session: RunningSandbox) -> None:  # noqa: PT019
    """Over a real socket: the open response is what must be closed."""
    _sandbox_session.state.reset()
    _sandbox_session.state.add_fault(Fault(kind="delay", seconds=5, times=None))
    transport = CountingTransport()
    settings = settings_for(_sandbox_session, request_timeout=10, call_deadline=10)
    async with Client(create_server(settings, transport=lambda: transport)) as client:
        outcome: dict[str, Any] = {}
        async with anyio.create_task_group() as tg:

            async def call() -> None:
                outcome["result"] = await client.call_tool(*next(iter(TOOL_CALLS.items())))

            tg.start_soon(call)
            with anyio.fail_after(3):
                await transport.started.wait()
            assert transport.open == 1
            tg.cancel_scope.cancel()  # the SDK client sends notifications/cancelled
        with anyio.fail_after(2):
            await transport.all_closed.wait()
    assert "result" not in outcome
    assert transport.open == 0
