"""Creating pages: titles claimed first, then every page as soon as its parent exists, up to
the in-flight limit at once; then the few siblings that arrived out of order are moved into
place (:func:`.order.settle_order`). A create whose answer was lost is found out, never resent
blindly.

Confluence appends a new page as its parent's last child and takes no position on create, so
pages of one parent created side by side land in whatever order their requests finish. How many
of one parent go at once is learnt from where they land (:mod:`.siblings`): one at first, more
while they keep landing in order, never more than the connections can use (with as many
parents as connections, one each: the order comes out right and nothing is moved). The answers
say where each page landed; a site that does not say gets one page per parent at a time. A run
that dies between the creates and the moves leaves pages out of order under their parent, which
the next run's plan puts right like any other sibling order.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import (
    APIError,
    AuthError,
    ConfluencePublisherError,
    Interrupted,
    NetworkError,
    OutcomeUnknown,
    PublishError,
)
from .claims import not_our_create, reader_sha
from .logs import log
from .order import Placement, settle_order
from .ownership import (
    PROPERTY_PREFIX,
    Claim,
    ForeignPages,
    IndexEntry,
    read_foreign,
    short_sha,
)
from .plan import page_name
from .retitles import PREFIX_OPTION
from .siblings import Spread, create_tree

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Sequence

    from ..bundle import Bundle
    from ..interrupts import Interrupt
    from ..rest.client import ConfluenceClient
    from ..rest.models import RemotePage
    from .apply_result import ApplyResult
    from .index_writer import IndexWriter
    from .matching import RemoteState
    from .plan import Action, Create, Plan

__all__ = ["CreateRun", "Creates"]

_CREATE_ATTEMPTS = 3


class CreateRun(Protocol):
    """What the creates need of the run they are part of (:class:`.apply.Run`)."""

    client: ConfluenceClient
    bundle: Bundle
    state: RemoteState
    plan: Plan
    concurrency: int
    writer: IndexWriter
    result: ApplyResult
    interrupt: Interrupt
    lock: threading.Lock
    ids: dict[str, str]
    unreachable: str

    def done(self, action: Action, message: str, *args: object) -> None: ...
    def failed(self, action: Action, error: Exception) -> None: ...
    def skipped(self, action: Action) -> None: ...
    def page_named(self, key: str, title: str) -> str: ...
    def parent_id(self, parent: str | None) -> str | None: ...
    def guard(self, action: Action, work: Callable[[Any], None]) -> None: ...


class Creates:
    """The creates of one run."""

    def __init__(self, run: CreateRun) -> None:
        self.run = run
        self._me: str | None = None
        #: Where each page created by this run landed among its siblings (None: not said).
        self.positions: dict[str, int | None] = {}
        #: Whether the site says where a new page landed (unknown until the first create).
        self.positions_told: bool | None = None
        #: How many pages of one parent go side by side: learnt from where they land.
        self.spread = Spread(run.concurrency)

    def create_all(self, creates: Sequence[Create]) -> None:
        if not creates:
            return
        self.run.writer.expect({c.key: c.title for c in creates}, self._claims(creates))
        try:
            self.run.result.index_writes += self.run.writer.flush()
        except Interrupted:  # no title claimed, so nothing may be created
            for create in creates:
                self.run.skipped(create)
            return
        orphans = create_tree(
            creates,
            self._landed,
            concurrency=self.run.concurrency,
            spread=self.spread,
            exists=lambda parent: parent is None or parent in self.run.ids,
            ordered=lambda: bool(self.positions_told),
        )
        for create in orphans:
            if self.run.interrupt.is_set():
                self.run.skipped(create)
                continue
            self.run.failed(
                create, PublishError(f"{page_name(create)}: its parent was not created")
            )
        if self.run.interrupt.is_set():
            return  # the next run's plan puts them in order
        groups: dict[str | None, list[Create]] = {}
        for create in creates:
            groups.setdefault(create.parent, []).append(create)
        self.settle(list(groups.values()))

    def _claims(self, creates: Sequence[Create]) -> dict[str, Claim]:
        """The evidence recorded with each title claimed: the parent (when it exists already)
        and the sha of the body (the bundle's: nothing to compute)."""
        return {
            create.key: Claim(
                self.run.parent_id(create.parent),
                short_sha(self.run.bundle.page(create.key).sha256),
            )
            for create in creates
        }

    def _landed(self, action: Create) -> tuple[bool, int | None]:
        """Create *action*'s page (failures recorded): whether it exists now, and where it
        landed when the site says."""
        self.run.guard(action, self.create)
        return action.key in self.run.ids, self.positions.get(action.key)

    def settle(self, groups: list[list[Create]]) -> None:
        """Move the new pages that arrived out of order among themselves; the plan's own moves
        (which order them among the pages already there) count on their being in order."""
        chains: list[tuple[list[Placement], dict[str, Create]]] = []
        for group in groups:
            # Drafts are in no tree: they are never moved (they take their place when published).
            created = {c.key: c for c in group if c.key in self.run.ids and not c.draft}
            known = {key: self.positions.get(key) for key in created}
            if len(created) < 2 or None in known.values():
                continue
            ids = self.run.ids  # ties (none expected) by id, as numbers
            landed = sorted(known, key=lambda key: (known[key] or 0, len(ids[key]), ids[key]))
            chains.extend((chain, created) for chain in settle_order(landed, list(created)))
        if not chains:
            return
        moves = sum(len(chain) for chain, _ in chains)
        log.info("Putting %d new page(s) in order among their siblings", moves)
        if len(chains) == 1:
            self._place(chains[0])
            return
        with ThreadPoolExecutor(self.run.concurrency, thread_name_prefix="order") as pool:
            list(pool.map(self._place, chains))

    def _place(self, item: tuple[list[Placement], dict[str, Create]]) -> None:
        chain, creates = item
        for placement in chain:
            if self.run.unreachable or self.run.interrupt.is_set():
                return  # the next run's plan puts them in order
            create = creates[placement.key]
            try:
                self.run.client.move_page(
                    self.run.ids[placement.key],
                    placement.where,
                    self.run.ids[placement.anchor],
                    title=create.title,
                )
            except ConfluencePublisherError as exc:
                if isinstance(exc, NetworkError):
                    self.run.unreachable = "Confluence could not be reached"
                elif isinstance(exc, AuthError):
                    self.run.unreachable = "the credentials stopped working"
                with self.run.lock:
                    self.run.result.failed.append(
                        (create, f"{page_name(create)}: created, but not put in order: {exc}")
                    )
                log.error("%s: created, but not put in order: %s", page_name(create), exc)
                return  # the rest of the chain leans on this one; the next run orders them

    def create(self, action: Create) -> None:
        page = self.run.bundle.page(action.key)
        parent_id = self.run.parent_id(action.parent)
        assert parent_id is not None
        body = self.run.bundle.read_body(page)
        created = None
        doubt = ""
        claim: Claim | None = None  # the evidence, worked out only when a page holds the title
        for attempt in range(_CREATE_ATTEMPTS):
            if attempt:
                self.run.interrupt.check(f"create {page.title!r} again")
            try:
                created = self.run.client.create_page(
                    self.run.state.space, page.title, parent_id, body, draft=action.draft
                )
                break
            except OutcomeUnknown as exc:
                doubt = str(exc)
                taken = False  # it may have been created: look before trying again
            except APIError as exc:
                if not _title_taken(exc):
                    raise
                taken = True
            # The pending claim on this title stays in the index whatever happens here, so a
            # page created by an attempt whose answer never came is recognised next run.
            claim = claim or Claim(parent_id, short_sha(page.sha256))
            try:
                created = self._own_create(action, page.title, claim, body)
            except PublishError:
                if not doubt:  # no attempt of ours can have made it: the claim is not ours
                    self.run.writer.unclaim(action.key)
                raise
            if created is not None:
                log.info("Create of %r got no clear answer; the page is there, adopted", page.title)
                break
            if taken:
                raise PublishError(
                    f"{page_name(action)}: Confluence says the title is in use, but no current "
                    "page has it; an archived page, or one in the trash, may hold it"
                )
        if created is None:
            raise PublishError(
                f"{page_name(action)}: not created after {_CREATE_ATTEMPTS} attempts ({doubt}); "
                "its title stays claimed, so the next run finishes it"
            )
        with self.run.lock:
            self.run.ids[action.key] = created.id
            self.positions[action.key] = created.position
            if self.positions_told is None and not action.draft:
                self.positions_told = created.position is not None
        sha = short_sha(page.sha256) if created.version == 1 else None
        entry = IndexEntry(created.id, sha, created.version, parent=parent_id)
        self.run.writer.record(action.key, entry)
        self.run.done(
            action,
            "Created %s as %s %s",
            self.run.page_named(page.key, page.title),
            "draft" if action.draft else "page",
            created.id,
        )

    def _own_create(self, action: Create, title: str, claim: Claim, body: str) -> RemotePage | None:
        """The page titled *title* if it is this project's create (one whose answer was lost,
        or a concurrent publish of the same docs: :func:`.claims.not_our_create`), else None
        when the title is free; raises a title conflict when another's page holds it.

        Telling costs two reads, only when a page holds the title: its body, and the other
        projects' indexes on the anchor (one may have recorded the page since this run read
        them)."""
        space = self.run.state.space
        if action.draft:  # a draft holds no title: look among our drafts
            drafts = self.run.client.list_drafts(space)
            found = next((d for d in drafts if d.title.casefold() == title.casefold()), None)
        else:
            found = self.run.client.find_page_by_title(space, title)
        if found is None:
            return None
        me = self.me()
        seen: str | None = None
        foreign = ForeignPages()
        if found.author_id == me and found.version == 1:  # perhaps ours: read the evidence
            read = self.run.client.get_page(found.id, body=True, draft=action.draft)
            seen = reader_sha(read.body or "")
            anchor = self.run.plan.anchor_id
            properties = self.run.client.get_properties(anchor, PROPERTY_PREFIX)
            foreign = read_foreign(self.run.state.index.project, properties)
        why = not_our_create(
            found,
            claim,
            account_id=me,
            seen_sha=seen,
            foreign=foreign,
            expected_sha=reader_sha(body) if seen is not None else None,
            just_created=True,
        )
        if why is None:
            return found
        if action.draft:
            return None  # drafts hold no title: another's draft is no conflict, create ours
        raise PublishError(
            f"{page_name(action)}: title conflict: page {found.id} ({found.title!r}) holds the "
            f"title, and project {self.run.state.index.project!r} did not create it ({why}); "
            f"left it alone and created nothing. Rename one of them, or set {PREFIX_OPTION} so "
            "this project's titles are distinct."
        )

    def me(self) -> str:
        """The account id we publish as (asked once, only when needed)."""
        if self._me is None:
            self._me = self.run.client.current_user().account_id
        return self._me


def _title_taken(error: APIError) -> bool:
    """Whether Confluence refused a create because the title is in use."""
    return error.status == 400 and "already exists" in str(error)
