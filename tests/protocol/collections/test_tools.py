"""Collection tools. Through the SDK's in-memory MCP client; the simulator in-process.

Expected values are computed from the simulator's own data and generator (a separate package from the
client), so each assertion compares two independent readings of the API.
"""

from __future__ import annotations

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data
from prolific_taskbuilder_mcp.sandbox.state import Fault
from tests.protocol.helpers import call_error, call_ok
from tests.support.simulator import InProcessSandbox

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


GATE = "You do not currently have permission to access to this feature."
"""Prolific's answer when collections are not enabled for the account (a 404 in Prolific's CLI tests)."""


@pytest.mark.parametrize("status", [404, 403])
async def test_the_collections_feature_gate_is_explained_as_early_access(
    client: Client, sandbox: InProcessSandbox, status: int
) -> None:
    sandbox.state.add_fault(Fault(kind="status", status=status, detail=GATE, times=None, path="/collections"))
    text = await call_error(client, "list_collections", {"workspace_id": data.WORKSPACE_ID})
    assert "early access" in text
    assert GATE in text  # Prolific's own words, kept
    assert "workspace" in text
    assert "No workspace" not in text


async def test_a_404_keeps_prolifics_detail_and_advice_fits_the_kind_of_id(client: Client) -> None:
    missing = "0193d2a1-0000-7000-8000-00000000dead"
    text = await call_error(client, "get_collection", {"collection_id": missing})
    assert "Prolific said: Collection not found." in text
    assert "collection id" in text
    assert "batch's workspace" not in text


def test_404_advice_per_kind_of_id() -> None:
    from prolific_taskbuilder_mcp.client import NotFoundError
    from prolific_taskbuilder_mcp.errors import explain

    gone = NotFoundError("not found", status=404, detail="Not found.")
    assert "list_workspaces" in explain(gone, "workspace", "6278acb09062db3b35bcbeb0")
    assert "dataset id" in explain(gone, "dataset", "x")
    assert "export ids expire" in explain(gone, "export", "x")
    assert all("Prolific said: Not found." in explain(gone, kind, "x") for kind in ("batch", "workspace", "export"))
