"""Every list-reading tool under each paging behaviour the reference allows (§2.6): the upstream ignores
`limit`/`offset` and returns everything (the documented case, and the simulator's default), honours them, or
pages with `_links.next`. Results must be the same, correct and non-repeating under all three.

The simulator's page size is 7 here, so every list spans several pages in the paging modes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client
from mcp_types import PromptReference

from prolific_taskbuilder_mcp.sandbox import data

from ..support.calls import TOOL_CALLS
from ..support.simulator import InProcessSandbox, new_sandbox, server_for
from .helpers import SURVEY, call_ok, survey_records

pytestmark = pytest.mark.anyio

MODES = ["ignore", "offset", "links"]
DOCUMENTED_QUERY = {"workspace_id"}
"""The only query parameter the reference documents for AI Task Builder lists."""


@pytest.fixture(params=MODES)
def sandbox(request: pytest.FixtureRequest) -> InProcessSandbox:
    paged = new_sandbox(paging=request.param, page_size=7)
    paged.state.add_seed_copies(30)  # 36 batches in the workspace: six pages of seven
    paged.state.response_counts[SURVEY] = 21
    return paged


@pytest.fixture
async def client(sandbox: InProcessSandbox) -> AsyncIterator[Client]:
    async with Client(server_for(sandbox, workspace_id=data.WORKSPACE_ID)) as connected:
        yield connected


def _query_sent(sandbox: InProcessSandbox) -> set[str]:
    return set(sandbox.state.query_keys)


async def test_a_responses_cursor_walk_shows_every_response_once_with_true_ranges(
    client: Client, sandbox: InProcessSandbox
) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        arguments: dict[str, Any] = {"batch_id": SURVEY, "limit": 5, **({"cursor": cursor} if cursor else {})}
        text, out = await call_ok(client, "get_batch_responses", arguments)
        pages += 1
        first, last = len(seen) + 1, len(seen) + len(out["rows"])
        assert f"responses {first}-{last} of 21" in text
        assert out["offset"] == len(seen)
        seen += [row["id"] for row in out["rows"]]
        cursor = out["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert pages == 5
    assert seen == [r["id"] for r in survey_records(21)]  # every response, once, in order
    if sandbox.state.paging == "ignore":
        assert _query_sent(sandbox) <= DOCUMENTED_QUERY


async def test_the_summary_reads_every_response_exactly_once(client: Client, sandbox: InProcessSandbox) -> None:
    _, out = await call_ok(client, "summarize_batch_responses", {"batch_id": SURVEY})
    assert out["responses"] == 21
    assert out["reported_total"] == 21
    assert out["pages_read"] == (1 if sandbox.state.paging == "ignore" else 3)
    assert sandbox.state.requests_matching("/responses") == out["pages_read"]


async def test_list_batches_reads_the_whole_workspace_and_pages_it_locally(
    client: Client, sandbox: InProcessSandbox
) -> None:
    expected = sum(1 for b in sandbox.state.batches.values() if b.get("workspace_id") == data.WORKSPACE_ID)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        arguments: dict[str, Any] = {"limit": 10, **({"cursor": cursor} if cursor else {})}
        _, out = await call_ok(client, "list_batches", arguments)
        assert out["total"] == expected
        assert out["incomplete"] is False
        seen += [row["id"] for row in out["rows"]]
        cursor = out["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == expected
    if sandbox.state.paging == "ignore":
        assert _query_sent(sandbox) <= DOCUMENTED_QUERY


async def test_list_collections_walks_every_collection_once(client: Client, sandbox: InProcessSandbox) -> None:
    expected = [c["id"] for c in sandbox.state.workspace_collections(data.WORKSPACE_ID)]
    seen: list[str] = []
    cursor: str | None = None
    while True:
        _, out = await call_ok(client, "list_collections", {"limit": 1, **({"cursor": cursor} if cursor else {})})
        assert out["total"] == len(expected)
        seen += [row["id"] for row in out["rows"]]
        cursor = out["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(expected)
    assert len(seen) == len(set(seen))


async def test_list_workspaces_and_the_collection_summary_read_everything(client: Client) -> None:
    _, workspaces = await call_ok(client, "list_workspaces", {})
    assert {row["id"] for row in workspaces["rows"]} == {w["id"] for w in data.WORKSPACES}
    _, summary = await call_ok(client, "summarize_collection_responses", {"collection_id": data.COLLECTION_ID})
    assert summary["responses"] == data.COLLECTION_RESPONSE_COUNTS[data.COLLECTION_ID]


async def test_completions_suggest_batches_from_the_first_page(client: Client) -> None:
    result = await client.complete(PromptReference(name="troubleshoot_batch"), {"name": "batch_id", "value": "0000"})
    assert 1 <= len(result.completion.values) <= 20
    assert all(value.startswith("0000") for value in result.completion.values)


@pytest.mark.parametrize("tool", sorted(TOOL_CALLS))
async def test_every_read_tool_answers_in_this_mode(client: Client, tool: str) -> None:
    """Tools that read no list are unaffected by paging; this holds every tool to it in every mode."""
    await call_ok(client, tool, TOOL_CALLS[tool])
