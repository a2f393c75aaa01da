"""find_edits(): the pages of ours people changed in Confluence since our last publish.

Before ``--on-conflict overwrite`` replaces a person's edit, a writer wants to bring it back
into the docs. For each such page this says who saved it, when, where it is, and what they
changed: the body (as a reader sees it, :mod:`docs_confluence.readable`), the title, and the
place in the tree. "What we published" is the version our last write produced, which the
ownership index records; it is read back from the page's history, so the comparison is
between two bodies Confluence stored (its rewriting on save never shows).

Reads: the space, the anchor page, the index, our pages (as a plan does), then for each
changed page its current version and the version we wrote, concurrently.
"""

from __future__ import annotations

import shlex
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import NotFound
from ..readable import ReadableDiff, format_diff, readable_diff
from ..rest.history import read_version
from .connect import target_space
from .ownership import PROPERTY_PREFIX, read_index, read_marker
from .remote import _anchor

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..config import PublisherConfig
    from ..rest.client import ConfluenceClient
    from ..rest.history import PageVersion
    from ..rest.models import RemotePage
    from .ownership import IndexEntry

__all__ = ["EditsReport", "PageEdit", "conflict_hint", "edits_command", "find_edits"]

#: How to replace people's edits, as each front end spells it.
OVERWRITE = (
    "on_conflict overwrite (--on-conflict overwrite, `on_conflict: overwrite` in mkdocs.yml, "
    '`confluence_on_conflict = "overwrite"` in conf.py)'
)


@dataclass(frozen=True, slots=True)
class PageEdit:
    """One page of ours a person changed since our last publish.

    *author*/*when*: who saved the version there now (None for a move, which saves no
    version). *title_change* and *placement*: ``(ours, now)`` when they differ (placement as
    parent page titles).
    """

    key: str
    title: str
    page_id: str
    url: str
    source: str | None
    author: str | None
    when: str | None
    version: int
    published_version: int
    diff: ReadableDiff
    title_change: tuple[str, str] | None = None
    placement: tuple[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "source": self.source,
            "page_id": self.page_id,
            "url": self.url,
            "author": self.author,
            "when": self.when,
            "version": self.version,
            "published_version": self.published_version,
            "title_change": None if self.title_change is None else list(self.title_change),
            "placement": None if self.placement is None else list(self.placement),
            "diff": self.diff.to_json(),
        }

    def lines(self, *, colour: bool = False) -> list[str]:
        """The edit as a reader would like to see it: who, when, where, then what."""
        where = f" ({self.source})" if self.source else ""
        if self.author is not None:
            who = f"edited by {self.author} on {_readable_time(self.when)}"
            versions = f"version {self.version}; we published version {self.published_version}"
        else:
            who, versions = "moved in Confluence", f"version {self.version} is ours"
        out = [f"Page {self.title!r}{where} {who} ({versions})", f"  {self.url}"]
        if self.title_change is not None:
            out.append(f"  title: {self.title_change[0]!r} -> {self.title_change[1]!r}")
        if self.placement is not None:
            ours, now = self.placement
            out.append(f"  moved: from under {ours!r} to under {now!r}")
        out.extend(format_diff(self.diff, colour=colour))
        return out


@dataclass(frozen=True, slots=True)
class EditsReport:
    """Every page of ours people changed since our last publish, in the docs' order."""

    space_key: str
    edits: tuple[PageEdit, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"space": self.space_key, "edits": [edit.to_json() for edit in self.edits]}

    def lines(self, *, colour: bool = False) -> list[str]:
        if not self.edits:
            return [f"No page of ours in space {self.space_key} was changed in Confluence."]
        out: list[str] = []
        for edit in self.edits:
            out.extend([*edit.lines(colour=colour), ""])
        count = len(self.edits)
        out.append(
            f"{count} page{'' if count == 1 else 's'} changed in Confluence since our last "
            f"publish. Bring the changes into the docs, then publish with {OVERWRITE} to "
            "replace them."
        )
        return out


