"""Dataset reads."""

from __future__ import annotations

from ..client import ProlificClient
from ..summaries.datasets import DatasetDetails, summarize_dataset_details


async def get_dataset(client: ProlificClient, dataset_id: str) -> DatasetDetails:
    return summarize_dataset_details(await client.get_dataset(dataset_id))
