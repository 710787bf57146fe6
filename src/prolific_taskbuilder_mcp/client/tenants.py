"""Per-user tokens: one client per user's token, all over one connection pool.

With `--per-user-tokens` the server holds no Prolific token of its own; each HTTP request carries its user's.
`ClientsByToken` hands out the client acting for a token. Entries are keyed by a salted hash of the token (the
token itself is kept only inside its client's auth, never as a key, never logged), and nothing keyed by a
credential is shared between tokens: coalescing of identical GETs and redaction live in each token's client.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict

from pydantic import SecretStr

from .http import ProlificClient

MAX_TOKEN_LENGTH = 512
"""Longer header values are refused before any client is made for them."""


def credential_hash(salt: bytes, *parts: str) -> str:
    """A salted hash of a credential: stable for this process, useless outside it. Keyed BLAKE2b, a MAC in its own
    right: it is computed on every HTTP request, and Python's built-in BLAKE2 costs a fraction of OpenSSL's HMAC."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), key=salt, digest_size=32).hexdigest()


class ClientsByToken:
    """The client for each user token seen recently (at most `size`; the least recently used is forgotten)."""

    def __init__(self, root: ProlificClient, size: int = 256) -> None:
        self._root = root
        self._size = size
        self._salt = secrets.token_bytes(32)
        self._clients: OrderedDict[str, ProlificClient] = OrderedDict()

    def __len__(self) -> int:
        return len(self._clients)

    def get(self, token: str) -> ProlificClient:
        key = credential_hash(self._salt, token)
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = self._root.for_token(SecretStr(token))
            while len(self._clients) > self._size:
                self._clients.popitem(last=False)
        else:
            self._clients.move_to_end(key)
        return client
