"""One HTTP worker process of `--workers N`:
`python -m prolific_taskbuilder_mcp.server.worker <fd> <supervisor pid> <heartbeat fd>`.

Started by the supervisor (workers.py) with the listening socket as the inherited file descriptor `fd`. Builds
the server from the settings the supervisor passes on (PROLIFIC_MCP_WORKER_ARGV and the same environment) and
serves until SIGTERM/SIGINT, or until its supervisor is gone (killed without stopping its workers: the worker
would otherwise keep the port open with nobody to stop it). Its event loop writes a byte to the heartbeat pipe
about every second; a worker whose loop hangs stops beating and is replaced by the supervisor.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def main(fd: int, supervisor: int, beats: int) -> None:
    gc.disable()  # through the imports and the server's construction, as cli.main does; settle_startup resumes it
    try:
        import socket

        from .transports import serve_worker, worker_app

        os.set_blocking(beats, False)  # a supervisor that stops reading must never block the event loop

        def beat() -> None:
            # OSError: the pipe is full (the supervisor is not reading) or closed (it is gone: should_stop says so)
            with contextlib.suppress(OSError):
                os.write(beats, b".")

        app, settings = worker_app()
        sock = socket.socket(fileno=fd)
        serve_worker(sock, app, settings, should_stop=lambda: os.getppid() != supervisor, beat=beat)
    finally:
        gc.enable()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
