"""v2 spaces, content properties, labels and attachments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequest
from ..messages import Response, RouteTable
from ..paging import v2_list
from ..store.records import VISIBLE
from .shapes import attachment_json, label_json, property_json, space_json

if TYPE_CHECKING:
    from ..messages import Request
    from ..store.records import Page

routes = RouteTable("v2", "/api/v2")

SPACE_SORTS = ("id", "key", "name")
ATTACHMENT_STATUSES = ("current", "archived", "trashed")


@routes("GET", "/spaces")
def list_spaces(request: Request) -> Response:
    """GET /spaces: filter by ``keys`` and ``ids``; unknown keys give an empty list."""
    keys = request.list_arg("keys")
    ids = request.list_arg("ids")
    spaces = [
        s
        for s in request.store.spaces()
        if (not keys or s.key in keys) and (not ids or s.id in ids)
    ]
    sort = request.arg("sort", "id") or "id"
    if sort.lstrip("-") not in SPACE_SORTS:
        raise InvalidRequest(f"Invalid sort: {sort}. Expected one of {SPACE_SORTS}")
    field = sort.lstrip("-")
    spaces.sort(
        key=lambda s: int(s.id) if field == "id" else getattr(s, field),
        reverse=sort.startswith("-"),
    )
    return v2_list(request, spaces, space_json)


@routes("GET", "/spaces/{id}")
def get_space(request: Request) -> Response:
    """GET /spaces/{id}."""
    return Response.json(space_json(request.store.space(request.params["id"])))


def _page(request: Request) -> Page:
    return request.store.pages.get(request.params["id"], statuses=(*VISIBLE, "draft"))


@routes("GET", "/pages/{id}/properties")
def list_properties(request: Request) -> Response:
    """GET /pages/{id}/properties: optional exact ``key`` filter."""
    page = _page(request)
    found = request.store.properties.of(page.id, key=request.arg("key"))
    return v2_list(request, found, property_json)


@routes("POST", "/pages/{id}/properties")
def create_property(request: Request) -> Response:
    """POST /pages/{id}/properties: ``{"key", "value"}`` at version 1; a used key is a 400."""
    page = _page(request)
    data = request.json_object()
    if not isinstance(data.get("key"), str) or "value" not in data:
        raise InvalidRequest("key and value are required")
    prop = request.store.properties.create(
        page.id, data["key"], data["value"], author_id=request.account_id
    )
    return Response.json(property_json(prop))


@routes("GET", "/pages/{id}/properties/{pid}")
def get_property(request: Request) -> Response:
    """GET /pages/{id}/properties/{property-id}."""
    page = _page(request)
    prop = request.store.properties.get(page.id, request.params["pid"])
    return Response.json(property_json(prop))


@routes("PUT", "/pages/{id}/properties/{pid}")
def update_property(request: Request) -> Response:
    """PUT /pages/{id}/properties/{property-id}: version must be current + 1 (else 409)."""
    page = _page(request)
    data = request.json_object()
    version: Any = data.get("version")
    if not isinstance(version, dict) or not isinstance(version.get("number"), int):
        raise InvalidRequest("version.number is required")
    if "value" not in data:
        raise InvalidRequest("value is required")
    prop = request.store.properties.update(
        page.id,
        request.params["pid"],
        data["value"],
        key=data.get("key"),
        version=version["number"],
        author_id=request.account_id,
        message=str(version.get("message") or ""),
        minor_edit=bool(version.get("minorEdit", False)),
    )
    return Response.json(property_json(prop))


@routes("DELETE", "/pages/{id}/properties/{pid}")
def delete_property(request: Request) -> Response:
    """DELETE /pages/{id}/properties/{property-id}."""
    page = _page(request)
    request.store.properties.delete(page.id, request.params["pid"])
    return Response.empty()


@routes("GET", "/pages/{id}/labels")
def list_labels(request: Request) -> Response:
    """GET /pages/{id}/labels: optional ``prefix`` filter."""
    page = _page(request)
    return v2_list(request, request.store.labels.of(page.id, request.arg("prefix")), label_json)


@routes("GET", "/pages/{id}/attachments")
def list_attachments(request: Request) -> Response:
    """GET /pages/{id}/attachments: ``filename``, ``mediaType``, ``status``; 50 per page."""
    page = _page(request)
    statuses = request.list_arg("status") or ["current"]
    if any(status not in ATTACHMENT_STATUSES for status in statuses):
        raise InvalidRequest(f"Invalid status. Expected any of {ATTACHMENT_STATUSES}")
    found = request.store.attachments.of(
        page.id,
        statuses=statuses,
        filename=request.arg("filename"),
        media_type=request.arg("mediaType"),
    )
    return v2_list(request, found, lambda a: attachment_json(request, a), default_limit=50)


@routes("GET", "/attachments/{id}")
def get_attachment(request: Request) -> Response:
    """GET /attachments/{id}: current ones unless ``status`` says otherwise."""
    statuses = request.list_arg("status") or ["current", "archived"]
    attachment = request.store.attachments.get(request.params["id"], statuses=statuses)
    return Response.json(attachment_json(request, attachment))


@routes("DELETE", "/attachments/{id}")
def delete_attachment(request: Request) -> Response:
    """DELETE /attachments/{id}: trash; ``purge=true`` purges a trashed attachment."""
    store = request.store
    attachment = store.attachments.get(request.params["id"])
    if request.flag("purge"):
        if attachment.status != "trashed":
            raise InvalidRequest("Only a trashed attachment can be purged")
        store.attachments.purge(attachment.id)
    elif attachment.status == "trashed":
        store.attachments.get(attachment.id, statuses=("current", "archived"))
    else:
        store.attachments.set_status(attachment.id, "trashed")
    return Response.empty()
