"""Confluence's JSON answers read into the plain values of :mod:`docs_confluence.rest.models`: the
v2 and v1 shapes of a page, and of an attachment.

:func:`decode` is the one door every answer the client reads goes through: a 2xx whose body is
not the JSON expected (an HTML login page from a single sign-on proxy, a truncated body, an
empty one, a list where an object belongs, an item without its ``id``) becomes one line naming
the request and what came back, never a ``KeyError`` traceback. For a write it is
:class:`~docs_confluence.errors.OutcomeUnknown`: the request may have been carried out (or may
never have reached Confluence), so the caller finds out, as for a lost answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..errors import OutcomeUnknown, UnexpectedAnswer
from .models import RemoteAttachment, RemotePage, RemoteProperty, Space

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

__all__ = [
    "Listing",
    "attachment_container",
    "attachment_from_json",
    "child",
    "decode",
    "json_object",
    "listing",
    "page_from_v1",
    "page_from_v2",
    "property_from_json",
    "space_from_v1",
    "space_from_v2",
]

T = TypeVar("T")

_READS = {"GET", "HEAD", "OPTIONS"}
#: Errors a converter raises on JSON of another shape than it reads.
_SHAPE_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError)


def json_object(body: Any) -> dict[str, Any]:
    """*body* when it is a JSON object (what nearly every Confluence answer is)."""
    if not isinstance(body, dict):
        raise TypeError(f"a JSON {_kind(body)} where an object was expected")
    return body


def decode(response: httpx.Response, what: str, read: Callable[[Any], T]) -> T:
    """The value *read* makes of *response*'s JSON body; raises
    :class:`~docs_confluence.errors.UnexpectedAnswer` (a read) or
    :class:`~docs_confluence.errors.OutcomeUnknown` (a write) when the body is not JSON, or not
    the JSON *read* expects. *what* says what the request was for."""
    try:
        body = json.loads(response.content)
    except ValueError:
        problem = _not_json(response)
    else:
        try:
            return read(body)
        except _SHAPE_ERRORS as exc:
            problem = f"JSON of another shape than expected ({_shape_problem(exc)})"
    method = response.request.method
    url = str(response.request.url.copy_with(query=None, username=None, password=None))
    message = f"{what}: Confluence answered {response.status_code} with {problem} ({method} {url})"
    if method.upper() not in _READS:
        raise OutcomeUnknown(
            f"{message}; the request may or may not have been carried out, the next run finds out"
        )
    raise UnexpectedAnswer(
        f"{message}; run again, and if it persists check the URL and what stands between "
        "here and Confluence",
        status=response.status_code,
        method=method,
        url=url,
        detail=problem,
    )


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """One page of a listing: what *read* made of each item (None: left out), the ids of the
    items in the same order (to check offset-paged listings for drift), and the link to the
    next page."""

    values: list[T | None]
    ids: list[str]
    next: str | None

    @property
    def items(self) -> list[T]:
        """The values, without the items *read* left out."""
        return [value for value in self.values if value is not None]


def listing(read: Callable[[Any], T | None]) -> Callable[[Any], Listing[T]]:
    """A reader of one page of a listing (``results``, ``_links.next``) whose items *read*
    turns into values (None: leave the item out)."""

    def page(body: Any) -> Listing[T]:
        data = json_object(body)
        results = data.get("results", [])
        if not isinstance(results, list):
            raise TypeError(f"'results' is a JSON {_kind(results)}, not a list")
        items = [json_object(item) for item in results]
        links = data.get("_links") or {}
        following = links.get("next") if isinstance(links, dict) else None
        ids = [str(item.get("id", item.get("key", ""))) for item in items]
        return Listing([read(item) for item in items], ids, str(following) if following else None)

    return page


def space_from_v2(body: Any) -> Space | None:
    """The space a v2 listing by key found, if any."""
    results = json_object(body).get("results") or []
    if not results:
        return None
    item = json_object(results[0])
    homepage = item.get("homepageId")
    return Space(str(item["id"]), str(item["key"]), str(item.get("name", "")), homepage)


def space_from_v1(body: Any) -> Space:
    """A space from a v1 answer (``expand=homepage``)."""
    item = json_object(body)
    homepage = (item.get("homepage") or {}).get("id")
    return Space(
        str(item["id"]), str(item["key"]), str(item.get("name", "")), homepage and str(homepage)
    )


def property_from_json(item: Any) -> RemoteProperty:
    """A content property (v2 or v1)."""
    data = json_object(item)
    number = int((data.get("version") or {}).get("number", 1))
    return RemoteProperty(str(data.get("id", "")), str(data["key"]), data["value"], number)


def _version(item: dict[str, Any]) -> dict[str, Any]:
    """A page's ``version`` object: every page answer the client asks for carries one (v1:
    expanded), and a page read without it would be taken for version 1."""
    if "version" not in item:
        raise KeyError("version")
    return json_object(item["version"])


def _not_json(response: httpx.Response) -> str:
    """What a body that is not JSON looks like, in a few words."""
    content = response.content
    if not content.strip():
        return "an empty body instead of JSON"
    text = content[:2048].decode("utf-8", "replace")
    head = text.lower()
    media = response.headers.get("Content-Type", "").split(";")[0].strip()
    if "<html" in head or "<!doctype html" in head or media == "text/html":
        title = re.search(r"<title[^>]*>([^<]{1,80})", text, re.IGNORECASE)
        named = f" titled {title.group(1).strip()!r}" if title and title.group(1).strip() else ""
        return (
            f"an HTML page{named} instead of JSON (a login or proxy page? check the URL, and "
            "any single sign-on proxy or gateway in front of Confluence)"
        )
    if content.lstrip()[:1] in (b"{", b"["):
        return f"JSON cut short after {len(content)} bytes (a truncated answer)"
    return f"{media or 'a body'} instead of JSON"


def _kind(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _shape_problem(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]!r}" if exc.args else "a field missing"
    return str(exc).split("\n")[0][:120] or type(exc).__name__


_DOWNLOAD = re.compile(r"/download/attachments/(\d+)/")


def attachment_from_json(body: Any) -> RemoteAttachment:
    """An attachment from a v2 listing or a v1 one (comment and size sit elsewhere)."""
    item = json_object(body)
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


def page_from_v2(body: Any) -> RemotePage:
    """A page from a REST v2 answer."""
    item = json_object(body)
    version = _version(item)
    body = ((item.get("body") or {}).get("storage") or {}).get("value")
    return RemotePage(
        id=str(item["id"]),
        title=item["title"],
        parent_id=None if item.get("parentId") is None else str(item["parentId"]),
        position=item.get("position"),
        version=int(version["number"]),
        version_message=version.get("message") or "",
        author_id=version.get("authorId"),
        status=item.get("status", "current"),
        body=body,
        webui=(item.get("_links") or {}).get("webui"),
    )


def page_from_v1(body: Any) -> RemotePage:
    """A page from a REST v1 answer (its parent is the last of its ancestors)."""
    item = json_object(body)
    version = _version(item)
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
        version=int(version["number"]),
        version_message=version.get("message") or "",
        author_id=author,
        status=item.get("status", "current"),
        body=body,
        webui=(item.get("_links") or {}).get("webui"),
    )


def child(item: Any) -> tuple[str, str]:
    """The id and title of a child page in a listing (one without an id is an answer of the
    wrong shape)."""
    return str(item["id"]), str(item.get("title", ""))
