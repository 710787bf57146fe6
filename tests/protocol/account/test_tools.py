"""Account tools. Through the SDK's in-memory MCP client; the simulator in-process.

Expected values are computed from the simulator's own data and generator (a separate package from the
client), so each assertion compares two independent readings of the API.
"""

from __future__ import annotations

import pytest
from mcp import Client

from prolific_taskbuilder_mcp.sandbox import data
from tests.protocol.helpers import call_ok

pytestmark = pytest.mark.anyio


# -- account --------------------------------------------------------------------------------------------


async def test_whoami_names_the_token_owner_without_the_token(client: Client) -> None:
    text, out = await call_ok(client, "whoami", {})
    assert out["user_id"] == data.USER["id"]
    assert out["email"] == data.USER["email"]
    assert "The token works" in text


async def test_list_workspaces_marks_the_default_and_hides_colleagues(ws_client: Client) -> None:
    text, out = await call_ok(ws_client, "list_workspaces", {})
    assert [row["id"] for row in out["rows"]] == [w["id"] for w in data.WORKSPACES]
    assert out["default_workspace_id"] == data.WORKSPACE_ID
    assert "(default)" in text
    assert "@" not in text  # colleagues' emails are not passed on
