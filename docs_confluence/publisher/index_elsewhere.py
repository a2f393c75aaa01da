"""When the anchor page holds no index of ours but our pages are plainly elsewhere.

A space admin who makes another page the space's homepage moves the anchor of every project
that publishes without a parent page: the index (content properties on the old homepage) stays
behind, and every page of ours would be "not owned". So, when the anchor holds no index of this
project and pages with the titles of the docs' top pages exist under another page, that page's
properties are read (one request each, at most a few): if our index is there, or (anchor = the
homepage) this account last saved those pages (or they carry our publish marker) and their
parent holds no index at all, the run stops with a message that says where the pages and the
index are and what to set. Nothing is read when the anchor has an index of ours, or no page
holds a top page's title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ConfigError, ConfluencePublisherError
from .ownership import PROPERTY_PREFIX, read_index, read_marker

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..rest.client import ConfluenceClient
    from ..rest.models import RemotePage, Space

__all__ = ["check_index_elsewhere"]

#: The most other parents whose properties are read.
_LOOK_AT = 3


def check_index_elsewhere(
    client: ConfluenceClient,
    bundle: Bundle,
    *,
    space: Space,
    anchor_id: str,
    parent_page: str | None,
    project: str,
    titles: Mapping[str, RemotePage],
) -> None:
    """Raise :class:`ConfigError` when our index (or our pages) lives under another page than
    the anchor; the caller knows the anchor holds no index of *project*."""
    tops = [titles.get(page.title.casefold()) for page in bundle.pages if page.parent is None]
    found = [p for p in tops if p is not None and p.parent_id and p.parent_id != anchor_id]
    parents = list(dict.fromkeys(p.parent_id for p in found if p.parent_id))[:_LOOK_AT]
    for parent_id in parents:
        properties = client.get_properties(parent_id, PROPERTY_PREFIX)
        if read_index(project, properties).entries:
            where = f"the ownership index of project {project!r} is on page"
            raise ConfigError(_message(client, space, anchor_id, parent_page, parent_id, where))
        if parent_page is not None or properties:
            continue  # another project's pages, or an index that is not ours
        me = client.current_user().account_id
        ours = [
            p
            for p in found
            if p.parent_id == parent_id and (read_marker(p.version_message) or p.author_id == me)
        ]
        if ours:
            where = f"pages this account published ({ours[0].title!r}, ...) are under"
            raise ConfigError(_message(client, space, anchor_id, parent_page, parent_id, where))


def _message(
    client: ConfluenceClient,
    space: Space,
    anchor_id: str,
    parent_page: str | None,
    elsewhere_id: str,
    where: str,
) -> str:
    anchor = f"{_title(client, anchor_id)!r} (id {anchor_id})"
    elsewhere = f"{_title(client, elsewhere_id)!r} (id {elsewhere_id})"
    if parent_page is None:
        reading = (
            f"space {space.key}'s homepage {anchor}, which publishes go under when no parent "
            "page is set"
        )
        cause = "Was the space's homepage changed?"
    else:
        reading = f"the parent page {anchor} (parent_page {parent_page!r})"
        cause = "Was the parent page changed?"
    return (
        f"In space {space.key}, {where} {elsewhere}, not {reading}. {cause} To go on "
        f"publishing where the pages are, set the parent page to {elsewhere_id}: --parent "
        f"{elsewhere_id} or CONFLUENCE_PARENT={elsewhere_id} (CLI), parent_page: "
        f"'{elsewhere_id}' (mkdocs.yml), confluence_parent_page = '{elsewhere_id}' (conf.py)"
    )


def _title(client: ConfluenceClient, page_id: str) -> str:
    try:
        return client.get_page(page_id).title
    except ConfluencePublisherError:
        return "(title unknown)"
