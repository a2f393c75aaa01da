"""Creating pages: titles claimed first, then level by level (siblings in order, different
parents in parallel); a create whose answer was lost is found out, never resent blindly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from ..errors import APIError, OutcomeUnknown, PublishError
from .logs import log
from .ownership import IndexEntry, short_sha
from .plan import page_name

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..models import RemotePage
    from .apply import Run
    from .plan import Create

__all__ = ["Creates"]


_CREATE_ATTEMPTS = 3


class Creates:
    """The creates of one run."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self._me: str | None = None

    def create_all(self, creates: Sequence[Create]) -> None:
        if not creates:
            return
        self.run.writer.expect({c.key: c.title for c in creates})
        self.run.result.index_writes += self.run.writer.flush()
        waiting = list(creates)
        while waiting:
            ready = [c for c in waiting if c.parent is None or c.parent in self.run.ids]
            if not ready:
                for create in waiting:
                    self.run.failed(
                        create, PublishError(f"{page_name(create)}: its parent was not created")
                    )
                return
            groups: dict[str | None, list[Create]] = {}
            for create in ready:
                groups.setdefault(create.parent, []).append(create)
            self.run_groups(list(groups.values()))
            done = {c.key for c in ready}
            waiting = [c for c in waiting if c.key not in done]

    def run_groups(self, groups: list[list[Create]]) -> None:
        def one_group(group: list[Create]) -> None:
            for create in group:
                self.run.guard(create, self.create)

        if len(groups) == 1 or self.run.concurrency == 1:
            for group in groups:
                one_group(group)
            return
        with ThreadPoolExecutor(self.run.concurrency, thread_name_prefix="create") as pool:
            list(pool.map(one_group, groups))

    def create(self, action: Create) -> None:
        page = self.run.bundle.page(action.key)
        parent_id = self.run.parent_id(action.parent)
        assert parent_id is not None
        body = self.run.bundle.read_body(page)
        created = None
        doubt = ""
        for _ in range(_CREATE_ATTEMPTS):
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
            created = self._own_create(action, page.title)
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

    def _own_create(self, action: Create, title: str) -> RemotePage | None:
        """The page titled *title* if this account created it and nobody changed it since (our
        create whose answer was lost, or a concurrent publish of the same docs), else None when
        the title is free; raises when someone else's page holds it."""
        space = self.run.state.space
        if action.draft:  # a draft holds no title: look among our drafts
            drafts = self.run.client.list_drafts(space)
            found = next((d for d in drafts if d.title.casefold() == title.casefold()), None)
            ours = found is not None and found.version == 1 and found.author_id == self.me()
            return found if ours else None
        found = self.run.client.find_page_by_title(space, title)
        if found is None:
            return None
        if found.version == 1 and found.author_id is not None and found.author_id == self.me():
            return found
        raise PublishError(
            f"{page_name(action)}: the title is taken by page {found.id} ({found.title!r}), which "
            "this publish did not create; left it alone"
        )

    def me(self) -> str:
        """The account id we publish as (asked once, only when needed)."""
        if self._me is None:
            self._me = self.run.client.current_user().account_id
        return self._me


def _title_taken(error: APIError) -> bool:
    """Whether Confluence refused a create because the title is in use."""
    return error.status == 400 and "already exists" in str(error)
