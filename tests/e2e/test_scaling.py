"""Scaling out: stateless Streamable HTTP served by several worker processes behind one port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from prolific_taskbuilder_mcp.config import ConfigError, load_settings
from prolific_taskbuilder_mcp.sandbox import READY_BATCH_ID
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.processes import child_env, free_port, serve_http
from tests.support.simulator import CANARY_TOKEN

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


def test_workers_need_stateless_http() -> None:
    base = {"PROLIFIC_TOKEN": "t"}
    with pytest.raises(ConfigError, match="--stateless-http"):
        load_settings(["--transport", "http", "--workers", "2"], base)
    with pytest.raises(ConfigError, match="--transport http"):
        load_settings(["--workers", "2", "--stateless-http"], base)
    settings = load_settings(["--transport", "http", "--workers", "2", "--stateless-http"], base)
    assert settings.workers == 2


def test_workers_are_refused_on_windows_with_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers inherit the listening socket (subprocess pass_fds), which Windows does not offer."""
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(ConfigError, match="on Windows run one process per port"):
        load_settings(["--transport", "http", "--workers", "2", "--stateless-http"], {"PROLIFIC_TOKEN": "t"})
    assert load_settings(["--transport", "http"], {"PROLIFIC_TOKEN": "t"}).workers == 1


async def test_two_workers_serve_concurrent_clients_without_errors(sandbox: RunningSandbox, tmp_path: Path) -> None:
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url)
    log = tmp_path / "server.log"
    with serve_http(env, "--stateless-http", "--workers", "2", log=log) as server:
        await _wait_for_started(log, 2)
        assert await _calls(server.url, clients=8, each=5) == [True] * 40
        assert CANARY_TOKEN not in log.read_text()
        workers = _check_the_supervisor_is_lean(server.process.pid)
    for worker in workers:  # SIGTERM to the supervisor stopped its workers (gracefully: uvicorn says so)
        assert _parent(worker) is None
    assert log.read_text().count("Finished server process") == 2


async def test_a_dead_worker_is_replaced_and_workers_stop_when_the_supervisor_dies(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_LOG_LEVEL="INFO")
    log = tmp_path / "server.log"
    with serve_http(env, "--stateless-http", "--workers", "2", log=log) as server:
        await _wait_for_started(log, 2)
        first, second = _workers_of(server.process.pid)
        os.kill(first, signal.SIGKILL)  # a crash (out of memory, say)
        await _wait_for_started(log, 3)
        assert f"Worker {first} exited with status -9; starting another" in log.read_text()
        replacement = set(_workers_of(server.process.pid)) - {second}
        assert len(replacement) == 1
        assert first not in replacement
        assert await _calls(server.url, clients=4, each=3) == [True] * 12
        workers = _workers_of(server.process.pid)
        server.process.kill()  # the supervisor disappears without stopping its workers
        server.process.wait()
        deadline = time.monotonic() + 10
        while any(_parent(worker) is not None for worker in workers):  # they notice within a second or two
            assert time.monotonic() < deadline, log.read_text()
            await anyio.sleep(0.1)
        assert "The supervisor is gone; this worker stops" in log.read_text()


async def test_a_hung_worker_is_killed_and_replaced(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """A worker whose event loop stops (SIGSTOP here; a deadlock or an endless computation in life) stops its
    heartbeat: after --worker-timeout seconds the supervisor kills it and starts another."""
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_LOG_LEVEL="INFO")
    log = tmp_path / "server.log"
    with serve_http(env, "--stateless-http", "--workers", "2", "--worker-timeout", "4", log=log) as server:
        await _wait_for_started(log, 2)
        await anyio.sleep(1.5)  # both are beating
        hung, healthy = _workers_of(server.process.pid)
        os.kill(hung, signal.SIGSTOP)
        await _wait_for_started(log, 3)
        assert f"Worker {hung} has not been heard from for" in log.read_text()
        assert _parent(hung) is None  # killed (a stopped process still dies of SIGKILL)
        assert healthy in _workers_of(server.process.pid)  # the beating one was left alone
        assert await _calls(server.url, clients=4, each=3) == [True] * 12


def test_workers_that_cannot_start_stop_the_supervisor_with_one_line() -> None:
    """A worker that dies at start-up is not restarted forever: after 3 quick exits in a row, exit status 1."""
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL="http://127.0.0.1:9")
    port = free_port()
    proc = subprocess.run(
        [sys.executable, "-c", _BROKEN_WORKERS, "127.0.0.1", str(port), "2", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert "workers in a row exited right after starting" in proc.stderr.strip().splitlines()[-1]


_BROKEN_WORKERS = """
import sys
from prolific_taskbuilder_mcp import workers
workers.WORKER_MODULE = "prolific_taskbuilder_mcp.no_such_worker"
raise SystemExit(workers.supervise(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], 30.0))
"""


async def _wait_for_started(log: Path, count: int) -> None:
    deadline = time.monotonic() + 20
    while len(re.findall(r"Application startup complete", text := await anyio.Path(log).read_text())) < count:
        assert time.monotonic() < deadline, text
        await anyio.sleep(0.05)


async def _calls(url: str, *, clients: int, each: int) -> list[bool]:
    outcomes: list[bool] = []

    async def one_client() -> None:
        http = httpx2.AsyncClient()
        async with http, Client(streamable_http_client(url, http_client=http)) as client:
            for _ in range(each):
                result = await client.call_tool("get_batch_status", {"batch_id": READY_BATCH_ID})
                outcomes.append(result.is_error is False)

    async with anyio.create_task_group() as tg:
        for _ in range(clients):
            tg.start_soon(one_client)
    return outcomes


def _check_the_supervisor_is_lean(supervisor: int) -> list[int]:
    """The supervisor (the pid we started, after exec) holds the socket, not the app: none of pydantic's or the
    SDK's code is mapped into it, while each worker has both; and it started the two workers and nothing else
    (no multiprocessing resource tracker)."""
    assert "prolific_taskbuilder_mcp.workers" in Path(f"/proc/{supervisor}/cmdline").read_bytes().decode()
    assert "pydantic_core" not in Path(f"/proc/{supervisor}/maps").read_text()
    assert "/mcp/" not in Path(f"/proc/{supervisor}/maps").read_text()  # no SDK bytecode mapped either
    children = [int(pid.name) for pid in Path("/proc").iterdir() if pid.name.isdigit()]
    children = [pid for pid in children if _parent(pid) == supervisor]
    workers = _workers_of(supervisor)
    assert len(workers) == 2
    assert sorted(children) == sorted(workers)
    for worker in workers:
        assert "pydantic_core" in Path(f"/proc/{worker}/maps").read_text()
    return workers


def _workers_of(supervisor: int) -> list[int]:
    pids = [int(pid.name) for pid in Path("/proc").iterdir() if pid.name.isdigit()]
    return [pid for pid in pids if _parent(pid) == supervisor and _is_worker(pid)]


def _parent(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return int(re.search(r"PPid:\s+(\d+)", status).group(1))  # type: ignore[union-attr]


def _is_worker(pid: int) -> bool:
    try:
        return "prolific_taskbuilder_mcp.server.worker" in Path(f"/proc/{pid}/cmdline").read_bytes().decode()
    except OSError:
        return False
