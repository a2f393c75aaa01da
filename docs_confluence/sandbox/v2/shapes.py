"""The JSON objects of the v2 API, built from store records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequest
from ..links import attachment_download, page_editui, page_tinyui, page_webui

if TYPE_CHECKING:
    from ..messages import Request
    from ..store.records import Attachment, Label, Page, PageVersion, Property, Space

#: ``body-format`` values the sandbox can answer (it stores only storage format).
BODY_FORMATS = ("storage",)


def body_format(request: Request) -> str | None:
    """The ``body-format`` parameter; 400 for formats the sandbox cannot produce."""
    fmt = request.arg("body-format")
    if fmt is not None and fmt not in BODY_FORMATS:
        raise InvalidRequest(
            f"body-format {fmt} is not supported by the sandbox; use one of {BODY_FORMATS}"
        )
    return fmt


def version_json(version: PageVersion) -> dict[str, Any]:
    """A v2 version object."""
    return {
        "number": version.number,
        "message": version.message,
        "minorEdit": version.minor_edit,
        "authorId": version.author_id,
        "createdAt": version.created_at,
    }


def storage_json(value: str) -> dict[str, Any]:
    """A v2 ``body`` holding storage format."""
    return {"storage": {"representation": "storage", "value": value}}


def page_json(
    request: Request,
    page: Page,
    *,
    fmt: str | None = None,
    version: PageVersion | None = None,
    base: bool = False,
) -> dict[str, Any]:
    """A v2 page; ``version`` picks an older version, ``base`` adds ``_links.base``."""
    store = request.store
    head = version or store.pages.head(page.id)
    space = store.space(page.space_id)
    links = {
        "webui": page_webui(space.key, page.id, head.title),
        "editui": page_editui(page.id),
        "tinyui": page_tinyui(page.id),
    }
    if base:
        links["base"] = request.base
    return {
        "id": page.id,
        "status": page.status,
        "title": head.title,
        "spaceId": page.space_id,
        "parentId": page.parent_id,
        "parentType": "page" if page.parent_id is not None else None,
        "position": page.position,
        "authorId": page.author_id,
        "ownerId": page.author_id,
        "lastOwnerId": None,
        "subtype": None,
        "createdAt": page.created_at,
        "version": version_json(head),
        "body": storage_json(head.body) if fmt == "storage" else {},
        "_links": links,
    }


def space_json(space: Space) -> dict[str, Any]:
    """A v2 space."""
    return {
        "id": space.id,
        "key": space.key,
        "name": space.name,
        "type": "global",
        "status": "current",
        "authorId": space.author_id,
        "createdAt": space.created_at,
        "homepageId": space.homepage_id,
        "description": None,
        "icon": None,
        "_links": {"webui": f"/spaces/{space.key}"},
    }


def property_json(prop: Property) -> dict[str, Any]:
    """A v2 content property."""
    return {
        "id": prop.id,
        "key": prop.key,
        "value": prop.value,
        "version": {
            "number": prop.version,
            "message": prop.message,
            "minorEdit": prop.minor_edit,
            "authorId": prop.author_id,
            "createdAt": prop.created_at,
        },
    }


def label_json(label: Label) -> dict[str, Any]:
    """A v2 label."""
    return {"id": label.id, "name": label.name, "prefix": label.prefix}


def attachment_json(request: Request, attachment: Attachment) -> dict[str, Any]:
    """A v2 attachment."""
    head = request.store.attachments.data(attachment.id)
    download = attachment_download(attachment, head.created_at)
    webui = f"/pages/viewpageattachments.action?pageId={attachment.page_id}"
    return {
        "id": attachment.id,
        "status": attachment.status,
        "title": attachment.title,
        "createdAt": attachment.created_at,
        "pageId": attachment.page_id,
        "mediaType": attachment.media_type,
        "mediaTypeDescription": attachment.media_type,
        "comment": attachment.comment,
        "fileId": attachment.file_id,
        "fileSize": attachment.file_size,
        "webuiLink": webui,
        "downloadLink": download,
        "version": {
            "number": head.number,
            "message": "",
            "minorEdit": head.minor_edit,
            "authorId": head.author_id,
            "createdAt": head.created_at,
        },
        "_links": {"webui": webui, "download": download},
    }
