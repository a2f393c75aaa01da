"""Comparison(bundle, remote, ...).plan() -> Plan: a pure comparison of what the bundle wants
with what is there (``plan(bundle, remote, ...)`` for short).

Nothing here talks to Confluence; :mod:`.remote` reads the :class:`~.matching.RemoteState`
first, and :mod:`.matching` says which page is ours (the first three rules). Rules:

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
* Titles move freely between our pages (:mod:`.retitles`, :mod:`.title_moves` orders the
  renames, through a temporary title for a swap, so that none collides), and a page that left
  the docs never blocks a live one: it is trashed first (cleanup) or renamed out of the way.
* Siblings are put in the docs' order (:mod:`.order`) unless a person reordered them
  (:mod:`.reorders`); attachments and labels follow the pages (:mod:`.extras`); with ``draft``,
  new pages are drafts (:mod:`.drafts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .drafts import settle_drafts
from .extras import plan_attachments, plan_labels
from .matching import match_pages
from .order import plan_order
from .ownership import IndexEntry, read_marker, short_sha
from .plan import ADOPT, RESTORE, Action, Conflict, Create, Keep, Move, Orphan, Plan, Trash, Update
from .reorders import find_reorders, ranks
from .retitles import plan_retitles

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..bundle import Bundle, BundlePage
    from ..config import ConflictPolicy
    from ..rest.models import RemotePage
    from .matching import Matches, Owned, RemoteState

__all__ = ["Comparison", "plan"]


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
    policy = Policy(on_conflict, cleanup=cleanup, adopt=adopt, draft=draft)
    return Comparison(bundle, remote, policy).plan()


@dataclass(frozen=True, slots=True)
class Policy:
    """The options that change a plan."""

    on_conflict: ConflictPolicy = "keep"
    cleanup: bool = False
    adopt: bool = False
    draft: bool = False


@dataclass
class Comparison:
    """One comparison of a bundle with the remote state: :meth:`plan` goes through the pages
    of the docs once (one method per situation a page of ours is in), collecting what each
    needs in the fields below, then adds what follows from them all: the renames that go first,
    the order of siblings, attachments and labels, and the pages that left the docs."""

    bundle: Bundle
    remote: RemoteState
    policy: Policy = field(default_factory=Policy)
    matches: Matches = field(init=False)
    reordered: Mapping[str, str] = field(init=False)  # by key: how a person reordered it
    #: Pages coming back from the trash, with the parent they had: Confluence moved their
    #: children up to it when they went.
    restoring: dict[str, str | None] = field(init=False)
    creates: list[Action] = field(default_factory=list)
    updates: list[Action] = field(default_factory=list)
    finals: list[Action] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)  # left alone: a person changed them
    fixed: set[str] = field(default_factory=set)  # placed by a person: never moved by us
    elsewhere: set[str] = field(default_factory=set)  # left alone under another parent
    moving_in: set[str] = field(default_factory=set)
    moved_up: dict[str, str | None] = field(default_factory=dict)  # moved up by Confluence
    recorded: dict[str, IndexEntry] = field(default_factory=dict)  # where the index is behind
    kept_order: set[str] = field(default_factory=set)  # reordered by a person: their rank stays

    def __post_init__(self) -> None:
        self.matches = match_pages(self.bundle, self.remote, adopt=self.policy.adopt)
        self.reordered = find_reorders(self.matches.owned)  # by a person, among their siblings
        owned = self.matches.owned.values()
        self.restoring = {i.page.id: i.page.parent_id for i in owned if i.page.status == "trashed"}

    def plan(self) -> Plan:
        """The actions that make Confluence match the bundle (errors: nothing is written); a
        comparison makes its plan once."""
        for page in self.bundle.pages:
            self._compare(page)
        return self._assemble()

    # -- one page of the docs ---------------------------------------------------------------

    def _compare(self, page: BundlePage) -> None:
        item = self.matches.owned.get(page.key)
        if item is None:
            self.creates.append(Create(page.key, page.title, page.parent))
        elif item.page.status == "archived":
            # A person archived it: their decision, whatever on_conflict says. Reported.
            reason = "archived in Confluence; left archived (restore it there to publish it)"
            by_person = not self._moved_up_by_trash(item)
            self._leave_alone(page, item, reason, placed_by_person=by_person, overwrite=False)
        elif item.page.status == "trashed":
            self._restore(page, item.page)
        else:
            self._current(page, item)

    def _restore(self, page: BundlePage, current: RemotePage) -> None:
        """Someone put it in the trash, but the docs still have it: it comes back, keeping its
        id, history and links (re-creating it would collide with its reserved title on sites
        that keep trashed titles reserved)."""
        restore = [RESTORE]
        if current.title != page.title:
            restore.append("title")
        if self._parent_id(page) != current.parent_id:
            restore.append("parent")
        self.moving_in.add(page.key)  # it comes back as its parent's last child
        self.updates.append(_update(page, current, restore))

    def _current(self, page: BundlePage, item: Owned) -> None:
        current = item.page
        placed = item.entry.parent if item.entry else None
        trash_moved_it = self._moved_up_by_trash(item)
        if trash_moved_it:
            self.moved_up[page.key] = current.parent_id
        # Where the docs want it is ours, whatever the index says: a run that moved it there
        # and stopped before its index save, or another publish of the same docs, put it there.
        wanted = self._parent_id(page)
        at_wanted = wanted is not None and current.parent_id == wanted
        moved_by_person = (
            placed is not None
            and current.parent_id != placed
            and not trash_moved_it
            and not at_wanted
        )
        settled = _settled(item, None if trash_moved_it or not at_wanted else wanted)
        if settled is not None:
            self.recorded[page.key] = settled
        reorder = self.reordered.get(page.key)
        if (item.edited or moved_by_person or reorder) and self.policy.on_conflict != "overwrite":
            self._changed_by_person(page, item, moved_by_person=moved_by_person, reorder=reorder)
        else:
            self._write(page, item)

    def _changed_by_person(
        self, page: BundlePage, item: Owned, *, moved_by_person: bool, reorder: str | None
    ) -> None:
        """A page a person edited, moved or reordered: left alone (a conflict)."""
        current = item.page
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
            placed = item.entry.parent if item.entry else None
            reason = (
                f"moved in Confluence (now under page {current.parent_id}, we placed it "
                f"under page {placed})"
            )
        else:
            reason = reorder or ""
        if reorder:  # left where they put it: its siblings are ordered without it
            self.elsewhere.add(page.key)
            self.kept_order.add(page.key)
        if self.policy.on_conflict == "fail":
            self.errors.append(
                f"Page {page.title!r} ({page.source or page.key}, id {current.id}) was "
                f"{reason}; re-run with on_conflict=overwrite to replace it, or keep to "
                "leave it"
            )
        by_person = moved_by_person or bool(reorder)
        self._leave_alone(page, item, reason, placed_by_person=by_person)

    def _write(self, page: BundlePage, item: Owned) -> None:
        """An update, a move, or nothing to do."""
        current = item.page
        reasons: list[str] = []
        if item.adopting:
            reasons.append(ADOPT)  # written even when it holds our body: it gets our marker
        elif item.edited:
            reasons.append("overwrite edit")
        elif item.remote_sha != short_sha(page.sha256):
            reasons.append("body")
        if current.title != page.title:
            reasons.append("title")
        moved = self._parent_id(page) != current.parent_id
        if moved:
            self.moving_in.add(page.key)
        if reasons and page.key in self.matches.alike:
            reasons.insert(0, self.matches.alike[page.key])
        if reasons:
            if moved:
                reasons.append("parent")
            self.updates.append(_update(page, current, reasons))
        elif moved:
            self.updates.append(Move(page.key, page.title, current.id, page.parent))
        else:
            self.finals.append(Keep(page.key, page.title, current.id))

    def _leave_alone(
        self,
        page: BundlePage,
        item: Owned,
        reason: str,
        *,
        placed_by_person: bool,
        overwrite: bool = True,
    ) -> None:
        self.finals.append(
            Conflict(page.key, page.title, item.page.id, reason, overwrite=overwrite)
        )
        self.skipped.add(page.key)
        if placed_by_person:
            self.fixed.add(page.key)
        if self._moved_up_by_trash(item):  # put back where it was; its content stays as it is
            self.updates.append(Move(page.key, page.title, item.page.id, page.parent))
            self.moving_in.add(page.key)
            self.moved_up[page.key] = item.page.parent_id
        elif self._parent_id(page) != item.page.parent_id:
            self.elsewhere.add(page.key)

    def _parent_id(self, page: BundlePage) -> str | None:
        if page.parent is None:
            return self.remote.anchor_id
        parent = self.matches.owned.get(page.parent)
        return parent.page.id if parent is not None else None

    def _moved_up_by_trash(self, item: Owned) -> bool:
        """Whether it sits where Confluence put it when the parent we placed it under (and
        perhaps that parent's parents, one after the other) went to the trash; or where an
        earlier run that restored that parent found it, and could not move it back."""
        if item.entry is not None and item.entry.moved_up_to is not None:
            return item.entry.moved_up_to == item.page.parent_id
        step = item.entry.parent if item.entry else None
        seen: set[str] = set()
        while step is not None and step in self.restoring and step not in seen:
            seen.add(step)
            step = self.restoring[step]
            if step is None or step == item.page.parent_id:
                return True
        return False

    # -- what follows from all pages --------------------------------------------------------

    def _assemble(self) -> Plan:
        bundle, remote, policy, matches = self.bundle, self.remote, self.policy, self.matches
        strangers = self._strangers()
        titles = plan_retitles(
            bundle,
            remote,
            matches,
            self.updates,
            cleanup=policy.cleanup,
            holding=set(strangers),
            adopt=policy.adopt,
        )
        self.errors += titles.errors
        owned = matches.owned
        reorders = plan_order(bundle, owned, self.fixed, self.moving_in, self.elsewhere)
        extras = plan_attachments(
            bundle, remote, owned, self.skipped, policy.on_conflict, self.errors
        )
        extras += plan_labels(bundle, owned, self.skipped)
        # A page that left the docs but holds pages of ours that stay where a person put them is
        # kept: trashing it would make Confluence move them.
        holding = {
            owned[key].page.parent_id
            for key in self.skipped
            if key in owned and key not in self.moving_in
        }
        removals = _stale_actions(
            matches.stale,
            on_conflict=policy.on_conflict,
            cleanup=policy.cleanup,
            first=titles.freeing,
            holding=holding,
            strangers=strangers,
        )
        actions = settle_drafts(
            (
                *titles.retitles,
                *self.creates,
                *titles.updates,
                *reorders,
                *extras,
                *removals,
                *titles.retrash,
                *self.finals,
            ),
            {
                k: i.page
                for k, i in (*owned.items(), *matches.stale.items(), *matches.trashed.items())
            },
            bundle,
            draft=policy.draft,
        )
        return self._plan(tuple(actions))

    def _strangers(self) -> dict[str, list[str]]:
        """Pages of ours that left the docs and hold pages that are not ours, with their titles:
        trashing one would make Confluence move them up, so it is kept (and reported) whatever
        cleanup says."""
        remote = self.remote
        indexed = {entry.page_id for entry in remote.index.entries.values()}
        strangers = {
            item.page.id: [
                title
                for child, title in remote.children.get(item.page.id, ())
                if child not in indexed
            ]
            for item in self.matches.stale.values()
        }
        return {page_id: titles for page_id, titles in strangers.items() if titles}

    def _plan(self, actions: tuple[Action, ...]) -> Plan:
        remote, bundle = self.remote, self.bundle
        gone = sorted(
            key for key, e in remote.index.entries.items() if e.page_id not in remote.pages
        )
        order = (
            ()
            if self.policy.draft
            else tuple((k, r) for k, r in ranks(bundle).items() if k not in self.kept_order)
        )
        return Plan(
            actions,
            tuple(self.errors),
            anchor_id=remote.anchor_id,
            space_key=remote.space.key,
            rekeys=tuple(self.matches.rekeys),
            adopted=tuple(sorted(self.matches.adopted.items())),
            moved_up=tuple(sorted((k, v) for k, v in self.moved_up.items() if v is not None)),
            recorded=tuple(sorted(self.recorded.items())),
            forgotten=tuple(gone),
            order=order,
        )


def _update(page: BundlePage, current: RemotePage, reasons: list[str]) -> Update:
    """The next version of *current*, holding *page*."""
    return Update(
        page.key, page.title, current.id, current.version + 1, page.parent, tuple(reasons)
    )


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
