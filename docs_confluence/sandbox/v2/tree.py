"""v2 hierarchy and history: children, descendants, ancestors and versions of a page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequest
from ..messages import Response, RouteTable
from ..paging import v2_limit, v2_list
from ..store.records import VISIBLE
from .pages import sort_pages
from .shapes import body_format, storage_json, version_json

if TYPE_CHECKING:
    from ..messages import Request
    from ..store.records import Page

routes = RouteTable("v2", "/api/v2")

MAX_DEPTH = 5


def _child_json(page: Page, *, typed: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": page.id,
        "status": page.status,
        "title": page.title,
        "spaceId": page.space_id,
        "childPosition": page.position,
    }
    if typed:
        data["type"] = "page"
    return data


def _children(request: Request, *, typed: bool) -> Response:
    store = request.store
    parent = store.pages.get(request.params["id"], statuses=VISIBLE)
    children = sort_pages(request, store.pages.children(parent.id), default="child-position")
    return v2_list(request, children, lambda p: _child_json(p, typed=typed))


@routes("GET", "/pages/{id}/children")
def children(request: Request) -> Response:
    """GET /pages/{id}/children (deprecated upstream): child pages in position order."""
    return _children(request, typed=False)


@routes("GET", "/pages/{id}/direct-children")
def direct_children(request: Request) -> Response:
    """GET /pages/{id}/direct-children: children with their ``type`` (always page here)."""
    return _children(request, typed=True)


@routes("GET", "/pages/{id}/descendants")
def descendants(request: Request) -> Response:
    """GET /pages/{id}/descendants?depth=1..5 (default 2), depth-first in position order."""
    depth = request.int_arg("depth", 2)
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidRequest(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
    store = request.store
    page = store.pages.get(request.params["id"], statuses=VISIBLE)
    found = store.pages.descendants(page.id, depth)

    def render(item: tuple[Page, int]) -> dict[str, Any]:
        child, level = item
        return {**_child_json(child, typed=True), "parentId": child.parent_id, "depth": level}

    return v2_list(request, found, render)


@routes("GET", "/pages/{id}/ancestors")
def ancestors(request: Request) -> Response:
    """GET /pages/{id}/ancestors: root first; ``limit`` keeps the closest ones, no cursor."""
    limit = v2_limit(request)
    chain = request.store.pages.ancestors(request.store.pages.get(request.params["id"]).id)
    results = [{"id": page.id, "type": "page"} for page in chain[-limit:]]
    return Response.json({"results": results, "_links": {"base": request.base}})


@routes("GET", "/pages/{id}/versions")
def versions(request: Request) -> Response:
    """GET /pages/{id}/versions: newest first (``sort=modified-date`` for oldest first)."""
    store = request.store
    page = store.pages.get(request.params["id"])
    fmt = body_format(request)
    sort = request.arg("sort", "-modified-date")
    if sort not in ("modified-date", "-modified-date"):
        raise InvalidRequest(f"Invalid sort: {sort}")
    history = store.pages.versions(page.id)
    if sort.startswith("-"):
        history.reverse()

    def render(version: Any) -> dict[str, Any]:
        summary: dict[str, Any] = {"id": page.id, "title": version.title}
        if fmt:
            summary["body"] = storage_json(version.body)
        return {**version_json(version), "page": summary}

    return v2_list(request, history, render)


@routes("GET", "/pages/{id}/versions/{number}")
def version(request: Request) -> Response:
    """GET /pages/{id}/versions/{n}: one version with its body."""
    store = request.store
    page = store.pages.get(request.params["id"])
    try:
        number = int(request.params["number"])
    except ValueError:
        raise InvalidRequest(f"Invalid version number: {request.params['number']}") from None
    found = store.pages.version(page.id, number)
    data = {
        **version_json(found),
        "content": {"id": page.id, "title": found.title},
        "body": storage_json(found.body),
    }
    return Response.json(data)
