"""Confluence Cloud's dialect: REST v2 (``{base}/api/v2``) for pages, properties and
attachments (v1 only where Cloud has no v2, which the client does itself)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ..errors import APIError, NotFound
from .history import PageVersion, person_name, storage_body
from .responses import (
    attachment_from_json,
    child,
    listing,
    page_from_v2,
    property_from_json,
    space_from_v2,
)
from .wire import current, first

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, MutableMapping, Sequence

    from .models import RemoteAttachment, RemotePage, RemoteProperty, Space
    from .wire import Wire

__all__ = ["CloudApi"]

#: The most items a v2 listing gives a request.
_PAGE_LIMIT = 250
#: One lookup per person even when pages are read concurrently.
_LOOKUP = threading.Lock()


class CloudApi:
    """REST v2 paths and payloads (:class:`~.dialect.Dialect`)."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self.v2 = wire.v2

    def get_space(self, key: str) -> Space:
        url = f"{self.v2}/spaces"
        found = self.wire.get(
            url, params={"keys": key}, what=f"look up space {key}", read=space_from_v2
        )
        if found is None:
            raise missing_space(key, url)
        return found

    def get_page(self, page_id: str, *, body: bool, trashed: bool, draft: bool) -> RemotePage:
        params: dict[str, Any] = {"status": "trashed"} if trashed else {}
        if draft:
            params["status"] = "draft"
        if body:
            params["body-format"] = "storage"
        url = f"{self.v2}/pages/{page_id}"
        return self.wire.get(url, params=params, what=f"read page {page_id}", read=page_from_v2)

    def get_pages(self, space: Space, ids: Sequence[str]) -> list[RemotePage]:
        pages: list[RemotePage] = []
        for start in range(0, len(ids), _PAGE_LIMIT):
            chunk = ids[start : start + _PAGE_LIMIT]
            # Archived pages stay ours: a person archived them, they did not take them away.
            params = {
                "id": ",".join(chunk),
                "limit": _PAGE_LIMIT,
                "status": "current,archived,trashed",
            }
            url = f"{self.v2}/pages"
            pages.extend(
                self.wire.paginate_v2(url, params, what="read our pages", read=page_from_v2)
            )
        return pages

    def list_space_pages(self, space: Space, statuses: Sequence[str]) -> Iterator[RemotePage]:
        params = {"limit": _PAGE_LIMIT, "status": ",".join(statuses)}
        url = f"{self.v2}/spaces/{space.id}/pages"
        what = f"list the pages of space {space.key}"
        yield from self.wire.paginate_v2(url, params, what=what, read=page_from_v2)

    def find_page_by_title(self, space: Space, title: str) -> RemotePage | None:
        params = {"space-id": space.id, "title": title, "status": "current"}
        what = f"look up page {title!r}"
        return self.wire.get(f"{self.v2}/pages", params=params, what=what, read=first(page_from_v2))

    def create_page(
        self, space: Space, title: str, parent_id: str, body: str, *, draft: bool
    ) -> RemotePage:
        payload = {
            "spaceId": space.id,
            "status": "draft" if draft else "current",
            "title": title,
            "parentId": parent_id,
            "body": {"representation": "storage", "value": body},
        }
        what = f"create {'draft' if draft else 'page'} {title!r}"
        return self.wire.send(
            "POST", f"{self.v2}/pages", json=payload, what=what, read=page_from_v2
        )

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
            "status": "draft" if draft else "current",
            "title": title,
            "body": {"representation": "storage", "value": body},
            "version": {"number": version, "message": message, "minorEdit": True},
        }
        if move:  # without it the page keeps its parent (confluence-api.md section 1.6)
            payload["parentId"] = parent_id
        url = f"{self.v2}/pages/{page_id}"
        what = f"update page {title!r} ({page_id})"
        return self.wire.send("PUT", url, json=payload, what=what, read=page_from_v2)

    def list_children(self, page_id: str) -> list[tuple[str, str]]:
        url = f"{self.v2}/pages/{page_id}/children"
        what = f"list the pages under page {page_id}"
        return list(self.wire.paginate_v2(url, {"limit": _PAGE_LIMIT}, what=what, read=child))

    def page_path(self, page_id: str) -> str:
        return f"{self.v2}/pages/{page_id}"

    def get_properties(self, page_id: str) -> Iterable[RemoteProperty]:
        url = f"{self.v2}/pages/{page_id}/properties"
        what = f"read the properties of page {page_id}"
        return self.wire.paginate_v2(url, {"limit": 250}, what=what, read=property_from_json)

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None:
        url = f"{self.v2}/pages/{page_id}/properties"
        what = f"read property {key} of page {page_id}"
        found = self.wire.get(url, params={"key": key}, what=what, read=listing(property_from_json))
        return next((prop for prop in found.items if prop.key == key), None)

    def set_property(
        self, page_id: str, key: str, value: Any, existing: RemoteProperty | None
    ) -> RemoteProperty:
        what = f"save property {key} on page {page_id}"
        base = f"{self.v2}/pages/{page_id}/properties"
        if existing is None:
            payload = {"key": key, "value": value}
            return self.wire.send("POST", base, json=payload, what=what, read=property_from_json)
        payload = {"key": key, "value": value, "version": {"number": existing.version + 1}}
        url = f"{base}/{existing.id}"
        return self.wire.send("PUT", url, json=payload, what=what, read=property_from_json)

    def property_path(self, page_id: str, prop: RemoteProperty) -> str:
        return f"{self.v2}/pages/{page_id}/properties/{prop.id}"

    def list_attachments(self, page_id: str) -> list[RemoteAttachment]:
        url = f"{self.v2}/pages/{page_id}/attachments"
        params: dict[str, Any] = {"limit": 250, "status": "current"}
        what = f"list attachments of page {page_id}"
        read = current(attachment_from_json)
        return list(self.wire.paginate_v2(url, params, what=what, read=read))

    def attachment_path(self, attachment_id: str) -> str:
        return f"{self.v2}/attachments/{attachment_id}"

    def read_version(
        self, page_id: str, number: int | None, names: MutableMapping[str, str]
    ) -> PageVersion:
        what = f"read version {number} of page {page_id}" if number else f"read page {page_id}"
        params: dict[str, Any] = {"body-format": "storage"}
        if number is not None:
            params["version"] = number
        item = self.wire.get(f"{self.v2}/pages/{page_id}", params=params, what=what)
        version = item.get("version") or {}
        return PageVersion(
            page_id=str(item["id"]),
            number=int(version.get("number", number or 1)),
            title=str(item.get("title", "")),
            body=storage_body(item),
            author=self._name(str(version.get("authorId") or ""), names),
            when=str(version.get("createdAt") or ""),
            parent_id=None if item.get("parentId") is None else str(item["parentId"]),
            webui=(item.get("_links") or {}).get("webui"),
            message=str(version.get("message") or ""),
        )

    def _name(self, account_id: str, names: MutableMapping[str, str]) -> str:
        """The name of the account *account_id* (one v1 lookup per person: v2 has none)."""
        if not account_id:
            return "someone"
        with _LOOKUP:
            if account_id in names:
                return names[account_id]
            try:
                user = self.wire.get(
                    f"{self.wire.v1}/user",
                    params={"accountId": account_id},
                    what="look up an editor",
                )
                names[account_id] = person_name(user)
            except APIError:  # no scope for it, or the account is gone: the id still tells who
                names[account_id] = account_id
            return names[account_id]


def missing_space(key: str, url: str) -> NotFound:
    """The error for a space that is not there (or that this account cannot see)."""
    return NotFound(
        f"Space {key!r} not found, or this account cannot see it; check the space key "
        "(CONFLUENCE_SPACE / space option) and the account's permissions",
        status=404,
        method="GET",
        url=url,
    )
