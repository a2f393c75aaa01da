"""apply(plan): carry out a plan against Confluence, concurrently, parents before children.

Order: record the titles about to be created (so a crash is healed), create pages level by level
(siblings in order, different parents in parallel), write updates and moves, fix sibling order,
upload attachments and labels, trash what left the bundle, and save the ownership index. One
action failing does not stop independent ones; every failure is reported and the index keeps
what did happen, so the next run picks up exactly where this one stopped.

An interrupt (Ctrl-C, SIGTERM: :mod:`docs_confluence.interrupts`) stops it the same way: no
action starts after it (each is checked as it comes up, and listed as not attempted), the ones
in flight finish and are recorded, and the index is saved.
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import (
    AuthError,
    ConfluencePublisherError,
    Interrupted,
    NetworkError,
    OutcomeUnknown,
    PublishError,
    VersionConflict,
)
from .apply_result import ApplyResult, IndexSave
from .creates import Creates
from .drafts import publish_levels
from .index_writer import IndexWriter
from .logs import log
from .ownership import IndexEntry, marker, read_marker, short_sha, upload_comment
from .plan import (
    ADOPT,
    PUBLISH,
    Action,
    Create,
    Move,
    Relabel,
    RemoveAttachment,
    Reorder,
    Retitle,
    Trash,
    Update,
    Upload,
    label_changes,
    named,
    page_name,
    page_titles,
)
from .reorders import forget_order, record_order

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..bundle import Bundle
    from ..rest.client import ConfluenceClient
    from ..rest.models import RemotePage
    from .plan import Plan
    from .remote import Snapshot

__all__ = ["apply"]


class Run:
    """One application of a plan: its state, bookkeeping and the steps that write."""

    def __init__(
        self,
        client: ConfluenceClient,
        bundle: Bundle,
        snapshot: Snapshot,
        plan: Plan,
        concurrency: int,
    ) -> None:
        self.client = client
        self.interrupt = client.sender.interrupt
        self.bundle = bundle
        self.state = snapshot.state
        self.plan = plan
        self.concurrency = concurrency
        self.writer = IndexWriter(client, plan.anchor_id, snapshot.state.index, snapshot.properties)
        self.result = ApplyResult()
        self.unreachable = ""
        self.lock = threading.Lock()
        self.ids: dict[str, str] = {}
        self.titles = page_titles(plan)
        self.total = sum(1 for action in plan.actions if action.writes)
        self.count = 0
        for action in plan.actions:
            page_id = getattr(action, "page_id", None)
            if page_id is not None:
                self.ids[action.key] = page_id
        for key in plan.forgotten:
            self.writer.forget(key)
        for old, new in plan.rekeys:
            self.writer.rekey(old, new)
        # A page taken over with the adopt option becomes ours once its update is written.
        adopting = {a.key for a in plan.actions if isinstance(a, Update) and ADOPT in a.reasons}
        for key, entry in plan.adopted:
            if key not in adopting:
                self.writer.record(key, entry)
        for key, entry in plan.recorded:
            self.writer.record(key, entry)
        for key, where in plan.moved_up:
            self.writer.amend(key, functools.partial(replace, moved_up_to=where))

    # -- bookkeeping ------------------------------------------------------------------------

    def done(self, action: Action, message: str, *args: object) -> None:
        """Record *action* as done and log it as one progress line (``[12/80] Updated…``)."""
        with self.lock:
            self.result.done.append(action)
            self.count += 1
            log.info("[%d/%d] " + message, self.count, self.total, *args)

    def failed(self, action: Action, error: Exception) -> None:
        with self.lock:
            self.result.failed.append((action, str(error)))
            self.count += 1
            log.error("[%d/%d] %s", self.count, self.total, error)

    def skipped(self, action: Action) -> None:
        """Record *action* as not attempted: the run was interrupted before it started."""
        with self.lock:
            self.result.skipped.append(action)

    def page_named(self, key: str, title: str) -> str:
        """How progress lines name a page: its title, and its source file when the bundle
        says (``'Install' (guide/install.md)``); never an internal key."""
        source = self.bundle.page(key).source if key in self.bundle else None
        return f"{title!r} ({source})" if source else repr(title)

    def parent_id(self, parent: str | None) -> str | None:
        return self.plan.anchor_id if parent is None else self.ids.get(parent)

    def run_all(self, actions: Iterable[Action], work: Callable[[Any], None]) -> None:
        batch = list(actions)
        if len(batch) <= 1 or self.concurrency == 1:
            for action in batch:
                self.guard(action, work)
            return
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="publish") as pool:
            list(pool.map(lambda action: self.guard(action, work), batch))

    def guard(self, action: Action, work: Callable[[Any], None]) -> None:
        """Run *work* for *action*; a failure is recorded, and a lost network stops the rest,
        as does an interrupt."""
        if self.interrupt.is_set():
            self.skipped(action)
            return
        if self.unreachable:
            self.failed(
                action, PublishError(f"{page_name(action)}: not attempted, {self.unreachable}")
            )
            return
        try:
            work(action)
        except Interrupted:
            self.skipped(action)  # a retry it needed was not sent
        except OutcomeUnknown as exc:
            self.failed(action, exc)  # this one action is in doubt; the next run resolves it
        except NetworkError as exc:
            self.unreachable = "Confluence could not be reached"
            self.failed(action, exc)
        except AuthError as exc:
            self.unreachable = "the credentials stopped working"
            self.failed(action, exc)
        except ConfluencePublisherError as exc:
            self.failed(action, exc)

    # -- updates, moves, order --------------------------------------------------------------

    def update(self, action: Action) -> None:
        if isinstance(action, Move):
            parent_id = self.parent_id(action.parent)
            assert parent_id is not None
            self.client.move_page(action.page_id, "append", parent_id, title=action.title)
            self.placed(action.key, parent_id)
            self.done(
                action,
                "Moved %s under %s",
                self.page_named(action.key, action.title),
                named(action.parent, self.titles),
            )
            return
        assert isinstance(action, Update)
        page = self.bundle.page(action.key)
        parent_id = self.parent_id(action.parent)
        assert parent_id is not None
        sha = short_sha(page.sha256)
        try:
            written = self.client.update_page(
                self.state.space,
                action.page_id,
                title=page.title,
                parent_id=parent_id,
                body=self.bundle.read_body(page),
                version=action.version,
                message=marker(page.sha256),
                draft=action.draft,
                # In place: a person's move made since we read it stays. Drafts name their
                # parent: whether saving one keeps it is not documented.
                move=action.places or action.draft or PUBLISH in action.reasons,
            )
        except VersionConflict:
            written = self._already_written(action, sha)
        self._adopt(action.key, action.page_id, sha=sha, version=written.version)
        self.wrote(action.key, sha, written.version)
        self.placed(action.key, parent_id)
        self.done(
            action,
            "Updated %s%s: %s; now version %d",
            self.page_named(page.key, page.title),
            " (a draft)" if action.draft else "",
            ", ".join(action.reasons),
            written.version,
        )

    def placed(self, key: str, parent_id: str) -> None:
        """Remember where we put the page, so a person moving it is seen as an edit."""
        self.writer.amend(
            key,
            lambda e: (
                e
                if e.parent == parent_id and e.moved_up_to is None
                else replace(e, parent=parent_id, moved_up_to=None)
            ),
        )

    def wrote(self, key: str, sha: str, version: int) -> None:
        """Remember the version our write left and the body it holds: a person's later
        version (an edit, or a revert of this one) is compared with it."""
        self.writer.amend(
            key,
            lambda e: (
                e if (e.sha, e.version) == (sha, version) else replace(e, sha=sha, version=version)
            ),
        )

    def _already_written(self, action: Update, sha: str) -> RemotePage:
        current = self.client.get_page(action.page_id, draft=action.draft)
        landed = current.version >= action.version and current.title == action.title
        if landed and read_marker(current.version_message) == sha:
            return current  # our earlier attempt landed; its answer was lost
        raise VersionConflict(
            f"Page {action.title!r} (id {action.page_id}) changed in Confluence while we were "
            "publishing; left as it is. Run again to re-plan.",
            status=409,
            method="PUT",
            url=action.page_id,
        )

    def _adopt(self, key: str, page_id: str, *, sha: str, version: int) -> None:
        """Record a page adopted (a crashed run's create, or one the adopt option takes over),
        once we have written it."""
        entry = self.writer.entry(key)
        if entry is None or entry.page_id != page_id:
            self.writer.record(key, IndexEntry(page_id, sha, version))

    def retitle(self, action: Retitle) -> None:
        """Rename a page ahead of the rest (see :mod:`.title_moves`). A page of
        the docs gets its new body with it; a retired page keeps the body it has."""
        if action.orphan:
            retired = self.client.get_page(
                action.page_id, body=True, trashed=action.trashed, draft=action.draft
            )
            body = retired.body or ""
            sha = action.sha
        else:
            page = self.bundle.page(action.key)
            body = self.bundle.read_body(page)
            sha = short_sha(page.sha256)
        message = marker(sha) if sha else _RETIRED_MESSAGE
        try:
            written = self.client.update_page(
                self.state.space,
                action.page_id,
                title=action.title,
                parent_id=action.parent_id or self.plan.anchor_id,
                body=body,
                version=action.version,
                message=message,
                draft=action.draft,
                move=action.draft,  # a rename moves nothing (a draft names its parent)
            )
        except VersionConflict:
            current = self.client.get_page(action.page_id, draft=action.draft)
            if not (current.version == action.version and current.title == action.title):
                raise
            written = current  # an earlier attempt landed; its answer was lost
        entry = self.writer.entry(action.key)
        if entry is not None and entry.page_id == action.page_id:
            new_sha = sha if sha else entry.sha
            self.writer.amend(
                action.key, lambda e: replace(e, sha=new_sha, version=written.version)
            )
        elif not action.orphan and sha:
            self.writer.record(action.key, IndexEntry(action.page_id, sha, written.version))
        how = " for now" if action.temporary else ": it left the docs" if action.orphan else ""
        self.done(action, "Renamed %r to %r%s", action.previous, action.title, how)

    def save_index(self) -> None:
        """Write what the run did into the index; waited for even after an interrupt."""
        try:
            with self.interrupt.finishing():
                self.result.index_writes += self.writer.flush()
        except ConfluencePublisherError as exc:
            log.error("Could not save the ownership index: %s", exc)
            with self.lock:
                self.result.failed.append((IndexSave(), f"saving the ownership index: {exc}"))

    def reorder(self, action: Reorder) -> None:
        page_id = self.ids.get(action.key)
        sibling_id = self.ids.get(action.sibling)
        if page_id is None or sibling_id is None:
            raise PublishError(
                f"{page_name(action)}: not placed, a page it is ordered by is missing"
            )
        self.client.move_page(page_id, action.where, sibling_id, title=action.title)
        self.done(
            action,
            "Placed %r %s %s",
            action.title,
            action.where,
            named(action.sibling, self.titles),
        )

    # -- attachments, labels, trash ---------------------------------------------------------

    def extra(self, action: Action) -> None:
        if isinstance(action, Upload):
            self.upload(action)
        elif isinstance(action, RemoveAttachment):
            self.client.delete_attachment(action.attachment_id, filename=action.filename)
            self.writer.amend(
                action.key,
                lambda e: replace(
                    e, attachments={k: v for k, v in e.attachments.items() if k != action.filename}
                ),
            )
            self.done(
                action,
                "Removed attachment %r from %s",
                action.filename,
                self.page_named(action.key, action.title),
            )
        elif isinstance(action, Relabel):
            page_id = self.ids[action.key]
            self.client.add_labels(page_id, action.add)
            for label in action.remove:
                self.client.remove_label(page_id, label)
            labels = tuple(self.bundle.page(action.key).labels)
            self.writer.amend(action.key, lambda e: replace(e, labels=labels))
            self.done(
                action,
                "Changed %s: %s",
                self.page_named(action.key, action.title),
                label_changes(action),
            )
        elif isinstance(action, Trash):
            self.client.trash_page(action.page_id, title=action.title, draft=action.draft)
            # Still ours while it is in the trash: if the docs want its title again, it is
            # restored rather than colliding with it.
            self.done(action, "Moved %s to the trash", self.page_named(action.key, action.title))

    def upload(self, action: Upload) -> None:
        page = self.bundle.page(action.key)
        attachment = next(a for a in page.attachments if a.filename == action.filename)
        sha = short_sha(attachment.sha256)
        uploaded = self.client.upload_attachment(
            self.ids[action.key],
            attachment.filename,
            self.bundle.attachment_file(attachment),
            attachment.media_type,
            upload_comment(attachment.sha256),
            page_title=page.title,
        )
        files = {attachment.filename: (uploaded.id, sha)}
        self.writer.amend(action.key, lambda e: replace(e, attachments={**e.attachments, **files}))
        self.done(
            action,
            "Uploaded %r to %s",
            attachment.filename,
            self.page_named(page.key, page.title),
        )


def apply(
    plan: Plan,
    bundle: Bundle,
    snapshot: Snapshot,
    client: ConfluenceClient,
    *,
    concurrency: int = 4,
) -> ApplyResult:
    """Carry out *plan*. Raises :class:`PublishError` (writing nothing) when the plan has
    errors; otherwise returns what was done and what failed."""
    if plan.errors:
        raise PublishError("Nothing was published:\n  " + "\n  ".join(plan.errors))
    run = Run(client, bundle, snapshot, plan, concurrency)
    actions = plan.actions
    # Known before a restore that might not finish, and before our pages change order.
    if forget_order(run.writer, actions, bundle) or plan.moved_up:
        run.save_index()
    run.run_all([a for a in actions if isinstance(a, Trash) and a.first], run.extra)
    # Titles moving between our pages: one by one, in the order planned, so none collides.
    for action in actions:
        if isinstance(action, Retitle):
            run.guard(action, run.retitle)
    Creates(run).create_all([a for a in actions if isinstance(a, Create)])
    # Pages that change parent go one by one in tree order (parents first), so a hierarchy can
    # be turned around without a move into its own descendant, and siblings arrive in order.
    for action in actions:
        if isinstance(action, Move) or (isinstance(action, Update) and action.places):
            run.guard(action, run.update)
    for level in publish_levels(actions, bundle):  # drafts of ours, published parents first
        run.run_all(level, run.update)
    in_place = [a for a in actions if isinstance(a, Update) and not (a.places or a.publishes)]
    run.run_all(in_place, run.update)
    reorders = [a for a in actions if isinstance(a, Reorder)]
    if not reorders:  # the pages are in the docs' order now: the ranks go with this save
        record_order(run.writer, plan.order, run.result.failed, index_writes=0)
    run.save_index()
    for action in reorders:
        run.guard(action, run.reorder)
    extras = [a for a in actions if isinstance(a, Upload | RemoveAttachment | Relabel)]
    run.run_all([a for a in extras if a.key in run.ids], run.extra)
    run.run_all([a for a in actions if isinstance(a, Trash) and not a.first], run.extra)
    if reorders:
        record_order(run.writer, plan.order, run.result.failed, index_writes=1)
    run.save_index()
    run.result.ids = dict(run.ids)
    run.result.total = run.total
    run.result.interrupted = run.interrupt.signal
    return run.result


_RETIRED_MESSAGE = "Renamed by docs-confluence: no longer in the docs"
