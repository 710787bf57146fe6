"""The redactor: configured secrets and anything shaped like a credential leave masked; ordinary text does not."""

from __future__ import annotations

import pytest

from prolific_taskbuilder_mcp.redaction import MASK, Redactor

SECRET = "s3cr3t-t0ken-value-0123456789"
LONG = "A" * 20 + "b" * 20 + "0123456789"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Token not allowed here: Token {SECRET}", f"Token not allowed here: Token {MASK}"),
        (f"prefix{SECRET}suffix", f"prefix{MASK}suffix"),
        (f"Authorization: Token {LONG}", f"Authorization: Token {MASK}"),
        ("authorization=Bearer abc", f"authorization=Bearer {MASK}"),
        (f"header AUTHORIZATION : {LONG}", f"header AUTHORIZATION : {MASK}"),
        ("Bearer abcdefghijklmnopqrstuvwxyz", f"Bearer {MASK}"),
        (f"token {LONG}", f"token {MASK}"),
    ],
)
def test_secrets_and_credential_shapes_are_masked(text: str, expected: str) -> None:
    assert Redactor([SECRET]).text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the token limit is 5 per minute",
        "Bearer of bad news",
        "Token " + "a" * 39,  # shorter than a Prolific token
        "Please rate how authoritative this answer is",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert Redactor([SECRET]).text(text) == text


def test_structured_data_is_redacted_everywhere_keys_included() -> None:
    data = {"name": f"x {SECRET}", "rows": [{"detail": f"Bearer {LONG}"}, 3, None], SECRET: True}
    assert Redactor([SECRET]).data(data) == {
        "name": f"x {MASK}",
        "rows": [{"detail": f"Bearer {MASK}"}, 3, None],
        MASK: True,
    }


def test_short_or_missing_secrets_are_not_used_as_patterns() -> None:
    assert Redactor(["", None, "ab"]).text("a b ab abc") == "a b ab abc"
