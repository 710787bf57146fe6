"""Memory is given back after large bodies: one release per burst, off the event loop."""

from __future__ import annotations

import platform
import sys
import time

import pytest

from prolific_taskbuilder_mcp.client import memory


def test_a_burst_of_large_bodies_schedules_one_release(monkeypatch: pytest.MonkeyPatch) -> None:
    releases: list[float] = []
    monkeypatch.setattr(memory, "release", lambda: releases.append(time.monotonic()))
    monkeypatch.setattr(memory, "RELEASE_DELAY_SECONDS", 0.05)
    monkeypatch.setattr(memory, "_pending", None)
    memory.after_body(memory.LARGE_BODY_BYTES - 1)  # small: nothing to do
    time.sleep(0.2)
    assert releases == []
    for _ in range(10):
        memory.after_body(memory.LARGE_BODY_BYTES)
    time.sleep(0.3)
    assert len(releases) == 1
    memory.after_body(memory.LARGE_BODY_BYTES)  # a later burst gets its own
    time.sleep(0.3)
    assert len(releases) == 2


def test_a_release_collects_and_trims_where_glibc_can() -> None:
    memory.release()  # must not raise, on any platform
    trim = memory._malloc_trim()
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        assert trim is not None  # found (ctypes is imported only here, off the start-up path)
        trim()
    else:
        assert trim is None or callable(trim)


def test_the_collector_is_off_while_the_server_builds_and_on_when_it_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main pauses the cycle collector through its imports and the server's construction (tens of ms of a
    start), and settle_startup resumes it, tuned, before the first message is read."""
    import gc
    import signal

    from prolific_taskbuilder_mcp import cli, logs
    from prolific_taskbuilder_mcp.server import app, transports

    seen: dict[str, object] = {}
    real_create = app.create_server

    def create_server(*args: object, **kwargs: object) -> object:
        seen["building"] = gc.isenabled()
        return real_create(*args, **kwargs)  # type: ignore[arg-type]

    async def run_stdio(server: object) -> None:
        seen["serving"] = gc.isenabled()
        seen["threshold"] = gc.get_threshold()[0]

    monkeypatch.setattr(app, "create_server", create_server)
    monkeypatch.setattr("prolific_taskbuilder_mcp.server.create_server", create_server)
    monkeypatch.setattr(transports, "run_stdio", run_stdio)
    monkeypatch.setattr(logs, "configure_logging", lambda *args: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    threshold = gc.get_threshold()
    try:
        cli.main(["--demo"])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    assert seen == {"building": False, "serving": True, "threshold": memory.YOUNG_COLLECTION_THRESHOLD}
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from prolific_taskbuilder_mcp import cli

    monkeypatch.delenv("PROLIFIC_TOKEN", raising=False)
    with pytest.raises(SystemExit):
        cli.main(["--transport", "stdio"])  # no token: a one-line error
    assert gc.isenabled()
