"""`python -m prolific_taskbuilder_mcp.sandbox --port 8765`: the simulator on loopback, for manual use."""

from __future__ import annotations

import argparse
import sys

from . import DEMO_BATCHES
from .app import SandboxState
from .runner import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m prolific_taskbuilder_mcp.sandbox",
        description="Serve the simulated Prolific AI Task Builder API on loopback.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default="sandbox-token", help="the one accepted API token")
    parser.add_argument(
        "--processing-delay", type=float, default=20.0, help="seconds until the PROCESSING batch becomes READY"
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API response")
    args = parser.parse_args(argv)
    state = SandboxState(token=args.token, processing_delay=args.processing_delay, latency=args.latency)
    sys.stderr.write(f"Prolific simulator on http://{args.host}:{args.port} (token: {args.token})" + "\n")
    for batch_id, what in DEMO_BATCHES.items():
        sys.stderr.write(f"  batch {batch_id}  {what}" + "\n")
    serve_forever(args.host, args.port, state)


if __name__ == "__main__":
    main()
