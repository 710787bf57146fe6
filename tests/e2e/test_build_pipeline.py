"""The build pipeline end to end, through a real MCP client over stdio against the loopback simulator (its upload
storage on a second origin): records -> create_dataset -> create_batch (a multiple-choice and a free-text question)
-> setup_batch (waits, with progress) -> READY -> simulated participants answer -> the answers per datapoint.

Run three ways: consent by elicitation (the SDK client's callback accepts), by the `confirmation` round trip (a
client without elicitation), and with PROLIFIC_MCP_CONFIRM_WRITES=never.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp_types import ElicitRequestParams, ElicitResult, TextContent

from prolific_taskbuilder_mcp.sandbox import WORKSPACE_ID
from prolific_taskbuilder_mcp.sandbox.runner import RunningSandbox
from tests.support.processes import COMMAND, child_env
from tests.support.simulator import CANARY_TOKEN

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

RECORDS = [
    {"reply": f"Reply {n}: please restart the router.", "question": f"My internet is down ({n})", "META_ref": f"R{n}"}
    for n in range(1, 7)
]
QUESTIONS = [
    {
        "type": "multiple_choice",
        "text": "Is the reply helpful?",
        "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}],
    },
    {"type": "free_text", "text": "Why?", "max_length": 500},
]


class Consent:
    def __init__(self, way: str) -> None:
        self.way = way
        self.asked: list[str] = []

    async def elicit(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.asked.append(params.message)
        return ElicitResult(action="accept", content={"approve": True})

    async def write(self, client: Client, tool: str, arguments: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        result = await client.call_tool(tool, arguments, **kwargs)
        out = result.structured_content
        assert result.is_error is False, result.content
        assert out is not None
        if self.way == "confirmation":
            assert out["outcome"] == "needs_confirmation"
            self.asked.append(out["change"])
            result = await client.call_tool(tool, {**arguments, "confirmation": out["confirmation"]}, **kwargs)
            out = result.structured_content
            assert result.is_error is False, result.content
            assert out is not None
        assert out["outcome"] == "done", out
        return dict(out)


@pytest.mark.parametrize("way", ["elicitation", "confirmation", "never"])
async def test_records_to_a_ready_batch_and_its_answers_per_datapoint(sandbox: RunningSandbox, way: str) -> None:
    consent = Consent(way)
    env = child_env(PROLIFIC_TOKEN=CANARY_TOKEN, PROLIFIC_URL=sandbox.url, PROLIFIC_WORKSPACE_ID=WORKSPACE_ID)
    if way == "never":
        env["PROLIFIC_MCP_CONFIRM_WRITES"] = "never"
    params = StdioServerParameters(command=COMMAND, args=["--allow-writes"], env=env)
    callback = consent.elicit if way == "elicitation" else None
    progress: list[float] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(done)

    async with Client(stdio_client(params), elicitation_callback=callback) as client:
        made = await consent.write(client, "create_dataset", {"name": "Router replies", "records": RECORDS})
        assert made["upload"]["status"] == "complete"
        dataset_id = made["dataset"]["id"]
        batch = await consent.write(
            client,
            "create_batch",
            {
                "name": "Helpfulness round 1",
                "dataset_id": dataset_id,
                "task_name": "Rate a support reply",
                "task_introduction": "<p>Read the customer's question and the reply.</p>",
                "task_steps": "<ol><li>Read</li><li>Answer both questions</li></ol>",
                "questions": QUESTIONS,
            },
        )
        batch_id = batch["batch"]["id"]
        ready = await consent.write(client, "setup_batch", {"batch_id": batch_id}, progress_callback=on_progress)
        assert ready["wait"]["status"] == "READY"
        assert progress, "setup_batch reported no progress while it waited"
        assert f"app.prolific.com/researcher/workspaces/{WORKSPACE_ID}/home" in ready["next_step"]

        async with httpx.AsyncClient(base_url=sandbox.url) as hooks:  # participants answer (a simulator hook)
            answered = await hooks.post("/_sandbox/participants", json={"batch_id": batch_id, "raters": 3})
        assert answered.json()["responses"] == 6 * 3 * 2

        summary = await client.call_tool("summarize_batch_responses", {"batch_id": batch_id})
        totals = summary.structured_content
        assert totals is not None
        assert totals["responses"] == 36
        assert totals["tasks"] == 6
        assert [q["answers"] for q in totals["questions"]] == [18, 18]
        assert totals["questions"][0]["agreement"]["tasks_compared"] == 6
        seen: set[str] = set()
        arguments: dict[str, Any] = {"batch_id": batch_id, "limit": 36}
        while True:  # the answers per datapoint, page by page
            page = await client.call_tool("get_batch_responses", arguments)
            rows = page.structured_content
            assert rows is not None
            seen |= {fields["META_ref"] for fields in rows["datapoints"].values()}
            if not rows.get("next_cursor"):
                break
            arguments["cursor"] = rows["next_cursor"]
        assert seen == {f"R{n}" for n in range(1, 7)}
        block = page.content[0]
        assert isinstance(block, TextContent)
        assert "datapoint: META_ref" in block.text, block.text[:800]

    assert len(consent.asked) == (0 if way == "never" else 3)
    if way != "never":
        assert "Create dataset" in consent.asked[0]
        assert "6 records" in consent.asked[0]
    (put,) = [r for r in sandbox.state.storage_requests if r["method"] == "PUT"]
    assert "authorization" not in put["headers"]  # the storage origin never saw a credential
    assert CANARY_TOKEN not in json.dumps(sandbox.state.storage_requests)
    assert put["headers"]["host"] != httpx.URL(sandbox.url).netloc.decode()  # a second origin
