"""Subprocesses of the real command (stdio and HTTP), for end-to-end tests."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

COMMAND = shutil.which("prolific-taskbuilder-mcp", path=str(Path(sys.executable).parent)) or "prolific-taskbuilder-mcp"


def child_env(**extra: str) -> dict[str, str]:
    """The test environment without any PROLIFIC* variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROLIFIC")}
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class HttpServer:
    url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    def stderr(self) -> str:
        return self.log.read_text()


@contextmanager
def serve_http(env: dict[str, str], *args: str, log: Path) -> Iterator[HttpServer]:
    """Run `prolific-taskbuilder-mcp --transport http` on a free loopback port until the block ends."""
    port = free_port()
    with log.open("w") as errlog:
        process = subprocess.Popen(
            [COMMAND, "--transport", "http", "--port", str(port), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errlog,
        )
    try:
        deadline = time.monotonic() + 20
        while "Serving MCP over Streamable HTTP" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the HTTP server did not start"
            time.sleep(0.02)
        url = re.findall(r"http://\S+/mcp", log.read_text())[0]
        yield HttpServer(url=url, port=port, log=log, process=process)
    finally:
        process.terminate()
        process.wait(timeout=15)
