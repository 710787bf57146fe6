"""Collection resources."""

from ..boundary import resource_boundary
from ..context import Ctx, client_of, remember
from ..reads import collections as reads
from ._common import ResourceSpec, valid_id


async def collection_resource(collection_id: str, ctx: Ctx) -> str:
    collection_id = valid_id("collection", collection_id)
    async with resource_boundary(ctx, "collection", collection_id):
        details = await reads.get_collection(client_of(ctx), collection_id)
    remember(ctx, "collection", collection_id)
    return details.model_dump_json()


RESOURCES = (
    ResourceSpec(
        "prolific://collections/{collection_id}",
        "collection",
        "AI Task Builder collection",
        "One collection as JSON: task details and the questions of each page (as get_collection).",
        collection_resource,
    ),
)
"""This family's resource templates."""
