"""The one redactor for everything that leaves the process: tool results (text and structured), resource
contents, prompt results, error messages, log notifications and stderr.

Upstream text can carry a credential: Prolific behind a proxy or a WAF may echo the request's `Authorization`
header in an error body. The redactor removes the configured secrets (the API token, the HTTP access key)
wherever they appear, and anything shaped like a credential: an `Authorization:` value, `Bearer <20+ chars>`,
`Token <40+ chars>`. Pure: no I/O, no MCP.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic_core import to_json

MASK = "**********"
_ESCAPED_IN_JSON = frozenset('"\\' + "".join(map(chr, range(0x20))) + "\u2028\u2029")
_CREDENTIAL_CHARS = r"[A-Za-z0-9._~+/=-]"
_SHAPES = re.compile(
    rf"(?i)(?P<lead>\bauthorization\s*[:=]\s*)(?P<scheme>[A-Za-z]+\s+)?{_CREDENTIAL_CHARS}+"
    rf"|(?P<bearer>\bbearer\s+){_CREDENTIAL_CHARS}{{20,}}"
    rf"|(?P<token>\btoken\s+){_CREDENTIAL_CHARS}{{40,}}"
)


def _masked(match: re.Match[str]) -> str:
    kept = match.group("lead") or ""
    kept += match.group("scheme") or match.group("bearer") or match.group("token") or ""
    return kept + MASK


class Redactor:
    """`redactor.text(s)` and `redactor.data(obj)`: the same value with every secret and credential masked."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)
        self._plain = not any(char in secret for secret in self._secrets for char in _ESCAPED_IN_JSON)
        self._encoded = [secret.encode() for secret in self._secrets]

    def with_secret(self, secret: str) -> Redactor:
        """This redactor, also masking `secret` (a per-request credential)."""
        return Redactor([*self._secrets, secret])

    def text(self, value: str) -> str:
        for secret in self._secrets:
            if secret in value:
                value = value.replace(secret, MASK)
        return _SHAPES.sub(_masked, value) if _might_carry_credentials(value) else value

    def data(self, value: Any) -> Any:
        """Strings anywhere inside JSON-like data (dicts, lists) redacted; keys too.

        Most data carries nothing to mask: one serialisation (pydantic-core's, in Rust) shows that, and the data is
        returned as it is. Every string of the data appears verbatim in its JSON (UTF-8, non-ASCII unescaped) unless
        it holds a quote, a backslash or a control character, which no configured secret may hold for this check to
        be used, and which the credential shapes' trigger words never do.
        """
        if isinstance(value, dict | list) and self._plain:
            try:
                dumped = to_json(value)
            except (TypeError, ValueError, RecursionError):
                dumped = None
            # Trigger words are ASCII, but str.lower() maps a few non-ASCII letters to ASCII ones (the Kelvin sign
            # to "k") as the shapes' case-insensitive match does: non-ASCII JSON is lowered as text.
            if (
                dumped is not None
                and not any(s in dumped for s in self._encoded)
                and not _might_carry_credentials(dumped if dumped.isascii() else dumped.decode())
            ):
                return value
        return self._walk(value)

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k) if isinstance(k, str) else k: self._walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._walk(item) for item in value]
        return value


def _might_carry_credentials(value: str | bytes) -> bool:
    """A cheap pre-check, so the common case (no such word) costs one lower-cased scan."""
    if isinstance(value, bytes):
        lowered_bytes = value.lower()
        return b"authorization" in lowered_bytes or b"bearer" in lowered_bytes or b"token" in lowered_bytes
    lowered = value.lower()
    return "authorization" in lowered or "bearer" in lowered or "token" in lowered
