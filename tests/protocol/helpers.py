"""Helpers for protocol tests: call a tool and check what came back, collect progress, fetch presigned links."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
from mcp import Client
from mcp_types import CallToolResult, TextContent

from prolific_taskbuilder_mcp.sandbox import data, generate
from tests.support.simulator import CANARY_TOKEN, InProcessSandbox

SURVEY = data.SURVEY_BATCH_ID


def text_of(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


async def call_ok(client: Client, tool: str, arguments: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Call a tool that must succeed; check its structured content against its output schema."""
    result = await client.call_tool(tool, arguments)
    text = text_of(result)
    assert result.is_error is False, text
    assert result.structured_content is not None
    schemas = {t.name: t.output_schema for t in (await client.list_tools()).tools}
    jsonschema.validate(result.structured_content, schemas[tool] or {})
    assert len(text) <= 6000
    assert CANARY_TOKEN not in text
    return text, result.structured_content


async def call_error(client: Client, tool: str, arguments: dict[str, Any]) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error is True
    return text_of(result)


class ProgressLog:
    """Collects progress notifications of one call."""

    def __init__(self) -> None:
        self.values: list[float] = []

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        self.values.append(progress)


async def download(sandbox: InProcessSandbox, url: str) -> httpx.Response:
    """A presigned link is fetched as a browser would: a plain GET, no Authorization header."""
    async with sandbox.http() as http:
        return await http.get(url)


def survey_records(count: int) -> list[dict[str, Any]]:
    instructions = generate.answerable(generate.layout_instructions(data.SURVEY_BATCH["batch_items"]))
    return list(generate.responses(SURVEY, "batch_id", SURVEY, instructions, 0, count))
