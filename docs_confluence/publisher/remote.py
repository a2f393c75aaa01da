"""Reading what the planner needs from Confluence, in as few requests as possible: the
:class:`~.matching.RemoteState`.

For N pages of ours on Cloud: the space (1), the parent page when one is configured (1), the
ownership index (1), our pages by id (ceil(N / 250)), plus our drafts (in no v2 listing: a v1
listing of the account's drafts when there are several, else one read each); the space's page
list only when a title is wanted that no page of ours has yet (a create or a rename), and then,
when a wanted title is held by a page not ours, every project's index again (1) and the body of
each page a crashed run of ours may have created (:mod:`.claims`); and, when
pages of ours carry attachments, one search of the space's attachments (ceil(A / 250)) plus one
listing per page whose files the plan depends on (:mod:`.remote_attachments`); and, only when a
page of the docs is new (no index entry, no page of ours with its title) while a page of ours
left the docs (its title wanted by none), the body of each such page that left (one read each),
to find a page moved and renamed at once by its content (:mod:`.similar`). On Data Center our
pages come from the space's page list (ceil(pages in the space / 200)). After a run that
died, one read per page it created but never recorded (:mod:`.held_bodies`).
When the anchor holds no index of ours while pages with our top titles sit under another page,
a few more reads find out whether the index (or the pages) moved away from the anchor
(:mod:`.index_elsewhere`: a space whose homepage was changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ConfigError, NotFound
from .claims import reader_sha
from .concurrently import map_concurrently
from .held_bodies import held_bodies
from .index_elsewhere import check_index_elsewhere
from .logs import log
from .matching import RemoteState
from .ownership import PROPERTY_PREFIX, ForeignPages, OwnershipIndex, read_foreign, read_index
from .remote_attachments import read_attachments

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..rest.client import ConfluenceClient
    from ..rest.models import RemotePage, RemoteProperty, Space

__all__ = ["OurPages", "Snapshot", "load_remote", "read_our_pages"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The remote state plus the raw index properties (the index writer starts from them)."""

    state: RemoteState
    properties: Mapping[str, RemoteProperty]


@dataclass(frozen=True, slots=True)
class OurPages:
    """What :func:`load_remote` reads before it needs the bundle: the space, the anchor page,
    every project's index (on the anchor) and the pages our index names, by id; with the
    arguments they were read for."""

    space_key: str
    parent_page: str | None
    project: str
    space: Space
    anchor_id: str
    properties: Mapping[str, RemoteProperty]
    index: OwnershipIndex
    foreign: ForeignPages
    ids: list[str]
    pages: dict[str, RemotePage]


def read_our_pages(
    client: ConfluenceClient,
    *,
    space_key: str,
    parent_page: str | None,
    project: str,
    concurrency: int = 4,
) -> OurPages:
    """Read the space, the anchor page, our index and our pages (the bundle is not needed)."""
    space = client.get_space(space_key)
    anchor_id = _anchor(client, space, parent_page)
    # Every project's index in one listing: ours, and the pages other projects own.
    properties = client.get_properties(anchor_id, PROPERTY_PREFIX)
    index = read_index(project, properties)
    foreign = read_foreign(project, properties)
    ids = sorted({entry.page_id for entry in index.entries.values()})
    pages = {page.id: page for page in client.get_pages(space, ids)}
    missing = [page_id for page_id in ids if page_id not in pages]
    if missing and client.cloud:  # drafts of ours are in no v2 listing
        pages.update(_our_drafts(client, space, missing, concurrency))
    return OurPages(
        space_key, parent_page, project, space, anchor_id, properties, index, foreign, ids, pages
    )


