"""v1 content properties, labels, spaces and the current user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequest, NotFound
from ..messages import Response, RouteTable
from ..paging import v1_list
from .shapes import expansions, label_json, property_json, space_json, user_json

if TYPE_CHECKING:
    from ..messages import Request
    from ..store.records import Page

routes = RouteTable("v1", "/rest/api")


def _page(request: Request) -> Page:
    return request.store.pages.get(request.params["id"], statuses=("current", "archived", "draft"))


@routes("GET", "/content/{id}/property")
def list_properties(request: Request) -> Response:
    """GET /content/{id}/property (start/limit)."""
    page = _page(request)
    props = request.store.properties.of(page.id)
    return v1_list(request, props, lambda p: property_json(request, p), default_limit=10)


@routes("POST", "/content/{id}/property")
def create_property(request: Request) -> Response:
    """POST /content/{id}/property: ``{"key", "value"}``; a used key is a 400."""
    page = _page(request)
    data = request.json_object()
    if not isinstance(data.get("key"), str) or "value" not in data:
        raise InvalidRequest("key and value are required")
    prop = request.store.properties.create(
        page.id, data["key"], data["value"], author_id=request.account_id
    )
    return Response.json(property_json(request, prop))


@routes("GET", "/content/{id}/property/{key}")
def get_property(request: Request) -> Response:
    """GET /content/{id}/property/{key}."""
    page = _page(request)
    prop = request.store.properties.by_key(page.id, request.params["key"])
    if prop is None:
        raise NotFound(f"Cannot find content property with key: {request.params['key']}")
    return Response.json(property_json(request, prop))


@routes("PUT", "/content/{id}/property/{key}")
def update_property(request: Request) -> Response:
    """PUT /content/{id}/property/{key}: current + 1, or creates the key at version 1."""
    store = request.store
    page = _page(request)
    key = request.params["key"]
    data = request.json_object()
    version: Any = data.get("version")
    number = version.get("number") if isinstance(version, dict) else None
    if not isinstance(number, int):
        raise InvalidRequest("version.number is required")
    if "value" not in data:
        raise InvalidRequest("value is required")
    prop = store.properties.by_key(page.id, key)
    if prop is None:
        if number != 1:
            raise NotFound(f"Cannot find content property with key: {key}")
        prop = store.properties.create(page.id, key, data["value"], author_id=request.account_id)
    else:
        prop = store.properties.update(
            page.id,
            prop.id,
            data["value"],
            version=number,
            author_id=request.account_id,
            message=str(version.get("message") or ""),
            minor_edit=bool(version.get("minorEdit", False)),
        )
    return Response.json(property_json(request, prop))


@routes("DELETE", "/content/{id}/property/{key}")
def delete_property(request: Request) -> Response:
    """DELETE /content/{id}/property/{key}."""
    page = _page(request)
    prop = request.store.properties.by_key(page.id, request.params["key"])
    if prop is None:
        raise NotFound(f"Cannot find content property with key: {request.params['key']}")
    request.store.properties.delete(page.id, prop.id)
    return Response.empty()


@routes("GET", "/content/{id}/label")
def list_labels(request: Request) -> Response:
    """GET /content/{id}/label (``prefix`` filter, start/limit)."""
    page = _page(request)
    labels = request.store.labels.of(page.id, request.arg("prefix"))
    return v1_list(request, labels, label_json, default_limit=200)


@routes("POST", "/content/{id}/label")
def add_labels(request: Request) -> Response:
    """POST /content/{id}/label: a list of (or one) ``{"prefix", "name"}``; keeps others."""
    page = _page(request)
    data = request.json()
    items = data if isinstance(data, list) else [data]
    wanted: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InvalidRequest('Labels must be {"prefix": "global", "name": "..."} objects')
        wanted.append((str(item.get("prefix") or "global"), item["name"]))
    labels = request.store.labels.add(page.id, wanted)
    return v1_list(request, labels, label_json, default_limit=200)


@routes("DELETE", "/content/{id}/label/{name}")
def remove_label(request: Request) -> Response:
    """DELETE /content/{id}/label/{name}."""
    page = _page(request)
    request.store.labels.remove(page.id, request.params["name"])
    return Response.empty()


@routes("DELETE", "/content/{id}/label")
def remove_label_by_query(request: Request) -> Response:
    """DELETE /content/{id}/label?name=...: for names a path cannot carry."""
    page = _page(request)
    name = request.arg("name")
    if not name:
        raise InvalidRequest("name is required")
    request.store.labels.remove(page.id, name)
    return Response.empty()


@routes("GET", "/space")
def list_spaces(request: Request) -> Response:
    """GET /space: optional ``spaceKey`` filter (repeatable)."""
    keys = request.list_arg("spaceKey")
    spaces = [s for s in request.store.spaces() if not keys or s.key in keys]
    expand = expansions(request)
    return v1_list(request, spaces, lambda s: space_json(request, s, expand))


@routes("GET", "/space/{key}")
def get_space(request: Request) -> Response:
    """GET /space/{key} (``expand=homepage``)."""
    space = request.store.space_by_key(request.params["key"])
    if space is None:
        raise NotFound(f"No space with key : {request.params['key']}")
    return Response.json(space_json(request, space, expansions(request)))


@routes("GET", "/user/current")
def current_user(request: Request) -> Response:
    """GET /user/current: who the credentials act as."""
    return Response.json(user_json(request, request.account_id))


@routes("GET", "/user")
def user(request: Request) -> Response:
    """GET /user?accountId=...: one user (Data Center: ``key`` or ``username``); 404 unknown."""
    store = request.store
    account_id = request.arg("accountId") or request.arg("key")
    username = request.arg("username")
    if not (account_id or username):
        raise InvalidRequest("accountId, key or username is required")
    found = store.user(account_id) if account_id else store.user_by_email(username or "")
    if found is None:
        raise NotFound(f"No user found with accountId: {account_id or username}")
    return Response.json(user_json(request, found.account_id))
