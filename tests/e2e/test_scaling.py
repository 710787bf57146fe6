"""Scaling out: stateless Streamable HTTP served by several worker processes behind one port."""

from __future__ import annotations

import re
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
from tests.support.processes import child_env, serve_http
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


async def test_two_workers_serve_concurrent_clients_without_errors(sandbox: RunningSandbox, tmp_path: Path) -> None:
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url)
    log = tmp_path / "server.log"
    with serve_http(env, "--stateless-http", "--workers", "2", log=log) as server:
        deadline = time.monotonic() + 20
        while len(re.findall(r"Started server process", log.read_text())) < 2:
            assert time.monotonic() < deadline, log.read_text()
            await anyio.sleep(0.1)
        outcomes: list[bool] = []

        async def one_client() -> None:
            http = httpx2.AsyncClient()
            async with http, Client(streamable_http_client(server.url, http_client=http)) as client:
                for _ in range(5):
                    result = await client.call_tool("get_batch_status", {"batch_id": READY_BATCH_ID})
                    outcomes.append(result.is_error is False)

        async with anyio.create_task_group() as tg:
            for _ in range(8):
                tg.start_soon(one_client)
        assert outcomes == [True] * 40
        assert CANARY_TOKEN not in log.read_text()
        _check_the_supervisor_is_lean(server.process.pid)


def _check_the_supervisor_is_lean(supervisor: int) -> None:
    """The supervisor (the pid we started, after exec) holds uvicorn and the socket, not the app: none of
    pydantic's or the SDK's code is mapped into it, while each worker has both."""
    assert "prolific_taskbuilder_mcp.workers" in Path(f"/proc/{supervisor}/cmdline").read_bytes().decode()
    assert "pydantic_core" not in Path(f"/proc/{supervisor}/maps").read_text()
    assert "/mcp/" not in Path(f"/proc/{supervisor}/maps").read_text()  # no SDK bytecode mapped either
    workers = [
        int(pid.name)
        for pid in Path("/proc").iterdir()
        if pid.name.isdigit() and _parent(int(pid.name)) == supervisor and _is_worker(int(pid.name))
    ]
    assert len(workers) == 2
    for worker in workers:
        assert "pydantic_core" in Path(f"/proc/{worker}/maps").read_text()


def _parent(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return int(re.search(r"PPid:\s+(\d+)", status).group(1))  # type: ignore[union-attr]


def _is_worker(pid: int) -> bool:
    """A process multiprocessing spawned to run a worker (not its resource tracker)."""
    try:
        return "spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