def load_remote(
    client: ConfluenceClient,
    bundle: Bundle,
    *,
    space_key: str,
    parent_page: str | None,
    project: str,
    concurrency: int = 4,
    ours: OurPages | None = None,
    cleanup: bool = False,
) -> Snapshot:
    """Read the space, the anchor page, our index and our pages (unless *ours* holds them,
    read for the same arguments), then what the bundle's pages need; with *cleanup*, the
    children of our pages that left the docs (one listing each)."""
    if ours is None or (ours.space_key, ours.parent_page, ours.project) != (
        space_key,
        parent_page,
        project,
    ):
        ours = read_our_pages(
            client,
            space_key=space_key,
            parent_page=parent_page,
            project=project,
            concurrency=concurrency,
        )
    space, anchor_id, properties = ours.space, ours.anchor_id, ours.properties
    index, foreign, ids = ours.index, ours.foreign, ours.ids
    pages = dict(ours.pages)
    titles: dict[str, RemotePage] | None = None
    if _needs_titles(bundle, index, pages):
        titles = {}
        for page in client.list_space_pages(space):
            titles.setdefault(page.title.casefold(), page)
        if index.pending and client.cloud:
            _add_pending_drafts(client, space, index, titles)
        if not index.entries and not index.pending:  # a first publish, or a moved anchor?
            check_index_elsewhere(
                client,
                bundle,
                space=space,
                anchor_id=anchor_id,
                parent_page=parent_page,
                project=project,
                titles=titles,
            )
    # A crashed run's creates are adopted only if this account made them.
    account_id = client.current_user().account_id if index.pending and titles else None
    claimed: dict[str, str | None] = {}
    if titles and _held_by_others(bundle, index, pages, titles):
        # Another project may have claimed or recorded a page we found after our first read of
        # the indexes (its claim comes before its create): read them again.
        foreign = read_foreign(project, client.get_properties(anchor_id, PROPERTY_PREFIX))
        claimed = _claimed_bodies(client, index, titles, account_id, foreign, concurrency)
    held = held_bodies(client, bundle, index, titles or {}, account_id, concurrency)
    attachments = read_attachments(client, space, bundle, index, pages, concurrency)
    bodies = _left_bodies(client, bundle, index, pages, concurrency)
    children = _children_of_leaving(client, bundle, index, pages, concurrency) if cleanup else {}
    log.info("Space %s: %d of our pages found (index lists %d)", space.key, len(pages), len(ids))
    state = RemoteState(
        space,
        anchor_id,
        index,
        pages,
        titles,
        account_id,
        attachments,
        foreign,
        bodies=bodies,
        claimed_bodies=claimed,
        held=held,
        children=children,
    )
    return Snapshot(state, properties)


def _left_bodies(
    client: ConfluenceClient,
    bundle: Bundle,
    index: OwnershipIndex,
    pages: Mapping[str, RemotePage],
    concurrency: int,
) -> dict[str, str]:
    """By page id, the bodies of the current pages of ours that left the docs and whose titles
    no new page wants, when some new page wants a title no such page has (one read each)."""
    left = {
        entry.page_id: pages[entry.page_id]
        for key, entry in index.entries.items()
        if key not in bundle and entry.page_id in pages and pages[entry.page_id].status == "current"
    }
    if not left:
        return {}
    new = {page.title.casefold() for page in bundle.pages if page.key not in index.entries}
    held = {page.title.casefold() for page in left.values()}
    if not new - held:
        return {}
    ids = sorted(page_id for page_id, page in left.items() if page.title.casefold() not in new)

    def body(page_id: str) -> str | None:
        try:
            return client.get_page(page_id, body=True).body
        except NotFound:  # gone since it was listed: nothing to pair it with
            return None

    read = map_concurrently(body, ids, concurrency)
    return {page_id: text for page_id, text in zip(ids, read, strict=True) if text is not None}


def _held_by_others(
    bundle: Bundle,
    index: OwnershipIndex,
    pages: Mapping[str, RemotePage],
    titles: Mapping[str, RemotePage],
) -> bool:
    """Whether a title this project wants (a create, a rename, a pending claim) is held by a
    page its index does not name: one that may be a crashed run's create, or adopted, or
    another project's."""
    wanted = [*index.pending.values(), *(page.title for page in bundle.pages)]
    return any(
        (held := titles.get(title.casefold())) is not None and held.id not in pages
        for title in wanted
    )


def _claimed_bodies(
    client: ConfluenceClient,
    index: OwnershipIndex,
    titles: Mapping[str, RemotePage],
    account_id: str | None,
    foreign: ForeignPages,
    concurrency: int,
) -> dict[str, str | None]:
    """What readers see in the version-1 pages this account made that hold the titles of our
    pending claims (one read each, only for such pages: a run that died after its creates)."""
    found = {
        held.id: held
        for key, title in index.pending.items()
        if key in index.claims and key not in index.entries
        if (held := titles.get(title.casefold())) is not None
        and held.version == 1
        and held.author_id is not None
        and held.author_id == account_id
        and held.id not in foreign.ids
    }

    def read(page: RemotePage) -> str | None:
        return reader_sha(
            client.get_page(page.id, body=True, draft=page.status == "draft").body or ""
        )

    shas = map_concurrently(read, list(found.values()), concurrency)
    return dict(zip(found, shas, strict=True))


