"""v1 content: list, read, create, update, delete, children, move and CQL search."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from .. import cql
from ..errors import Forbidden, InvalidRequest, NotFound
from ..messages import Response, RouteTable
from ..paging import v1_list
from ..store.pages import KEEP
from ..store.records import Attachment
from .shapes import attachment_json, content_json, expansions

if TYPE_CHECKING:
    from ..messages import Request
    from ..store.pages import MovePosition
    from ..store.records import Page, PageStatus

routes = RouteTable("v1", "/rest/api")

V1_STATUSES = ("current", "trashed", "deleted", "historical", "draft", "any", "archived")
DEFAULT_STATUSES: tuple[PageStatus, ...] = ("current",)
SINGLE_DEFAULT: tuple[PageStatus, ...] = ("current", "archived", "draft")
ALL_STATUSES: tuple[PageStatus, ...] = ("current", "archived", "trashed", "draft")


def _statuses(request: Request, default: tuple[PageStatus, ...]) -> tuple[str, ...]:
    wanted = request.list_arg("status")
    for status in wanted:
        if status not in V1_STATUSES:
            raise InvalidRequest(f"Invalid status: {status}. Expected one of {V1_STATUSES}")
    if "any" in wanted:
        return ALL_STATUSES
    return tuple(wanted) or default


def storage_value(data: dict[str, Any]) -> str:
    """The storage value of a v1 content body (``body.storage.value``); "" when absent."""
    body = data.get("body")
    if body is None:
        return ""
    storage = body.get("storage") if isinstance(body, dict) else None
    if not isinstance(storage, dict) or not isinstance(storage.get("value"), str):
        raise InvalidRequest("body.storage.value must be a string (storage representation)")
    return str(storage["value"])


def parent_from_ancestors(data: dict[str, Any]) -> str | None:
    """The id of the last (direct parent) entry of ``ancestors``, if any."""
    ancestors = data.get("ancestors")
    if not ancestors:
        return None
    if not isinstance(ancestors, list) or not isinstance(ancestors[-1], dict):
        raise InvalidRequest('ancestors must be a list of {"id": ...}')
    return str(ancestors[-1].get("id"))


@routes("GET", "/content")
def list_content(request: Request) -> Response:
    """GET /content: ``type``, ``spaceKey``, ``title`` (exact), ``status``, start/limit."""
    store = request.store
    expand = expansions(request)
    if request.arg("type", "page") != "page":
        return v1_list(request, [], lambda p: {})
    statuses = _statuses(request, DEFAULT_STATUSES)
    space_key = request.arg("spaceKey")
    space = store.space_by_key(space_key) if space_key else None
    if space_key and space is None:
        return v1_list(request, [], lambda p: {})
    title = request.arg("title")
    if title is not None and space is not None:
        pages = store.pages.titled(space.id, title)
    else:
        pages = store.pages.all(space_id=space.id if space else None)
    pages = [
        p
        for p in pages
        if p.status in statuses
        and title in (None, p.title)
        and (p.status != "draft" or p.author_id == request.account_id)  # a draft is its author's
    ]
    return v1_list(request, pages, lambda p: content_json(request, p, expand))


@routes("GET", "/content/{id}")
def get_content(request: Request) -> Response:
    """GET /content/{id}: trashed pages only with ``status=trashed``; attachments by att id;
    ``status=historical&version=N`` for an older version."""
    store = request.store
    content_id = request.params["id"]
    if content_id.startswith("att"):
        return Response.json(attachment_json(request, store.attachments.get(content_id)))
    statuses = _statuses(request, SINGLE_DEFAULT)
    number = request.int_arg("version", 0)
    if "historical" in statuses and number:  # an older version of a live page
        statuses = (*statuses, *SINGLE_DEFAULT)
    page = store.pages.get(content_id, statuses=statuses)
    version = store.pages.version(page.id, number) if number else None
    data = content_json(request, page, expansions(request), version=version, base=True)
    return Response.json(data)


@routes("POST", "/content")
def create_content(request: Request) -> Response:
    """POST /content: a page at the space root unless ``ancestors`` names a parent."""
    store = request.store
    data = request.json_object()
    if data.get("type", "page") != "page":
        raise InvalidRequest(f"The sandbox creates content of type page only, not {data['type']}")
    space_data = data.get("space")
    key = space_data.get("key") if isinstance(space_data, dict) else None
    if not key:
        raise InvalidRequest("space.key is required")
    space = store.space_by_key(str(key))
    if space is None:
        raise Forbidden(f"No space with key : {key}")
    status = data.get("status", "current")
    if status not in ("current", "draft"):
        raise InvalidRequest(f"Invalid status: {status}. Expected current or draft")
    page = store.pages.create(
        space.id,
        str(data.get("title") or ""),
        storage_value(data),
        author_id=request.account_id,
        parent_id=parent_from_ancestors(data),
        status=status,
    )
    return _content_response(request, page)


@routes("PUT", "/content/{id}")
def update_content(request: Request) -> Response:
    """PUT /content/{id}: ``version.number`` must be current + 1; ``ancestors`` re-parents
    (see ``v1_update_without_ancestors_to_root`` for an update without them)."""
    store = request.store
    data = request.json_object()
    page = store.pages.get(request.params["id"])
    version = data.get("version")
    number = version.get("number") if isinstance(version, dict) else None
    if not isinstance(version, dict) or not isinstance(number, int):
        number = None
    if not data.get("type") or not isinstance(data.get("title"), str):
        raise InvalidRequest("type and title are required when updating content")
    status = data.get("status", "current")
    if status not in ("current", "draft"):
        raise InvalidRequest(f"Invalid status: {status}. Expected current or draft")
    parent = parent_from_ancestors(data)
    # Without ancestors the page keeps its parent, or (an older server) goes to the space root.
    to_root = parent is None and store.pages.v1_update_without_ancestors_to_root
    page = store.pages.update(
        page.id,
        version=number,
        author_id=request.account_id,
        title=data["title"],
        body=storage_value(data) if "body" in data else None,
        parent_id=None if to_root else KEEP if parent is None else parent,
        status=status,
        message=str((version or {}).get("message") or ""),
        minor_edit=bool((version or {}).get("minorEdit", False)),
    )
    return _content_response(request, page)


@routes("DELETE", "/content/{id}")
def delete_content(request: Request) -> Response:
    """DELETE /content/{id}: trash; ``status=trashed`` purges; attachments go at once."""
    store = request.store
    content_id = request.params["id"]
    if content_id.startswith("att"):
        store.attachments.purge(content_id)
        return Response.empty()
    page = store.pages.get(content_id)
    if request.arg("status") == "trashed":
        store.pages.purge(page.id)
    elif page.status == "trashed":
        raise NotFound(f"No content found with id: {content_id}")
    else:
        store.pages.trash(page.id)
    return Response.empty()


@routes("GET", "/content/{id}/child/page")
def child_pages(request: Request) -> Response:
    """GET /content/{id}/child/page: children in position order (start/limit/expand)."""
    store = request.store
    parent = store.pages.get(request.params["id"], statuses=("current", "archived"))
    expand = expansions(request)
    kids = store.pages.children(parent.id, statuses=("current",))
    return v1_list(request, kids, lambda p: content_json(request, p, expand))


@routes("PUT", "/content/{id}/move/{position}/{target}")
def move_content(request: Request) -> Response:
    """PUT /content/{id}/move/{before|after|append}/{targetId}: 400 on cycles and clashes."""
    position = request.params["position"]
    if position not in ("before", "after", "append"):
        raise InvalidRequest(f"Invalid position: {position}. Expected before, after or append")
    page = request.store.pages.move(
        request.params["id"], cast("MovePosition", position), request.params["target"]
    )
    return Response.json({"pageId": page.id})


@routes("GET", "/content/search")
def search(request: Request) -> Response:
    """GET /content/search?cql=...: the `cql` subset over current pages, then the current
    attachments of current pages (as attachment content, ``container`` included)."""
    store = request.store
    query = request.arg("cql")
    if not query:
        raise InvalidRequest("cql is required")
    clauses = cql.parse(query)
    expand = expansions(request)
    current = store.pages.all(statuses=("current",))
    found: list[Page | Attachment] = [
        p for p in current if all(clause.matches(p, store) for clause in clauses)
    ]
    if any(c.field == "type" and "attachment" in c.values for c in clauses):
        found += [
            a
            for a in store.attachments.on_pages({p.id for p in current})
            if all(clause.matches_attachment(a, store) for clause in clauses)
        ]

    def render(item: Page | Attachment) -> dict[str, Any]:
        if isinstance(item, Attachment):
            return attachment_json(request, item)
        return content_json(request, item, expand)

    return v1_list(request, found, render, max_limit=_search_cap(request, expand))


def _search_cap(request: Request, expand: set[str]) -> int:
    """What Confluence silently caps a CQL search's ``limit`` to: 50 with a body expansion, 200
    with others, 1000 with none (Data Center, Atlassian KB 1032258424; Cloud answers at most 250
    without expansions by users' reports, and is taken to cap expansions as DC does)."""
    if any(name == "body" or name.startswith("body.") for name in expand):
        return 50
    if expand:
        return 200
    return 250 if request.flavor == "cloud" else 1000


def _content_response(request: Request, page: Page) -> Response:
    expand = {"body", "body.storage", "ancestors", *expansions(request)}
    return Response.json(content_json(request, page, expand, base=True))
