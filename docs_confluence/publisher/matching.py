"""Which Confluence page is ours: each page of the docs, and each page of ours that left them,
with the page it maps to (:class:`Matches`), from what :mod:`.remote` read (:class:`RemoteState`).

* The ownership index names a page: ours, under its key; one whose key left the docs is
  *stale* (in the trash: *trashed*, left there unless the docs want it back).
* A new key whose title a stale page of ours holds takes that page over (a moved or renamed
  source file); one that found none so takes over a page of ours that left, when their
  contents are alike (:mod:`.similar`).
* A crashed run's create it never recorded (a pending title, found in the space) is ours when
  its claim shows it is this project's and not another's (:mod:`.claims`).
* With ``adopt``, a page under the anchor holding a wanted title that no other docs-confluence
  project owns is taken over (:func:`not_adoptable` says why one may not be).

Nothing here talks to Confluence; :mod:`.compare` plans from the matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .claims import not_our_create, reader_sha
from .ownership import Claim, ForeignPages, IndexEntry, OwnershipIndex, read_marker, short_sha
from .similar import pair_similar, shingles

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..rest.models import RemoteAttachment, RemotePage, Space

__all__ = [
    "Matches",
    "Owned",
    "RemoteState",
    "foreign_project",
    "match_pages",
    "not_adoptable",
    "space_parents",
]


@dataclass(frozen=True, slots=True)
class RemoteState:
    """What the planner needs to know about Confluence.

    *pages*: by id, the pages the index names (current, archived, trashed, or drafts of ours).
    *titles*: every current/archived page of the space by case-folded title, or None when the
    loader saw no need to list the space (no new titles wanted).
    *account_id*: who we publish as (read only when a crashed run left pending creates).
    *attachments*: by page id, then file name, the current attachments of our pages that carry
    (or are to carry) files of ours; pages not listed were not read.
    *foreign*: the pages other docs-confluence projects' indexes on the anchor list (never
    adopted).
    *bodies*: by page id, the storage bodies of current pages of ours that left the docs, read
    only when pages of the docs found no page by index or title (:mod:`.similar`).
    *claimed_bodies*: by page id, the sha of what readers see in the body of each version-1
    page a pending claim of ours found by its title (the evidence of :mod:`.claims`).
    *held*: by page id, the short sha of the bundle body that a crashed run's unrecorded create
    already holds (:mod:`.held_bodies`): recorded as written, not written again.
    *children*: by page id, the child pages (id, title) of each page of ours that left the
    docs, read only when cleanup would trash them (Confluence moves a trashed page's children
    up, and pages that are not ours must not be moved).
    """

    space: Space
    anchor_id: str
    index: OwnershipIndex
    pages: Mapping[str, RemotePage] = field(default_factory=dict)
    titles: Mapping[str, RemotePage] | None = None
    account_id: str | None = None
    attachments: Mapping[str, Mapping[str, RemoteAttachment]] = field(default_factory=dict)
    foreign: ForeignPages = field(default_factory=ForeignPages)
    bodies: Mapping[str, str] = field(default_factory=dict)
    claimed_bodies: Mapping[str, str | None] = field(default_factory=dict)
    held: Mapping[str, str] = field(default_factory=dict)
    children: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


@dataclass(slots=True)
class Owned:
    """A page of ours, under the bundle key it serves (or its stale index key)."""

    key: str
    page: RemotePage
    entry: IndexEntry | None
    remote_sha: str | None
    edited: bool
    adopting: bool = False  # a page someone else made, taken over by this publish (adopt)


@dataclass(slots=True)
class Matches:
    """Each page of ours, by the key it serves: *owned* by bundle keys; *stale*, pages of ours
    that left the docs (*trashed*: those of them in the trash); *rekeys*, the index keys that
    pass to a new bundle key ``(old, new)``; *adopted*, the entries of pages a crashed run
    created but never recorded, or that *adopt* takes over; *alike*, by new key, what the plan
    says of a page of ours it took over by its content."""

    owned: dict[str, Owned] = field(default_factory=dict)
    stale: dict[str, Owned] = field(default_factory=dict)
    trashed: dict[str, Owned] = field(default_factory=dict)
    rekeys: list[tuple[str, str]] = field(default_factory=list)
    adopted: dict[str, IndexEntry] = field(default_factory=dict)
    alike: dict[str, str] = field(default_factory=dict)


def match_pages(bundle: Bundle, remote: RemoteState, *, adopt: bool = False) -> Matches:
    """Which page of ours each bundle key and each stale index key is."""
    matcher = _Matcher(bundle, remote, adopt=adopt)
    found = matcher.matches
    for page in bundle.pages:
        if page.key not in found.owned:
            matcher.match_new(page.key, page.title, page.parent)
    # A crashed run's create whose source has left the docs since: ours, and stale.
    for key in sorted(remote.index.pending):
        if key not in bundle:
            crashed = matcher.crashed_create(key)
            if crashed is not None:
                found.stale[key] = crashed
    found.alike = _pair_by_content(bundle, remote, found)
    # Pages of ours in the trash that the docs no longer have are left there (still recorded,
    # so the page comes back if the docs want its title again).
    found.trashed = {k: item for k, item in found.stale.items() if item.page.status == "trashed"}
    found.stale = {k: item for k, item in found.stale.items() if k not in found.trashed}
    return found


class _Matcher:
    """The matching of one bundle with one remote state (what is claimed so far)."""

    def __init__(self, bundle: Bundle, remote: RemoteState, *, adopt: bool) -> None:
        self.bundle = bundle
        self.remote = remote
        self.adopt = adopt
        self.matches = found = Matches()
        self.parents: dict[str, str | None] | None = None  # of every listed page, for adopt
        for key, entry in remote.index.entries.items():
            remote_page = remote.pages.get(entry.page_id)
            if remote_page is not None:
                item = _classify(key, remote_page, entry)
                (found.owned if key in bundle else found.stale)[key] = item
        self.claimed = {item.page.id for item in (*found.owned.values(), *found.stale.values())}

    def match_new(self, key: str, title: str, parent_key: str | None) -> None:
        """Find the page of ours for a bundle key the index does not name, if there is one."""
        found, remote = self.matches, self.remote
        folded = title.casefold()
        # A file that moved or was renamed: same title, old key gone from the bundle.
        match = next((k for k, s in found.stale.items() if s.page.title.casefold() == folded), None)
        if match is not None:
            item = found.stale.pop(match)
            found.rekeys.append((match, key))
            found.owned[key] = Owned(key, item.page, item.entry, item.remote_sha, item.edited)
            return
        parent = found.owned.get(parent_key) if parent_key is not None else None
        where = remote.anchor_id if parent_key is None else parent.page.id if parent else None
        crashed = self.crashed_create(key, where)
        if crashed is not None:
            found.owned[key] = crashed
            return
        held = remote.titles.get(folded) if self.adopt and remote.titles is not None else None
        if held is None or held.id in self.claimed:
            return
        if self.parents is None:
            self.parents = space_parents(remote)
        if not_adoptable(held, remote, self.parents) is None:
            self.claimed.add(held.id)
            entry = IndexEntry(held.id, None, held.version)
            found.adopted[key] = entry
            found.owned[key] = Owned(key, held, entry, None, edited=False, adopting=True)

    def crashed_create(self, key: str, parent: str | None = None) -> Owned | None:
        """The page a crashed run created for *key* (its pending title, made by us: see
        :mod:`.claims`); *parent*: where this project would put it, when known."""
        remote, index = self.remote, self.remote.index
        pending_title = index.pending.get(key)
        if pending_title is None or remote.titles is None or key in index.entries:
            return None
        found = remote.titles.get(pending_title.casefold())
        if found is None or found.id in self.claimed:
            return None
        claim = index.claims.get(key, Claim())
        why = not_our_create(
            found,
            claim,
            account_id=remote.account_id,
            seen_sha=remote.claimed_bodies.get(found.id),
            foreign=remote.foreign,
            expected_sha=_claimed_body(self.bundle, key, claim),
            expected_parent=parent,
        )
        if why is not None:
            return None  # someone else's: the create it wants is then a title conflict
        self.claimed.add(found.id)
        # At version 1 it holds what the create sent, which the claim names (an older claim
        # names nothing: then what the next run found it holds, :mod:`.held_bodies`).
        held = claim.sha if found.version == 1 and claim.sha else remote.held.get(found.id)
        entry = _adopted_entry(found, held)
        self.matches.adopted[key] = entry
        return _classify(key, found, entry)


def _pair_by_content(bundle: Bundle, remote: RemoteState, found: Matches) -> dict[str, str]:
    """Pass the pages of ours that left the bundle (whose bodies the loader read) to the new
    keys that found no page, when their contents are alike (:func:`.similar.pair_similar`);
    returns, by new key, what the plan says of it."""
    owned, stale = found.owned, found.stale
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
        found.rekeys.append((pairing.old, pairing.new))
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


def _adopted_entry(page: RemotePage, held: str | None = None) -> IndexEntry:
    """What the index would have said of a page we created, had the run recorded it. A later
    version without our marker is a person's edit: the entry then names version 1 (ours).
    *held*: the sha of the body its first version was found to hold (:mod:`.held_bodies`)."""
    written = read_marker(page.version_message) or (held if page.version == 1 else None)
    ours = written is not None or page.version == 1
    return IndexEntry(page.id, written, page.version if ours else 1)


def _classify(key: str, page: RemotePage, entry: IndexEntry) -> Owned:
    written = read_marker(page.version_message)
    if written is not None:
        return Owned(key, page, entry, written, edited=False)
    if page.version == entry.version:
        return Owned(key, page, entry, entry.sha, edited=False)
    return Owned(key, page, entry, entry.sha, edited=True)


def not_adoptable(
    page: RemotePage, remote: RemoteState, parents: Mapping[str, str | None]
) -> str | None:
    """Why adopt must not take *page* over, or None when it may."""
    project = foreign_project(page, remote)
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


def foreign_project(page: RemotePage, remote: RemoteState) -> str | None:
    """The other docs-confluence project whose index on the anchor lists *page*, if any."""
    return remote.foreign.ids.get(page.id) or remote.foreign.pending_titles.get(
        page.title.casefold()
    )


def space_parents(remote: RemoteState) -> dict[str, str | None]:
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
