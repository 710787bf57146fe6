"""Every use of the MCP SDK's private attributes, in one place, so that an SDK upgrade touches one file.

Each function says why the public API is not enough. tests/protocol checks each of them through a real client
(log levels honoured, stdio served), so an SDK change that breaks one fails a test rather than a user.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from mcp.server.lowlevel import Server
from mcp.server.mcpserver import MCPServer
from pydantic import BaseModel


def lowlevel_server(server: MCPServer[Any]) -> Server[Any]:
    """The low-level server behind an MCPServer (`_lowlevel_server`).

    Needed to add a request handler the high-level API has no decorator for (`logging/setLevel`), and to run
    the server over our own loop-driven stdio streams (`run_stdio_async` only takes the SDK's thread-based ones).
    """
    lowlevel: Server[Any] = server._lowlevel_server
    return lowlevel


def add_request_handler(
    server: MCPServer[Any],
    method: str,
    params: type[BaseModel],
    handler: Callable[[Any, Any], Awaitable[Any]],
) -> None:
    """Serve one more JSON-RPC request method on `server`."""
    lowlevel_server(server).add_request_handler(method, params, handler)


def connection_state(session: Any) -> dict[str, Any] | None:
    """Per-connection scratch state (`session._connection.state`), or None.

    The SDK keeps what a client negotiated on its connection object; storing the client's requested log level
    beside it makes `logging/setLevel` per connection (a process-global level would leak between HTTP clients).
    """
    connection = getattr(session, "_connection", None)
    state = getattr(connection, "state", None)
    return state if isinstance(state, dict) else None


class _LazyArguments:
    """Builds a tool's argument model on first use (`func_metadata`: a pydantic `create_model` per tool, most of
    the start-up work left once schemas come from the cache); the first call of each tool pays it instead."""

    def __init__(self, fn: Callable[..., Any], skip: list[str]) -> None:
        self.fn, self.skip = fn, skip

    def build(self) -> Any:
        from mcp.server.mcpserver.utilities.func_metadata import func_metadata

        return func_metadata(self.fn, skip_names=self.skip, structured_output=False).arg_model


@functools.cache
def _lazy_metadata_class() -> type[Any]:
    """Defined on first use: the SDK's tool modules are imported only once a server is built."""
    from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata
    from pydantic import PrivateAttr

    class LazyFuncMetadata(FuncMetadata):
        """`FuncMetadata` whose `arg_model` field is filled on first read. The SDK reads it only to validate a
        call's arguments (`call_fn_with_arg_validation`, `validate_arguments`, `pre_parse_json`)."""

        _arguments: _LazyArguments | None = PrivateAttr(default=None)

        def __getattr__(self, name: str) -> Any:
            if name == "arg_model":
                lazy = object.__getattribute__(self, "__pydantic_private__")["_arguments"]
                model = lazy.build()
                self.__dict__["arg_model"] = model
                return model
            return super().__getattr__(name)  # type: ignore[misc]  # pydantic's, hidden from type checkers

    return LazyFuncMetadata


def tool_from_parts(
    fn: Callable[..., Any],
    *,
    name: str,
    title: str,
    description: str,
    annotations: Any,
    parameters: dict[str, Any],
    output_schema: dict[str, Any],
    output_model: Any,
    context_kwarg: str | None,
) -> Any:
    """The SDK's `Tool` for `fn` with schemas computed earlier by `Tool.from_function` for this very code.

    `Tool.from_function` spends most of its time generating JSON Schemas with pydantic (about two thirds of this
    server's start-up work); server/schemas.py caches what it produced, keyed by a fingerprint of the source,
    and rebuilds the tool here from the SDK's public pieces: `FuncMetadata` given the output schema, which then
    derives nothing, and the argument model (`func_metadata`, without output inference), built when the tool is
    first called (`FuncMetadata.model_construct` leaves the field unset; `LazyFuncMetadata` fills it). A test
    checks that a tool built here equals one from `Tool.from_function` in every field the SDK reads.
    """
    from mcp.server.mcpserver.resolve import build_resolver_plans, find_resolved_parameters
    from mcp.server.mcpserver.tools import Tool
    from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata

    resolved = find_resolved_parameters(fn)  # parameters filled by resolvers (consent), not by the caller
    arguments = _LazyArguments(fn, [*([context_kwarg] if context_kwarg else []), *resolved])
    metadata: FuncMetadata
    if resolved:  # the resolver plans need the argument names now
        metadata = FuncMetadata(arg_model=arguments.build(), output_schema=output_schema, output_model=output_model)
        fields = metadata.arg_model.model_fields
        plans = build_resolver_plans(resolved, {field.alias or key for key, field in fields.items()})
    else:
        metadata = _lazy_metadata_class().model_construct(output_schema=output_schema, output_model=output_model)
        metadata._arguments = arguments  # type: ignore[attr-defined]
        plans = {}
    return Tool(
        fn=fn,
        name=name,
        title=title,
        description=description,
        parameters=parameters,
        fn_metadata=metadata,
        is_async=True,
        context_kwarg=context_kwarg,
        resolved_params=dict(resolved),
        resolver_plans=plans,
        annotations=annotations,
    )
