"""Confluence Data Center's dialect: REST v1 (``{base}/rest/api``, under the context path)
for pages, properties and attachments. Data Center has no drafts through the API and no bulk
read by id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, NotFound
from .history import PageVersion, person_name, storage_body
from .responses import (
    attachment_from_json,
    child,
    decode,
    page_from_v1,
    property_from_json,
    space_from_v1,
)
from .v2 import missing_space
from .wire import current, first

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, MutableMapping, Sequence

    from .models import RemoteAttachment, RemotePage, RemoteProperty, Space
    from .wire import Wire

__all__ = ["V1_LIMIT", "DataCenterApi"]

#: Asked of v1 listings of properties and drafts.
V1_LIMIT = 100
#: Asked of v1 page listings; a server that caps lower is paged all the same.
_V1_PAGE_LIMIT = 200
_PAGE_EXPAND = "version,ancestors,extensions.position"


class DataCenterApi:
    """REST v1 paths and payloads (:class:`~.dialect.Dialect`)."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self.v1 = wire.v1

    def get_space(self, key: str) -> Space:
        url = f"{self.v1}/space/{key}"
        what = f"look up space {key}"
        try:
            return self.wire.get(url, params={"expand": "homepage"}, what=what, read=space_from_v1)
        except NotFound:
            error = missing_space(key, url)
            error.args = (
                f"{error}. (Treated {self.wire.base_url} as Data Center; for Confluence Cloud the "
                "URL ends in /wiki, or set deployment to cloud.)",
            )
            raise error from None

    def get_page(self, page_id: str, *, body: bool, trashed: bool, draft: bool) -> RemotePage:
        params: dict[str, Any] = {"status": "trashed"} if trashed else {}
        if draft:
            params["status"] = "draft"
        params["expand"] = _PAGE_EXPAND + (",body.storage" if body else "")
        url = f"{self.v1}/content/{page_id}"
        return self.wire.get(url, params=params, what=f"read page {page_id}", read=page_from_v1)

    def get_pages(self, space: Space, ids: Sequence[str]) -> list[RemotePage]:
        # No bulk read by id: the space's listing, kept to *ids*.
        wanted = set(ids)
        listed = self.list_space_pages(space, ("current", "archived", "trashed"))
        return [page for page in listed if page.id in wanted]

    def list_space_pages(self, space: Space, statuses: Sequence[str]) -> Iterator[RemotePage]:
        params = {
            "spaceKey": space.key,
            "type": "page",
            "status": "any",  # v1 lists current pages only by default; archived ones count
            "expand": _PAGE_EXPAND,
            "limit": _V1_PAGE_LIMIT,
        }
        what = f"list the pages of space {space.key}"
        url = f"{self.v1}/content"
        for page in self.wire.paginate_v1(url, params, what=what, read=page_from_v1):
            if page.status in statuses:
                yield page

    def find_page_by_title(self, space: Space, title: str) -> RemotePage | None:
        params = {"spaceKey": space.key, "title": title, "type": "page", "expand": _PAGE_EXPAND}
        what = f"look up page {title!r}"
        return self.wire.get(
            f"{self.v1}/content", params=params, what=what, read=first(page_from_v1)
        )

    def create_page(
        self, space: Space, title: str, parent_id: str, body: str, *, draft: bool
    ) -> RemotePage:
        what = f"create {'draft' if draft else 'page'} {title!r}"
        if draft:
            raise ConfigError(f"{what}: drafts need Confluence Cloud")
        payload = {
            "type": "page",
            "title": title,
            "space": {"key": space.key},
            "ancestors": [{"id": parent_id}],
            "body": {"storage": {"value": body, "representation": "storage"}},
        }
        url = f"{self.v1}/content"
        return self.wire.send("POST", url, json=payload, what=what, read=page_from_v1)

    def update_page(
        self,
        space: Space,
        page_id: str,
        *,
        title: str,
        parent_id: str,
        body: str,
        version: int,
        message: str,
        draft: bool,
        move: bool = True,
    ) -> RemotePage:
        payload: dict[str, Any] = {
            "id": page_id,
            "type": "page",
            "status": "current",  # also restores a page from the trash
            "title": title,
            "space": {"key": space.key},
            "body": {"storage": {"value": body, "representation": "storage"}},
            "version": {"number": version, "minorEdit": True, "message": message},
        }
        if move:  # without it some older servers put the page at the space root (section 2.3)
            payload["ancestors"] = [{"id": parent_id}]
        url = f"{self.v1}/content/{page_id}"
        what = f"update page {title!r} ({page_id})"
        return self.wire.send("PUT", url, json=payload, what=what, read=page_from_v1)

    def list_children(self, page_id: str) -> list[tuple[str, str]]:
        url = f"{self.v1}/content/{page_id}/child/page"
        what = f"list the pages under page {page_id}"
        return list(self.wire.paginate_v1(url, {"limit": _V1_PAGE_LIMIT}, what=what, read=child))

    def page_path(self, page_id: str) -> str:
        return f"{self.v1}/content/{page_id}"

    def get_properties(self, page_id: str) -> Iterable[RemoteProperty]:
        params = {"limit": V1_LIMIT, "expand": "version"}
        url = f"{self.v1}/content/{page_id}/property"
        what = f"read the properties of page {page_id}"
        return self.wire.paginate_v1(url, params, what=what, read=property_from_json)

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None:
        url = f"{self.v1}/content/{page_id}/property/{key}"
        what = f"read property {key} of page {page_id}"
        sender = self.wire.sender
        response = sender.send("GET", url, params={"expand": "version"}, what=what, ok=(404,))
        return None if response.status_code == 404 else decode(response, what, property_from_json)

    def set_property(
        self, page_id: str, key: str, value: Any, existing: RemoteProperty | None
    ) -> RemoteProperty:
        number = 1 if existing is None else existing.version + 1
        payload = {"key": key, "value": value, "version": {"number": number}}
        url = f"{self.v1}/content/{page_id}/property/{key}"
        what = f"save property {key} on page {page_id}"
        return self.wire.send("PUT", url, json=payload, what=what, read=property_from_json)

    def property_path(self, page_id: str, prop: RemoteProperty) -> str:
        return f"{self.v1}/content/{page_id}/property/{prop.key}"

    def list_attachments(self, page_id: str) -> list[RemoteAttachment]:
        url = f"{self.v1}/content/{page_id}/child/attachment"
        params = {"limit": 200, "expand": "version,metadata"}
        what = f"list attachments of page {page_id}"
        read = current(attachment_from_json)
        return list(self.wire.paginate_v1(url, params, what=what, read=read))

    def attachment_path(self, attachment_id: str) -> str:
        return f"{self.v1}/content/{attachment_id}"

    def read_version(
        self, page_id: str, number: int | None, names: MutableMapping[str, str]
    ) -> PageVersion:
        what = f"read version {number} of page {page_id}" if number else f"read page {page_id}"
        params: dict[str, Any] = {"expand": "body.storage,version,ancestors"}
        if number is not None:
            params.update(status="historical", version=number)
        item = self.wire.get(f"{self.v1}/content/{page_id}", params=params, what=what)
        version = item.get("version") or {}
        ancestors = item.get("ancestors") or []
        return PageVersion(
            page_id=str(item["id"]),
            number=int(version.get("number", number or 1)),
            title=str(item.get("title", "")),
            body=storage_body(item),
            author=person_name(version.get("by") or {}),
            when=str(version.get("when") or ""),
            parent_id=str(ancestors[-1]["id"]) if ancestors else None,
            webui=(item.get("_links") or {}).get("webui"),
            message=str(version.get("message") or ""),
        )
