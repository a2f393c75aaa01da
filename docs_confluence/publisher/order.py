"""Sibling order: the fewest moves that give each parent's children the bundle's order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .plan import Action, Reorder

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..bundle import Bundle, BundlePage
    from .compare import Owned

__all__ = ["plan_order"]


def plan_order(
    bundle: Bundle,
    owned: Mapping[str, Owned],
    skipped: set[str],
    moving_in: set[str],
    elsewhere: set[str],
) -> list[Action]:
    """Moves that give each parent's children the bundle's order, as few as possible.

    Pages left alone (*skipped*) are never moved; those a person put under another parent
    (*elsewhere*) are not among the siblings at all, so no page is ordered after one of them
    (which would drag it to the person's chosen parent)."""
    siblings: dict[str | None, list[BundlePage]] = {}
    for page in bundle.pages:
        siblings.setdefault(page.parent, []).append(page)
    actions: list[Action] = []
    for group in siblings.values():
        desired = [p.key for p in group if p.key not in elsewhere]
        if not desired:
            continue
        staying = sorted(
            (owned[k] for k in desired if k in owned and k not in moving_in),
            key=lambda item: (item.page.position is None, item.page.position or 0, item.page.id),
        )
        arriving = [k for k in desired if k in owned and k in moving_in]
        created = [k for k in desired if k not in owned]
        # The publisher creates first, then moves pages in, each as the last child.
        current = [item.key for item in staying] + created + arriving
        if current == desired:
            continue
        rank = {key: number for number, key in enumerate(desired)}
        keep = set(_longest_increasing([rank[k] for k in current], current))
        titles = {p.key: p.title for p in group}
        for number, key in enumerate(desired):
            if key in keep or key in skipped:
                continue
            if number == 0:
                actions.append(Reorder(key, titles[key], "before", desired[1]))
            else:
                actions.append(Reorder(key, titles[key], "after", desired[number - 1]))
            keep.add(key)
    return actions


def _longest_increasing(values: Sequence[int], keys: Sequence[str]) -> list[str]:
    """The keys of a longest strictly increasing subsequence of *values*."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < value:
                lo = mid + 1
            else:
                hi = mid
        previous[i] = tail_index[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[lo] = value
            tail_index[lo] = i
    result: list[str] = []
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        result.append(keys[i])
        i = previous[i]
    return result[::-1]
