"""Settings, each declared once: its field here carries its environment variable, its flag, its default, its help
and its validation. The argument parser, the environment mapping and the README's configuration table are all
generated from these declarations (`make readme` rewrites the table; a test fails while it is stale).
"""

import argparse
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from . import __version__

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

NO_TOKEN_MESSAGE = (
    "prolific-taskbuilder-mcp: no API token."  # noqa: S105 - a message, not a secret
    " Set PROLIFIC_TOKEN (create one in the Prolific app under "
    "Settings > API tokens), or try the offline simulator with --demo."
)


MIN_REMOTE_KEY_LENGTH = 32
"""The shortest access key accepted when HTTP listens beyond loopback."""
GENERATE_KEY = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"


class ConfigError(ValueError):
    """Configuration is unusable; the message is one line for the user."""


def setting(
    default: Any,
    *,
    env: str | None,
    flag: str | None,
    help: str,
    shown: str | None = None,
    **constraints: Any,
) -> Any:
    """Declare a setting: its default and validation (pydantic), where users set it, and what it means.

    `shown` is the default as the README and --help show it, when the value itself says little.
    """
    extra = {"env": env, "flag": flag, "shown": shown}
    return Field(default, description=help, json_schema_extra=extra, **constraints)  # type: ignore[arg-type]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    token: SecretStr | None = setting(
        None,
        env="PROLIFIC_TOKEN",
        flag="--token",
        shown="(required unless `--demo`)",
        help="Prolific API token, sent as `Authorization: Token …` to the API origin only; prefer the environment "
        "variable (flags are visible to other users)",
    )
    api_url: str = setting(
        "https://api.prolific.com", env="PROLIFIC_URL", flag="--api-url", help="API origin; `/api/v1/...` is appended"
    )
    request_timeout: float = setting(
        20.0, env="PROLIFIC_TIMEOUT", flag="--timeout", help="seconds per request step (connect, read)", gt=0, le=300
    )
    call_deadline: float = setting(
        30.0,
        env="PROLIFIC_MCP_CALL_DEADLINE",
        flag="--call-deadline",
        help="seconds one call may spend on Prolific in all, retries and slow bodies included",
        gt=0,
        le=3600,
    )
    max_attempts: int = setting(
        3,
        env="PROLIFIC_MCP_MAX_ATTEMPTS",
        flag="--max-attempts",
        help="attempts for reads on 429, 502-504 and network failures (backoff with jitter, `Retry-After` honoured)",
        ge=1,
        le=10,
    )
    retry_backoff: float = setting(
        0.5,
        env="PROLIFIC_MCP_RETRY_BACKOFF",
        flag="--retry-backoff",
        help="seconds before the first retry of a read; each further retry waits up to twice as long (with jitter)",
        ge=0,
        le=30,
    )
    log_level: LogLevel = setting(
        "INFO",
        env="PROLIFIC_MCP_LOG_LEVEL",
        flag="--log-level",
        help="`DEBUG`, `INFO`, `WARNING`, `ERROR`; logs go to stderr only",
    )
    transport: Literal["stdio", "http"] = setting(
        "stdio", env="PROLIFIC_MCP_TRANSPORT", flag="--transport", help="`stdio` or `http` (Streamable HTTP at `/mcp`)"
    )
    host: str = setting("127.0.0.1", env="PROLIFIC_MCP_HOST", flag="--host", help="HTTP bind address")
    port: int = setting(
        8000,
        env="PROLIFIC_MCP_PORT",
        flag="--port",
        help="HTTP port (`0` picks a free one; the URL is printed on stderr)",
        ge=0,
        le=65535,
    )
    http_key: SecretStr | None = setting(
        None,
        env="PROLIFIC_MCP_HTTP_KEY",
        flag="--http-key",
        shown="(none)",
        help="access key HTTP clients send as `Authorization: Bearer <key>`; required when binding off loopback",
    )
    per_user_tokens: bool = setting(
        False,
        env="PROLIFIC_MCP_PER_USER_TOKENS",
        flag="--per-user-tokens",
        help="HTTP only: hold no token; each request carries its user's own Prolific token in `X-Prolific-Token`",
    )
    allow_unauthenticated_proxy: bool = setting(
        False,
        env="PROLIFIC_MCP_ALLOW_UNAUTHENTICATED_PROXY",
        flag="--allow-unauthenticated-proxy",
        help="with `--per-user-tokens`, allow binding off loopback without an access key (each user then relays "
        "only their own token)",
    )
    allowed_hosts: list[str] = setting(
        [],
        env="PROLIFIC_MCP_ALLOWED_HOSTS",
        flag="--allowed-hosts",
        shown="localhost forms",
        help="extra `Host` values accepted (comma-separated), for DNS-rebinding protection",
    )
    allowed_origins: list[str] = setting(
        [],
        env="PROLIFIC_MCP_ALLOWED_ORIGINS",
        flag="--allowed-origins",
        shown="localhost forms",
        help="extra `Origin` values accepted (comma-separated)",
    )
    max_sessions: int = setting(
        100, env="PROLIFIC_MCP_MAX_SESSIONS", flag="--max-sessions", help="concurrent HTTP sessions", ge=1, le=100_000
    )
    session_idle_timeout: float = setting(
        900.0,
        env="PROLIFIC_MCP_SESSION_IDLE_TIMEOUT",
        flag="--session-idle-timeout",
        help="seconds after which an HTTP session with no request in flight is closed, so abandoned sessions "
        "never lock new clients out for longer",
        gt=0,
        le=86_400,
    )
    http_request_timeout: float = setting(
        30.0,
        env="PROLIFIC_MCP_HTTP_REQUEST_TIMEOUT",
        flag="--http-request-timeout",
        help="seconds an HTTP request may take to arrive whole (headers and body); a connection that stalls is closed",
        gt=0,
        le=3600,
    )
    max_request_bytes: int = setting(
        1024 * 1024,
        env="PROLIFIC_MCP_MAX_REQUEST_BYTES",
        flag=None,
        help="largest HTTP request body accepted (413 beyond)",
        ge=1024,
        le=64 * 1024 * 1024,
    )
    max_body_bytes: int = setting(
        10 * 1024 * 1024,
        env="PROLIFIC_MCP_MAX_BODY_BYTES",
        flag=None,
        help="largest single Prolific object accepted (a batch, a dataset, one record of a list): an error "
        "beyond, never an OOM",
        ge=1024,
        le=1024**3,
    )
    max_list_body_bytes: int = setting(
        1024**3,
        env="PROLIFIC_MCP_MAX_LIST_BODY_BYTES",
        flag=None,
        shown="1073741824 (1 GiB)",
        help="largest list body read (responses come unpaged); parsed as it streams, so memory stays flat",
        ge=1024,
        le=64 * 1024**3,
    )
    stateless_http: bool = setting(
        False,
        env="PROLIFIC_MCP_STATELESS_HTTP",
        flag="--stateless-http",
        help="Streamable HTTP without server-side sessions, for replicas behind a load balancer",
    )
    workspace_id: str | None = setting(
        None,
        env="PROLIFIC_WORKSPACE_ID",
        flag="--workspace-id",
        shown="(none; the demo's workspace with `--demo`)",
        help="default workspace for `list_batches`, `list_collections` and id completions",
        pattern=r"^[0-9a-fA-F]{24}$",
    )
    toolsets: tuple[str, ...] | None = setting(
        None,
        env="PROLIFIC_MCP_TOOLSETS",
        flag="--toolsets",
        shown="all",
        help="comma-separated toolsets to expose (`batches`, `datasets`, `collections`, `account`), or `all`",
    )
    max_wait: float = setting(
        600.0,
        env="PROLIFIC_MCP_MAX_WAIT",
        flag="--max-wait",
        help="largest `timeout_seconds` the waiting tools accept",
        ge=1,
        le=3600,
    )
    workers: int = setting(
        1,
        env="PROLIFIC_MCP_WORKERS",
        flag="--workers",
        help="HTTP worker processes on one port (Linux, macOS); above 1 needs `--stateless-http`",
        ge=1,
        le=64,
    )
    worker_timeout: float = setting(
        30.0,
        env="PROLIFIC_MCP_WORKER_TIMEOUT",
        flag="--worker-timeout",
        help="with `--workers`: seconds a worker's event loop may go without a heartbeat before the worker is "
        "replaced (a hung worker)",
        ge=2,
        le=3600,
    )
    cache_dir: str | None = setting(
        None,
        env="PROLIFIC_MCP_CACHE_DIR",
        flag="--cache-dir",
        shown="the user cache folder",
        help="where the tool-schema cache lives (it spares each start-up generating the schemas); `off` for none",
        max_length=4096,
    )
    demo: bool = setting(False, env=None, flag="--demo", help="use the embedded simulator (no network, any token)")
    allow_writes: bool = setting(
        False,
        env="PROLIFIC_MCP_ALLOW_WRITES",
        flag="--allow-writes",
        help="list and serve the `build` tools, which change batches (each change asks the user first)",
    )
    confirm_writes: Literal["ask", "never"] = setting(
        "ask",
        env="PROLIFIC_MCP_CONFIRM_WRITES",
        flag="--confirm-writes",
        help="`ask`: every write asks the user (elicitation, else a one-time confirmation); `never`: no asking, "
        "for unattended pipelines only",
    )

    @field_validator("toolsets", mode="before")
    @classmethod
    def _toolsets(cls, value: object) -> object:
        """Names, lower-cased, in the order given; `all` (or nothing) means every toolset. Which names exist is
        the server's to say (`server/toolsets.py`)."""
        if isinstance(value, str):
            value = [item.strip().lower() for item in value.split(",") if item.strip()]
        if isinstance(value, list | tuple):
            if not value:
                raise ValueError("name at least one toolset, or all")
            if "all" in value:
                return None
            return tuple(value)
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
            raise ValueError("it must be an origin such as https://api.prolific.com")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def _declared(name: str) -> dict[str, Any]:
    extra = Settings.model_fields[name].json_schema_extra
    assert isinstance(extra, dict)
    return extra


