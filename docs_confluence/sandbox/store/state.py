"""The sandbox's in-memory state, its indexes and its write transactions.

Every record lives in one dict per kind. Two indexes keep lookups linear in the result, not in
the site, so a 1000-page publish stays fast: ``titles`` maps (space id, lower-cased title) to page
ids, and ``kids`` maps a parent (a page id, or ``root:<space id>``) to its non-trashed children in
position order. Writers wrap their changes in `State.write()`, which holds the lock and, at the
end, hands the records they `touch`\\ ed to the journal (if the store is file-backed).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from .records import timestamp

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .records import (
        Attachment,
        AttachmentVersion,
        Label,
        Page,
        PageVersion,
        Property,
        Space,
        User,
    )

#: Where numeric ids start (spaces, pages, properties, labels and attachments share them).
FIRST_ID = 98304


class Journal(Protocol):
    """Where `State.write` sends the records it changed."""

    def save(self, state: State, changed: set[tuple[str, str]]) -> None:
        """Persist the current value (or the absence) of each changed (kind, key)."""


def parent_key(space_id: str, parent_id: str | None) -> str:
    """The `State.kids` key for a parent; the space root has its own key."""
    return parent_id if parent_id is not None else f"root:{space_id}"


class State:
    """All records of one sandbox site, guarded by one re-entrant lock."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.lock = threading.RLock()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.next_id = FIRST_ID
        self.users: dict[str, User] = {}
        self.bearer: dict[str, str] = {}
        self.spaces: dict[str, Space] = {}
        self.pages: dict[str, Page] = {}
        self.versions: dict[str, list[PageVersion]] = {}
        self.properties: dict[str, Property] = {}
        self.labels: dict[str, Label] = {}
        self.page_labels: dict[str, list[str]] = {}
        self.attachments: dict[str, Attachment] = {}
        self.attachment_versions: dict[str, list[AttachmentVersion]] = {}
        # Indexes, rebuilt by `reindex` after loading.
        self.titles: dict[tuple[str, str], set[str]] = {}
        self.kids: dict[str, list[str]] = {}
        self.property_keys: dict[str, dict[str, str]] = {}
        self.label_ids: dict[tuple[str, str], str] = {}
        self.journal: Journal | None = None
        self._changed: set[tuple[str, str]] = set()
        self._depth = 0

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[None]:
        """Hold the lock; when the outermost write ends, journal what was touched."""
        with self.lock:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._changed:
                    changed, self._changed = self._changed, set()
                    if self.journal is not None:
                        self.journal.save(self, changed)

    def touch(self, kind: str, key: str) -> None:
        """Mark a record as changed (or removed) in the current write."""
        self._changed.add((kind, key))

    def new_id(self) -> str:
        """The next numeric id, as a string."""
        value = self.next_id
        self.next_id += 1
        self.touch("meta", "next_id")
        return str(value)

    def now(self) -> str:
        """The current time, Confluence-formatted."""
        return timestamp(self.clock())

    # -- pages and their indexes --------------------------------------------------------------

    def put_page(self, page: Page) -> None:
        """Store a page record, keeping the title index in step."""
        old = self.pages.get(page.id)
        if old is not None and (old.space_id, old.title.lower()) != (
            page.space_id,
            page.title.lower(),
        ):
            self._unindex_title(old)
        self.pages[page.id] = page
        self.titles.setdefault((page.space_id, page.title.lower()), set()).add(page.id)
        self.touch("page", page.id)

    def drop_page(self, page: Page) -> None:
        """Remove a page record and its versions (the caller detaches it from `kids`)."""
        self._unindex_title(page)
        del self.pages[page.id]
        self.touch("page", page.id)
        for version in self.versions.pop(page.id, []):
            self.touch("version", f"{page.id}/{version.number}")

    def _unindex_title(self, page: Page) -> None:
        key = (page.space_id, page.title.lower())
        ids = self.titles.get(key)
        if ids is not None:
            ids.discard(page.id)
            if not ids:
                del self.titles[key]

    def add_version(self, page_id: str, version: PageVersion) -> None:
        """Append a version to a page's history."""
        self.versions.setdefault(page_id, []).append(version)
        self.touch("version", f"{page_id}/{version.number}")

    def reindex(self) -> None:
        """Rebuild every index from the records (after loading a file)."""
        self.titles.clear()
        self.kids.clear()
        self.property_keys.clear()
        self.label_ids.clear()
        for page in sorted(self.pages.values(), key=lambda p: (p.position, int(p.id))):
            self.titles.setdefault((page.space_id, page.title.lower()), set()).add(page.id)
            if page.status != "trashed":
                self.kids.setdefault(parent_key(page.space_id, page.parent_id), []).append(page.id)
        for prop in self.properties.values():
            self.property_keys.setdefault(prop.page_id, {})[prop.key] = prop.id
        for label in self.labels.values():
            self.label_ids[(label.prefix, label.name)] = label.id
        for history in self.versions.values():
            history.sort(key=lambda v: v.number)
        for files in self.attachment_versions.values():
            files.sort(key=lambda v: v.number)
