"""Configuration: environment variables, matching flags, clear one-line errors, a secret token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scripts import readme_settings

from prolific_taskbuilder_mcp.config import (
    ENVIRONMENT,
    FLAGS,
    NO_TOKEN_MESSAGE,
    ConfigError,
    Settings,
    build_parser,
    load_settings,
)
from prolific_taskbuilder_mcp.server.toolsets import NAMES
from tests.support.simulator import CANARY_TOKEN


def test_defaults_are_safe() -> None:
    settings = load_settings([], {"PROLIFIC_TOKEN": CANARY_TOKEN})
    assert settings.transport == "stdio"
    assert settings.host == "127.0.0.1"
    assert settings.api_url == "https://api.prolific.com"
    assert settings.demo is False


def test_every_environment_variable_is_read() -> None:
    settings = load_settings(
        [],
        {
            "PROLIFIC_TOKEN": CANARY_TOKEN,
            "PROLIFIC_URL": "http://127.0.0.1:8765/",
            "PROLIFIC_TIMEOUT": "7.5",
            "PROLIFIC_MCP_LOG_LEVEL": "debug",
            "PROLIFIC_MCP_TRANSPORT": "http",
            "PROLIFIC_MCP_HOST": "::1",
            "PROLIFIC_MCP_PORT": "9001",
            "PROLIFIC_MCP_MAX_ATTEMPTS": "1",
            "PROLIFIC_MCP_CALL_DEADLINE": "12",
        },
    )
    assert settings.api_url == "http://127.0.0.1:8765"
    assert settings.request_timeout == 7.5
    assert settings.log_level == "DEBUG"
    assert (settings.transport, settings.host, settings.port) == ("http", "::1", 9001)
    assert (settings.max_attempts, settings.call_deadline) == (1, 12)


def test_flags_override_the_environment() -> None:
    settings = load_settings(
        ["--transport", "http", "--port", "8123", "--api-url", "http://localhost:1", "--timeout", "3"],
        {"PROLIFIC_TOKEN": CANARY_TOKEN, "PROLIFIC_MCP_PORT": "9001", "PROLIFIC_MCP_TRANSPORT": "stdio"},
    )
    assert (settings.transport, settings.port, settings.api_url, settings.request_timeout) == (
        "http",
        8123,
        "http://localhost:1",
        3.0,
    )


def test_demo_needs_no_token() -> None:
    assert load_settings(["--demo"], {}).demo is True


def test_no_token_and_no_demo_is_a_one_line_error() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings([], {})
    assert str(caught.value) == NO_TOKEN_MESSAGE
    assert "\n" not in NO_TOKEN_MESSAGE


@pytest.mark.parametrize(
    ("env", "phrase"),
    [
        ({"PROLIFIC_URL": "ftp://example.com"}, "PROLIFIC_URL"),
        ({"PROLIFIC_URL": "https://api.prolific.com/api/v1"}, "PROLIFIC_URL"),
        ({"PROLIFIC_TIMEOUT": "-1"}, "PROLIFIC_TIMEOUT"),
        ({"PROLIFIC_MCP_PORT": "99999"}, "PROLIFIC_MCP_PORT"),
        ({"PROLIFIC_MCP_LOG_LEVEL": "LOUD"}, "PROLIFIC_MCP_LOG_LEVEL"),
    ],
)
def test_invalid_values_name_the_variable(env: dict[str, str], phrase: str) -> None:
    with pytest.raises(ConfigError, match=phrase):
        load_settings([], {"PROLIFIC_TOKEN": CANARY_TOKEN, **env})


def test_the_token_is_a_secret_in_every_rendering() -> None:
    settings = load_settings([], {"PROLIFIC_TOKEN": CANARY_TOKEN})
    assert settings.token is not None
    assert settings.token.get_secret_value() == CANARY_TOKEN
    for rendering in (repr(settings), str(settings), settings.model_dump_json()):
        assert CANARY_TOKEN not in rendering


# -- each setting declared once ----------------------------------------------------------------------------------


def test_every_setting_is_declared_with_its_variable_or_flag_and_its_meaning() -> None:
    for name, field in Settings.model_fields.items():
        assert name in ENVIRONMENT or name in FLAGS, name
        assert field.description, name
    assert len(set(ENVIRONMENT.values())) == len(ENVIRONMENT)
    assert len(set(FLAGS.values())) == len(FLAGS)


def test_the_parser_offers_exactly_the_declared_flags() -> None:
    parser = build_parser()
    offered = {option for action in parser._actions for option in action.option_strings}
    assert offered - {"-h", "--help", "--version"} == set(FLAGS.values())


def test_the_readme_configuration_table_is_generated_from_the_declarations() -> None:
    readme = README.read_text()
    assert readme_settings.render(readme) == readme, "the README's settings table is stale: run `make readme`"
    for variable in ENVIRONMENT.values():
        assert f"`{variable}`" in readme


def test_the_toolsets_help_names_exactly_the_declared_toolsets() -> None:
    help_text = Settings.model_fields["toolsets"].description or ""
    assert re.findall(r"`(\w+)`", help_text.split("(")[1].split(")")[0]) == list(NAMES)


@pytest.mark.parametrize(
    ("argv", "env", "named", "not_named"),
    [
        (["--port", "99999"], {}, "--port", "PROLIFIC_MCP_PORT"),
        ([], {"PROLIFIC_MCP_PORT": "99999"}, "PROLIFIC_MCP_PORT", "--port"),
        (["--api-url", "ftp://x"], {"PROLIFIC_URL": "https://api.prolific.com"}, "--api-url", "PROLIFIC_URL"),
    ],
)
def test_an_invalid_value_names_what_the_user_actually_set(
    argv: list[str], env: dict[str, str], named: str, not_named: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(argv, {"PROLIFIC_TOKEN": CANARY_TOKEN, **env})
    message = str(caught.value)
    assert named in message
    assert not_named not in message
    assert "Value error" not in message
    assert "\n" not in message


README = Path(__file__).parents[2] / "README.md"


# -- access keys ---------------------------------------------------------------------------------------------------

REMOTE = ["--transport", "http", "--host", "0.0.0.0"]  # noqa: S104 - what the rules are about


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        ([*REMOTE], "needs an access key"),
        ([*REMOTE, "--http-key", ""], "the access key is empty"),
        ([*REMOTE, "--http-key", "k"], "at least 32 characters (got 1)"),
        ([*REMOTE, "--http-key", "k" * 31], "at least 32 characters (got 31)"),
        (["--transport", "http", "--http-key", "   "], "the access key is empty"),
    ],
)
def test_weak_or_missing_access_keys_are_refused_with_how_to_make_one(argv: list[str], phrase: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(argv, {"PROLIFIC_TOKEN": CANARY_TOKEN})
    assert phrase in str(caught.value)
    assert "secrets.token_urlsafe(32)" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_long_enough_key_may_listen_beyond_loopback_and_any_key_on_loopback() -> None:
    assert load_settings([*REMOTE, "--http-key", "k" * 32], {"PROLIFIC_TOKEN": CANARY_TOKEN}).host == "0.0.0.0"  # noqa: S104
    loopback = load_settings(["--transport", "http", "--http-key", "short"], {"PROLIFIC_TOKEN": CANARY_TOKEN})
    assert loopback.http_key is not None


# -- per-user tokens -----------------------------------------------------------------------------------------------

PER_USER = ["--transport", "http", "--per-user-tokens"]


def test_per_user_tokens_hold_no_token_and_serve_http_only() -> None:
    settings = load_settings(PER_USER, {})
    assert settings.per_user_tokens
    assert settings.token is None
    assert load_settings(["--transport", "http"], {"PROLIFIC_MCP_PER_USER_TOKENS": "1"}).per_user_tokens


@pytest.mark.parametrize(
    ("argv", "env", "phrase"),
    [
        (["--per-user-tokens"], {}, "--per-user-tokens needs --transport http"),
        (PER_USER, {"PROLIFIC_TOKEN": CANARY_TOKEN}, "--per-user-tokens and PROLIFIC_TOKEN were both set"),
        (["--transport", "http", "--allow-unauthenticated-proxy"], {"PROLIFIC_TOKEN": CANARY_TOKEN}, "only applies"),
        ([*REMOTE, "--per-user-tokens"], {}, "needs an access key"),
    ],
)
def test_per_user_mistakes_are_one_line_errors(argv: list[str], env: dict[str, str], phrase: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(argv, env)
    assert phrase in str(caught.value)
    assert "\n" not in str(caught.value)
    assert CANARY_TOKEN not in str(caught.value)


def test_an_unauthenticated_proxy_off_loopback_only_when_the_operator_says_so() -> None:
    settings = load_settings([*REMOTE, "--per-user-tokens", "--allow-unauthenticated-proxy"], {})
    assert settings.http_key is None
    assert not settings.is_loopback
    with pytest.raises(ConfigError, match="at least 32"):  # a key, when given, still has to be a strong one
        load_settings([*REMOTE, "--per-user-tokens", "--allow-unauthenticated-proxy", "--http-key", "short"], {})
