"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for each request to arrive whole.

uvicorn closes a keep-alive connection that stays idle between requests, but not one that stalls part way
through a request: a client that sends half its headers (or half a body) and then nothing holds the connection,
its memory and a file descriptor for ever (slow-loris). Here every request, from its first byte (or the
connection's opening) to the end of its body, must arrive within `request_timeout` seconds, or the connection is
closed. Responses, including long SSE streams, are not limited: the deadline ends when the request is complete.
"""

from __future__ import annotations

import asyncio
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

logger = logging.getLogger(__name__)


class DeadlineH11Protocol(H11Protocol):
    request_timeout: float = 30.0
    """Seconds a request may take to arrive whole; set from PROLIFIC_MCP_HTTP_REQUEST_TIMEOUT at start-up."""

    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._deadline is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._disarm()  # the request is whole (or the connection is closing): the response is not limited

    def on_response_complete(self) -> None:
        self._disarm()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.request_timeout, self._stalled)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _stalled(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            logger.info("Closing a connection whose request did not arrive within %g s", self.request_timeout)
            self.transport.close()
