"""Configuration: environment variables, matching flags, clear one-line errors, a secret token."""

from __future__ import annotations

import pytest

from prolific_taskbuilder_mcp.config import NO_TOKEN_MESSAGE, ConfigError, load_settings

from .conftest import CANARY_TOKEN


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