#: Up to this many missing pages are read one by one; more, and our drafts are listed first.
_READ_ONE_BY_ONE = 3


def _our_drafts(
    client: ConfluenceClient, space: Space, ids: list[str], concurrency: int
) -> dict[str, RemotePage]:
    """Our drafts among *ids* (pages of ours the listing by id did not return), by id.

    v2 lists no drafts; v1 lists the account's drafts of a space, so several are found in
    ``ceil(drafts / 100)`` requests. Each id it did not return (a page purged, or a draft the
    listing left out) is then read on its own, once."""
    found: dict[str, RemotePage] = {}
    if len(ids) > _READ_ONE_BY_ONE:
        wanted = set(ids)
        listed = client.list_drafts(space)
        found = {p.id: p for p in listed if p.id in wanted and p.status == "draft"}
    rest = [page_id for page_id in ids if page_id not in found]
    found.update((page.id, page) for page in _drafts(client, rest, concurrency))
    return found


def _drafts(client: ConfluenceClient, ids: list[str], concurrency: int) -> list[RemotePage]:
    """Our drafts among *ids*, read concurrently (one request each)."""
    found = map_concurrently(lambda page_id: client.get_drafts([page_id]), ids, concurrency)
    return [page for pages in found for page in pages]


def _add_pending_drafts(
    client: ConfluenceClient, space: Space, index: OwnershipIndex, titles: dict[str, RemotePage]
) -> None:
    """A crashed run's creates may be drafts (the draft option), which hold no title and are in
    no page listing: our drafts whose titles are pending join *titles*, to be adopted."""
    pending = {title.casefold() for title in index.pending.values()}
    for page in client.list_drafts(space):
        folded = page.title.casefold()
        if folded in pending:
            titles.setdefault(folded, page)


def _anchor(client: ConfluenceClient, space: Space, parent_page: str | None) -> str:
    if parent_page is None:
        if space.homepage_id is None:
            raise ConfigError(
                f"Space {space.key} has no homepage to publish under; set parent_page "
                "(CONFLUENCE_PARENT) to a page id or title"
            )
        return space.homepage_id
    if parent_page.isdigit():
        try:
            return client.get_page(parent_page).id
        except NotFound:
            raise ConfigError(
                f"parent_page {parent_page}: no page with this id in space {space.key}; "
                "use the id from the page's URL, or its exact title"
            ) from None
    found = client.find_page_by_title(space, parent_page)
    if found is None:
        raise ConfigError(
            f"parent_page {parent_page!r}: no page with this exact title in space {space.key}; "
            "create it first, or use its page id"
        )
    return found.id


def _needs_titles(bundle: Bundle, index: OwnershipIndex, pages: Mapping[str, RemotePage]) -> bool:
    if any(key not in bundle and key not in index.entries for key in index.pending):
        return True  # a crashed run's create whose source left the docs: find it by title
    for page in bundle.pages:
        entry = index.entries.get(page.key)
        remote = pages.get(entry.page_id) if entry else None
        if remote is None or remote.title != page.title:
            return True
    return False


def _children_of_leaving(
    client: ConfluenceClient,
    bundle: Bundle,
    index: OwnershipIndex,
    pages: Mapping[str, RemotePage],
    concurrency: int,
) -> dict[str, tuple[tuple[str, str], ...]]:
    """The child pages of each page of ours that left the docs and is still in the tree (the
    ones cleanup would trash): one listing each, none when no page left the docs."""
    leaving = sorted(
        {
            entry.page_id
            for key, entry in index.entries.items()
            if key not in bundle
            and entry.page_id in pages
            and pages[entry.page_id].status in ("current", "archived")
        }
    )
    found = map_concurrently(
        lambda page_id: tuple(client.list_children(page_id)), leaving, concurrency
    )
    return {page_id: kids for page_id, kids in zip(leaving, found, strict=True) if kids}
