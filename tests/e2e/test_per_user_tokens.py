"""Per-user tokens over HTTP (`--per-user-tokens`): each request acts with its user's own Prolific token, sent in
`X-Prolific-Token`; nothing keyed by a credential is shared between users, and a session belongs to its creator.

A real server subprocess, real MCP clients over HTTP, the simulator on loopback accepting two users' tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from prolific_taskbuilder_mcp.sandbox.data import READY_BATCH_ID
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from prolific_taskbuilder_mcp.sandbox.state import Fault
from tests.support.calls import INITIALIZE, MCP_HEADERS
from tests.support.processes import HttpServer, child_env, serve_http
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.anyio

TOKEN_B = "second-user-token-0a1b2c3d4e5f-DO-NOT-LEAK"
BATCH_PATH = f"GET /api/v1/data-collection/batches/{READY_BATCH_ID}"


@pytest.fixture
def per_user_server(sandbox: RunningSandbox, tmp_path: Path) -> Iterator[HttpServer]:
    sandbox.state.other_tokens = (TOKEN_B,)
    env = child_env(PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_PER_USER_TOKENS="1")
    with serve_http(env, "--log-level", "DEBUG", log=tmp_path / "stderr.log") as server:
        yield server


def _client(server: HttpServer, token: str | None, mode: str = "auto") -> Client:
    headers = {"X-Prolific-Token": token} if token is not None else {}
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=60))
    return Client(streamable_http_client(server.url, http_client=http), mode=mode)


async def _get_batch_at_once(server: HttpServer, tokens: list[str], mode: str) -> list[str]:
    texts: list[str] = [""] * len(tokens)

    async def one(index: int, token: str) -> None:
        async with _client(server, token, mode) as client:
            result = await client.call_tool("get_batch", {"batch_id": READY_BATCH_ID})
            assert not result.is_error, result
            texts[index] = result.content[0].text  # type: ignore[union-attr]

    async with anyio.create_task_group() as tg:
        for index, token in enumerate(tokens):
            tg.start_soon(one, index, token)
    return texts


@pytest.mark.parametrize("mode", ["auto", "legacy"])  # 2026-07-28 requests; stateful sessions
async def test_two_users_at_once_make_two_upstream_requests_each_with_their_own_token(
    sandbox: RunningSandbox, per_user_server: HttpServer, mode: str
) -> None:
    sandbox.state.latency = 0.5  # both calls are in flight together: a shared coalescing would merge them
    texts = await _get_batch_at_once(per_user_server, [CANARY_TOKEN, TOKEN_B], mode)
    assert all(READY_BATCH_ID in text for text in texts)
    assert sandbox.state.callers[(CANARY_TOKEN, BATCH_PATH)] == 1
    assert sandbox.state.callers[(TOKEN_B, BATCH_PATH)] == 1

    # The control: one user asking twice at once is coalesced into one request, so the figure above can fail.
    sandbox.state.reset()
    await _get_batch_at_once(per_user_server, [TOKEN_B, TOKEN_B], mode)
    assert sandbox.state.callers[(TOKEN_B, BATCH_PATH)] == 1
    assert sandbox.state.callers[(CANARY_TOKEN, BATCH_PATH)] == 0

    stderr = per_user_server.stderr()
    assert "GET /api/v1/" in stderr
    assert CANARY_TOKEN not in stderr
    assert TOKEN_B not in stderr


async def test_a_request_without_a_user_token_is_refused_with_a_one_line_reason(per_user_server: HttpServer) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(per_user_server.url, json=INITIALIZE, headers=MCP_HEADERS)
    assert response.status_code == 401
    assert "X-Prolific-Token" in response.json()["detail"]


async def test_a_wrong_user_token_is_explained_as_the_users_own(
    sandbox: RunningSandbox, per_user_server: HttpServer
) -> None:
    async with _client(per_user_server, "not-a-token-prolific-knows") as client:
        result = await client.call_tool("get_batch", {"batch_id": READY_BATCH_ID})
    assert result.is_error
    text = result.content[0].text  # type: ignore[union-attr]
    assert "X-Prolific-Token" in text
    assert "PROLIFIC_TOKEN" not in text
    assert "not-a-token-prolific-knows" not in text


async def test_user_b_cannot_use_user_as_session(per_user_server: HttpServer) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        opened = await http.post(
            per_user_server.url, json=INITIALIZE, headers={**MCP_HEADERS, "X-Prolific-Token": CANARY_TOKEN}
        )
        assert opened.status_code == 200, opened.text
        session = opened.headers["mcp-session-id"]
        listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
        as_b = {**MCP_HEADERS, "X-Prolific-Token": TOKEN_B, "mcp-session-id": session}
        assert (await http.post(per_user_server.url, json=listing, headers=as_b)).status_code == 404
        assert (await http.delete(per_user_server.url, headers=as_b)).status_code == 404
        as_a = {**as_b, "X-Prolific-Token": CANARY_TOKEN}
        assert (await http.post(per_user_server.url, json=listing, headers=as_a)).status_code in (200, 202)


async def test_a_users_token_echoed_by_the_upstream_never_reaches_them_or_the_log(
    sandbox: RunningSandbox, per_user_server: HttpServer
) -> None:
    sandbox.state.add_fault(Fault(kind="status", status=403, times=None, echo_authorization=True))
    async with _client(per_user_server, CANARY_TOKEN) as client:
        result = await client.call_tool("get_batch", {"batch_id": READY_BATCH_ID})
    text = result.content[0].text  # type: ignore[union-attr]
    assert result.is_error
    assert "403" in text
    assert CANARY_TOKEN not in text
    assert CANARY_TOKEN not in per_user_server.stderr()
