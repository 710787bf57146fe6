"""The redactor: configured secrets and anything shaped like a credential leave masked; ordinary text does not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_data_without_anything_to_mask_comes_back_as_it_is() -> None:
    """The fast path: one serialisation shows there is nothing to mask, and nothing is copied."""
    data = {"name": "Data Collection Batch", "rows": [{"n": 1}, None, 2.5], "steps": ["Read.", "Rate."]}
    assert Redactor([SECRET]).data(data) is data


@pytest.mark.parametrize("secret", ['s3cr3t"quoted"-value', "back\\slash-secret", "line\nbreak-secret", "éàü-unicode"])
def test_secrets_with_characters_json_escapes_are_still_found_in_data(secret: str) -> None:
    data = {"detail": [f"echoed {secret} here"], f"{secret}": 1}
    assert Redactor([secret]).data(data) == {"detail": [f"echoed {MASK} here"], MASK: 1}


def test_data_json_cannot_serialise_is_still_walked() -> None:
    data = {"raw": b"bytes", "deep": [{"x": f"{SECRET}"}], 7: (SECRET,)}
    assert Redactor([SECRET]).data(data) == {"raw": b"bytes", "deep": [{"x": MASK}], 7: [MASK]}


def test_credential_shapes_spelled_with_letters_that_lower_to_ascii_are_masked_in_data() -> None:
    """The shapes match case-insensitively as Unicode does: the Kelvin sign is a "k", so this is a token."""
    shaped = "To\u212aen " + "a1b2c3d4e5" * 5
    assert Redactor([SECRET]).data({"detail": [shaped]}) == {"detail": [f"To\u212aen {MASK}"]}


_SECRETS = st.text(min_size=4, max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(secret=_SECRETS, data=_JSON, where=st.integers(min_value=0, max_value=3))
def test_the_fast_path_masks_exactly_what_the_full_walk_masks(secret: str, data: object, where: int) -> None:
    planted = {"a": data, "b": [f"x{secret}y", {"k": data}]} if where == 0 else {"c": [data], secret[:where]: data}
    redactor = Redactor([secret])
    assert redactor.data(planted) == redactor._walk(planted)
