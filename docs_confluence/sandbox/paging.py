"""Pagination: v2 opaque cursors with ``Link`` headers, v1 ``start``/``limit``."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from .errors import InvalidRequest
from .messages import Response

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .messages import Request

T = TypeVar("T")

MAX_LIMIT = 250
#: What v1 endpoints silently cap ``limit`` to (Confluence caps per endpoint).
V1_MAX_LIMIT = 200


def encode_cursor(offset: int) -> str:
    """An opaque cursor for the item at ``offset``."""
    raw = json.dumps({"offset": offset, "kind": "sandbox"}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The offset inside a cursor from `encode_cursor`; 400 when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["offset"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidRequest(f"Invalid cursor: {cursor}") from None
    if not isinstance(offset, int) or offset < 0:
        raise InvalidRequest(f"Invalid cursor: {cursor}")
    return offset


def v2_limit(request: Request, default: int = 25) -> int:
    """The ``limit`` parameter, which must be within 1..250."""
    limit = request.int_arg("limit", default)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    return limit


def _query_with(request: Request, **changes: str | int) -> str:
    pairs = [(k, v) for k, values in request.query.items() if k not in changes for v in values]
    pairs += [(k, str(v)) for k, v in changes.items()]
    return urlencode(pairs)


def v2_list(
    request: Request,
    items: Sequence[T],
    render: Callable[[T], dict[str, Any]],
    *,
    default_limit: int = 25,
) -> Response:
    """One page of ``items`` as a v2 list, with ``_links.next`` and ``Link`` when more exist."""
    limit = v2_limit(request, default_limit)
    cursor = request.arg("cursor")
    offset = decode_cursor(cursor) if cursor else 0
    chunk = items[offset : offset + limit]
    links: dict[str, str] = {"base": request.base}
    headers: tuple[tuple[str, str], ...] = ()
    if offset + limit < len(items):
        query = _query_with(request, limit=limit, cursor=encode_cursor(offset + limit))
        nxt = f"{request.path}?{query}"
        links["next"] = nxt
        headers = (("Link", f'<{nxt}>; rel="next", <{request.base}>; rel="base"'),)
    body = {"results": [render(item) for item in chunk], "_links": links}
    return Response.json(body, headers=headers)


def v1_list(
    request: Request,
    items: Sequence[T],
    render: Callable[[T], dict[str, Any]],
    *,
    default_limit: int = 25,
    max_limit: int = V1_MAX_LIMIT,
) -> Response:
    """One page of ``items`` as a v1 list (``start``/``limit``/``size``, ``_links.next``)."""
    start = request.int_arg("start", 0)
    limit = request.int_arg("limit", default_limit)
    if start < 0 or limit < 1:
        raise InvalidRequest("start must be >= 0 and limit must be >= 1")
    limit = min(limit, max_limit)
    chunk = items[start : start + limit]
    self_link = f"{request.base}{request.route}"
    if request.query:
        self_link += f"?{_query_with(request)}"
    links = {"base": request.base, "context": request.context_path, "self": self_link}
    if start + limit < len(items):
        links["next"] = f"{request.route}?{_query_with(request, start=start + limit, limit=limit)}"
    if start > 0:
        links["prev"] = (
            f"{request.route}?{_query_with(request, start=max(start - limit, 0), limit=limit)}"
        )
    body = {
        "results": [render(item) for item in chunk],
        "start": start,
        "limit": limit,
        "size": len(chunk),
        "_links": links,
    }
    return Response.json(body)
