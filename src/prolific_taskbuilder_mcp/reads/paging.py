"""The paging rules the read families share: a window of a list, whatever the upstream's paging.

The client walks a list page by page (`ProlificClient.walk`), correct whether Prolific ignores `limit`/`offset`
(returns everything), honours them, or pages with `_links.next`. A cursor tool shows records
`[offset, offset + limit)` of that walk: the same records in the same order on every call, each exactly once.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

from ..client.models import Page

T = TypeVar("T", bound=BaseModel)


@dataclass
class Window(Generic[T]):
    """Records `[offset, offset + len(items))` of a list, and what is known about the rest."""

    items: list[T] = field(default_factory=list)
    total: int | None = None
    """`meta.count` when Prolific gave one; the number of records read when the walk reached the end."""
    more: bool = False
    """Records exist after these."""
    skipped: int = 0
    """Records in the window's pages that were not objects (not shown)."""


async def window(pages: AsyncGenerator[Page[T], None], offset: int, limit: int) -> Window[T]:
    """Records `[offset, offset + limit)` of the walk `pages`.

    Once the window is full it reads on to the end of the current upstream body (whose `meta.count` comes last),
    but never asks Prolific for another page just to know whether more exist.
    """
    result: Window[T] = Window()
    position = 0
    async with aclosing(pages) as walk:
        async for page in walk:
            full = position >= offset + limit
            if full and page.starts_request:
                result.more = True  # another upstream page: records exist after the window
                return result
            result.skipped += page.skipped
            if page.total is not None:
                result.total = page.total
            for item in page.items:
                if position >= offset + limit:
                    result.more = True
                elif position >= offset:
                    result.items.append(item)
                position += 1
            if not page.has_next:
                if result.total is None:
                    result.total = position
                return result
    return result


async def read_all(pages: AsyncGenerator[Page[T], None], max_items: int) -> Window[T]:
    """Every record of the walk up to `max_items`; `more` says the list has records beyond those read."""
    return await window(pages, 0, max_items)