ENVIRONMENT: Mapping[str, str] = {
    name: str(_declared(name)["env"]) for name in Settings.model_fields if _declared(name)["env"]
}
"""Setting name -> its environment variable."""

FLAGS: Mapping[str, str] = {
    name: str(_declared(name)["flag"]) for name in Settings.model_fields if _declared(name)["flag"]
}
"""Setting name -> its command-line flag."""


def _is_switch(name: str) -> bool:
    return Settings.model_fields[name].annotation is bool


def shown_default(name: str) -> str:
    """The default as the README and --help show it."""
    declared = _declared(name)
    if declared["shown"]:
        return str(declared["shown"])
    default = Settings.model_fields[name].default
    if isinstance(default, bool):
        return "on" if default else "off"
    if isinstance(default, float) and default.is_integer():
        default = int(default)
    return f"`{default}`"


def _plain(text: str) -> str:
    return text.replace("`", "")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prolific-taskbuilder-mcp",
        description="MCP server for Prolific's AI Task Builder API. Reads PROLIFIC_TOKEN from the environment.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    for name, flag in FLAGS.items():
        field = Settings.model_fields[name]
        env = ENVIRONMENT.get(name)
        text = _plain(f"{field.description}; default {shown_default(name)}" + (f" [{env}]" if env else ""))
        if _is_switch(name):
            parser.add_argument(flag, dest=name, action="store_true", default=None, help=text)
        else:
            parser.add_argument(flag, dest=name, metavar=name.upper(), help=text)
    return parser


