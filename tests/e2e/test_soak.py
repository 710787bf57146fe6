"""Soak: 2,000 mixed calls with 10% injected faults over one stdio session.

Every call is answered, the server's RSS grows by less than 20%, and its open file descriptors come back
to their baseline.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from prolific_taskbuilder_mcp.sandbox import DEMO_BATCHES, Fault
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.processes import COMMAND, child_env
from tests.support.simulator import CANARY_TOKEN

pytestmark = pytest.mark.soak

CALLS = 2_000
FAULTS = [
    Fault(kind="status", status=404),
    Fault(kind="status", status=500),
    Fault(kind="status", status=503),
    Fault(kind="status", status=429, retry_after="120"),
    Fault(kind="not_json"),
    Fault(kind="wrong_shape"),
    Fault(kind="html", status=502),
    Fault(kind="truncated"),
    Fault(kind="reset"),
]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _fds(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


class RawSession:
    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.next_id = 0

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()
        while True:
            line = self.proc.stdout.readline()
            assert line, "the server closed stdout"
            answer: dict[str, Any] = json.loads(line)
            if answer.get("id") == self.next_id:
                return answer

    def notify(self, method: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": method}) + "\n")
        self.proc.stdin.flush()


def _one_call(session: RawSession, rng: random.Random, batch_ids: list[str]) -> dict[str, Any]:
    kind = rng.random()
    if kind < 0.7:
        return session.request("tools/call", {"name": "get_batch", "arguments": {"batch_id": rng.choice(batch_ids)}})
    if kind < 0.8:
        return session.request("tools/call", {"name": "get_batch", "arguments": {"batch_id": "../nope"}})
    if kind < 0.9:
        return session.request("resources/read", {"uri": f"prolific://batches/{rng.choice(batch_ids)}"})
    return session.request("tools/list")


def test_soak_over_one_stdio_session(sandbox: RunningSandbox) -> None:
    env = child_env(
        PROLIFIC_TOKEN=CANARY_TOKEN,
        PROLIFIC_URL=sandbox.url,
        PROLIFIC_MCP_LOG_LEVEL="WARNING",
        PROLIFIC_MCP_RETRY_BACKOFF="0.01",  # retries still happen; their waits are not what this measures
    )
    proc = subprocess.Popen(
        [COMMAND],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    rng = random.Random(20261129)
    batch_ids = list(DEMO_BATCHES)
    try:
        session = RawSession(proc)
        init = session.request(
            "initialize",
            {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "soak", "version": "0"}},
        )
        assert "result" in init
        session.notify("notifications/initialized")
        for _ in range(200):  # warm-up: imports, caches, the connection pool
            _one_call(session, rng, batch_ids)
        time.sleep(0.2)
        rss_before, fds_before = _rss_kib(proc.pid), _fds(proc.pid)

        answered = failures = 0
        started = time.monotonic()
        for _ in range(CALLS):
            if rng.random() < 0.10:
                sandbox.state.add_fault(Fault(**rng.choice(FAULTS).__dict__))
            answer = _one_call(session, rng, batch_ids)
            sandbox.state.clear_faults()
            answered += 1
            result = answer.get("result", {})
            if "error" in answer or result.get("isError"):
                failures += 1
            assert CANARY_TOKEN not in json.dumps(answer)
        elapsed = time.monotonic() - started
        time.sleep(0.5)
        rss_after, fds_after = _rss_kib(proc.pid), _fds(proc.pid)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=15)

    print(  # noqa: T201 - the figures for the record
        f"\nsoak: {answered} calls in {elapsed:.1f} s, {failures} error results, "
        f"RSS {rss_before} -> {rss_after} KiB, fds {fds_before} -> {fds_after}"
    )
    assert answered == CALLS
    assert 0 < failures < CALLS  # faults and invalid input did produce error results; the rest succeeded
    assert rss_after < rss_before * 1.2
    assert fds_after <= fds_before
