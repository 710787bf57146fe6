"""The simulator in-process: our server's client reaches it through an ASGI transport instead of a socket.

`SimulatorTransport` keeps the two failure modes a socket adds (the app dropping the connection mid-response, a
body shorter than its Content-Length) and reports them as httpcore does, so faults mean the same in-process as
over loopback (tests/client checks the loopback side).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from prolific_taskbuilder_mcp.client import REAL_CLOCK, Clock
from prolific_taskbuilder_mcp.config import Settings
from prolific_taskbuilder_mcp.sandbox import SandboxState, create_app
from prolific_taskbuilder_mcp.server import ProlificMCPServer, create_server

from .clock import FakeClock

CANARY_TOKEN = "canary-tok-9f8e7d6c5b4a-DO-NOT-LEAK"
"""A distinctive token: tests assert it never shows up anywhere a model or a log reader could see it."""

ORIGIN = "http://prolific.test"


class SimulatorTransport(httpx.AsyncBaseTransport):
    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._inner.handle_async_request(request)
        except ConnectionResetError as exc:
            raise httpx.ReadError("connection reset by peer", request=request) from exc
        body = await response.aread()
        declared = response.headers.get("content-length")
        if declared is not None and int(declared) != len(body):
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")
        return httpx.Response(response.status_code, headers=response.headers, content=body, request=request)


@dataclass
class InProcessSandbox:
    """The simulator's state, its app behind a transport, and the fake clock the server and simulator share."""

    state: SandboxState
    clock: FakeClock = field(default_factory=FakeClock)
    url: str = ORIGIN

    def transport(self) -> httpx.AsyncBaseTransport:
        return SimulatorTransport(create_app(self.state))

    def http(self) -> httpx.AsyncClient:
        """A plain HTTP client (no token) for the simulator's presigned links and hooks."""
        return httpx.AsyncClient(transport=self.transport(), base_url=self.url)


def new_sandbox(**state: Any) -> InProcessSandbox:
    clock = FakeClock()
    values: dict[str, Any] = {"token": CANARY_TOKEN, "processing_delay": 0.5, "clock": clock.now, **state}
    return InProcessSandbox(state=SandboxState(**values), clock=clock)


def server_for(sandbox: InProcessSandbox, *, real_clock: bool = False, **overrides: Any) -> ProlificMCPServer:
    """Our server, talking to the in-process simulator; waits and retries on the fake clock unless `real_clock`."""
    values: dict[str, Any] = {
        "token": CANARY_TOKEN,
        "api_url": sandbox.url,
        "request_timeout": 5.0,
        "retry_backoff": 0.0,  # retries happen; whether a wait fits the call deadline is tests/client's to check
    }
    values.update(overrides)
    clock: Clock = REAL_CLOCK if real_clock else sandbox.clock
    return create_server(Settings.model_validate(values), transport=sandbox.transport, clock=clock)
