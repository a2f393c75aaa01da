"""v1 attachments: list, upload (multipart, XSRF header), upsert, new data, download."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Forbidden, InvalidRequest, NotFound
from ..file_headers import file_headers
from ..messages import Response, RouteTable
from ..multipart import parse_form
from ..paging import v1_list
from .shapes import attachment_json

if TYPE_CHECKING:
    from ..messages import Request
    from ..multipart import Form
    from ..store.records import Attachment, Page

routes = RouteTable("v1", "/rest/api")
downloads = RouteTable("v1")

XSRF_VALUES = ("no-check", "nocheck")


def _page(request: Request) -> Page:
    return request.store.pages.get(request.params["id"], statuses=("current", "archived", "draft"))


def _form(request: Request) -> Form:
    if request.headers.get("x-atlassian-token", "").lower() not in XSRF_VALUES:
        raise Forbidden("XSRF check failed")
    form = parse_form(request.headers.get("content-type", ""), request.body)
    if not form.files:
        raise InvalidRequest("At least one file part named 'file' is required")
    return form


def _results(request: Request, attachments: list[Attachment]) -> Response:
    body = {
        "results": [attachment_json(request, a) for a in attachments],
        "start": 0,
        "limit": len(attachments),
        "size": len(attachments),
        "_links": {"base": request.base, "context": request.context_path},
    }
    return Response.json(body)


def _upload(request: Request, *, upsert: bool) -> Response:
    page = _page(request)
    form = _form(request)
    store = request.store
    limit = store.attachments.max_bytes
    for part in form.files:
        if limit is not None and len(part.data) > limit:
            raise NotFound(
                f"Attachment {part.filename} is larger than the maximum attachment size "
                f"({limit} bytes)"
            )
    if not upsert:
        for part in form.files:
            existing = store.attachments.named(page.id, part.filename)
            if existing is not None and existing.status == "current":
                raise InvalidRequest(
                    "Cannot add a new attachment with same file name as an existing "
                    f"attachment: {part.filename}"
                )
    saved = [
        store.attachments.add(
            page.id,
            part.filename,
            part.data,
            author_id=request.account_id,
            media_type=part.media_type,
            comment=form.field("comment", index),
            minor_edit=form.field("minorEdit", index, "false").lower() == "true",
            replace_existing=upsert,
        )
        for index, part in enumerate(form.files)
    ]
    return _results(request, saved)


@routes("GET", "/content/{id}/child/attachment")
def list_attachments(request: Request) -> Response:
    """GET /content/{id}/child/attachment: ``filename``, ``mediaType``; start/limit."""
    page = _page(request)
    found = request.store.attachments.of(
        page.id, filename=request.arg("filename"), media_type=request.arg("mediaType")
    )
    return v1_list(request, found, lambda a: attachment_json(request, a), default_limit=50)


@routes("POST", "/content/{id}/child/attachment")
def create_attachments(request: Request) -> Response:
    """POST .../child/attachment: new files only; a name already attached is a 400."""
    return _upload(request, upsert=False)


@routes("PUT", "/content/{id}/child/attachment")
def upsert_attachments(request: Request) -> Response:
    """PUT .../child/attachment: new files, or a new version of the same-named ones."""
    return _upload(request, upsert=True)


@routes("POST", "/content/{id}/child/attachment/{att}/data")
def update_data(request: Request) -> Response:
    """POST .../child/attachment/{attId}/data: new bytes for a known attachment."""
    page = _page(request)
    form = _form(request)
    store = request.store
    attachment = store.attachments.get(request.params["att"])
    if attachment.page_id != page.id:
        raise NotFound(f"No attachment {request.params['att']} on content with id: {page.id}")
    part = form.files[0]
    saved = store.attachments.replace_data(
        attachment.id,
        part.data,
        author_id=request.account_id,
        media_type=part.media_type,
        comment=form.field("comment"),
        minor_edit=form.field("minorEdit", 0, "false").lower() == "true",
        filename=part.filename,
    )
    return Response.json(attachment_json(request, saved))


@routes("PUT", "/content/{id}/child/attachment/{att}")
def update_attachment(request: Request) -> Response:
    """PUT .../child/attachment/{attId}: rename (``title``); the bytes stay as they are."""
    page = _page(request)
    store = request.store
    attachment = store.attachments.get(request.params["att"])
    if attachment.page_id != page.id:
        raise NotFound(f"No attachment {request.params['att']} on content with id: {page.id}")
    data = request.json_object()
    title = data.get("title")
    if not isinstance(title, str):
        raise InvalidRequest("title is required")
    return Response.json(attachment_json(request, store.attachments.rename(attachment.id, title)))


@downloads("GET", "/download/attachments/{id}/{filename}")
def download(request: Request) -> Response:
    """GET {context}/download/attachments/{pageId}/{filename}[?version=n]: the bytes."""
    store = request.store
    page = store.pages.get(request.params["id"])
    attachment = store.attachments.named(page.id, request.params["filename"])
    if attachment is None or attachment.status == "trashed":
        raise NotFound(f"No attachment {request.params['filename']} on page {page.id}")
    number = request.int_arg("version", 0)
    version = store.attachments.data(attachment.id, number or None)
    headers = file_headers(attachment.title, version.media_type)
    return Response(200, version.data, version.media_type, headers)
