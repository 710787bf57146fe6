"""The TLS context for connections to Prolific: httpx's default (certifi's CA bundle, or SSL_CERT_FILE /
SSL_CERT_DIR), built once per process, in a background thread, as early as the command line can start it.

Loading the CA bundle, and the transport code httpx imports on first use, take tens of milliseconds. Started
while the server is still importing, both are done before the first request instead of delaying it; nothing
waits for them unless a request needs them.
"""

from __future__ import annotations

import ssl
import threading
from concurrent.futures import Future

_lock = threading.Lock()
_context: Future[ssl.SSLContext] | None = None


def prepare() -> Future[ssl.SSLContext]:
    """Start building the context (once per process); the future holds it, or the error that prevented it."""
    global _context
    with _lock:
        if _context is None:
            _context = Future()
            threading.Thread(target=_build, args=(_context,), name="prolific-tls-setup", daemon=True).start()
        return _context


def _build(future: Future[ssl.SSLContext]) -> None:
    try:
        import httpx

        context = httpx.create_ssl_context()
        httpx.AsyncHTTPTransport(verify=context)  # imports what the pool's transport needs, then is dropped
        future.set_result(context)
    except Exception as exc:  # handed to whoever needs the context
        future.set_exception(exc)
