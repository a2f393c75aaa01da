"""v2 pages: list, create, read, update, rename, trash and purge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequest, NotFound
from ..messages import Response, RouteTable
from ..paging import MAX_LIMIT, v2_list
from ..store.pages import KEEP
from ..store.records import VISIBLE
from .shapes import body_format, label_json, page_json, property_json, version_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..messages import Request
    from ..store.records import Page, PageStatus

routes = RouteTable("v2", "/api/v2")

#: Listings never return drafts; asking for them is refused (docs/drafts.md).
LIST_STATUSES = ("current", "archived", "deleted", "trashed")
SINGLE_DEFAULT: tuple[PageStatus, ...] = ("current", "archived", "draft")
EMBEDDED_LIMIT = 50


def storage_value(body: Any) -> str:
    """The storage value of a v2 ``body`` (flat or nested form); "" when absent."""
    if body is None:
        return ""
    if isinstance(body, dict) and isinstance(body.get("storage"), dict):
        body = body["storage"]
    if not isinstance(body, dict) or not isinstance(body.get("value"), str):
        raise InvalidRequest('body must be {"representation": "storage", "value": "..."}')
    if body.get("representation", "storage") != "storage":
        raise InvalidRequest(
            f"Representation {body.get('representation')} is not supported by the sandbox; "
            "send storage"
        )
    return str(body["value"])


def _sort_key(request: Request, sort: str) -> Callable[[Page], Any]:
    keys: dict[str, Callable[[Page], Any]] = {
        "id": lambda p: int(p.id),
        "created-date": lambda p: (p.created_at, int(p.id)),
        "modified-date": lambda p: (request.store.pages.head(p.id).created_at, int(p.id)),
        "title": lambda p: (p.title, int(p.id)),
        "child-position": lambda p: (p.position, int(p.id)),
    }
    if sort.lstrip("-") not in keys:
        raise InvalidRequest(f"Invalid sort: {sort}. Expected one of {sorted(keys)}")
    return keys[sort.lstrip("-")]


def sort_pages(request: Request, pages: list[Page], default: str = "id") -> list[Page]:
    """Pages sorted by the ``sort`` parameter (``-`` prefix for descending)."""
    sort = request.arg("sort") or default
    return sorted(pages, key=_sort_key(request, sort), reverse=sort.startswith("-"))


def _statuses(request: Request) -> list[str]:
    statuses = request.list_arg("status") or list(VISIBLE)
    for status in statuses:
        if status not in LIST_STATUSES:
            raise InvalidRequest(f"Invalid status: {status}. Expected one of {LIST_STATUSES}")
    return statuses


def _listing(request: Request, space_id: str | None) -> Response:
    store = request.store
    fmt = body_format(request)
    ids = request.list_arg("id")
    if len(ids) > MAX_LIMIT:
        raise InvalidRequest(f"At most {MAX_LIMIT} ids can be requested at once")
    space_ids = [space_id] if space_id else request.list_arg("space-id")
    statuses = _statuses(request)
    title = request.arg("title")
    if title is not None and space_ids:
        pages = [p for s in space_ids for p in store.pages.titled(s, title)]
    else:
        pages = store.pages.all(statuses=statuses)
    pages = [
        p
        for p in pages
        if p.status in statuses
        and (not ids or p.id in ids)
        and (not space_ids or p.space_id in space_ids)
        and (title is None or p.title == title)
        and (request.arg("depth", "all") != "root" or p.parent_id is None)
    ]
    return v2_list(request, sort_pages(request, pages), lambda p: page_json(request, p, fmt=fmt))


@routes("GET", "/pages")
def list_pages(request: Request) -> Response:
    """GET /pages: filter by id, space-id, title (exact), status; sort; paginate."""
    return _listing(request, None)


@routes("GET", "/spaces/{id}/pages")
def list_space_pages(request: Request) -> Response:
    """GET /spaces/{id}/pages: as /pages within one space, plus ``depth=all|root``."""
    space = request.store.space(request.params["id"])
    if request.arg("depth", "all") not in ("all", "root"):
        raise InvalidRequest("depth must be all or root")
    return _listing(request, space.id)


@routes("POST", "/pages")
def create_page(request: Request) -> Response:
    """POST /pages: under ``parentId``, the homepage, or the root with ``root-level=true``."""
    store = request.store
    data = request.json_object()
    if not data.get("spaceId"):
        raise InvalidRequest("spaceId is required")
    space = store.space(str(data["spaceId"]))
    status = data.get("status", "current")
    if status not in ("current", "draft"):
        raise InvalidRequest(f"Invalid status: {status}. Expected current or draft")
    parent_id = data.get("parentId")
    if request.flag("root-level"):
        if parent_id is not None:
            raise InvalidRequest("parentId must be absent when root-level is true")
    elif parent_id is None and space.homepage_id is not None:
        home = store.pages.find(space.homepage_id)
        parent_id = home.id if home is not None and home.status in VISIBLE else None
    page = store.pages.create(
        space.id,
        str(data.get("title") or ""),
        storage_value(data.get("body")),
        author_id=request.account_id,
        parent_id=None if parent_id is None else str(parent_id),
        status=status,
    )
    return _page_response(request, page, fmt="storage")


@routes("GET", "/pages/{id}")
def get_page(request: Request) -> Response:
    """GET /pages/{id}: a trashed page only with ``status=trashed``; ``version`` for history."""
    store = request.store
    statuses = request.list_arg("status") or SINGLE_DEFAULT
    page = store.pages.get(request.params["id"], statuses=statuses)
    if page.status == "draft" and page.author_id != request.account_id:
        raise NotFound(f"No content found with id: {page.id}")  # a draft is its author's
    number = request.arg("version")
    version = store.pages.version(page.id, request.int_arg("version", 0)) if number else None
    data = page_json(request, page, fmt=body_format(request), version=version, base=True)
    if request.arg("include-version", "true") != "true":
        del data["version"]
    embeds: dict[str, Callable[[], list[dict[str, Any]]]] = {
        "labels": lambda: [label_json(x) for x in store.labels.of(page.id)],
        "properties": lambda: [property_json(x) for x in store.properties.of(page.id)],
        "versions": lambda: [version_json(x) for x in store.pages.versions(page.id)[::-1]],
    }
    for name, items in embeds.items():
        if request.flag(f"include-{name}"):
            found = items()
            data[name] = {
                "results": found[:EMBEDDED_LIMIT],
                "meta": {"hasMore": len(found) > EMBEDDED_LIMIT, "cursor": None},
                "_links": {"self": f"{request.context_path}/api/v2/pages/{page.id}/{name}"},
            }
    return Response.json(data)


@routes("PUT", "/pages/{id}")
def update_page(request: Request) -> Response:
    """PUT /pages/{id}: new version (current + 1), optional move via ``parentId``."""
    store = request.store
    data = request.json_object()
    for name in ("id", "status", "title", "body", "version"):
        if name not in data:
            raise InvalidRequest(f"{name} is required")
    if str(data["id"]) != request.params["id"]:
        raise InvalidRequest("The id in the body does not match the id in the path")
    page = store.pages.get(request.params["id"])
    version = data["version"]
    if not isinstance(version, dict) or not isinstance(version.get("number"), int):
        raise InvalidRequest("version.number is required")
    if data.get("spaceId") is not None and str(data["spaceId"]) != page.space_id:
        raise InvalidRequest("Pages cannot change space here; use the v1 move endpoint")
    if data["status"] not in ("current", "draft"):
        raise InvalidRequest(f"Invalid status: {data['status']}. Expected current or draft")
    parent = data.get("parentId")
    page = store.pages.update(
        page.id,
        version=version["number"],
        author_id=request.account_id,
        title=str(data["title"]),
        body=storage_value(data.get("body")),
        parent_id=KEEP if parent is None else str(parent),
        status=data["status"],
        message=str(version.get("message") or ""),
        minor_edit=bool(version.get("minorEdit", False)),
    )
    return _page_response(request, page, fmt="storage")


@routes("PUT", "/pages/{id}/title")
def update_title(request: Request) -> Response:
    """PUT /pages/{id}/title: rename, as a new version with the same body."""
    store = request.store
    data = request.json_object()
    if not isinstance(data.get("title"), str):
        raise InvalidRequest("title is required")
    page = store.pages.get(request.params["id"], statuses=(*VISIBLE, "draft"))
    page = store.pages.update(
        page.id,
        version=page.version + 1,
        author_id=request.account_id,
        title=data["title"],
        status="draft" if page.status == "draft" else "current",
    )
    return _page_response(request, page)


@routes("DELETE", "/pages/{id}")
def delete_page(request: Request) -> Response:
    """DELETE /pages/{id}: trash; ``purge=true`` purges a trashed page; ``draft=true``."""
    store = request.store
    page = store.pages.get(request.params["id"])
    if request.flag("purge"):
        store.pages.purge(page.id)
    elif request.flag("draft"):
        store.pages.trash(store.pages.get(page.id, statuses=("draft",)).id)
    elif page.status == "trashed":
        raise NotFound(f"No content found with id: {page.id}")
    else:
        store.pages.trash(page.id)
    return Response.empty()


def _page_response(request: Request, page: Page, fmt: str | None = None) -> Response:
    return Response.json(page_json(request, page, fmt=fmt, base=True))
