"""plan(bundle, remote) -> Plan: a pure comparison of what the bundle wants with what is there.

Nothing here talks to Confluence; :mod:`.remote` reads the :class:`RemoteState`
first. Rules:

* A page is ours when the ownership index names it (or it is a create of ours that a crashed
  run never recorded: a pending title, found in the space, that its claim shows is this
  project's and not another's: :mod:`.claims`). One in the trash stays ours: it is
  restored when the docs want it (its key or its title), and left in the trash otherwise.
  Pages we do not own are never changed; a wanted title taken by one of them is an error and
  nothing is written, unless ``adopt`` is on: then a page under the anchor that no other
  docs-confluence project owns is taken over (it keeps its id, history and links), and is ours
  from then on.
* What a page of ours holds is told by the marker in its current version message (written with
  every update) or, for the version we created, by the index. A newer version without our marker
  than the one our last write left (the index records it after every write) was made by a
  person: a conflict, handled by the ``on_conflict`` policy. Where the index lags behind what
  our writes left (a run stopped before its index save), what they left is recorded.
* A new key whose title is held by a page of ours that left the bundle takes that page over
  (a moved or renamed source file keeps its Confluence page).
* A new key that found no page so (nor as a crashed run's create, nor by adopt) takes over a
  page of ours that left the bundle when their contents are alike (:mod:`.similar`: a file
  moved, retitled and edited in one commit keeps its Confluence page); the update says so.
* Titles move freely between our pages: :mod:`.title_moves` orders the renames
  (through a temporary title for a swap) so that none collides, and a page that left the docs
  never blocks a live one: it is trashed first (cleanup) or renamed out of the way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .claims import not_our_create, reader_sha
from .drafts import settle_drafts
from .extras import plan_attachments, plan_labels
from .order import plan_order
from .ownership import Claim, IndexEntry, read_marker, short_sha
from .plan import (
    ADOPT,
    RESTORE,
    Action,
    Conflict,
    Create,
    Keep,
    Move,
    Orphan,
    Plan,
    Retitle,
    Trash,
    Update,
)
from .reorders import find_reorders, ranks
from .similar import pair_similar, shingles
from .title_moves import order_titles

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..bundle import Bundle, BundlePage
    from ..config import ConflictPolicy
    from ..models import RemotePage
    from .remote import RemoteState

__all__ = ["plan"]


@dataclass(slots=True)
class Owned:
    """A page of ours, under the bundle key it serves (or its stale index key)."""

    key: str
    page: RemotePage
    entry: IndexEntry | None
    remote_sha: str | None
    edited: bool
    adopting: bool = False  # a page someone else made, taken over by this publish (adopt)


def plan(
    bundle: Bundle,
    remote: RemoteState,
    *,
    on_conflict: ConflictPolicy = "keep",
    cleanup: bool = False,
    adopt: bool = False,
    draft: bool = False,
) -> Plan:
    """Compare *bundle* with *remote* and list the actions that make Confluence match it.
    With *adopt*, pages under the anchor that hold wanted titles and that no other
    docs-confluence project owns are taken over. With *draft*, new pages are drafts and
    changes to published pages are held back (:mod:`.drafts`)."""
    owned, stale, rekeys, adopted = _match_pages(bundle, remote, adopt=adopt)
    alike = _pair_by_content(bundle, remote, owned, stale, rekeys)
    reordered = find_reorders(owned)  # by a person, among their siblings
    # Pages of ours in the trash that the docs no longer have are left there (still recorded,
    # so the page comes back if the docs want its title again).
    trashed = {key: item for key, item in stale.items() if item.page.status == "trashed"}
    stale = {key: item for key, item in stale.items() if key not in trashed}
    retrash: list[Action] = []
    errors: list[str] = []
    freeing: set[str] = set()  # stale pages to trash first: a page of this publish wants the title
    ids = {key: item.page.id for key, item in owned.items()}

    def parent_id(page: BundlePage) -> str | None:
        return remote.anchor_id if page.parent is None else ids.get(page.parent)

    creates: list[Action] = []
    updates: list[Action] = []
    finals: list[Action] = []
    skipped: set[str] = set()  # left alone: a person changed them
    fixed: set[str] = set()  # placed by a person (moved, archived): never moved by us
    elsewhere: set[str] = set()  # left alone under another parent than the docs say
    moving_in: set[str] = set()
    moved_up: dict[str, str | None] = {}  # pages Confluence moved up, to record before moving
    recorded: dict[str, IndexEntry] = {}  # what our last writes left, where the index is behind
    kept_order: set[str] = set()  # reordered by a person and left so: their rank stays
    # Pages coming back from the trash, with the parent they had: Confluence moved their
    # children up to it when they went.
    restoring = {i.page.id: i.page.parent_id for i in owned.values() if i.page.status == "trashed"}

    def moved_up_by_trash(item: Owned) -> bool:
        """Whether it sits where Confluence put it when the parent we placed it under (and
        perhaps that parent's parents, one after the other) went to the trash; or where an
        earlier run that restored that parent found it, and could not move it back."""
        if item.entry is not None and item.entry.moved_up_to is not None:
            return item.entry.moved_up_to == item.page.parent_id
        step = item.entry.parent if item.entry else None
        seen: set[str] = set()
        while step is not None and step in restoring and step not in seen:
            seen.add(step)
            step = restoring[step]
            if step is None or step == item.page.parent_id:
                return True
        return False

    def leave_alone(
        page: BundlePage,
        item: Owned,
        reason: str,
        *,
        placed_by_person: bool,
        overwrite: bool = True,
    ) -> None:
        finals.append(Conflict(page.key, page.title, item.page.id, reason, overwrite=overwrite))
        skipped.add(page.key)
        if placed_by_person:
            fixed.add(page.key)
        if moved_up_by_trash(item):  # put back where it was; its content stays as it is
            updates.append(Move(page.key, page.title, item.page.id, page.parent))
            moving_in.add(page.key)
            moved_up[page.key] = item.page.parent_id
        elif parent_id(page) != item.page.parent_id:
            elsewhere.add(page.key)

    for page in bundle.pages:
        item = owned.get(page.key)
        if item is None:
            creates.append(Create(page.key, page.title, page.parent))
            continue
        current = item.page
        if current.status == "archived":
            # A person archived it: their decision, whatever on_conflict says. Reported.
            reason = "archived in Confluence; left archived (restore it there to publish it)"
            by_person = not moved_up_by_trash(item)
            leave_alone(page, item, reason, placed_by_person=by_person, overwrite=False)
            continue
        if current.status == "trashed":
            # Someone put it in the trash, but the docs still have it: it comes back, keeping
            # its id, history and links (re-creating it would collide with its reserved title
            # on sites that keep trashed titles reserved).
            restore = [RESTORE]
            if current.title != page.title:
                restore.append("title")
            if parent_id(page) != current.parent_id:
                restore.append("parent")
            moving_in.add(page.key)  # it comes back as its parent's last child
            updates.append(_update(page, current, restore))
            continue
        placed = item.entry.parent if item.entry else None
        trash_moved_it = moved_up_by_trash(item)
        if trash_moved_it:
            moved_up[page.key] = current.parent_id
        # Where the docs want it is ours, whatever the index says: a run that moved it there
        # and stopped before its index save, or another publish of the same docs, put it there.
        wanted = parent_id(page)
        at_wanted = wanted is not None and current.parent_id == wanted
        moved_by_person = (
            placed is not None
            and current.parent_id != placed
            and not trash_moved_it
            and not at_wanted
        )
        settled = _settled(item, None if trash_moved_it or not at_wanted else wanted)
        if settled is not None:
            recorded[page.key] = settled
        reorder = reordered.get(page.key)
        if (item.edited or moved_by_person or reorder) and on_conflict != "overwrite":
            ours = item.entry.version if item.entry else None
            if item.edited and ours is not None and current.version > ours + 1:
                # Versions between may be a run's that stopped before its index save.
                reason = (
                    f"edited in Confluence (version {current.version}) since version {ours}, "
                    "the last the ownership index records as ours"
                )
            elif item.edited:
                reason = (
                    f"edited in Confluence (version {current.version}) since our last publish"
                    f" (version {ours if ours is not None else '?'})"
                )
            elif moved_by_person:
                reason = (
                    f"moved in Confluence (now under page {current.parent_id}, we placed it "
                    f"under page {placed})"
                )
            else:
                reason = reorder or ""
            if reorder:  # left where they put it: its siblings are ordered without it
                elsewhere.add(page.key)
                kept_order.add(page.key)
            if on_conflict == "fail":
                errors.append(
                    f"Page {page.title!r} ({page.source or page.key}, id {current.id}) was "
                    f"{reason}; re-run with on_conflict=overwrite to replace it, or keep to "
                    "leave it"
                )
            leave_alone(page, item, reason, placed_by_person=moved_by_person or bool(reorder))
            continue
        reasons: list[str] = []
        if item.adopting:
            reasons.append(ADOPT)  # written even when it holds our body: it gets our marker
        elif item.edited:
            reasons.append("overwrite edit")
        elif item.remote_sha != short_sha(page.sha256):
            reasons.append("body")
        if current.title != page.title:
            reasons.append("title")
        moved = parent_id(page) != current.parent_id
        if moved:
            moving_in.add(page.key)
        if reasons and page.key in alike:
            reasons.insert(0, alike[page.key])
        if reasons:
            if moved:
                reasons.append("parent")
            updates.append(_update(page, current, reasons))
        elif moved:
            updates.append(Move(page.key, page.title, current.id, page.parent))
        else:
            finals.append(Keep(page.key, page.title, current.id))

    # Pages of ours that left the docs and hold pages that are not ours: trashing one would
    # make Confluence move them up, so it is kept (and reported) whatever cleanup says.
    indexed = {entry.page_id for entry in remote.index.entries.values()}
    strangers = {
        item.page.id: [
            title for child, title in remote.children.get(item.page.id, ()) if child not in indexed
        ]
        for item in stale.values()
    }
    strangers = {page_id: titles for page_id, titles in strangers.items() if titles}
    retitles, updates = _move_titles(
        bundle,
        remote,
        owned,
        stale,
        updates,
        cleanup=cleanup,
        holding=set(strangers),
        adopt=adopt,
        freeing=freeing,
        errors=errors,
        trashed=trashed,
        retrash=retrash,
    )
    reorders = plan_order(bundle, owned, fixed, moving_in, elsewhere)
    extras = plan_attachments(bundle, remote, owned, skipped, on_conflict, errors)
    extras += plan_labels(bundle, owned, skipped)
    # A page that left the docs but holds pages of ours that stay where a person put them is
    # kept: trashing it would make Confluence move them.
    holding = {
        owned[key].page.parent_id for key in skipped if key in owned and key not in moving_in
    }
    removals = _stale_actions(
        stale,
        on_conflict=on_conflict,
        cleanup=cleanup,
        first=freeing,
        holding=holding,
        strangers=strangers,
    )
    actions = settle_drafts(
        (*retitles, *creates, *updates, *reorders, *extras, *removals, *retrash, *finals),
        {key: item.page for key, item in (*owned.items(), *stale.items(), *trashed.items())},
        bundle,
        draft=draft,
    )
    gone = tuple(
        sorted(key for key, e in remote.index.entries.items() if e.page_id not in remote.pages)
    )
    return Plan(
        tuple(actions),
        tuple(errors),
        anchor_id=remote.anchor_id,
        space_key=remote.space.key,
        rekeys=tuple(rekeys),
        adopted=tuple(sorted(adopted.items())),
        moved_up=tuple(sorted((k, v) for k, v in moved_up.items() if v is not None)),
        recorded=tuple(sorted(recorded.items())),
        forgotten=gone,
        order=()
        if draft
        else tuple((k, r) for k, r in ranks(bundle).items() if k not in kept_order),
    )


# -- ownership ----------------------------------------------------------------------------------


def _match_pages(
    bundle: Bundle, remote: RemoteState, *, adopt: bool = False
) -> tuple[dict[str, Owned], dict[str, Owned], list[tuple[str, str]], dict[str, IndexEntry]]:
    """Bundle keys and stale index keys, each with the page of ours it maps to; the index keys
    that pass to a new bundle key (a moved or renamed source file: ``(old, new)``); and the
    entries of pages a crashed run created but never recorded, or that someone else created
    and *adopt* takes over (adopted by this run)."""
    rekeys: list[tuple[str, str]] = []
    adopted: dict[str, IndexEntry] = {}
    parents: dict[str, str | None] | None = None  # of every listed page, when adopt needs them
    index = remote.index
    owned: dict[str, Owned] = {}
    for key, entry in index.entries.items():
        remote_page = remote.pages.get(entry.page_id)
        if remote_page is not None:
            owned[key] = _classify(key, remote_page, entry)
    stale = {key: item for key, item in owned.items() if key not in bundle}
    for key in stale:
        del owned[key]
    claimed = {item.page.id for item in (*owned.values(), *stale.values())}

    def crashed_create(key: str, parent: str | None = None) -> Owned | None:
        """The page a crashed run created for *key* (its pending title, made by us: see
        :mod:`.claims`); *parent*: where this project would put it, when known."""
        pending_title = index.pending.get(key)
        if pending_title is None or remote.titles is None or key in index.entries:
            return None
        found = remote.titles.get(pending_title.casefold())
        if found is None or found.id in claimed:
            return None
        claim = index.claims.get(key, Claim())
        why = not_our_create(
            found,
            claim,
            account_id=remote.account_id,
            seen_sha=remote.claimed_bodies.get(found.id),
            foreign=remote.foreign,
            expected_sha=_claimed_body(bundle, key, claim),
            expected_parent=parent,
        )
        if why is not None:
            return None  # someone else's: the create it wants is then a title conflict
        claimed.add(found.id)
        # At version 1 it holds what the create sent, which the claim names (an older claim
        # names nothing: then what the next run found it holds, :mod:`.held_bodies`).
        held = claim.sha if found.version == 1 and claim.sha else remote.held.get(found.id)
        entry = _adopted_entry(found, held)
        adopted[key] = entry
        return _classify(key, found, entry)

    for page in bundle.pages:
        if page.key in owned:
            continue
        folded = page.title.casefold()
        # A file that moved or was renamed: same title, old key gone from the bundle.
        match = next((k for k, s in stale.items() if s.page.title.casefold() == folded), None)
        if match is not None:
            item = stale.pop(match)
            rekeys.append((match, page.key))
            owned[page.key] = Owned(page.key, item.page, item.entry, item.remote_sha, item.edited)
            continue
        parent = owned.get(page.parent) if page.parent is not None else None
        where = remote.anchor_id if page.parent is None else parent.page.id if parent else None
        found = crashed_create(page.key, where)
        if found is not None:
            owned[page.key] = found
            continue
        held = remote.titles.get(folded) if adopt and remote.titles is not None else None
        if held is None or held.id in claimed:
            continue
        if parents is None:
            parents = _parents(remote)
        if _not_adoptable(held, remote, parents) is None:
            claimed.add(held.id)
            entry = IndexEntry(held.id, None, held.version)
            adopted[page.key] = entry
            owned[page.key] = Owned(page.key, held, entry, None, edited=False, adopting=True)
    # A crashed run's create whose source has left the docs since: ours, and stale.
    for key in sorted(index.pending):
        if key not in bundle:
            found = crashed_create(key)
            if found is not None:
                stale[key] = found
    return owned, stale, rekeys, adopted


def _pair_by_content(
    bundle: Bundle,
    remote: RemoteState,
    owned: dict[str, Owned],
    stale: dict[str, Owned],
    rekeys: list[tuple[str, str]],
) -> dict[str, str]:
    """Pass the pages of ours that left the bundle (whose bodies the loader read) to the new
    keys that found no page, when their contents are alike (:func:`.similar.pair_similar`);
    returns, by new key, what the plan says of it."""
    old = {
        key: shingles(remote.bodies[item.page.id])
        for key, item in stale.items()
        if item.page.id in remote.bodies and item.page.status == "current"
    }
    if not old:
        return {}
    new = {p.key: shingles(bundle.read_body(p)) for p in bundle.pages if p.key not in owned}
    notes: dict[str, str] = {}
    for pairing in pair_similar(new, old):
        item = stale.pop(pairing.old)
        rekeys.append((pairing.old, pairing.new))
        owned[pairing.new] = Owned(pairing.new, item.page, item.entry, item.remote_sha, item.edited)
        notes[pairing.new] = (
            f"moved and renamed from {item.page.title!r} ({pairing.percent}% similar)"
        )
    return notes


def _claimed_body(bundle: Bundle, key: str, claim: Claim) -> str | None:
    """What readers see in the body *claim* names, while the docs still hold that body."""
    if claim.sha is None or key not in bundle:
        return None
    page = bundle.page(key)
    if short_sha(page.sha256) != claim.sha:
        return None
    return reader_sha(bundle.read_body(page))


def _update(page: BundlePage, current: RemotePage, reasons: list[str]) -> Update:
    """The next version of *current*, holding *page*."""
    return Update(
        page.key, page.title, current.id, current.version + 1, page.parent, tuple(reasons)
    )


def _adopted_entry(page: RemotePage, held: str | None = None) -> IndexEntry:
    """What the index would have said of a page we created, had the run recorded it. A later
    version without our marker is a person's edit: the entry then names version 1 (ours).
    *held*: the sha of the body its first version was found to hold (:mod:`.held_bodies`)."""
    written = read_marker(page.version_message) or (held if page.version == 1 else None)
    ours = written is not None or page.version == 1
    return IndexEntry(page.id, written, page.version if ours else 1)


def _settled(item: Owned, wanted: str | None) -> IndexEntry | None:
    """The entry the index should hold for *item* when it lags behind what our last write
    left (None when it does not): the version and body sha of a current version that carries
    our marker, and *wanted*, the parent the docs want and the page sits under (a run that
    stopped before its index save wrote them, or another publish of the same docs did)."""
    entry = item.entry
    if entry is None or item.adopting:
        return None  # one the adopt option takes over is recorded once its update is written
    settled = entry
    written = read_marker(item.page.version_message)
    if written is not None and (entry.sha, entry.version) != (written, item.page.version):
        settled = replace(settled, sha=written, version=item.page.version)
    if wanted is not None and (entry.parent, entry.moved_up_to) != (wanted, None):
        settled = replace(settled, parent=wanted, moved_up_to=None)
    return None if settled == entry else settled


def _classify(key: str, page: RemotePage, entry: IndexEntry) -> Owned:
    written = read_marker(page.version_message)
    if written is not None:
        return Owned(key, page, entry, written, edited=False)
    if page.version == entry.version:
        return Owned(key, page, entry, entry.sha, edited=False)
    return Owned(key, page, entry, entry.sha, edited=True)


def _move_titles(
    bundle: Bundle,
    remote: RemoteState,
    owned: Mapping[str, Owned],
    stale: Mapping[str, Owned],
    updates: list[Action],
    *,
    cleanup: bool,
    holding: set[str],
    adopt: bool,
    freeing: set[str],
    errors: list[str],
    trashed: Mapping[str, Owned],
    retrash: list[Action],
) -> tuple[list[Action], list[Action]]:
    """The renames that must happen before creates and updates so titles can move between our
    pages, and the updates adjusted for them. Titles nothing frees become *errors*; a page of
    ours that left the docs and holds a wanted title is trashed first (cleanup, into *freeing*)
    or renamed out of the way (always, when it is *holding* pages that are not ours). One of
    *trashed* holding a wanted title (sites may keep the
    titles of trashed pages reserved) is renamed out of the way, which brings it back, and put
    back in the trash (into *retrash*)."""
    if remote.titles is None:
        return [], updates  # the loader saw no new title wanted
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

    parents = _parents(remote) if order.blocked else {}
    for wanting, holder in order.blocked.items():
        key = by_id[wanting][0] if wanting in by_id else wanting
        create = key in creates
        errors.append(_blocked(pages[key], holder, remote, by_id, parents, adopt, create=create))

    steps: dict[str, int] = {}
    retitles: list[Action] = []
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
    adjusted: list[Action] = []
    for action in updates:
        if not isinstance(action, Update) or action.page_id not in steps:
            adjusted.append(action)
            continue
        # Its title (and body) were written by its early rename; what is left is the move.
        if "parent" in action.reasons:
            adjusted.append(Move(action.key, action.title, action.page_id, action.parent))
    return retitles, adjusted


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
        if holder is not None and _foreign(holder, remote)
        else "docs-confluence"
    )
    held = (
        f"{where}: space {remote.space.key} already has a page titled {shown!r} "
        f"(id {holder_id}) that {who} does not own"
    )
    fixes = f"Rename one of them, or set {PREFIX_OPTION} so this project's titles are distinct."
    why_not = _not_adoptable(holder, remote, parents) if holder is not None else "not found"
    if not create:  # a rename of a page of ours: adopting would not help
        if holder is not None and why_not is not None and _foreign(holder, remote) is not None:
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


def _not_adoptable(
    page: RemotePage, remote: RemoteState, parents: Mapping[str, str | None]
) -> str | None:
    """Why adopt must not take *page* over, or None when it may."""
    project = _foreign(page, remote)
    if project is not None and page.id not in remote.foreign.ids:
        return (
            f"docs-confluence project {project!r} claims its title (its ownership index on "
            f"page {remote.anchor_id} records it as being created)"
        )
    if project is not None:
        return (
            f"it belongs to docs-confluence project {project!r} (its ownership index on page "
            f"{remote.anchor_id} lists it)"
        )
    if page.status != "current":
        return f"it is {page.status}; restore it in Confluence first"
    if not _under(page, remote.anchor_id, parents):
        return (
            f"it is not under the parent page (id {remote.anchor_id}), and adopt takes over "
            "only pages below it"
        )
    return None


def _foreign(page: RemotePage, remote: RemoteState) -> str | None:
    """The other docs-confluence project whose index on the anchor lists *page*, if any."""
    return remote.foreign.ids.get(page.id) or remote.foreign.pending_titles.get(
        page.title.casefold()
    )


def _parents(remote: RemoteState) -> dict[str, str | None]:
    """The parent of every page the space listing holds, by page id."""
    return {page.id: page.parent_id for page in (remote.titles or {}).values()}


def _under(page: RemotePage, anchor_id: str, parents: Mapping[str, str | None]) -> bool:
    """Whether *page* is a descendant of the anchor page."""
    step, seen = page.parent_id, set[str]()
    while step is not None and step not in seen:
        if step == anchor_id:
            return True
        seen.add(step)
        step = parents.get(step)
    return False


# -- leftovers ------------------------------------------------------------------------------------


def _stale_actions(
    stale: Mapping[str, Owned],
    *,
    on_conflict: ConflictPolicy,
    cleanup: bool,
    first: set[str],
    holding: set[str | None],
    strangers: Mapping[str, Sequence[str]],
) -> list[Action]:
    actions: list[Action] = []
    for key, item in sorted(stale.items()):
        page = item.page
        if not cleanup:
            actions.append(Orphan(key, page.title, page.id))
        elif item.edited and on_conflict != "overwrite":
            actions.append(
                Conflict(key, page.title, page.id, "left the bundle but was edited in Confluence")
            )
        elif page.id in holding:
            reason = "kept: pages a person placed under it would move if it went to the trash"
            actions.append(Orphan(key, page.title, page.id, reason))
        elif page.id in strangers:
            titles = strangers[page.id]
            shown = ", ".join(repr(title) for title in titles[:3])
            more = f" and {len(titles) - 3} more" if len(titles) > 3 else ""
            reason = (
                f"kept: it holds {len(titles)} page(s) that are not ours ({shown}{more}), which "
                "Confluence would move up if it went to the trash; move them, then publish again"
            )
            actions.append(Orphan(key, page.title, page.id, reason))
        else:
            actions.append(Trash(key, page.title, page.id, first=key in first))
    return actions
