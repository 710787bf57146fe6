"""Batch resources: a batch, its questions, the summary of its responses, and a workspace's batches."""

from ..boundary import progress_of, resource_boundary
from ..context import Ctx, client_of, remember
from ..reads import batches as reads
from ._common import ResourceSpec, valid_id


async def batch_resource(batch_id: str, ctx: Ctx) -> str:
    batch_id = valid_id("batch", batch_id)
    async with resource_boundary(ctx, "batch", batch_id):
        summary = await reads.get_batch(client_of(ctx), batch_id)
    remember(ctx, "batch", batch_id)
    return summary.model_dump_json()


async def batch_instructions_resource(batch_id: str, ctx: Ctx) -> str:
    batch_id = valid_id("batch", batch_id)
    async with resource_boundary(ctx, "batch", batch_id):
        summary = await reads.get_batch_instructions(client_of(ctx), batch_id)
    return summary.model_dump_json()


async def batch_responses_summary_resource(batch_id: str, ctx: Ctx) -> str:
    batch_id = valid_id("batch", batch_id)
    async with resource_boundary(ctx, "batch", batch_id):
        summary = await reads.summarize_batch_responses(client_of(ctx), batch_id, progress=progress_of(ctx))
    return summary.model_dump_json()


async def workspace_batches_resource(workspace_id: str, ctx: Ctx) -> str:
    workspace_id = valid_id("workspace", workspace_id)
    async with resource_boundary(ctx, "workspace", workspace_id):
        summary = await reads.list_batches(client_of(ctx), workspace_id, limit=50)
    remember(ctx, "batch", *(row.id for row in reversed(summary.rows)))
    return summary.model_dump_json()


RESOURCES = (
    ResourceSpec(
        "prolific://batches/{batch_id}",
        "batch",
        "AI Task Builder batch",
        "One batch as JSON: status and its meaning, next steps, counts, datasets, task details (as get_batch).",
        batch_resource,
    ),
    ResourceSpec(
        "prolific://batches/{batch_id}/instructions",
        "batch_instructions",
        "A batch's questions",
        "The questions of one batch as JSON: type, text, options, units, file rules (as get_batch_instructions).",
        batch_instructions_resource,
    ),
    ResourceSpec(
        "prolific://batches/{batch_id}/responses/summary",
        "batch_responses_summary",
        "Summary of a batch's responses",
        "Every response of one batch aggregated, as JSON: totals and per-question answer distributions "
        "(as summarize_batch_responses). Reading it reads every page of responses.",
        batch_responses_summary_resource,
    ),
    ResourceSpec(
        "prolific://workspaces/{workspace_id}/batches",
        "workspace_batches",
        "A workspace's batches",
        "The 50 newest batches of a workspace and counts per status, as JSON (as list_batches).",
        workspace_batches_resource,
    ),
)
"""This family's resource templates, in resources/templates/list order."""
