"""The supervisor of HTTP worker processes (`--workers N`): a lean process that binds the port and keeps N
workers serving it, each of which imports and builds the server on its own.

`cli.main` validates the settings (so configuration errors still come out as one line), then replaces itself
with this module (`exec`). The supervisor holds the listening socket and nothing else: no app, no pydantic, no
MCP SDK, not even uvicorn, which only the workers need. Keep this module's imports to the standard library and
`sockets` (a unit test holds it to that).

Each worker is `python -m prolific_taskbuilder_mcp.server.worker <fd> <supervisor pid> <heartbeat fd>`, started
with the listening socket as an inherited file descriptor; the kernel spreads connections over the workers
accepting on it. Each worker's event loop writes a byte to its heartbeat pipe every second or so. Workers are
plain subprocesses rather than multiprocessing's, whose "spawn" start method also runs a resource-tracker
process (about 12 MiB) that a server sharing no semaphores or shared memory does not need.

The supervisor:
- replaces a worker that exits while serving (logged with its exit status), and one whose event loop has not
  beaten for `--worker-timeout` seconds (a hung worker: killed, then replaced; a starting worker gets at least
  60 s for its first beat);
- gives up, with one line and exit status 1, when workers keep dying right after starting (3 in a row within
  10 s of their start: a broken install or configuration, which restarting cannot fix);
- on SIGTERM or SIGINT, passes SIGTERM to every worker (uvicorn's graceful shutdown: in-flight calls finish,
  within 10 s), waits for them (SIGKILL after 15 s), and exits 0.
Workers exit on their own if the supervisor disappears without stopping them (SIGKILL): see server/worker.py.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

WORKER_ARGV = "PROLIFIC_MCP_WORKER_ARGV"
"""How worker processes get the parent's command-line flags (they re-read the same environment)."""
WORKER_MODULE = "prolific_taskbuilder_mcp.server.worker"
QUICK_EXIT_SECONDS = 10.0
"""A worker that exits this soon after its start failed to start."""
QUICK_EXITS_TO_GIVE_UP = 3
FIRST_BEAT_SECONDS = 60.0
"""At least this long for a new worker's first heartbeat (it imports and builds the server first)."""
STOP_GRACE_SECONDS = 15.0
"""How long stopping workers get before SIGKILL (uvicorn's graceful shutdown is configured to take at most 10)."""

logger = logging.getLogger("prolific_taskbuilder_mcp.workers")


def exec_supervisor(
    host: str, port: int, workers: int, log_level: str, timeout: float, argv: Sequence[str]
) -> NoReturn:
    """Replace this process with the lean supervisor (same pid, so signals and process managers see no change)."""
    sys.stdout.flush()
    sys.stderr.flush()
    env = {**os.environ, WORKER_ARGV: json.dumps(list(argv))}
    args = [sys.executable, "-m", __name__, host, str(port), str(workers), log_level, str(timeout)]
    os.execve(sys.executable, args, env)  # noqa: S606 - our own interpreter and module, no shell


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    started: float
    beats: int
    """The read end of the worker's heartbeat pipe (non-blocking)."""
    last_beat: float | None = None


class Supervisor:
    """Keeps `count` workers serving the socket with file descriptor `fd` until `stop()`."""

    def __init__(self, fd: int, count: int, timeout: float) -> None:
        self._fd = fd
        self._count = count
        self._timeout = timeout
        self._stopping = threading.Event()
        self.workers: list[Worker] = []

    def stop(self) -> None:
        self._stopping.set()

    def run(self, poll_seconds: float = 0.2) -> int:
        """Serve until stopped (exit status 0) or until workers keep failing at start-up (1)."""
        self.workers = [self._start() for _ in range(self._count)]
        quick_exits = 0
        try:
            while not self._stopping.wait(poll_seconds):
                for index, worker in enumerate(self.workers):
                    self._listen(worker)
                    status = worker.process.poll()
                    if status is None:
                        if self._hung(worker):
                            self._replace_hung(index, worker)
                        continue
                    quick = time.monotonic() - worker.started < QUICK_EXIT_SECONDS
                    quick_exits = quick_exits + 1 if quick else 0
                    if quick_exits >= QUICK_EXITS_TO_GIVE_UP:
                        sys.stderr.write(
                            f"prolific-taskbuilder-mcp: {quick_exits} workers in a row exited right after starting "
                            f"(last exit status {status}); stopping. Their error is in the log above.\n"
                        )
                        return 1
                    logger.warning("Worker %d exited with status %s; starting another", worker.process.pid, status)
                    os.close(worker.beats)
                    self.workers[index] = self._start()
            return 0
        finally:
            self._stop_workers()

    def _start(self) -> Worker:
        beats, beat_end = os.pipe()
        os.set_blocking(beats, False)
        command = [sys.executable, "-m", WORKER_MODULE, str(self._fd), str(os.getpid()), str(beat_end)]
        try:
            # Its own session: a terminal's Ctrl-C reaches the supervisor alone, which then stops each worker
            # once (a second signal would make uvicorn skip its graceful shutdown).
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                command, pass_fds=(self._fd, beat_end), stdin=subprocess.DEVNULL, start_new_session=True
            )
        finally:
            os.close(beat_end)
        return Worker(process, time.monotonic(), beats)

    @staticmethod
    def _listen(worker: Worker) -> None:
        """Drain the worker's heartbeat pipe; any byte is a beat."""
        try:
            while os.read(worker.beats, 4096):
                worker.last_beat = time.monotonic()
        except BlockingIOError:
            pass

    def _hung(self, worker: Worker) -> bool:
        if worker.last_beat is None:
            return time.monotonic() - worker.started > max(self._timeout, FIRST_BEAT_SECONDS)
        return time.monotonic() - worker.last_beat > self._timeout

    def _replace_hung(self, index: int, worker: Worker) -> None:
        logger.warning(
            "Worker %d has not been heard from for %.0f s; killing it and starting another",
            worker.process.pid,
            time.monotonic() - (worker.last_beat or worker.started),
        )
        worker.process.kill()
        worker.process.wait()
        os.close(worker.beats)
        self.workers[index] = self._start()

    def _stop_workers(self) -> None:
        running = [worker.process for worker in self.workers if worker.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("Worker %d did not stop within %.0f s; killing it", process.pid, STOP_GRACE_SECONDS)
                process.kill()
                process.wait()
        for worker in self.workers:
            os.close(worker.beats)


def supervise(host: str, port: int, workers: int, log_level: str, timeout: float = 30.0) -> int:
    """Bind, announce the URL on stderr, and run the workers until SIGTERM/SIGINT."""
    from .sockets import BindError, bind_or_explain, url_of

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(log_level)
    try:
        sock = bind_or_explain(host, port)
    except BindError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    sys.stderr.write(f"Serving MCP over Streamable HTTP at {url_of(sock, '/mcp')} ({workers} workers)\n")
    sys.stderr.flush()
    supervisor = Supervisor(sock.fileno(), workers, timeout)
    for received in (signal.SIGTERM, signal.SIGINT):
        signal.signal(received, lambda signum, frame: supervisor.stop())
    try:
        return supervisor.run()
    finally:
        sock.close()


if __name__ == "__main__":
    host_arg, port_arg, workers_arg, level_arg, timeout_arg = sys.argv[1:6]
    raise SystemExit(supervise(host_arg, int(port_arg), int(workers_arg), level_arg, float(timeout_arg)))
