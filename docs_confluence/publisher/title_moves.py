"""Ordering title changes so that no two pages ever hold one title (pure; used by the planner).

Confluence keeps titles unique per space, compared case-insensitively, so a publish in which
titles move between our own pages (two same-named pages swapping their disambiguated titles,
a rename chain, a new page taking the title of a page that was renamed or left the docs) must
free each title before another page takes it. :func:`order_titles` simulates the space's titles
and returns the renames to do first, in an order that never collides:

* a page whose wanted title is free is renamed to it;
* a page of ours that left the docs and holds a wanted title is *retired*: renamed to a title
  saying so, and reported;
* a cycle (A wants B's title, B wants A's) is broken by a temporary title.

Whatever still holds a wanted title afterwards (someone else's page, or a page of ours that is
left alone because a person edited it) is returned as *blocked*, for the planner to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

__all__ = ["TitleOrder", "TitleStep", "order_titles"]

MAX_TITLE = 255
TEMPORARY_SUFFIX = " (renaming)"
RETIRED_SUFFIX = " (no longer in the docs)"


@dataclass(frozen=True, slots=True)
class TitleStep:
    """Rename page *page_id* to *title* before anything else is written."""

    page_id: str
    title: str
    temporary: bool = False
    retired: bool = False


@dataclass(slots=True)
class TitleOrder:
    """The renames to do first, the pages whose final title they set, and what is blocked."""

    steps: list[TitleStep] = field(default_factory=list)
    early: set[str] = field(default_factory=set)
    blocked: dict[str, str] = field(default_factory=dict)  # wanting key or page id -> holder id


def order_titles(
    holders: Mapping[str, str],
    current: Mapping[str, str],
    renames: Mapping[str, str],
    creates: Mapping[str, str],
    retirable: Collection[str],
) -> TitleOrder:
    """Plan the title moves.

    *holders*: case-folded title -> id of the page holding it, for every page of the space.
    *current*: page id -> current title, for the pages of ours in *renames* and *retirable*.
    *renames*: page id -> wanted title, for our live pages whose title changes.
    *creates*: bundle key -> wanted title, for pages to create.
    *retirable*: ids of our pages that left the docs and may be renamed out of the way.
    """
    held = dict(holders)
    titles = dict(current)
    order = TitleOrder()
    wanted = {title.casefold() for title in (*renames.values(), *creates.values())}

    def rename(page_id: str, title: str, *, temporary: bool = False, retired: bool = False) -> None:
        old = titles[page_id].casefold()
        if held.get(old) == page_id:
            del held[old]
        held[title.casefold()] = page_id
        titles[page_id] = title
        order.steps.append(TitleStep(page_id, title, temporary, retired))

    def retire(page_id: str) -> None:
        rename(page_id, _unused(titles[page_id], RETIRED_SUFFIX, held, wanted), retired=True)

    for title in creates.values():
        holder = held.get(title.casefold())
        if holder is not None and holder in retirable:
            retire(holder)

    waiting = {
        page_id: title
        for page_id, title in sorted(renames.items())
        if titles[page_id].casefold() in wanted - {title.casefold()}
        or held.get(title.casefold(), page_id) != page_id
    }
    while waiting:
        progressed = False
        for page_id, title in list(waiting.items()):
            holder = held.get(title.casefold(), page_id)
            if holder == page_id:
                rename(page_id, title)
                order.early.add(page_id)
                del waiting[page_id]
                progressed = True
            elif holder in retirable:
                retire(holder)
                progressed = True
            elif holder not in waiting:
                del waiting[page_id]  # held by a page that stays: blocked, reported below
                progressed = True
        if not progressed:  # every one waits on another: step a page of a cycle aside
            page_id = _on_a_cycle(waiting, held)
            aside = _unused(titles[page_id], TEMPORARY_SUFFIX, held, wanted)
            rename(page_id, aside, temporary=True)

    for page_id, title in renames.items():
        if page_id in order.early:
            continue
        holder = held.get(title.casefold(), page_id)
        if holder != page_id:
            order.blocked[page_id] = holder
        else:
            held[title.casefold()] = page_id
    for key, title in creates.items():
        holder = held.get(title.casefold())
        if holder is not None:
            order.blocked[key] = holder
        else:
            held[title.casefold()] = f"new:{key}"
    return order


def _on_a_cycle(waiting: Mapping[str, str], held: Mapping[str, str]) -> str:
    """A page on a cycle of "wants the title of": each waiting page's title is held by another
    waiting page, so following the holders from any page ends on one."""
    seen: set[str] = set()
    page_id = next(iter(waiting))
    while page_id not in seen:
        seen.add(page_id)
        page_id = held[waiting[page_id].casefold()]
    return page_id


def _unused(title: str, suffix: str, held: Mapping[str, str], wanted: Collection[str]) -> str:
    """*title* with *suffix* (and a number if needed), within the length limit, held by no page
    and wanted by none."""
    number = 1
    while True:
        tail = suffix if number == 1 else f"{suffix[:-1]} {number})"
        candidate = title[: MAX_TITLE - len(tail)].rstrip() + tail
        folded = candidate.casefold()
        if folded not in held and folded not in wanted:
            return candidate
        number += 1
