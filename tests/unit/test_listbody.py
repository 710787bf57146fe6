"""The streaming list-body parser: records out as they complete, whatever the piece boundaries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prolific_taskbuilder_mcp.client.listbody import ListBodyError, ListBodyParser, RecordTooLargeError

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
RECORDS = st.lists(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5), max_size=12)


def _parse_in_pieces(body: str, cuts: list[int]) -> tuple[list[Any], dict[str, Any]]:
    parser = ListBodyParser(max_record_chars=10**6)
    records: list[Any] = []
    start = 0
    for cut in sorted({min(len(body), c) for c in cuts}):
        records += parser.feed(body[start:cut])
        start = cut
    records += parser.feed(body[start:])
    records += parser.finish()
    return records, parser.envelope


@settings(max_examples=150, deadline=None)
@given(records=RECORDS, meta=JSON_VALUES, cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=30))
def test_any_chunking_gives_the_records_and_the_envelope_json_loads_gives(
    records: list[dict[str, Any]], meta: Any, cuts: list[int]
) -> None:
    body = json.dumps({"meta": meta, "results": records, "_links": {"next": {"href": None}}, "n": 12345}, indent=1)
    parsed, envelope = _parse_in_pieces(body, cuts)
    assert parsed == records
    assert envelope == {"meta": meta, "_links": {"next": {"href": None}}, "n": 12345}


def test_the_older_responses_key_and_null_results() -> None:
    assert _parse_in_pieces('{"responses": [{"a": 1}]}', [5])[0] == [{"a": 1}]
    records, envelope = _parse_in_pieces('{"results": null, "meta": {"count": 0}}', [3, 9])
    assert records == []
    assert envelope["results"] is None


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('{"results": [1,', "ended before"),
        ('{"results": [1] x', "comma"),
        ('["an", "array"]', "not a JSON object"),
        ("nul", "not a JSON object"),
        ('{"a" 1}', "colon"),
        ('{"results": [1]}]', "after the end"),
        ('{"results": [{"a": tru}]}', "not valid JSON"),
    ],
)
def test_malformed_bodies_say_how(body: str, why: str) -> None:
    with pytest.raises(ListBodyError, match=why):
        _parse_in_pieces(body, [4])


def test_one_value_over_the_limit_is_refused_before_it_is_all_buffered() -> None:
    parser = ListBodyParser(max_record_chars=1000)
    parser.feed('{"results": [{"pad": "')
    for _ in range(9):
        parser.feed("x" * 100)  # 922 characters pending: still under the limit
    with pytest.raises(RecordTooLargeError):
        parser.feed("x" * 100)


def test_a_long_record_in_small_pieces_is_not_reparsed_quadratically() -> None:
    record = {"text": "y" * 2_000_000}
    body = json.dumps({"results": [record]})
    parser = ListBodyParser(max_record_chars=10**7)
    attempts = 0
    original = parser._decode

    def counting(final: bool) -> Any:
        nonlocal attempts
        attempts += 1
        return original(final)

    parser._decode = counting  # type: ignore[method-assign]
    records: list[Any] = []
    for start in range(0, len(body), 1024):
        records += parser.feed(body[start : start + 1024])
    records += parser.finish()
    assert records == [record]
    assert attempts < 40  # ~2,000 pieces; attempts only as the buffer doubles


def test_many_records_in_pieces_keep_the_buffer_small() -> None:
    body = json.dumps({"results": [{"id": n, "text": "z" * 300} for n in range(20_000)]})
    parser = ListBodyParser(max_record_chars=100_000)  # far below the body: only one record is ever pending
    records: list[Any] = []
    for start in range(0, len(body), 65536):
        records += parser.feed(body[start : start + 65536])
    records += parser.finish()
    assert len(records) == 20_000
