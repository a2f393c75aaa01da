"""Reads that do not depend on each other, sent side by side."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["map_concurrently"]

T = TypeVar("T")
R = TypeVar("R")


def map_concurrently(
    read: Callable[[T], R], items: Sequence[T], concurrency: int, *, name: str = "read"
) -> list[R]:
    """``[read(item) for item in items]``, in order, with up to *concurrency* in flight; in
    this thread when there is one item or one connection (no pool to start)."""
    if len(items) <= 1 or concurrency <= 1:
        return [read(item) for item in items]
    with ThreadPoolExecutor(min(concurrency, len(items)), thread_name_prefix=name) as pool:
        return list(pool.map(read, items))
