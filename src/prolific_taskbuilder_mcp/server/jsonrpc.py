"""The JSON-RPC 2.0 envelope, checked before a message reaches the SDK.

The SDK drops a message that is not JSON, or not a JSON-RPC 2.0 message, without a reply (the client then waits
until it times out). JSON-RPC 2.0 says to answer: -32700 for a parse error, -32600 for an invalid request, with
the request's id when one can be read, else null. `reply_to_malformed` gives that answer; everything well-formed
goes on to the SDK unchanged (its own checks of params stay its own). Pure: no I/O.
"""

from __future__ import annotations

import json
from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600


def error_reply(code: int, message: str, ident: Any = None) -> str:
    """One JSON-RPC error response, as a line."""
    return json.dumps({"jsonrpc": "2.0", "id": ident, "error": {"code": code, "message": message}}) + "\n"


def reply_to_malformed(line: str) -> str | None:
    """The error reply a malformed message deserves, or None when it is a well-formed JSON-RPC 2.0 message."""
    if not line.strip():
        return None  # blank lines between messages are ignored, as the SDK does
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return error_reply(PARSE_ERROR, "Parse error: the message is not valid JSON")
    if not isinstance(message, dict):
        what = "a batch (an array)" if isinstance(message, list) else f"a JSON {type(message).__name__}"
        return error_reply(INVALID_REQUEST, f"Invalid Request: got {what}; send one JSON-RPC 2.0 object per line")
    ident = message.get("id")
    usable_id = ident if _valid_id(ident) else None
    if message.get("jsonrpc") != "2.0":
        return error_reply(INVALID_REQUEST, 'Invalid Request: "jsonrpc" must be "2.0"', usable_id)
    if "id" in message and not _valid_id(ident):
        return error_reply(INVALID_REQUEST, 'Invalid Request: "id" must be a string or an integer')
    if "method" in message:
        if not isinstance(message["method"], str) or not message["method"]:
            return error_reply(INVALID_REQUEST, 'Invalid Request: "method" must be a non-empty string', usable_id)
        if "params" in message and not isinstance(message["params"], dict):
            return error_reply(INVALID_REQUEST, 'Invalid Request: "params" must be an object', usable_id)
        return None
    if "id" in message and ("result" in message or "error" in message):
        return None  # a response to one of our requests
    return error_reply(INVALID_REQUEST, 'Invalid Request: a message needs "method" (or "result"/"error")', usable_id)


def _valid_id(ident: Any) -> bool:
    return isinstance(ident, str) or (isinstance(ident, int) and not isinstance(ident, bool))
