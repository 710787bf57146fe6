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
