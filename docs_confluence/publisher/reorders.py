"""A person reordering our pages among their siblings: what the index records, and how the
next run sees it.

Each page's index entry records its rank among the docs' pages of its parent (``o``), written
once a run has put them in that order (a run that failed to, and pages it was moving, record
none: their order is not known to be ours). The next run sorts our pages under each parent by
where they are; the pages off a longest run of recorded ranks in increasing order are the ones a
person moved (a drag moves one page). Pages without a recorded rank (indexes written before
ranks were, pages a person moved elsewhere, archived or in the trash) take no part.

This costs no request: the positions come with the pages we read anyway.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import replace
from typing import TYPE_CHECKING

from .order import _increasing_run
from .plan import Move, Relabel, RemoveAttachment, Reorder, Update, Upload

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ..bundle import Bundle
    from .index_writer import IndexWriter
    from .matching import Owned
    from .plan import Action

__all__ = ["find_reorders", "forget_order", "ranks", "record_order"]


def ranks(bundle: Bundle) -> dict[str, int]:
    """Each page's rank among the docs' pages of its parent."""
    counts: dict[str | None, int] = {}
    found: dict[str, int] = {}
    for page in bundle.pages:
        found[page.key] = counts.get(page.parent, 0)
        counts[page.parent] = found[page.key] + 1
    return found


def find_reorders(owned: Mapping[str, Owned]) -> dict[str, str]:
    """The pages of ours a person moved among their siblings since our last publish, by key,
    each with the reason a report gives."""
    groups: dict[str, list[Owned]] = {}
    for item in owned.values():
        entry, page = item.entry, item.page
        if (
            entry is None
            or entry.order is None
            or entry.moved_up_to is not None
            or page.status != "current"
            or page.position is None
            or page.parent_id is None
            or entry.parent != page.parent_id
        ):
            continue
        groups.setdefault(page.parent_id, []).append(item)
    found: dict[str, str] = {}
    for group in groups.values():
        group.sort(key=lambda item: (item.page.position or 0, item.page.id))
        order = [item.entry.order or 0 for item in group if item.entry is not None]
        if all(a < b for a, b in itertools.pairwise(order)):
            continue
        keys = [item.key for item in group]
        stayed = set(_increasing_run(order, keys))
        by_rank = sorted(range(len(group)), key=lambda number: (order[number], keys[number]))
        place = {number: placed for placed, number in enumerate(by_rank)}
        for number, item in enumerate(group):
            if item.key in stayed:
                continue
            now = _after(group[number - 1] if number else None)
            placed = place[number]
            was = _after(group[by_rank[placed - 1]] if placed else None)
            reason = f"reordered in Confluence (now {now}; we placed it {was})"
            found[item.key] = reason
    return found


def _after(item: Owned | None) -> str:
    return "first among our pages there" if item is None else f"after {item.page.title!r}"


def forget_order(writer: IndexWriter, actions: Iterable[Action], bundle: Bundle) -> bool:
    """Before a run changes the order of a parent's pages (a reorder among them, a page moved
    in or restored), their recorded ranks are dropped; True when some were, and the index is
    then to be saved before any write: a run that stops half-way leaves an order no person
    made, which must not read as a reorder."""
    parents = {bundle.page(a.key).parent for a in actions if isinstance(a, Reorder)}
    moving = {a.key for a in actions if isinstance(a, Move | Update) and _places(a)}
    forgot = False
    for page in bundle.pages:
        if page.parent in parents or page.key in moving:
            entry = writer.entry(page.key)
            if entry is not None and entry.order is not None:
                writer.amend(page.key, lambda e: replace(e, order=None))
                forgot = True
    return forgot


def record_order(
    writer: IndexWriter,
    order: Iterable[tuple[str, int]],
    failed: Iterable[tuple[object, str]],
    *,
    index_writes: int,
) -> None:
    """Once a run has put every page in the docs' order, record each page's rank (*order*,
    from the plan), in a run that writes the index anyway (*index_writes* so far, or changes
    still to save): an index from before ranks were recorded gets them with the next such
    run, and an unchanged republish writes nothing. Not after a run that failed to write a
    page, nor to save the index (the order may be half done)."""
    if any(not isinstance(what, Upload | RemoveAttachment | Relabel) for what, _ in failed):
        return
    if not (index_writes or writer.changed()):
        return
    for key, rank in order:
        entry = writer.entry(key)
        if entry is not None and entry.order != rank:
            writer.amend(key, functools.partial(replace, order=rank))


def _places(action: Move | Update) -> bool:
    return isinstance(action, Move) or action.places
