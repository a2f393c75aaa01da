"""Pages: the tree, versions, title rules, trash and purge, as Confluence enforces them."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final, Literal

from .. import xhtml
from ..errors import DuplicateTitle, InvalidRequest, NotFound, StaleVersion, TooLarge
from .records import VISIBLE, Page, PageStatus, PageVersion
from .state import parent_key

if TYPE_CHECKING:
    from collections.abc import Collection

    from .records import Space
    from .state import State

log = logging.getLogger(__name__)

#: Largest storage body (and create/update request) Confluence accepts, in bytes.
MAX_BODY_BYTES = 5_242_880
MAX_TITLE_LENGTH = 255

MovePosition = Literal["before", "after", "append"]


@dataclass(frozen=True, slots=True)
class TitleRules:
    """What the site does to a title before storing it. The API documents none of these
    (confluence-api.md section 7 says only "any Unicode", 255 long); each is a switch so the
    publisher can be checked under every one. Off: stored exactly as sent."""

    trim: bool = False  # leading and trailing whitespace dropped
    collapse: bool = False  # runs of whitespace stored as one space
    nfc: bool = False  # NFC-normalised

    def stored(self, title: str) -> str:
        """*title* as this site stores it."""
        if self.nfc:
            title = unicodedata.normalize("NFC", title)
        if self.collapse:
            title = re.sub(r"\s+", " ", title)
        return title.strip() if self.trim else title


class _Keep:
    """Marker: leave the parent as it is."""


KEEP: Final = _Keep()


class PageStore:
    """Reads and writes pages. Reached as ``store.pages``."""

    def __init__(
        self,
        state: State,
        *,
        trashed_titles_reserved: bool = False,
        title_rules: TitleRules | None = None,
        v1_update_without_ancestors_to_root: bool = False,
    ) -> None:
        self._state = state
        #: Whether trashed pages keep their titles reserved (Confluence: unconfirmed; off).
        self.trashed_titles_reserved = trashed_titles_reserved
        #: What the site does to titles before storing them (Confluence: unconfirmed; nothing).
        self.title_rules = title_rules or TitleRules()
        #: Whether a v1 update without ``ancestors`` puts the page at the space root, as some
        #: older Data Center servers do (confluence-api.md section 2.3; unconfirmed which).
        #: Off: the page keeps its parent, as v2 documents for an update without ``parentId``.
        self.v1_update_without_ancestors_to_root = v1_update_without_ancestors_to_root

    # -- reads ---------------------------------------------------------------------------------

    def find(self, page_id: str) -> Page | None:
        """The page with this id, whatever its status, or None."""
        return self._state.pages.get(page_id)

    def get(self, page_id: str, statuses: Collection[str] | None = None) -> Page:
        """The page with this id (optionally only in one of ``statuses``); else NotFound."""
        page = self._state.pages.get(page_id)
        if page is None or (statuses is not None and page.status not in statuses):
            raise NotFound(f"No content found with id: {page_id}")
        return page

    def all(
        self, *, space_id: str | None = None, statuses: Collection[str] | None = None
    ) -> list[Page]:
        """Pages ordered by id, optionally of one space and some statuses."""
        with self._state.lock:
            pages = [
                page
                for page in self._state.pages.values()
                if (space_id is None or page.space_id == space_id)
                and (statuses is None or page.status in statuses)
            ]
        return sorted(pages, key=lambda p: int(p.id))

    def titled(self, space_id: str, title: str) -> list[Page]:
        """Pages of a space with exactly this title (case-sensitive), any status."""
        with self._state.lock:
            ids = self._state.titles.get((space_id, title.lower()), set())
            pages = [self._state.pages[i] for i in ids]
        return sorted((p for p in pages if p.title == title), key=lambda p: int(p.id))

    def head(self, page_id: str) -> PageVersion:
        """The current version of a page."""
        with self._state.lock:
            return self._state.versions[self.get(page_id).id][-1]

    def versions(self, page_id: str) -> list[PageVersion]:
        """Every version of a page, oldest first."""
        with self._state.lock:
            return list(self._state.versions[self.get(page_id).id])

    def version(self, page_id: str, number: int) -> PageVersion:
        """One version of a page; NotFound if it does not exist."""
        for version in self.versions(page_id):
            if version.number == number:
                return version
        raise NotFound(f"No version {number} of content with id: {page_id}")

    def children(
        self, page_id: str | None, *, space_id: str = "", statuses: Collection[str] = VISIBLE
    ) -> list[Page]:
        """Children in position order; ``page_id=None`` lists the root of ``space_id``."""
        with self._state.lock:
            ids = self._state.kids.get(parent_key(space_id, page_id), [])
            return [p for p in (self._state.pages[i] for i in ids) if p.status in statuses]

    def ancestors(self, page_id: str) -> list[Page]:
        """The ancestors of a page, root first, direct parent last."""
        with self._state.lock:
            chain: list[Page] = []
            page = self.get(page_id)
            while page.parent_id is not None and page.parent_id in self._state.pages:
                page = self._state.pages[page.parent_id]
                chain.append(page)
            return chain[::-1]

    def descendants(self, page_id: str, depth: int | None = None) -> list[tuple[Page, int]]:
        """Descendants depth-first in position order, each with its depth (children are 1)."""
        found: list[tuple[Page, int]] = []

        def walk(parent: str, level: int) -> None:
            if depth is not None and level > depth:
                return
            for child in self.children(parent):
                found.append((child, level))
                walk(child.id, level + 1)

        with self._state.lock:
            self.get(page_id)
            walk(page_id, 1)
        return found

    # -- writes --------------------------------------------------------------------------------

    def create(
        self,
        space_id: str,
        title: str,
        body: str,
        *,
        author_id: str,
        parent_id: str | None = None,
        status: PageStatus = "current",
        message: str = "",
        minor_edit: bool = False,
    ) -> Page:
        """Create a page as the last child of ``parent_id`` (None: the space root)."""
        state = self._state
        title = self.title_rules.stored(title)
        with state.write():
            space = self._space(space_id)
            if parent_id is not None:
                parent = self.get(parent_id, statuses=("current", "archived", "draft"))
                if parent.space_id != space_id:
                    raise InvalidRequest("The parent page must be in the same space")
            if status != "draft":
                self._check_title(space, title)
            stored = self._normalise(body)
            now = state.now()
            siblings = state.kids.setdefault(parent_key(space_id, parent_id), [])
            position = state.pages[siblings[-1]].position + 1 if siblings else 0
            page = Page(
                id=state.new_id(),
                space_id=space_id,
                parent_id=parent_id,
                title=title,
                status=status,
                position=position,
                created_at=now,
                author_id=author_id,
                version=1,
            )
            state.put_page(page)
            siblings.append(page.id)
            state.add_version(
                page.id, PageVersion(1, title, stored, message, minor_edit, author_id, now)
            )
        log.debug("Created page %s %r in space %s", page.id, title, space.key)
        return page

    def update(
        self,
        page_id: str,
        *,
        version: int | None,
        author_id: str,
        title: str | None = None,
        body: str | None = None,
        parent_id: str | _Keep | None = KEEP,
        status: PageStatus = "current",
        message: str = "",
        minor_edit: bool = False,
    ) -> Page:
        """Save a new version; ``version`` must be the current one plus one.

        A trashed page saved with status ``current`` is restored under its old parent (or the
        homepage, or the root). ``body=None`` keeps the body; ``parent_id`` moves the page.
        """
        state = self._state
        with state.write():
            page = self.get(page_id)
            restoring = page.status == "trashed" and status == "current"
            if page.status == "trashed" and not restoring:
                raise NotFound(f"No content found with id: {page_id}")
            if version is None:
                raise InvalidRequest(
                    "Must supply an incremented version when updating Content. No version supplied."
                )
            if version != page.version + 1:
                raise StaleVersion(page.version, version)
            if status == "draft" and page.status != "draft":
                raise InvalidRequest(_NO_DRAFTS_OF_PUBLISHED)
            space = self._space(page.space_id)
            new_title = page.title if title is None else self.title_rules.stored(title)
            if status != "draft":
                self._check_title(space, new_title, exclude=page.id)
            stored = self.head(page_id).body if body is None else self._normalise(body)
            new_parent = page.parent_id if isinstance(parent_id, _Keep) else parent_id
            moving = new_parent != page.parent_id
            if moving:
                self._check_parent(page, new_parent)
            if restoring:
                page = self._restore(page, space)
            if moving:
                page = self._reparent(page, new_parent)
            now = state.now()
            new_status: PageStatus = "draft" if status == "draft" else page.status
            if page.status == "draft" and status != "draft":
                new_status = "current"
            page = replace(page, title=new_title, version=version, status=new_status)
            state.put_page(page)
            record = PageVersion(version, new_title, stored, message, minor_edit, author_id, now)
            state.add_version(page.id, record)
        log.debug("Updated page %s %r to version %d", page.id, new_title, version)
        return page

    def move(self, page_id: str, position: MovePosition, target_id: str) -> Page:
        """Move a page before/after ``target_id`` or append it as the target's last child."""
        state = self._state
        with state.write():
            page = self.get(page_id, statuses=VISIBLE)
            target = self.get(target_id, statuses=VISIBLE)
            if target.id == page.id:
                raise InvalidRequest("Cannot move a page relative to itself")
            new_parent = target.id if position == "append" else target.parent_id
            self._check_no_cycle(page, new_parent)
            moving = self._subtree_moving_to(page, self._space(target.space_id))
            self._detach(page)
            for moved in moving:
                state.put_page(replace(moved, space_id=target.space_id))
            page = state.pages[page.id]
            siblings = state.kids.setdefault(parent_key(target.space_id, new_parent), [])
            if position == "append":
                index = len(siblings)
            else:
                index = siblings.index(target.id) + (1 if position == "after" else 0)
            siblings.insert(index, page.id)
            state.put_page(replace(page, parent_id=new_parent))
            self._renumber(siblings)
        return state.pages[page_id]

    def trash(self, page_id: str) -> Page:
        """Move a page to the trash; its children take its place under its parent."""
        state = self._state
        with state.write():
            page = self.get(page_id, statuses=(*VISIBLE, "draft"))
            if page.status == "draft":
                self._detach(page)
                self._forget(page)
                return page
            siblings = state.kids.setdefault(parent_key(page.space_id, page.parent_id), [])
            orphans = state.kids.pop(page.id, [])
            index = siblings.index(page.id)
            siblings[index : index + 1] = orphans
            for child_id in orphans:
                state.put_page(replace(state.pages[child_id], parent_id=page.parent_id))
            self._renumber(siblings)
            page = replace(page, status="trashed")
            state.put_page(page)
        log.debug("Trashed page %s %r", page.id, page.title)
        return page

    def purge(self, page_id: str) -> None:
        """Delete a trashed page for good, with its properties, labels and attachments."""
        with self._state.write():
            page = self.get(page_id)
            if page.status != "trashed":
                raise InvalidRequest(f"Content with id {page_id} must be trashed before purging")
            self._forget(page)
        log.debug("Purged page %s %r", page.id, page.title)

    def set_status(self, page_id: str, status: Literal["current", "archived"]) -> Page:
        """Archive a current page or un-archive an archived one (no new version)."""
        with self._state.write():
            page = replace(self.get(page_id, statuses=VISIBLE), status=status)
            self._state.put_page(page)
        return page

    # -- internals -----------------------------------------------------------------------------

    def _space(self, space_id: str) -> Space:
        space = self._state.spaces.get(space_id)
        if space is None:
            raise NotFound(f"No space with id: {space_id}")
        return space

    def _normalise(self, body: str) -> str:
        if len(body.encode()) > MAX_BODY_BYTES:
            raise TooLarge(f"The request body exceeds the limit of {MAX_BODY_BYTES} bytes")
        return xhtml.normalise(body)

    def _check_title(self, space: Space, title: str, *, exclude: str | None = None) -> None:
        if not title.strip():
            raise InvalidRequest("Title cannot be empty")
        if len(title) > MAX_TITLE_LENGTH:
            raise InvalidRequest(f"Title cannot be longer than {MAX_TITLE_LENGTH} characters")
        reserved = {*VISIBLE, "trashed"} if self.trashed_titles_reserved else set(VISIBLE)
        for other_id in self._state.titles.get((space.id, title.lower()), set()):
            if other_id != exclude and self._state.pages[other_id].status in reserved:
                raise DuplicateTitle(title, space.key)

    def _check_no_cycle(self, page: Page, new_parent: str | None) -> None:
        cursor = new_parent
        while cursor is not None:
            if cursor == page.id:
                raise InvalidRequest("Cannot move a page to be a descendant of itself")
            cursor = self._state.pages[cursor].parent_id

    def _detach(self, page: Page) -> None:
        """Take a page out of its parent's children, closing the gap in positions."""
        siblings = self._state.kids.get(parent_key(page.space_id, page.parent_id), [])
        if page.id in siblings:
            siblings.remove(page.id)
            self._renumber(siblings)

    def _renumber(self, siblings: list[str]) -> None:
        for position, sibling_id in enumerate(siblings):
            sibling = self._state.pages[sibling_id]
            if sibling.position != position:
                self._state.put_page(replace(sibling, position=position))

    def _check_parent(self, page: Page, parent_id: str | None) -> None:
        if parent_id is not None:
            parent = self.get(parent_id, statuses=VISIBLE)
            if parent.space_id != page.space_id:
                raise InvalidRequest("Cannot move a page to another space with this request")
        self._check_no_cycle(page, parent_id)

    def _reparent(self, page: Page, parent_id: str | None) -> Page:
        self._detach(page)
        siblings = self._state.kids.setdefault(parent_key(page.space_id, parent_id), [])
        position = self._state.pages[siblings[-1]].position + 1 if siblings else 0
        siblings.append(page.id)
        page = replace(page, parent_id=parent_id, position=position)
        self._state.put_page(page)
        return page

    def _restore(self, page: Page, space: Space) -> Page:
        parent_id = None
        for candidate in (page.parent_id, space.homepage_id):
            found = self._state.pages.get(candidate) if candidate else None
            if found is not None and found.status in VISIBLE and found.space_id == space.id:
                parent_id = found.id
                break
        siblings = self._state.kids.setdefault(parent_key(page.space_id, parent_id), [])
        position = self._state.pages[siblings[-1]].position + 1 if siblings else 0
        siblings.append(page.id)
        return replace(page, status="current", parent_id=parent_id, position=position)

    def _subtree_moving_to(self, page: Page, space: Space) -> list[Page]:
        """The pages that change space when ``page`` moves into ``space`` (checked titles)."""
        if page.space_id == space.id:
            return []
        moving = [page, *(p for p, _ in self.descendants(page.id))]
        ids = {p.id for p in moving}
        for moved in moving:
            clash = self._state.titles.get((space.id, moved.title.lower()), set()) - ids
            if any(self._state.pages[i].status in VISIBLE for i in clash):
                raise DuplicateTitle(moved.title, space.key)
        return moving

    def _forget(self, page: Page) -> None:
        state = self._state
        state.drop_page(page)
        for prop_id in state.property_keys.pop(page.id, {}).values():
            del state.properties[prop_id]
            state.touch("property", prop_id)
        if state.page_labels.pop(page.id, None) is not None:
            state.touch("page_labels", page.id)
        for attachment in [a for a in state.attachments.values() if a.page_id == page.id]:
            del state.attachments[attachment.id]
            state.touch("attachment", attachment.id)
            for version in state.attachment_versions.pop(attachment.id, []):
                state.touch("attachment_version", f"{attachment.id}/{version.number}")


#: Confluence keeps a published page as it is and saves such a write as the page's draft (shared
#: with the people editing it); the sandbox does not model that, and says so rather than
#: pretending (docs/drafts.md).
_NO_DRAFTS_OF_PUBLISHED = (
    "The sandbox does not model drafts of published pages: save the page with status current"
)
