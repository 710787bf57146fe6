"""One HTTP worker process of `--workers N`: `python -m prolific_taskbuilder_mcp.server.worker <fd> <supervisor pid>`.

Started by the supervisor (workers.py) with the listening socket as the inherited file descriptor `fd`. Builds
the server from the settings the supervisor passes on (PROLIFIC_MCP_WORKER_ARGV and the same environment) and
serves until SIGTERM/SIGINT, or until its supervisor is gone (killed without stopping its workers: the worker
would otherwise keep the port open with nobody to stop it).
"""

from __future__ import annotations

import gc
import os
import sys


def main(fd: int, supervisor: int) -> None:
    gc.disable()  # through the imports and the server's construction, as cli.main does; settle_startup resumes it
    try:
        import socket

        from .transports import serve_worker, worker_app

        app, settings = worker_app()
        sock = socket.socket(fileno=fd)
        serve_worker(sock, app, settings, should_stop=lambda: os.getppid() != supervisor)
    finally:
        gc.enable()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
