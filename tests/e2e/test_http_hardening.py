"""The HTTP transport's safe defaults: loopback, access key off loopback, DNS-rebinding checks, limits,
graceful shutdown."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from prolific_taskbuilder_mcp.sandbox import SEED_BATCH_ID
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.calls import INITIALIZE, MCP_HEADERS
from tests.support.processes import COMMAND, HttpServer, child_env, serve_http
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.anyio

ACCESS_KEY = "access-key-5e4d3c2b1a-0123456789abcdefghij"  # 40 characters: at least 32 off loopback


def _post(url: str, body: Any = INITIALIZE, **headers: str) -> httpx.Response:
    return httpx.post(url, json=body, headers={**MCP_HEADERS, **headers}, timeout=10)


def test_binding_off_loopback_without_an_access_key_is_refused() -> None:
    proc = subprocess.run(
        [COMMAND, "--transport", "http", "--host", "0.0.0.0", "--port", "0"],  # noqa: S104 - the point of the test
        env=child_env(PROLIFIC_TOKEN=CANARY_TOKEN),
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "PROLIFIC_MCP_HTTP_KEY" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.fixture
def keyed_server(sandbox: RunningSandbox, tmp_path: Path) -> Iterator[HttpServer]:
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_HTTP_KEY=ACCESS_KEY)
    with serve_http(env, "--host", "0.0.0.0", log=tmp_path / "stderr.log") as server:  # noqa: S104
        server.url = f"http://127.0.0.1:{server.port}/mcp"
        yield server


def test_requests_without_the_access_key_get_401(keyed_server: HttpServer) -> None:
    missing = _post(keyed_server.url)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert _post(keyed_server.url, Authorization="Bearer wrong").status_code == 401
    assert _post(keyed_server.url, Authorization=f"Token {ACCESS_KEY}").status_code == 401
    assert _post(keyed_server.url, Authorization=f"Bearer {ACCESS_KEY}").status_code == 200


async def test_a_client_with_the_access_key_works_and_its_key_is_not_passed_to_prolific(
    keyed_server: HttpServer, sandbox: RunningSandbox
) -> None:
    http_client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {ACCESS_KEY}"})
    async with http_client, Client(streamable_http_client(keyed_server.url, http_client=http_client)) as client:
        result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
    # the simulator accepts only the server's own token: the call succeeding proves the client's
    # Authorization header was not forwarded in its place
    assert result.is_error is False
    assert ACCESS_KEY not in keyed_server.stderr()


@pytest.fixture
def local_server(sandbox: RunningSandbox, tmp_path: Path) -> Iterator[HttpServer]:
    env = child_env(
        PROLIFIC_TOKEN=CANARY_TOKEN,
        PROLIFIC_URL=sandbox.url,
        PROLIFIC_MCP_MAX_REQUEST_BYTES="4096",
        PROLIFIC_MCP_MAX_SESSIONS="2",
    )
    with serve_http(env, log=tmp_path / "stderr.log") as server:
        yield server


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io"])
def test_a_foreign_host_header_is_refused(local_server: HttpServer, host: str) -> None:
    assert _post(local_server.url, Host=host).status_code == 421


@pytest.mark.parametrize("origin", ["http://evil.example", "https://attacker.test:8443", "null"])
def test_a_foreign_origin_is_refused(local_server: HttpServer, origin: str) -> None:
    assert _post(local_server.url, Origin=origin).status_code == 403


def test_localhost_forms_are_accepted(local_server: HttpServer) -> None:
    port = local_server.port
    assert _post(local_server.url, Host=f"localhost:{port}", Origin=f"http://localhost:{port}").status_code == 200


def test_an_oversized_request_body_is_refused(local_server: HttpServer) -> None:
    huge = {**INITIALIZE, "params": {**INITIALIZE["params"], "padding": "x" * 10_000}}
    assert _post(local_server.url, huge).status_code == 413


def test_the_number_of_sessions_is_bounded(local_server: HttpServer) -> None:
    codes = [_post(local_server.url).status_code for _ in range(3)]
    assert codes[:2] == [200, 200]
    assert codes[2] >= 400


def test_sigterm_shuts_the_http_server_down_gracefully(sandbox: RunningSandbox, tmp_path: Path) -> None:
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url)
    with serve_http(env, "--log-level", "DEBUG", log=tmp_path / "stderr.log") as server:
        assert _post(server.url).status_code == 200
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=15) == 0
    assert "Prolific client closed" in server.stderr()


def test_sigterm_shuts_the_stdio_server_down_gracefully(sandbox: RunningSandbox, tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    with log.open("w") as errlog:
        proc = subprocess.Popen(
            [COMMAND, "--log-level", "DEBUG"],
            env=child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errlog,
        )
    try:
        assert proc.stdin is not None
        proc.stdin.write(
            b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",'
            b'"capabilities":{},"clientInfo":{"name":"t","version":"0"}}}\n'
        )
        proc.stdin.flush()
        assert proc.stdout is not None
        assert b'"result"' in proc.stdout.readline()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
    assert "Prolific client closed" in log.read_text()


def test_abandoned_sessions_expire_so_new_clients_are_not_locked_out(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """100 sessions opened and abandoned fill the server; with a 1.5 s idle timeout a new client gets in once they
    expire (not before: the server is full until then)."""
    env = child_env(
        PROLIFIC_TOKEN=CANARY_TOKEN,
        PROLIFIC_URL=sandbox.url,
        PROLIFIC_MCP_MAX_SESSIONS="100",
        PROLIFIC_MCP_SESSION_IDLE_TIMEOUT="1.5",
    )
    with serve_http(env, log=tmp_path / "stderr.log") as server, httpx.Client(timeout=10) as http:
        opened = [http.post(server.url, json=INITIALIZE, headers=MCP_HEADERS) for _ in range(100)]
        assert [response.status_code for response in opened] == [200] * 100
        full = time.monotonic()
        assert http.post(server.url, json=INITIALIZE, headers=MCP_HEADERS).status_code == 503  # full
        while http.post(server.url, json=INITIALIZE, headers=MCP_HEADERS).status_code != 200:
            assert time.monotonic() - full < 8, "abandoned sessions never expired"
            time.sleep(0.1)
        assert time.monotonic() - full >= 0.5  # let in because sessions expired, not because the limit is gone


def _stall(port: int, partial: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(partial)
    return sock


def _closed_by_peer(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except (TimeoutError, ConnectionResetError):
        return False


def test_stalled_connections_are_closed_and_do_not_slow_normal_calls(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """Half a request line, half the headers, half a body: each closed once PROLIFIC_MCP_HTTP_REQUEST_TIMEOUT
    passes; 200 such connections open at once do not slow a normal client."""
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_HTTP_REQUEST_TIMEOUT="1.2")
    with serve_http(env, log=tmp_path / "stderr.log") as server:
        partials = [
            b"",  # connected, nothing sent
            b"POST /mcp HT",
            b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: app",
            b'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"jsonrpc":',
        ]
        stalled = [_stall(server.port, partial) for partial in partials]
        crowd = [_stall(server.port, b"GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n") for _ in range(200)]
        started = time.monotonic()
        assert _post(server.url).status_code == 200  # a normal client, while 204 connections stall
        assert time.monotonic() - started < 1.0
        for sock in stalled:
            assert _closed_by_peer(sock, within=5), "a stalled connection was left open"
        assert all(_closed_by_peer(sock, within=5) for sock in crowd)
        for sock in stalled + crowd:
            sock.close()
        assert _post(server.url).status_code == 200


async def test_completions_suggest_only_the_ids_this_session_has_seen(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """Two clients of one HTTP server (stateful sessions): each is offered the ids it looked at, not the other's."""
    from mcp_types import PromptReference

    from prolific_taskbuilder_mcp.sandbox.data import ERROR_BATCH_ID, READY_BATCH_ID

    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url)
    ref = PromptReference(name="troubleshoot_batch")
    with serve_http(env, log=tmp_path / "stderr.log") as server:
        async with Client(server.url, mode="legacy") as alice, Client(server.url, mode="legacy") as bob:
            assert (await alice.call_tool("get_batch_status", {"batch_id": READY_BATCH_ID})).is_error is False
            assert (await bob.call_tool("get_batch_status", {"batch_id": ERROR_BATCH_ID})).is_error is False
            for_alice = (await alice.complete(ref, {"name": "batch_id", "value": ""})).completion.values
            for_bob = (await bob.complete(ref, {"name": "batch_id", "value": ""})).completion.values
    assert for_alice == [READY_BATCH_ID]
    assert for_bob == [ERROR_BATCH_ID]


