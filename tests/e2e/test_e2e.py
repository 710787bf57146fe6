"""End to end: the installed `prolific-taskbuilder-mcp` command as a subprocess, over stdio and HTTP."""

from __future__ import annotations

import json
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest
from mcp import Client, StdioServerParameters
from mcp_types import TextContent

from prolific_taskbuilder_mcp.sandbox import DEMO_BATCHES, READY_BATCH_ID, SEED_BATCH_ID, Fault
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.processes import COMMAND, HttpServer, child_env, serve_http
from tests.support.simulator import CANARY_TOKEN

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


@pytest.fixture
def stderr_log() -> Iterator[TextIO]:
    with tempfile.TemporaryFile("w+") as log:
        yield log


def _read(log: TextIO) -> str:
    log.flush()
    log.seek(0)
    return log.read()


async def test_stdio_lists_tools_calls_get_batch_and_reads_the_resource(
    sandbox: RunningSandbox, stderr_log: TextIO
) -> None:
    params = StdioServerParameters(
        command=COMMAND,
        args=["--log-level", "DEBUG"],
        env=child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url),
    )
    from mcp.client.stdio import stdio_client

    async with Client(stdio_client(params, errlog=stderr_log)) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        assert "get_batch" in names
        result = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
        assert result.is_error is False
        assert isinstance(result.structured_content, dict)
        assert result.structured_content["status"] == "UNINITIALISED"
        resource = await client.read_resource(f"prolific://batches/{SEED_BATCH_ID}")
        assert json.loads(resource.contents[0].text)["id"] == SEED_BATCH_ID  # type: ignore[union-attr]
        for status in (401, 403, 404, 429, 500):
            sandbox.state.add_fault(Fault(kind="status", status=status, retry_after="90", times=None))
            failed = await client.call_tool("get_batch", {"batch_id": SEED_BATCH_ID})
            sandbox.state.clear_faults()
            assert failed.is_error is True
            assert isinstance(failed.content[0], TextContent)
            assert CANARY_TOKEN not in failed.content[0].text
        invalid = await client.call_tool("get_batch", {"batch_id": "../../users/me"})
        assert invalid.is_error is True
    logs = _read(stderr_log)
    assert "GET /api/v1/data-collection/batches" in logs  # debug logging really was on
    assert CANARY_TOKEN not in logs


def _raw_stdio_session(command: list[str], env: dict[str, str], messages: list[dict[str, Any]]) -> list[str]:
    """Speak JSON-RPC to the process by hand; return every line it wrote to stdout."""
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        for message in messages:
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()
            if "id" not in message:
                continue
            deadline = time.monotonic() + 20
            while True:
                ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
                assert ready, "the server did not answer"
                line = proc.stdout.readline()
                lines.append(line)
                if json.loads(line).get("id") == message["id"]:
                    break
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    lines += proc.stdout.readlines()
    return lines


def test_stdio_stdout_carries_nothing_but_json_rpc(sandbox: RunningSandbox) -> None:
    messages: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "raw-test", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "get_batch", "arguments": {"batch_id": SEED_BATCH_ID}},
        },
        {
            "jsonrpc": "2.0",
            "id": 4,
            "method": "tools/call",
            "params": {"name": "get_batch", "arguments": {"batch_id": "nope"}},
        },
    ]
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url, PROLIFIC_MCP_LOG_LEVEL="DEBUG")
    lines = _raw_stdio_session([COMMAND], env, messages)
    assert len(lines) >= 4
    for line in lines:
        message = json.loads(line)
        assert message["jsonrpc"] == "2.0"
        assert CANARY_TOKEN not in line
    by_id = {json.loads(line).get("id"): json.loads(line) for line in lines}
    assert by_id[3]["result"]["structuredContent"]["id"] == SEED_BATCH_ID
    assert by_id[4]["result"]["isError"] is True


@pytest.fixture
def http_server(sandbox: RunningSandbox, tmp_path: Path) -> Iterator[HttpServer]:
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url)
    with serve_http(env, "--log-level", "DEBUG", log=tmp_path / "stderr.log") as server:
        assert server.url == f"http://127.0.0.1:{server.port}/mcp"  # loopback by default
        yield server


async def test_http_lists_tools_calls_get_batch_and_reads_the_resource(
    http_server: HttpServer, sandbox: RunningSandbox
) -> None:
    async with Client(http_server.url) as client:
        assert "get_batch" in [tool.name for tool in (await client.list_tools()).tools]
        result = await client.call_tool("get_batch", {"batch_id": READY_BATCH_ID})
        assert result.is_error is False
        assert isinstance(result.structured_content, dict)
        assert result.structured_content["status"] == "READY"
        resource = await client.read_resource(f"prolific://batches/{READY_BATCH_ID}")
        assert json.loads(resource.contents[0].text)["status"] == "READY"  # type: ignore[union-attr]
        sandbox.state.add_fault(Fault(kind="status", status=401, times=None))
        failed = await client.call_tool("get_batch", {"batch_id": READY_BATCH_ID})
        assert failed.is_error is True
    assert CANARY_TOKEN not in http_server.stderr()


