"""Confluence's JSON answers read into the plain values of :mod:`docs_confluence.models`: the
v2 and v1 shapes of a page, and of an attachment."""

from __future__ import annotations

import re
from typing import Any

from .models import RemoteAttachment, RemotePage

__all__ = ["attachment_container", "attachment_from_json", "page_from_v1", "page_from_v2"]

_DOWNLOAD = re.compile(r"/download/attachments/(\d+)/")


def attachment_from_json(item: dict[str, Any]) -> RemoteAttachment:
    """An attachment from a v2 listing or a v1 one (comment and size sit elsewhere)."""
    extensions = item.get("extensions") or {}
    metadata = item.get("metadata") or {}
    comment = item.get("comment", metadata.get("comment", extensions.get("comment", "")))
    version = (item.get("version") or {}).get("number")
    return RemoteAttachment(
        id=str(item["id"]),
        filename=str(item.get("title", "")),
        size=int(item.get("fileSize", extensions.get("fileSize", 0)) or 0),
        media_type=str(item.get("mediaType", metadata.get("mediaType", ""))),
        comment=str(comment or ""),
        version=None if version is None else int(version),
    )


def attachment_container(item: dict[str, Any]) -> str | None:
    """The id of the page a v1 attachment is on: its ``container`` (when expanded), else the
    page id in its download link (``/download/attachments/<page id>/<file>``)."""
    container = item.get("container") or {}
    if container.get("id") is not None:
        return str(container["id"])
    found = _DOWNLOAD.search((item.get("_links") or {}).get("download") or "")
    return found.group(1) if found else None


def page_from_v2(item: dict[str, Any]) -> RemotePage:
    """A page from a REST v2 answer."""
    version = item.get("version") or {}
    body = ((item.get("body") or {}).get("storage") or {}).get("value")
    return RemotePage(
        id=str(item["id"]),
        title=item["title"],
        parent_id=None if item.get("parentId") is None else str(item["parentId"]),
        position=item.get("position"),
        version=int(version.get("number", 1)),
        version_message=version.get("message") or "",
        author_id=version.get("authorId"),
        status=item.get("status", "current"),
        body=body,
        webui=(item.get("_links") or {}).get("webui"),
    )


def page_from_v1(item: dict[str, Any]) -> RemotePage:
    """A page from a REST v1 answer (its parent is the last of its ancestors)."""
    version = item.get("version") or {}
    ancestors = item.get("ancestors") or []
    body = ((item.get("body") or {}).get("storage") or {}).get("value")
    position = (item.get("extensions") or {}).get("position")
    author = (version.get("by") or {}).get("accountId") or (version.get("by") or {}).get("userKey")
    return RemotePage(
        id=str(item["id"]),
        title=item["title"],
        parent_id=str(ancestors[-1]["id"]) if ancestors else None,
        position=int(position)
        if isinstance(position, int | str) and str(position).isdigit()
        else None,
        version=int(version.get("number", 1)),
        version_message=version.get("message") or "",
        author_id=author,
        status=item.get("status", "current"),
        body=body,
        webui=(item.get("_links") or {}).get("webui"),
    )
