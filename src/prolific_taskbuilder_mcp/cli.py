"""Command line: `prolific-taskbuilder-mcp [--demo] [--transport stdio|http] ...`."""

from __future__ import annotations

import contextlib
import gc
import signal
import sys
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import anyio

if TYPE_CHECKING:
    from .config import Settings


def _print_demo_intro(settings: Settings) -> None:
    from .sandbox import DEMO_BATCHES

    lines = ["Demo mode: serving the embedded Prolific simulator (no network, any token). Batches:"]
    lines += [f"  {batch_id}  {what}" for batch_id, what in DEMO_BATCHES.items()]
    if settings.allow_writes:
        lines.append(
            'Writes are on (--allow-writes): ask your assistant to build a batch, e.g. "make an annotation batch '
            'where people rate these 5 replies for helpfulness: ..." (the build_annotation_batch prompt walks '
            "through it). Each change asks you first; setups take 5 s; simulated participants answer READY batches."
        )
    sys.stderr.write("\n".join(lines) + "\n")


async def _demo_preview(settings: Settings, url: str) -> None:
    """Call get_batch once through a real MCP client and show the result exactly as a client gets it."""
    from mcp import Client

    from .sandbox import PROCESSING_BATCH_ID, READY_BATCH_ID
    from .server import create_server

    async with Client(create_server(settings)) as client:
        result = await client.call_tool("get_batch", {"batch_id": READY_BATCH_ID})
    sys.stderr.write(
        f"\nOne real get_batch call ({READY_BATCH_ID}), as an MCP client receives it:\n"
        + result.model_dump_json(by_alias=True, exclude_none=True, indent=2)
        + "\n"
    )
    sys.stderr.write(
        f"\nConnect a client to {url} (Streamable HTTP), e.g.\n"
        f"  claude mcp add --transport http prolific-demo {url}\n"
        "or, for stdio clients, run: prolific-taskbuilder-mcp --demo\n"
        f'Then ask your assistant: "Is batch {PROCESSING_BATCH_ID} ready?" It is PROCESSING until about 30 s after '
        "it is first looked at; wait_for_batch shows the wait.\n\n"
    )


async def _serve(settings: Settings) -> None:
    from .client.memory import settle_startup
    from .server import create_server
    from .server.transports import bind_http, run_http, run_stdio
    from .sockets import url_of

    server = create_server(settings)
    settle_startup()
    if settings.transport == "http":
        sock = bind_http(settings)  # first: a busy port is one clear line, and banners show the real port
        if settings.demo:
            await _demo_preview(settings, url_of(sock, "/mcp"))
        await run_http(server, settings, sock)
    else:
        await run_stdio(server)


def main(argv: Sequence[str] | None = None) -> None:
    # The cycle collector is off until the server is built (client.memory.settle_startup turns it on, as does
    # every exit from here). Importing the MCP SDK and pydantic and building their models allocates hundreds of
    # thousands of long-lived objects and almost no cyclic garbage (a full collection afterwards finds about
    # 1,100 unreachable objects), yet each allocation burst triggers collections that rescan the growing heap:
    # 50-70 ms of a 480 ms start on the 2-core machine. What little cyclic garbage start-up leaves is frozen.
    gc.disable()
    try:
        _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> None:
    from .config import ConfigError, load_settings

    # Log notifications are deprecated from protocol 2026-07-28 but still what 2025-11-25 clients read.
    warnings.filterwarnings("ignore", message="The logging capability is deprecated")
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["client-config"]:
        from .clientconfig import main as client_config

        raise SystemExit(client_config(arguments[1:]))
    try:
        settings = load_settings(argv)
        if not settings.demo and settings.workers == 1:
            from .client import tls

            tls.prepare()  # the CA bundle loads while the rest of the server imports
        from .server.toolsets import select

        select(settings.toolsets, allow_writes=settings.allow_writes)
    except ConfigError as exc:
        sys.stderr.write(str(exc) + "\n")
        raise SystemExit(2) from None
    if settings.demo:
        _print_demo_intro(settings)
    if settings.workers > 1:
        from .workers import exec_supervisor

        worker_argv = list(sys.argv[1:] if argv is None else argv)
        exec_supervisor(
            settings.host, settings.port, settings.workers, settings.log_level, settings.worker_timeout, worker_argv
        )
    from .logs import configure_logging

    configure_logging(settings.log_level, [s for s in (settings.token, settings.http_key) if s is not None])
    # uvicorn re-raises SIGTERM after its graceful shutdown: make that a clean exit, not a kill.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    from .sockets import BindError

    try:
        with contextlib.suppress(KeyboardInterrupt):
            anyio.run(_serve, settings)
    except BindError as exc:
        sys.stderr.write(str(exc) + "\n")
        raise SystemExit(2) from None


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
