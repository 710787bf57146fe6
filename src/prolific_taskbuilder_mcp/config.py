"""Settings: environment variables, each with a matching command-line flag (flags win)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from . import __version__

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
TOOLSETS = ("batches", "datasets", "collections", "account")
"""Every toolset, in the order their tools are listed."""

NO_TOKEN_MESSAGE = (
    "prolific-taskbuilder-mcp: no API token."  # noqa: S105 - a message, not a secret
    " Set PROLIFIC_TOKEN (create one in the Prolific app under "
    "Settings > API tokens), or try the offline simulator with --demo."
)


class ConfigError(ValueError):
    """Configuration is unusable; the message is one line for the user."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    token: SecretStr | None = None
    api_url: str = "https://api.prolific.com"
    request_timeout: float = Field(default=20.0, gt=0, le=300)
    call_deadline: float = Field(default=30.0, gt=0, le=3600)
    max_attempts: int = Field(default=3, ge=1, le=10)
    log_level: LogLevel = "INFO"
    transport: Literal["stdio", "http"] = "stdio"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    demo: bool = False
    http_key: SecretStr | None = None
    allowed_hosts: list[str] = []
    allowed_origins: list[str] = []
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=1024**3)
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    max_sessions: int = Field(default=100, ge=1, le=100_000)
    stateless_http: bool = False
    workspace_id: str | None = Field(default=None, pattern=r"^[0-9a-fA-F]{24}$")
    toolsets: list[str] = list(TOOLSETS)
    max_wait: float = Field(default=600.0, ge=1, le=3600)
    workers: int = Field(default=1, ge=1, le=64)

    @field_validator("toolsets", mode="before")
    @classmethod
    def _toolsets(cls, value: object) -> object:
        if isinstance(value, str):
            value = [item.strip().lower() for item in value.split(",") if item.strip()]
        if isinstance(value, list):
            if "all" in value:
                return list(TOOLSETS)
            unknown = [item for item in value if item not in TOOLSETS]
            if unknown or not value:
                raise ValueError(f"choose from {', '.join(TOOLSETS)} or all (comma-separated), got {unknown or 'none'}")
            return [name for name in TOOLSETS if name in value]
        return value

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @property
    def is_loopback(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1") or self.host.startswith("127.")

    @field_validator("api_url")
    @classmethod
    def _origin(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("https://", "http://")) or "/api/" in value:
            raise ValueError("PROLIFIC_URL must be an origin such as https://api.prolific.com")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


ENVIRONMENT: Mapping[str, str] = {
    "token": "PROLIFIC_TOKEN",
    "api_url": "PROLIFIC_URL",
    "request_timeout": "PROLIFIC_TIMEOUT",
    "call_deadline": "PROLIFIC_MCP_CALL_DEADLINE",
    "max_attempts": "PROLIFIC_MCP_MAX_ATTEMPTS",
    "log_level": "PROLIFIC_MCP_LOG_LEVEL",
    "transport": "PROLIFIC_MCP_TRANSPORT",
    "host": "PROLIFIC_MCP_HOST",
    "port": "PROLIFIC_MCP_PORT",
    "http_key": "PROLIFIC_MCP_HTTP_KEY",
    "allowed_hosts": "PROLIFIC_MCP_ALLOWED_HOSTS",
    "allowed_origins": "PROLIFIC_MCP_ALLOWED_ORIGINS",
    "max_body_bytes": "PROLIFIC_MCP_MAX_BODY_BYTES",
    "max_request_bytes": "PROLIFIC_MCP_MAX_REQUEST_BYTES",
    "max_sessions": "PROLIFIC_MCP_MAX_SESSIONS",
    "stateless_http": "PROLIFIC_MCP_STATELESS_HTTP",
    "workspace_id": "PROLIFIC_WORKSPACE_ID",
    "toolsets": "PROLIFIC_MCP_TOOLSETS",
    "max_wait": "PROLIFIC_MCP_MAX_WAIT",
    "workers": "PROLIFIC_MCP_WORKERS",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prolific-taskbuilder-mcp",
        description="MCP server for Prolific's AI Task Builder API. Reads PROLIFIC_TOKEN from the environment.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        default=None,
        help="serve the embedded Prolific simulator instead of the real API (no token needed)",
    )
    parser.add_argument(
        "--transport",
        choices=["stdio", "http"],
        help="stdio (default) or Streamable HTTP at /mcp [PROLIFIC_MCP_TRANSPORT]",
    )
    parser.add_argument("--host", help="HTTP bind address, default 127.0.0.1 [PROLIFIC_MCP_HOST]")
    parser.add_argument("--port", type=int, help="HTTP port, default 8000 [PROLIFIC_MCP_PORT]")
    parser.add_argument(
        "--api-url", dest="api_url", help="Prolific API origin, default https://api.prolific.com [PROLIFIC_URL]"
    )
    parser.add_argument(
        "--timeout",
        dest="request_timeout",
        type=float,
        help="seconds per Prolific request step, default 20 [PROLIFIC_TIMEOUT]",
    )
    parser.add_argument(
        "--call-deadline",
        dest="call_deadline",
        type=float,
        help="seconds one tool call may spend on Prolific, retries included, default 30 [PROLIFIC_MCP_CALL_DEADLINE]",
    )
    parser.add_argument(
        "--max-attempts",
        dest="max_attempts",
        type=int,
        help="attempts for reads on transient failures (429, 502-504, network), default 3 [PROLIFIC_MCP_MAX_ATTEMPTS]",
    )
    parser.add_argument(
        "--log-level",
        dest="log_level",
        help="DEBUG, INFO (default), WARNING or ERROR; logs go to stderr [PROLIFIC_MCP_LOG_LEVEL]",
    )
    parser.add_argument(
        "--http-key",
        dest="http_key",
        help="access key HTTP clients must send as 'Authorization: Bearer <key>'; required off loopback "
        "[PROLIFIC_MCP_HTTP_KEY]",
    )
    parser.add_argument(
        "--allowed-hosts",
        dest="allowed_hosts",
        help="extra Host header values accepted over HTTP, comma-separated (localhost forms always are) "
        "[PROLIFIC_MCP_ALLOWED_HOSTS]",
    )
    parser.add_argument(
        "--allowed-origins",
        dest="allowed_origins",
        help="extra Origin header values accepted over HTTP, comma-separated [PROLIFIC_MCP_ALLOWED_ORIGINS]",
    )
    parser.add_argument(
        "--max-sessions",
        dest="max_sessions",
        type=int,
        help="concurrent HTTP sessions, default 100 [PROLIFIC_MCP_MAX_SESSIONS]",
    )
    parser.add_argument(
        "--stateless-http",
        dest="stateless_http",
        action="store_true",
        default=None,
        help="Streamable HTTP without server-side sessions (for replicas behind a load balancer) "
        "[PROLIFIC_MCP_STATELESS_HTTP]",
    )
    parser.add_argument(
        "--workspace-id",
        dest="workspace_id",
        help="default workspace for list_batches, list_collections and id completions [PROLIFIC_WORKSPACE_ID]",
    )
    parser.add_argument(
        "--toolsets",
        help="comma-separated toolsets to expose: batches, datasets, collections, account, or all (default) "
        "[PROLIFIC_MCP_TOOLSETS]",
    )
    parser.add_argument(
        "--max-wait",
        dest="max_wait",
        type=float,
        help="longest timeout_seconds a waiting tool accepts, default 600 [PROLIFIC_MCP_MAX_WAIT]",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="HTTP worker processes sharing the port, default 1; more than 1 needs --stateless-http "
        "[PROLIFIC_MCP_WORKERS]",
    )
    parser.add_argument("--token", help="API token; prefer PROLIFIC_TOKEN (flags are visible to other users)")
    return parser


def load_settings(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment and flags. Raises ConfigError with a one-line message."""
    environ = os.environ if environ is None else environ
    args = vars(build_parser().parse_args(argv))
    values: dict[str, object] = {}
    for name, variable in ENVIRONMENT.items():
        if environ.get(variable):
            values[name] = environ[variable]
    values.update({name: value for name, value in args.items() if value is not None})
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ENVIRONMENT.get(str(first["loc"][0]), str(first["loc"][0])) if first["loc"] else "settings"
        raise ConfigError(f"prolific-taskbuilder-mcp: invalid {field}: {first['msg']}") from None
    if settings.token is None and not settings.demo:
        raise ConfigError(NO_TOKEN_MESSAGE)
    if settings.workers > 1 and (settings.transport != "http" or not settings.stateless_http):
        raise ConfigError(
            "prolific-taskbuilder-mcp: --workers above 1 needs --transport http and --stateless-http "
            "(a session lives in one process; stateless requests can go to any worker)."
        )
    if settings.transport == "http" and not settings.is_loopback and settings.http_key is None:
        raise ConfigError(
            f"prolific-taskbuilder-mcp: binding HTTP to {settings.host} (not loopback) needs an access key: "
            "set PROLIFIC_MCP_HTTP_KEY (clients then send 'Authorization: Bearer <key>')."
        )
    return settings
