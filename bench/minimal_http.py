"""The yardstick over Streamable HTTP: `bench/minimal_server.py`'s app under uvicorn, one or more workers.

Not product code. As uvicorn's own `--workers` does, the supervising process imports uvicorn only; each worker
imports the app. Run: PROLIFIC_TOKEN=... PROLIFIC_URL=... python bench/minimal_http.py PORT [WORKERS]
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).parent))  # workers import minimal_server from here

if __name__ == "__main__":
    port = int(sys.argv[1])
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    uvicorn.run(
        "minimal_server:http_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