def settings_table() -> str:
    """The README's configuration table, generated from the declarations."""
    rows = ["| environment | flag | default | meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        env, flag = ENVIRONMENT.get(name), FLAGS.get(name)
        rows.append(
            f"| {f'`{env}`' if env else ''} | {f'`{flag}`' if flag else ''} | {shown_default(name)} | "
            f"{field.description} |"
        )
    return "\n".join(rows) + "\n"


_PYDANTIC_PREFIX = re.compile(r"^(Value error|Assertion failed), ")


def load_settings(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment and flags (flags win). Raises ConfigError with a one-line message that
    names what the user actually set: the flag when a flag was given, else the environment variable."""
    environ = os.environ if environ is None else environ
    args = vars(build_parser().parse_args(argv))
    values: dict[str, object] = {}
    source: dict[str, str] = {}
    for name, variable in ENVIRONMENT.items():
        if environ.get(variable):
            values[name], source[name] = environ[variable], variable
    for name, value in args.items():
        if value is not None:
            values[name], source[name] = value, FLAGS[name]
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        where = source.get(name, name)
        message = _PYDANTIC_PREFIX.sub("", first["msg"])
        raise ConfigError(f"prolific-taskbuilder-mcp: invalid {where}: {message}") from None
    if settings.per_user_tokens:
        _check_per_user(settings, source)
    elif settings.token is None and not settings.demo:
        raise ConfigError(NO_TOKEN_MESSAGE)
    if settings.allow_unauthenticated_proxy and not settings.per_user_tokens:
        raise ConfigError(
            f"prolific-taskbuilder-mcp: {source.get('allow_unauthenticated_proxy')} only applies with "
            "--per-user-tokens (PROLIFIC_MCP_PER_USER_TOKENS=1)"
        )
    if settings.workers > 1 and (settings.transport != "http" or not settings.stateless_http):
        raise ConfigError(
            "prolific-taskbuilder-mcp: --workers above 1 needs --transport http and --stateless-http "
            "(a session lives in one process; stateless requests can go to any worker)."
        )
    if settings.workers > 1 and sys.platform == "win32":
        raise ConfigError(
            "prolific-taskbuilder-mcp: --workers above 1 runs on Linux and macOS (workers share the listening "
            "socket by inheritance); on Windows run one process per port behind a load balancer."
        )
    key = settings.http_key.get_secret_value() if settings.http_key is not None else None
    where = source.get("http_key", "PROLIFIC_MCP_HTTP_KEY")
    if key is not None and not key.strip():
        raise ConfigError(f"prolific-taskbuilder-mcp: invalid {where}: the access key is empty. {GENERATE_KEY}")
    if settings.transport == "http" and not settings.is_loopback:
        if key is None and settings.allow_unauthenticated_proxy:
            return settings  # per-user tokens, and the operator said so: each user relays only their own token
        if key is None:
            raise ConfigError(
                f"prolific-taskbuilder-mcp: binding HTTP to {settings.host} (not loopback) needs an access key: "
                f"set PROLIFIC_MCP_HTTP_KEY (clients then send 'Authorization: Bearer <key>'). {GENERATE_KEY}"
            )
        if len(key) < MIN_REMOTE_KEY_LENGTH:
            raise ConfigError(
                f"prolific-taskbuilder-mcp: invalid {where}: off loopback the access key must be at least "
                f"{MIN_REMOTE_KEY_LENGTH} characters (got {len(key)}). {GENERATE_KEY}"
            )
    return settings


def _check_per_user(settings: Settings, source: Mapping[str, str]) -> None:
    where = source.get("per_user_tokens", "--per-user-tokens")
    if settings.transport != "http":
        raise ConfigError(
            f"prolific-taskbuilder-mcp: {where} needs --transport http (each HTTP request carries its user's token "
            "in X-Prolific-Token; a stdio server serves one user: set PROLIFIC_TOKEN instead)"
        )
    if settings.token is not None:
        raise ConfigError(
            f"prolific-taskbuilder-mcp: {where} and {source.get('token', 'PROLIFIC_TOKEN')} were both set: with "
            "per-user tokens the server holds no token of its own; unset one of them"
        )
