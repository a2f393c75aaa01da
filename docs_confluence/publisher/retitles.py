"""The renames a plan makes first, so that titles move freely between our pages.

:mod:`.title_moves` orders them (through a temporary title for a swap) so that none collides;
a page of ours that left the docs never blocks a live one: it is trashed first (cleanup) or
renamed out of the way; a title that nothing frees is an error that names who holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .matching import foreign_project, not_adoptable, space_parents
from .plan import Action, Move, Retitle, Trash, Update
from .title_moves import order_titles

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..bundle import Bundle, BundlePage
    from .matching import Matches, Owned, RemoteState

__all__ = ["ADOPT_OPTION", "PREFIX_OPTION", "TitleSteps", "plan_retitles"]

#: How the title prefix option is spelled in each front end (messages name them all).
PREFIX_OPTION = (
    "a title prefix (`title_prefix` in mkdocs.yml, `confluence_title_prefix` in conf.py)"
)
#: How the adopt option is spelled in each front end (messages name them all).
ADOPT_OPTION = "adopt (--adopt, `adopt: true` in mkdocs.yml, `confluence_adopt = True` in conf.py)"


@dataclass(slots=True)
class TitleSteps:
    """*retitles*: the renames that go before creates and updates; *updates*: the updates,
    less what those renames write; *freeing*: the keys of pages that left the docs, trashed
    first to free a title (cleanup); *retrash*: pages of ours in the trash renamed out of the
    way (which brings them back) and put back; *errors*: the titles nothing frees."""

    retitles: list[Action] = field(default_factory=list)
    updates: list[Action] = field(default_factory=list)
    freeing: set[str] = field(default_factory=set)
    retrash: list[Action] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def plan_retitles(
    bundle: Bundle,
    remote: RemoteState,
    matches: Matches,
    updates: Sequence[Action],
    *,
    cleanup: bool,
    holding: set[str],
    adopt: bool,
) -> TitleSteps:
    """The renames that must happen before creates and updates so titles can move between our
    pages, and the updates adjusted for them. Titles nothing frees are errors; a page of ours
    that left the docs and holds a wanted title is trashed first (cleanup) or renamed out of
    the way (always, when it is *holding* pages that are not ours). One in the trash holding a
    wanted title (sites may keep the titles of trashed pages reserved) is renamed out of the
    way, which brings it back, and put back in the trash."""
    found = TitleSteps(updates=list(updates))
    if remote.titles is None:
        return found  # the loader saw no new title wanted
    owned, stale, trashed = matches.owned, matches.stale, matches.trashed
    freeing, retrash = found.freeing, found.retrash
    pages = {page.key: page for page in bundle.pages}
    renames = {
        action.page_id: action.title
        for action in updates
        if isinstance(action, Update) and "title" in action.reasons
    }
    creates = {page.key: page.title for page in bundle.pages if page.key not in owned}
    wanted = {title.casefold() for title in (*renames.values(), *creates.values())}
    by_id = {item.page.id: (key, item) for key, item in (*owned.items(), *stale.items())}
    holders = {folded: page.id for folded, page in remote.titles.items()}
    for key, item in stale.items():
        if (
            cleanup
            and not item.edited
            and item.page.id not in holding
            and item.page.title.casefold() in wanted
        ):
            freeing.add(key)  # trashed before anything else
            holders.pop(item.page.title.casefold(), None)
    retirable = {item.page.id for key, item in stale.items() if key not in freeing}
    for item in owned.values():  # in the trash, coming back: its title may be reserved
        if item.page.status == "trashed":
            holders.setdefault(item.page.title.casefold(), item.page.id)
    for key, item in trashed.items():
        folded = item.page.title.casefold()
        if folded in wanted and folded not in holders:
            holders[folded] = item.page.id
            by_id[item.page.id] = (key, item)
            retirable.add(item.page.id)
    current = {page_id: by_id[page_id][1].page.title for page_id in (*renames, *retirable)}
    order = order_titles(holders, current, renames, creates, retirable)

    parents = space_parents(remote) if order.blocked else {}
    for wanting, holder in order.blocked.items():
        key = by_id[wanting][0] if wanting in by_id else wanting
        create = key in creates
        found.errors.append(
            _blocked(pages[key], holder, remote, by_id, parents, adopt, create=create)
        )

    steps: dict[str, int] = {}
    retitles = found.retitles
    for step in order.steps:
        key, item = by_id[step.page_id]
        done = steps.get(step.page_id, 0)
        steps[step.page_id] = done + 1
        retitles.append(
            Retitle(
                key,
                step.title,
                step.page_id,
                item.page.version + done + 1,
                item.page.parent_id or remote.anchor_id,
                item.page.title,
                temporary=step.temporary,
                orphan=step.retired,
                sha=None if item.edited and step.retired else item.remote_sha,
                trashed=item.page.status == "trashed",
            )
        )
        if key in trashed and key not in {a.key for a in retrash}:  # out of the way, and back
            retrash.append(Trash(key, step.title, step.page_id))
    found.updates = adjusted = list[Action]()
    for action in updates:
        if not isinstance(action, Update) or action.page_id not in steps:
            adjusted.append(action)
            continue
        # Its title (and body) were written by its early rename; what is left is the move.
        if "parent" in action.reasons:
            adjusted.append(Move(action.key, action.title, action.page_id, action.parent))
    return found


def _blocked(
    page: BundlePage,
    holder_id: str,
    remote: RemoteState,
    by_id: Mapping[str, tuple[str, Owned]],
    parents: Mapping[str, str | None],
    adopt: bool,
    *,
    create: bool,
) -> str:
    where = f"Page {page.title!r} ({page.source or page.key})"
    if holder_id in by_id:
        key, _ = by_id[holder_id]
        return (
            f"{where}: the title is held by our page for {key!r} (id {holder_id}), which a "
            "person edited in Confluence and which is therefore left alone; publish with "
            "on_conflict=overwrite, or rename one of them"
        )
    holder = next(p for p in remote.titles.values() if p.id == holder_id) if remote.titles else None
    shown = holder.title if holder is not None else page.title
    who = (
        f"this project ({remote.index.project!r})"
        if holder is not None and foreign_project(holder, remote)
        else "docs-confluence"
    )
    held = (
        f"{where}: space {remote.space.key} already has a page titled {shown!r} "
        f"(id {holder_id}) that {who} does not own"
    )
    fixes = f"Rename one of them, or set {PREFIX_OPTION} so this project's titles are distinct."
    why_not = not_adoptable(holder, remote, parents) if holder is not None else "not found"
    if not create:  # a rename of a page of ours: adopting would not help
        if holder is not None and why_not is not None and foreign_project(holder, remote):
            return f"{held}; {why_not}. {fixes}"  # names the project that holds it
        return f"{held}. {fixes}"
    if why_not is not None:
        verb = "adopt cannot take it over" if adopt else "it cannot be adopted"
        return f"{held}; {verb}: {why_not}. {fixes}"
    return (
        f"{held}. Rename one of them, set {PREFIX_OPTION} so this project's titles are "
        f"distinct, or take the page over with {ADOPT_OPTION}."
    )


#: How the title prefix option is spelled in each front end (messages name them all).
PREFIX_OPTION = (
    "a title prefix (`title_prefix` in mkdocs.yml, `confluence_title_prefix` in conf.py)"
)
#: How the adopt option is spelled in each front end (messages name them all).
ADOPT_OPTION = "adopt (--adopt, `adopt: true` in mkdocs.yml, `confluence_adopt = True` in conf.py)"