@pytest.mark.parametrize("workers", [[], ["--workers", "2", "--stateless-http"]])
def test_a_port_in_use_is_one_line_with_the_fix(workers: list[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [COMMAND, "--demo", "--transport", "http", "--port", str(port), *workers],
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert f"port {port} on 127.0.0.1 is in use" in last
    assert "--port 0" in last
    assert "Traceback" not in proc.stderr


def test_the_demo_banner_shows_the_real_port_with_port_zero(tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    with log.open("w") as errlog:
        proc = subprocess.Popen(
            [COMMAND, "--demo", "--transport", "http", "--port", "0"], env=child_env(), stderr=errlog
        )
    try:
        deadline = time.monotonic() + 30
        while "Serving MCP over Streamable HTTP" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            assert proc.poll() is None, log.read_text()
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    text = log.read_text()
    assert ":0/mcp" not in text
    served = re.findall(r"Serving MCP over Streamable HTTP at (\S+)", text)[0]
    assert f"Connect a client to {served}" in text


@pytest.mark.parametrize("stateless", [False, True], ids=["stateful", "stateless"])
def test_a_client_that_disconnects_mid_call_stops_the_calls_upstream_work(
    sandbox: RunningSandbox, tmp_path: Path, stateless: bool
) -> None:
    """A summary pages Prolific page after page; the caller hanging up must stop it, whatever the HTTP mode."""
    from prolific_taskbuilder_mcp.sandbox import READY_BATCH_ID
    from prolific_taskbuilder_mcp.sandbox.state import Fault

    sandbox.state.paging, sandbox.state.page_size = "offset", 200  # Prolific paging by itself: many requests
    sandbox.state.response_counts[READY_BATCH_ID] = 40_000  # 200 pages
    sandbox.state.add_fault(Fault(kind="delay", seconds=0.1, times=None, path="/responses"))
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_CALL_DEADLINE="60")
    args = ["--stateless-http"] if stateless else []
    with serve_http(env, *args, log=tmp_path / "stderr.log") as server, httpx.Client(timeout=10) as http:
        headers = {**MCP_HEADERS, "MCP-Protocol-Version": "2025-06-18"}
        opened = http.post(server.url, json=INITIALIZE, headers=headers)
        if not stateless:
            headers["mcp-session-id"] = opened.headers["mcp-session-id"]
        http.post(server.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers)
        call = {
            "jsonrpc": "2.0",
            "id": 7,
            "method": "tools/call",
            "params": {"name": "summarize_batch_responses", "arguments": {"batch_id": READY_BATCH_ID}},
        }
        with http.stream("POST", server.url, json=call, headers=headers) as response:
            assert response.status_code == 200
            time.sleep(0.6)  # a few pages read
        # the connection is closed: the server must stop asking Prolific for pages
        time.sleep(0.4)
        pages_then = sandbox.state.requests_matching("/responses")
        time.sleep(0.8)
        pages_later = sandbox.state.requests_matching("/responses")
        assert pages_then >= 2
        assert pages_later - pages_then <= 1, f"still paging after the client left: {pages_then} -> {pages_later}"
        if not stateless:
            assert "disconnected during request 7; cancelling it" in server.stderr()
