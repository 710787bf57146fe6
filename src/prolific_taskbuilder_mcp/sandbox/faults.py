"""How each injected fault misbehaves on the wire."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Send

from . import data
from .errors import error_response
from .state import Fault


async def _drip(body: bytes, seconds: float) -> AsyncIterator[bytes]:
    for i in range(len(body)):
        yield body[i : i + 1]
        await asyncio.sleep(seconds)


def fault_response(fault: Fault, authorization: str | None = None) -> Response | None:
    """The response a fault produces; None for faults that only delay. With `echo_authorization`, the body
    repeats the request's Authorization header."""
    echo = f" Token not allowed here: {authorization}" if fault.echo_authorization and authorization else ""
    if fault.kind == "status":
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
        return error_response(fault.status, f"{fault.detail or f'Injected fault {fault.status}.'}{echo}", headers)
    if fault.kind == "html":
        page = f"<html><body><h1>{fault.status} Bad Gateway</h1><p>nginx{echo}</p></body></html>"
        return Response(page, status_code=fault.status, media_type="text/html")
    if fault.kind == "not_json":
        return Response(f"this is not json {{{echo}", status_code=200, media_type="application/json")
    if fault.kind == "wrong_shape":
        return JSONResponse(["an", "array", "instead", "of", "an", "object"])
    if fault.kind == "huge":
        return Response(b'{"pad":"' + b"x" * (12 * 1024 * 1024) + b'"}', media_type="application/json")
    if fault.kind == "drip":
        return StreamingResponse(_drip(b'{"id": "slow"}' * 50, fault.seconds or 1.0), media_type="application/json")
    return None


async def send_truncated(send: Send) -> None:
    """Announce a longer body than is sent, then stop: the client sees an incomplete response."""
    body = json.dumps({"id": data.SEED_BATCH_ID, "name": "truncated"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )
    await send({"type": "http.response.body", "body": body[:20], "more_body": False})
