"""The paging rules the read families share."""

from __future__ import annotations

from typing import Any

from ..client.models import Page


def has_more(page: Page[Any], offset: int, shown: int, limit: int) -> bool:
    """Whether records exist after the `shown` ones starting at `offset`: by `meta.count` when Prolific gave
    one, else by whether the page came back full."""
    end = offset + shown
    return end < page.total if page.total is not None else page.raw_count >= limit
