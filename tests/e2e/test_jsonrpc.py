"""Malformed JSON-RPC over stdio gets the errors JSON-RPC 2.0 prescribes, an over-long line is answered (not a
crash), and the server goes on serving. The envelope rules themselves are unit-tested beside this."""

from __future__ import annotations

import json
import select
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from prolific_taskbuilder_mcp.server.jsonrpc import INVALID_REQUEST, PARSE_ERROR, reply_to_malformed
from tests.support.calls import INITIALIZE, MCP_HEADERS
from tests.support.processes import COMMAND, child_env, serve_http

pytestmark = pytest.mark.e2e

MALFORMED: list[tuple[bytes, int, Any]] = [
    (b"{not json", PARSE_ERROR, None),
    (b'{"jsonrpc":"1.0","id":2,"method":"ping"}', INVALID_REQUEST, 2),
    (b'{"jsonrpc":"2.0","id":3,"method":"ping","params":"string"}', INVALID_REQUEST, 3),
    (b'{"jsonrpc":"2.0","id":4,"method":"ping","params":[1]}', INVALID_REQUEST, 4),
    (b"[]", INVALID_REQUEST, None),
    (b'[{"jsonrpc":"2.0","id":5,"method":"ping"}]', INVALID_REQUEST, None),
    (b"42", INVALID_REQUEST, None),
    (b'"ping"', INVALID_REQUEST, None),
    (b"null", INVALID_REQUEST, None),
    (b'{"jsonrpc":"2.0","id":6}', INVALID_REQUEST, 6),
    (b'{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', INVALID_REQUEST, None),
    (b'{"jsonrpc":"2.0","id":true,"method":"ping"}', INVALID_REQUEST, None),
    (b'{"jsonrpc":"2.0","id":7,"method":5}', INVALID_REQUEST, 7),
    (b'{"jsonrpc":"2.0","id":"eight","method":""}', INVALID_REQUEST, "eight"),
    (b'{"id":9,"method":"ping"}', INVALID_REQUEST, 9),
    (b"[" * 100_000 + b"]" * 100_000, PARSE_ERROR, None),
]


class Session:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [COMMAND, "--demo"],
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def send(self, line: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + b"\n")
        self.proc.stdin.flush()

    def receive(self, timeout: float = 10) -> dict[str, Any]:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, "no reply"
        reply: dict[str, Any] = json.loads(self.proc.stdout.readline())
        return reply

    def close(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(timeout=15)


@pytest.fixture
def session() -> Iterator[Session]:
    started = Session()
    started.send(json.dumps(INITIALIZE).encode())
    assert "result" in started.receive()
    started.send(b'{"jsonrpc":"2.0","method":"notifications/initialized"}')
    yield started
    if started.proc.poll() is None:
        started.proc.kill()


def test_every_malformed_message_gets_its_json_rpc_error_and_serving_goes_on(session: Session) -> None:
    for line, code, ident in MALFORMED:
        session.send(line)
        reply = session.receive()
        assert reply["error"]["code"] == code, (line[:60], reply)
        assert reply["id"] == ident, (line[:60], reply)
    session.send(b'{"jsonrpc":"2.0","id":100,"method":"ping"}')
    assert session.receive() == {"jsonrpc": "2.0", "id": 100, "result": {}}
    assert session.close() == 0


def test_a_line_over_the_limit_is_answered_and_skipped_not_fatal(session: Session) -> None:
    session.send(b'{"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":"' + b"x" * (65 * 1024 * 1024) + b'"}}')
    reply = session.receive(timeout=30)
    assert reply["error"]["code"] == INVALID_REQUEST
    assert "longer than" in reply["error"]["message"]
    session.send(b'{"jsonrpc":"2.0","id":3,"method":"ping"}')
    assert session.receive() == {"jsonrpc": "2.0", "id": 3, "result": {}}
    assert session.close() == 0


@pytest.mark.parametrize(
    "line",
    [
        '{"jsonrpc":"2.0","id":1,"method":"ping"}',
        '{"jsonrpc":"2.0","id":"a","method":"tools/list","params":{}}',
        '{"jsonrpc":"2.0","method":"notifications/initialized"}',
        '{"jsonrpc":"2.0","id":7,"result":{}}',
        '{"jsonrpc":"2.0","id":7,"error":{"code":-1,"message":"no"}}',
        "",
    ],
)
def test_well_formed_messages_pass_through_untouched(line: str) -> None:
    assert reply_to_malformed(line) is None


def test_malformed_json_rpc_over_http_gets_a_400_with_the_prescribed_error(tmp_path: Path) -> None:
    headers = MCP_HEADERS
    with serve_http(child_env(), "--demo", log=tmp_path / "stderr.log") as server:
        for line, code, ident in MALFORMED:
            answer = httpx.post(server.url, content=line, headers=headers, timeout=10)
            assert answer.status_code == 400, line[:60]
            assert answer.json()["error"]["code"] == code, (line[:60], answer.text[:200])
            assert answer.json()["id"] == ident
            assert "pydantic" not in answer.text
        assert httpx.post(server.url, json=INITIALIZE, headers=MCP_HEADERS, timeout=10).status_code == 200
        too_big = httpx.post(server.url, content=b"x" * (2 * 1024 * 1024), headers=headers, timeout=10)
        assert too_big.status_code == 413  # the size limit still answers first
