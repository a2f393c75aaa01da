"""The attachments of our pages: read cheaply for the whole space, confirmed page by page where
the plan depends on them.

People replace, rename and delete the files we uploaded; the next publish must see it (every
upload of ours carries ``docs-confluence <sha>`` as its comment). Listing each page's
attachments costs one request per page that carries files: 2000 requests for 20000 pages with a
file on every tenth. Instead one CQL search lists every attachment of the space: ``ceil(A /
1000)`` requests on Data Center, ``ceil(A / 250)`` on Cloud. The search index is eventually
consistent, so it is trusted only to say that nothing changed: a page whose files, as searched,
are exactly what our index recorded and what the docs still want needs no action. Every other
page (the docs changed a file, the search shows a file missing or carrying someone else's
comment, or a file the docs now want is not ours yet) is listed directly before it is planned,
so no write ever rests on the search. A change the index has not caught up with yet is seen by
the next publish.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .concurrently import map_concurrently
from .ownership import read_upload_comment, short_sha

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..rest.client import ConfluenceClient
    from ..rest.models import RemoteAttachment, RemotePage, Space
    from .ownership import IndexEntry, OwnershipIndex

__all__ = ["read_attachments"]

#: Up to this many pages with files, each is listed directly (no more requests than a search).
LIST_EACH_UP_TO = 2

Listing = dict[str, "RemoteAttachment"]


def read_attachments(
    client: ConfluenceClient,
    space: Space,
    bundle: Bundle,
    index: OwnershipIndex,
    pages: Mapping[str, RemotePage],
    concurrency: int,
) -> dict[str, Listing]:
    """By page id, then file name: the current attachments of our current pages that carry
    (or are to carry) files of ours."""
    carrying: dict[str, tuple[str, IndexEntry]] = {
        entry.page_id: (key, entry)
        for key, entry in index.entries.items()
        if (entry.attachments or (key in bundle and bundle.page(key).attachments))
        and entry.page_id in pages
        and pages[entry.page_id].status == "current"
    }
    if not carrying:
        return {}
    ids = sorted(carrying)
    if len(ids) <= LIST_EACH_UP_TO:
        return _list_each(client, ids, concurrency)
    searched: dict[str, Listing] = {}
    for page_id, attachment in client.list_space_attachments(space):
        if page_id in carrying:
            searched.setdefault(page_id, {})[attachment.filename] = attachment
    doubtful = [
        page_id
        for page_id in ids
        if not _settled(bundle, *carrying[page_id], searched.get(page_id, {}))
    ]
    found = {page_id: searched.get(page_id, {}) for page_id in ids}
    found.update(_list_each(client, doubtful, concurrency))
    return found


def _settled(bundle: Bundle, key: str, entry: IndexEntry, searched: Listing) -> bool:
    """Whether the page's files need no action: the docs want exactly the files the index
    recorded, and the search shows each of them holding what we uploaded."""
    recorded = {name: sha for name, (_, sha) in entry.attachments.items()}
    if key in bundle:
        wanted = {a.filename: short_sha(a.sha256) for a in bundle.page(key).attachments}
        if wanted != recorded:
            return False
    for name, sha in recorded.items():
        there = searched.get(name)
        if there is None or read_upload_comment(there.comment) != sha:
            return False
    return True


def _list_each(client: ConfluenceClient, ids: list[str], concurrency: int) -> dict[str, Listing]:
    """Each page's own attachment listing (authoritative), read concurrently."""

    def listing(page_id: str) -> tuple[str, Listing]:
        return page_id, {a.filename: a for a in client.list_attachments(page_id)}

    return dict(map_concurrently(listing, ids, concurrency))