def find_edits(bundle: Bundle, config: PublisherConfig, client: ConfluenceClient) -> EditsReport:
    """The pages of ours whose body, title or place a person changed since our last publish."""
    space = client.get_space(target_space(config, client))
    anchor_id = _anchor(client, space, config.parent_page)
    index = read_index(
        config.project or bundle.project, client.get_properties(anchor_id, PROPERTY_PREFIX)
    )
    pages = {
        page.id: page
        for page in client.get_pages(space, sorted({e.page_id for e in index.entries.values()}))
    }
    wanted = _wanted_parents(bundle, index.entries, anchor_id)
    changed = [
        (key, entry, pages[entry.page_id], _edited(entry, pages[entry.page_id]))
        for key, entry in index.entries.items()
        if entry.page_id in pages and _changed(entry, pages[entry.page_id], pages, wanted.get(key))
    ]
    order = {page.key: number for number, page in enumerate(bundle.pages)}
    changed.sort(key=lambda item: (order.get(item[0], len(order)), item[0]))
    titles = {page.id: page.title for page in pages.values()}
    names: dict[str, str] = {}

    def edit(item: tuple[str, IndexEntry, RemotePage, bool]) -> PageEdit:
        key, entry, page, edited = item
        now = read_version(client, page.id, names=names)
        ours = _our_last(client, entry, now, names) if edited else now
        placed = entry.parent
        moved = placed is not None and page.parent_id not in (placed, wanted.get(key))
        source = bundle.page(key).source if key in bundle else None
        return PageEdit(
            key=key,
            title=now.title,
            page_id=page.id,
            url=client.page_url(page),
            source=source or key,
            author=now.author if edited else None,
            when=now.when if edited else None,
            version=now.number,
            published_version=ours.number if edited else entry.version,
            diff=readable_diff(ours.body, now.body),
            title_change=(ours.title, now.title) if ours.title != now.title else None,
            placement=(
                (_title(client, placed, titles), _title(client, page.parent_id, titles))
                if moved
                else None
            ),
        )

    if len(changed) <= 1 or config.concurrency <= 1:
        edits = [edit(item) for item in changed]
    else:
        workers = min(config.concurrency, len(changed))
        with ThreadPoolExecutor(workers, thread_name_prefix="edits") as pool:
            edits = list(pool.map(edit, changed))
    return EditsReport(space.key, tuple(edits))


def edits_command(bundle_root: str | os.PathLike[str], config: PublisherConfig) -> str:
    """The ``docs-confluence edits`` command line for this bundle and target, to paste."""
    words = ["docs-confluence", "edits", str(bundle_root)]
    for flag, value in (
        ("--url", config.url),
        ("--space", config.space),
        ("--parent", config.parent_page),
        ("--project", config.project),
        ("--deployment", None if config.deployment == "auto" else config.deployment),
    ):
        if value:
            words += [flag, value]
    return shlex.join(words)


def conflict_hint(bundle_root: str | os.PathLike[str], config: PublisherConfig) -> str:
    """Where a writer sees what people changed before choosing to overwrite it."""
    return f"See who changed what, to bring it into the docs: {edits_command(bundle_root, config)}"


def _edited(entry: IndexEntry, page: RemotePage) -> bool:
    """A version newer than ours that carries no marker of ours: a person saved it."""
    return read_marker(page.version_message) is None and page.version != entry.version


#: How many versions back a person's edit is looked through for a newer one of ours than the
#: index names (a run that stopped before its index save wrote it).
_LOOK_BACK = 20


def _our_last(
    client: ConfluenceClient, entry: IndexEntry, now: PageVersion, names: dict[str, str]
) -> PageVersion:
    """The version our last write left: the newest before *now* that carries our marker, or
    the one the index names. They are the same unless a run stopped between a write and its
    index save (the next publish records it); a revert of our last write is then still seen
    as a change to it, never as no change."""
    oldest = max(entry.version, now.number - 1 - _LOOK_BACK)
    for number in range(now.number - 1, oldest, -1):
        version = read_version(client, now.page_id, number, names=names)
        if read_marker(version.message) is not None:
            return version
    return read_version(client, now.page_id, entry.version, names=names)


def _wanted_parents(
    bundle: Bundle, entries: Mapping[str, IndexEntry], anchor_id: str
) -> dict[str, str]:
    """The page id each page of the docs is to sit under, where the index knows it."""
    wanted: dict[str, str] = {}
    for page in bundle.pages:
        parent = entries.get(page.parent) if page.parent is not None else None
        if page.parent is None:
            wanted[page.key] = anchor_id
        elif parent is not None:
            wanted[page.key] = parent.page_id
    return wanted


def _changed(
    entry: IndexEntry,
    page: RemotePage,
    pages: Mapping[str, RemotePage],
    wanted: str | None,
) -> bool:
    if page.status == "trashed":
        return False
    if _edited(entry, page):
        return True
    placed = entry.parent
    if placed is None or page.parent_id in (placed, entry.moved_up_to, wanted):
        return False  # where we placed it, or where the docs want it (ours: a stopped run's)
    # Confluence moves children up when their parent goes to the trash: not a person's move.
    return not (placed in pages and pages[placed].status == "trashed")


def _title(client: ConfluenceClient, page_id: str | None, titles: dict[str, str]) -> str:
    if page_id is None:
        return "the space root"
    if page_id not in titles:
        try:
            titles[page_id] = client.get_page(page_id).title
        except NotFound:
            titles[page_id] = f"page {page_id}"
    return titles[page_id]


def _readable_time(when: str | None) -> str:
    """``2026-12-03T18:44:18.123Z`` as ``2026-12-03 18:44 UTC``."""
    if not when or "T" not in when:
        return when or "an unknown date"
    day, _, time = when.partition("T")
    return f"{day} {time[:5]} UTC"
