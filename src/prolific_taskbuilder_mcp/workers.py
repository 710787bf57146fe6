"""The supervisor of HTTP worker processes (`--workers N`): a lean process that binds the port and keeps N
workers serving it, each of which imports and builds the server on its own.

`cli.main` validates the settings (so configuration errors still come out as one line), then replaces itself
with this module (`exec`): the supervisor then holds uvicorn and a socket, and none of the app, pydantic or the
MCP SDK, which only the workers need. Keep this module's imports to the standard library, uvicorn and
`sockets`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

WORKER_ARGV = "PROLIFIC_MCP_WORKER_ARGV"
"""How worker processes get the parent's command-line flags (they re-read the same environment)."""
WORKER_FACTORY = "prolific_taskbuilder_mcp.server.transports:worker_app"


def exec_supervisor(host: str, port: int, workers: int, log_level: str, argv: Sequence[str]) -> NoReturn:
    """Replace this process with the lean supervisor (same pid, so signals and process managers see no change)."""
    sys.stdout.flush()
    sys.stderr.flush()
    env = {**os.environ, WORKER_ARGV: json.dumps(list(argv))}
    args = [sys.executable, "-m", __name__, host, str(port), str(workers), log_level]
    os.execve(sys.executable, args, env)  # noqa: S606 - our own interpreter and module, no shell


def supervise(host: str, port: int, workers: int, log_level: str) -> None:
    """Bind, announce the URL on stderr, and run the workers until SIGTERM/SIGINT (uvicorn forwards it)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from .sockets import BindError, bind_or_explain, url_of

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(log_level)
    try:
        sock = bind_or_explain(host, port)
    except BindError as exc:
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(2) from None
    sys.stderr.write(f"Serving MCP over Streamable HTTP at {url_of(sock, '/mcp')} ({workers} workers)\n")
    sys.stderr.flush()
    config = uvicorn.Config(
        WORKER_FACTORY,
        factory=True,
        http="prolific_taskbuilder_mcp.http_protocol:DeadlineH11Protocol",
        workers=workers,
        log_level=log_level.lower(),
        access_log=False,
        log_config=None,  # the workers log through our redacting stderr handler
        timeout_graceful_shutdown=10,
    )
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()


if __name__ == "__main__":
    host_arg, port_arg, workers_arg, level_arg = sys.argv[1:5]
    supervise(host_arg, int(port_arg), int(workers_arg), level_arg)
