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
    fixed: set[str],
    moving_in: set[str],
    elsewhere: set[str],
) -> list[Action]:
    """Moves that give each parent's children the bundle's order, as few as possible.

    Pages a person placed (*fixed*: moved or archived) are never moved: the others are ordered
    around them. Those a person put under another parent (*elsewhere*) are not among the
    siblings at all, so no page is ordered after one of them (which would drag it to the
    person's chosen parent)."""
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
        keep = set(_longest_increasing([rank[k] for k in current], current, fixed))
        titles = {p.key: p.title for p in group}
        for number, key in enumerate(desired):
            if key in keep or key in fixed:
                continue
            if number == 0:  # before the first page that stays where it is
                anchor = next(k for k in desired if k in keep)
                actions.append(Reorder(key, titles[key], "before", anchor))
            else:  # after the page before it, which stays or was placed just now
                actions.append(Reorder(key, titles[key], "after", desired[number - 1]))
            keep.add(key)
    return actions


def _longest_increasing(values: Sequence[int], keys: Sequence[str], fixed: set[str]) -> list[str]:
    """The keys of a strictly increasing subsequence of *values* that holds as many *fixed*
    keys as can be, and then as many keys as can be: the pages that need not move."""
    heavy = len(values) + 1
    weight = [heavy if key in fixed else 1 for key in keys]
    best = list(weight)
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value and best[j] + weight[i] > best[i]:
                best[i] = best[j] + weight[i]
                previous[i] = j
    result: list[str] = []
    i = max(range(len(values)), key=best.__getitem__, default=-1)
    while i >= 0:
        result.append(keys[i])
        i = previous[i]
    return result[::-1]
