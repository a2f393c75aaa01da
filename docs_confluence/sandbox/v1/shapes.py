"""The JSON objects of the v1 API (Cloud leftovers and all of Data Center)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..links import attachment_download, page_tinyui, page_webui

if TYPE_CHECKING:
    from ..messages import Request
    from ..store.records import Attachment, Label, Page, PageVersion, Property, Space

#: Fields a v1 content object names under ``_expandable`` when they were not expanded.
CONTENT_EXPANDABLE = ("ancestors", "body", "children", "descendants", "metadata", "container")


def expansions(request: Request) -> set[str]:
    """The ``expand`` parameter as a set; ``body.storage`` also yields ``body``."""
    found: set[str] = set()
    for item in request.list_arg("expand"):
        parts = item.split(".")
        found.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return found


def user_json(request: Request, account_id: str) -> dict[str, Any]:
    """A v1 user (``by`` of versions, ``/user/current``)."""
    user = request.store.user(account_id)
    name = user.display_name if user else "Sandbox"
    data: dict[str, Any] = {
        "type": "known",
        "accountId": account_id,
        "accountType": "atlassian",
        "email": user.email if user else "",
        "publicName": name,
        "displayName": name,
        "_links": {"self": f"{request.base}/rest/api/user?accountId={account_id}"},
    }
    if request.flavor == "datacenter":
        data["username"] = user.email if user else "sandbox"
        data["userKey"] = account_id
    return data


def version_json(
    request: Request,
    *,
    number: int,
    when: str,
    message: str,
    minor_edit: bool,
    author_id: str,
) -> dict[str, Any]:
    """A v1 version object (``when``, ``by``...)."""
    return {
        "by": user_json(request, author_id),
        "when": when,
        "message": message,
        "number": number,
        "minorEdit": minor_edit,
    }


def page_version_json(request: Request, version: PageVersion) -> dict[str, Any]:
    """The v1 version object of a page version."""
    return version_json(
        request,
        number=version.number,
        when=version.created_at,
        message=version.message,
        minor_edit=version.minor_edit,
        author_id=version.author_id,
    )


def space_json(request: Request, space: Space, expand: set[str] | None = None) -> dict[str, Any]:
    """A v1 space (numeric ``id``); ``homepage`` when expanded."""
    data: dict[str, Any] = {
        "id": int(space.id),
        "key": space.key,
        "name": space.name,
        "type": "global",
        "status": "current",
        "_links": {
            "webui": f"/spaces/{space.key}",
            "self": f"{request.base}/rest/api/space/{space.key}",
        },
        "_expandable": {"homepage": f"/rest/api/content/{space.homepage_id}"},
    }
    if expand and "homepage" in expand and space.homepage_id is not None:
        home = request.store.pages.find(space.homepage_id)
        if home is not None:
            data["homepage"] = content_json(request, home, set())
            del data["_expandable"]["homepage"]
    return data


def _ancestor_json(request: Request, page: Page) -> dict[str, Any]:
    space = request.store.space(page.space_id)
    return {
        "id": page.id,
        "type": "page",
        "status": page.status,
        "title": page.title,
        "_links": {
            "webui": page_webui(space.key, page.id, page.title),
            "self": f"{request.base}/rest/api/content/{page.id}",
        },
    }


def content_json(
    request: Request,
    page: Page,
    expand: set[str],
    *,
    version: PageVersion | None = None,
    base: bool = False,
) -> dict[str, Any]:
    """A v1 page; space, history and version are always expanded, the rest on request."""
    store = request.store
    head = version or store.pages.head(page.id)
    space = store.space(page.space_id)
    data: dict[str, Any] = {
        "id": page.id,
        "type": "page",
        "status": "historical" if version and version.number != page.version else page.status,
        "title": head.title,
        "space": space_json(request, space),
        "history": {
            "latest": head.number == page.version,
            "createdBy": user_json(request, page.author_id),
            "createdDate": page.created_at,
        },
        "version": page_version_json(request, head),
        "extensions": {"position": page.position},
    }
    expandable = {name: f"/rest/api/content/{page.id}/{name}" for name in CONTENT_EXPANDABLE}
    if "ancestors" in expand:
        data["ancestors"] = [_ancestor_json(request, a) for a in store.pages.ancestors(page.id)]
    if "body.storage" in expand:
        data["body"] = {"storage": {"value": head.body, "representation": "storage"}}
    if "children.page" in expand:
        kids = [content_json(request, child, set()) for child in store.pages.children(page.id)]
        data["children"] = {"page": {"results": kids, "start": 0, "limit": 25, "size": len(kids)}}
    if "metadata.labels" in expand:
        labels = [label_json(label) for label in store.labels.of(page.id)]
        data["metadata"] = {
            "labels": {"results": labels, "start": 0, "limit": 200, "size": len(labels)}
        }
    if "operations" in expand:  # the sandbox has no permissions: everyone may do everything
        data["operations"] = [
            {"operation": name, "targetType": "page"} for name in ("read", "update", "delete")
        ]
    data["_expandable"] = {k: v for k, v in expandable.items() if k not in data}
    links = {
        "webui": page_webui(space.key, page.id, head.title),
        "edit": f"/pages/resumedraft.action?draftId={page.id}",
        "tinyui": page_tinyui(page.id),
        "self": f"{request.base}/rest/api/content/{page.id}",
    }
    if base:
        links.update(base=request.base, context=request.context_path)
    data["_links"] = links
    return data


def attachment_json(request: Request, attachment: Attachment) -> dict[str, Any]:
    """A v1 attachment (``att<n>`` id, ``extensions.fileSize``, download link)."""
    store = request.store
    head = store.attachments.data(attachment.id)
    page = store.pages.get(attachment.page_id)
    space = store.space(page.space_id)
    bare_id = attachment.id[3:]
    preview = quote(f"/{page.id}/{bare_id}/{attachment.title}", safe="")
    return {
        "id": attachment.id,
        "type": "attachment",
        "status": attachment.status,
        "title": attachment.title,
        "version": version_json(
            request,
            number=head.number,
            when=head.created_at,
            message="",
            minor_edit=head.minor_edit,
            author_id=head.author_id,
        ),
        "container": {"id": page.id, "type": "page", "status": page.status, "title": page.title},
        "metadata": {"mediaType": attachment.media_type, "comment": attachment.comment},
        "extensions": {
            "mediaType": attachment.media_type,
            "fileSize": attachment.file_size,
            "comment": attachment.comment,
        },
        "_links": {
            "download": attachment_download(attachment, head.created_at),
            "webui": f"{page_webui(space.key, page.id, page.title)}?preview={preview}",
            "self": f"{request.base}/rest/api/content/{attachment.id}",
        },
    }


def property_json(request: Request, prop: Property) -> dict[str, Any]:
    """A v1 content property."""
    return {
        "id": prop.id,
        "key": prop.key,
        "value": prop.value,
        "version": {
            "when": prop.created_at,
            "message": prop.message,
            "number": prop.version,
            "minorEdit": prop.minor_edit,
        },
        "_links": {
            "self": f"{request.base}/rest/api/content/{prop.page_id}/property/{quote(prop.key)}"
        },
    }


def label_json(label: Label) -> dict[str, Any]:
    """A v1 label."""
    return {"prefix": label.prefix, "name": label.name, "id": label.id, "label": label.name}
