"""Sibling order: the fewest moves that give each parent's children the bundle's order."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .plan import Action, Reorder

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..bundle import Bundle, BundlePage
    from .matching import Owned

__all__ = ["Placement", "plan_order", "settle_order"]


@dataclass(frozen=True, slots=True)
class Placement:
    """Move page *key* just *where* page *anchor* (both among the same parent's children)."""

    key: str
    where: Literal["before", "after"]
    anchor: str


def settle_order(landed: Sequence[str], desired: Sequence[str]) -> list[list[Placement]]:
    """The fewest moves that turn *landed* (the order in which pages created side by side
    arrived under their parent) into *desired* (the same keys, in the bundle's order).

    The pages on a longest run that is already in order stay; each other page is moved next to
    its neighbour in the desired order, so it takes one move. Moves come in chains: a chain's
    moves must go one after the other (each is placed after the one before it), while different
    chains only lean on pages that stay, so they can run at the same time."""
    rank = {key: number for number, key in enumerate(desired)}
    keep = set(_increasing_run([rank[key] for key in landed], landed))
    chains: list[list[Placement]] = []
    first_kept = next((key for key in desired if key in keep), None)
    for number, key in enumerate(desired):
        if key in keep:
            continue
        if number == 0:
            assert first_kept is not None
            chains.append([Placement(key, "before", first_kept)])
        elif desired[number - 1] in keep:
            chains.append([Placement(key, "after", desired[number - 1])])
        else:  # after a page that is itself moved just before: same chain
            chains[-1].append(Placement(key, "after", desired[number - 1]))
    return chains


def _increasing_run(values: Sequence[int], keys: Sequence[str]) -> list[str]:
    """The keys of a longest strictly increasing subsequence of *values* (patience sorting,
    n log n: a flat section may hold a thousand new pages)."""
    tails: list[int] = []  # tails[k]: index of the smallest tail of a run of length k + 1
    tail_values: list[int] = []
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        k = bisect_left(tail_values, value)
        if k:
            previous[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
            tail_values.append(value)
        else:
            tails[k] = i
            tail_values[k] = value
    result: list[str] = []
    i = tails[-1] if tails else -1
    while i >= 0:
        result.append(keys[i])
        i = previous[i]
    return result[::-1]


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
