"""Whether a page a stopped run created already holds the body this run would write.

A run that died (SIGKILL, a second Ctrl-C, a lost machine) after its creates but before it
recorded them leaves pages whose first version carries no marker (a create takes no version
message). A claim records the sha of the body its create sends, which says it; a claim an
older version wrote does not, and for those the next run reads each page's body here: a page
that holds what the bundle has is recorded as holding it instead of being written again. Confluence
rewrites a body as it saves it (``<b>`` becomes ``<strong>``, macros get ids: confluence-api.md
section 6), so the two are compared with those rewrites undone; any other difference
means the page is written, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from ..errors import StorageError
from ..storage import AC, parse_fragment, serialize_fragment
from .concurrently import map_concurrently
from .ownership import read_marker, short_sha

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..rest.client import ConfluenceClient
    from ..rest.models import RemotePage
    from .ownership import OwnershipIndex

__all__ = ["held_bodies", "same_body"]

#: Elements Confluence renames on save.
_RENAMES = {"b": "strong", "i": "em"}
#: Attributes Confluence adds on save.
_ADDED = frozenset({f"{{{AC}}}macro-id", f"{{{AC}}}local-id", f"{{{AC}}}schema-version"})


def held_bodies(
    client: ConfluenceClient,
    bundle: Bundle,
    index: OwnershipIndex,
    titles: Mapping[str, RemotePage],
    account_id: str | None,
    concurrency: int,
) -> dict[str, str]:
    """By page id, the short sha of the bundle body that a stopped run's unrecorded create
    holds, for each such page that holds its bundle page's body exactly (one read each)."""
    found: list[tuple[RemotePage, str]] = []
    for key, title in index.pending.items():
        page = titles.get(title.casefold())
        if (
            key in index.entries
            or (key in index.claims and index.claims[key].sha is not None)  # it says
            or key not in bundle
            or page is None
            or page.version != 1
            or page.author_id is None
            or page.author_id != account_id
            or read_marker(page.version_message) is not None
        ):
            continue
        found.append((page, key))
    if not found:
        return {}

    def read(item: tuple[RemotePage, str]) -> str | None:
        page, key = item
        stored = client.get_page(page.id, body=True, draft=page.status == "draft").body
        wanted = bundle.page(key)
        if stored is None or not same_body(stored, bundle.read_body(wanted)):
            return None
        return short_sha(wanted.sha256)

    shas = map_concurrently(read, found, concurrency, name="held")
    return {page.id: sha for (page, _), sha in zip(found, shas, strict=True) if sha is not None}


def same_body(stored: str, ours: str) -> bool:
    """Whether *stored* (a body as Confluence returns it) is *ours* as Confluence saved it."""
    if stored == ours:
        return True
    try:
        return _as_saved(stored) == _as_saved(ours)
    except StorageError:
        return False


def _as_saved(body: str) -> str:
    root = parse_fragment(body)
    for node in root.iter(etree.Element):
        if isinstance(node.tag, str) and node.tag in _RENAMES:
            node.tag = _RENAMES[node.tag]
        for name in _ADDED.intersection(node.attrib):
            del node.attrib[name]
    return serialize_fragment(root)
