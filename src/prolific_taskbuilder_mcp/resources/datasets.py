"""Dataset resources."""

from ..boundary import resource_boundary
from ..context import Ctx, client_of, remember
from ..reads import datasets as reads
from ._common import ResourceSpec, valid_id


async def dataset_resource(dataset_id: str, ctx: Ctx) -> str:
    dataset_id = valid_id("dataset", dataset_id)
    async with resource_boundary(ctx, "dataset", dataset_id):
        details = await reads.get_dataset(client_of(ctx), dataset_id)
    remember(ctx, "dataset", dataset_id)
    return details.model_dump_json()


RESOURCES = (
    ResourceSpec(
        "prolific://datasets/{dataset_id}",
        "dataset",
        "AI Task Builder dataset",
        "One dataset as JSON: readiness, datapoints, schema fields, imports and their errors (as get_dataset).",
        dataset_resource,
    ),
)
"""This family's resource templates."""
