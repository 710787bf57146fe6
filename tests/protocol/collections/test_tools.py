"""Collection tools. Through the SDK's in-memory MCP client; the simulator in-process.

Expected values are computed from the simulator's own data and generator (a separate package from the
client), so each assertion compares two independent readings of the API.
"""

from __future__ import annotations

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data
from tests.protocol.helpers import call_error, call_ok

pytestmark = pytest.mark.anyio


# -- collections ----------------------------------------------------------------------------------------


async def test_collections_are_listed_and_paged(ws_client: Client) -> None:
    _, out = await call_ok(ws_client, "list_collections", {})
    assert {row["id"] for row in out["rows"]} == {c["id"] for c in data.COLLECTIONS}
    _, first = await call_ok(ws_client, "list_collections", {"limit": 1})
    assert len(first["rows"]) == 1
    assert first["next_cursor"]
    _, second = await call_ok(ws_client, "list_collections", {"limit": 1, "cursor": first["next_cursor"]})
    assert second["rows"][0]["id"] != first["rows"][0]["id"]
    assert second["next_cursor"] is None


async def test_a_collection_lists_its_questions_by_page(client: Client) -> None:
    _, out = await call_ok(client, "get_collection", {"collection_id": data.COLLECTION_ID})
    assert out["pages"] == 2
    assert out["content_blocks"] == 1
    assert [(q["page"], q["type"]) for q in out["questions"]] == [
        (1, "free_text"),
        (1, "file_upload"),
        (2, "multiple_choice"),
    ]


async def test_collection_responses_are_summarised_when_served(client: Client) -> None:
    _, out = await call_ok(client, "summarize_collection_responses", {"collection_id": data.COLLECTION_ID})
    assert out["owner"] == "collection"
    assert out["responses"] == data.COLLECTION_RESPONSE_COUNTS[data.COLLECTION_ID]
    shop = {q["type"]: q for q in out["questions"]}["multiple_choice"]
    assert sum(c["count"] for c in shop["choices"]) == shop["answers"]


async def test_missing_collection_responses_point_to_the_export(client: Client) -> None:
    text = await call_error(
        client, "summarize_collection_responses", {"collection_id": data.NO_RESPONSES_COLLECTION_ID}
    )
    assert "does not serve responses" in text
    assert "export_collection" in text


async def test_export_collection_waits_until_complete(client: Client) -> None:
    _, out = await call_ok(client, "export_collection", {"collection_id": data.COLLECTION_ID})
    assert out["owner"] == "collection"
    assert out["status"] == "complete"
    assert out["url"]