async def test_demo_mode_over_stdio_answers_for_every_demo_batch(stderr_log: TextIO) -> None:
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=COMMAND, args=["--demo"], env=child_env())
    async with Client(stdio_client(params, errlog=stderr_log)) as client:
        for batch_id in DEMO_BATCHES:
            result = await client.call_tool("get_batch", {"batch_id": batch_id})
            assert result.is_error is False, batch_id
            resource = await client.read_resource(f"prolific://batches/{batch_id}")
            assert json.loads(resource.contents[0].text)["id"] == batch_id  # type: ignore[union-attr]
    logs = _read(stderr_log)
    for batch_id in DEMO_BATCHES:
        assert batch_id in logs  # the demo ids are announced on stderr


async def test_the_demo_with_allow_writes_builds_a_batch_offline(stderr_log: TextIO) -> None:
    """`--demo --allow-writes`: a dataset uploaded through the embedded simulator's storage, a batch on it, and
    its setup started (the demo's setup then takes 5 s, and simulated participants answer it)."""
    from mcp.client.stdio import stdio_client

    env = child_env(PROLIFIC_MCP_CONFIRM_WRITES="never")
    params = StdioServerParameters(command=COMMAND, args=["--demo", "--allow-writes"], env=env)
    records = [{"text": f"Reply {n}", "META_id": str(n)} for n in range(3)]
    question = {
        "type": "multiple_choice",
        "text": "Helpful?",
        "options": [{"label": "Yes", "value": "y"}, {"label": "No", "value": "n"}],
    }
    async with Client(stdio_client(params, errlog=stderr_log)) as client:
        made = await client.call_tool("create_dataset", {"name": "Demo replies", "records": records})
        assert made.structured_content is not None, made.content
        assert made.structured_content["upload"]["status"] == "complete"
        dataset_id = made.structured_content["dataset"]["id"]
        details = {"task_name": "Rate", "task_introduction": "Read the reply.", "task_steps": "Answer."}
        batch = await client.call_tool(
            "create_batch", {"name": "Demo batch", "dataset_id": dataset_id, "questions": [question], **details}
        )
        assert batch.structured_content is not None, batch.content
        batch_id = batch.structured_content["batch"]["id"]
        started = await client.call_tool("setup_batch", {"batch_id": batch_id, "wait": False})
        assert started.structured_content is not None, started.content
        assert started.structured_content["batch"]["status"] == "PROCESSING"
    assert "Writes are on (--allow-writes)" in _read(stderr_log)  # the demo tells a newcomer what to try


def test_without_a_token_it_exits_2_at_once_with_one_line() -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [COMMAND], env=child_env(), capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "PROLIFIC_TOKEN" in lines[0]
    assert "--demo" in lines[0]
    assert "Traceback" not in proc.stderr
    assert time.monotonic() - started < 10


def test_python_dash_m_behaves_the_same() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "prolific_taskbuilder_mcp", "--version"], capture_output=True, text=True, timeout=20
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("prolific-taskbuilder-mcp ")


@pytest.mark.parametrize("source", ["/dev/null", "file"])
def test_stdin_that_cannot_be_polled_still_ends_the_server(source: str, tmp_path: Path) -> None:
    """/dev/null and regular files cannot be watched by epoll: the server must still read them to EOF."""
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    path = Path(source) if source == "/dev/null" else tmp_path / "requests.jsonl"
    if source == "file":
        path.write_text(json.dumps(request) + "\n")
    with path.open("rb") as stdin:
        done = subprocess.run([COMMAND, "--demo"], stdin=stdin, capture_output=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr.decode()[-1000:]
    assert b"Traceback" not in done.stderr
    if source == "file":
        assert json.loads(done.stdout.splitlines()[0])["result"]["serverInfo"]["name"] == "prolific-taskbuilder-mcp"


STRAY_PRINT_SCRIPT = """
import asyncio
from prolific_taskbuilder_mcp.server.transports import _stdout_pipe

async def main():
    wire = await _stdout_pipe()
    assert wire is not None, "stdout is a pipe: the loop-driven writer must be used"
    print("stray print from some library", flush=True)
    await wire.write('{"jsonrpc":"2.0","method":"ping"}\\n')
    await wire.flush()

asyncio.run(main())
"""


def test_the_stdout_wire_is_private_so_stray_prints_go_to_stderr() -> None:
    done = subprocess.run(
        [sys.executable, "-c", STRAY_PRINT_SCRIPT], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == '{"jsonrpc":"2.0","method":"ping"}\n'
    assert "stray print from some library" in done.stderr
