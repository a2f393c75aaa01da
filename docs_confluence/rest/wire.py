"""One site's requests, as both dialects make them: the two API roots, a GET or a write whose
answer is decoded (:func:`.responses.decode`), the three ways a listing is paged (v2 by its
next link, v1 by offset, v1 by its next link) and the rule that a next link never leaves the
site (the credentials go with every request)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import urljoin

import httpx

from ..errors import PublishError, UnexpectedAnswer
from .responses import decode, json_object, listing

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .sender import Sender

__all__ = ["Wire", "current", "first"]

log = logging.getLogger(__name__)

#: How many times an offset-paged listing that changed while it was read is read again.
_DRIFT_READS = 3

T = TypeVar("T")


class Wire:
    """Requests to the site at *base_url* through *sender*: ``v2`` (``{base}/api/v2``, Cloud)
    and ``v1`` (``{base}/rest/api``) are the roots of the two REST APIs."""

    def __init__(self, base_url: str, sender: Sender) -> None:
        self.base_url = base_url
        self.sender = sender
        self.v2 = base_url + "/api/v2"
        self.v1 = base_url + "/rest/api"

    @overload
    def get(
        self, url: str, *, what: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]: ...

    @overload
    def get(
        self,
        url: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        read: Callable[[Any], T],
    ) -> T: ...

    def get(
        self,
        url: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        read: Callable[[Any], Any] = json_object,
    ) -> Any:
        """GET *url*; what *read* makes of the answer's JSON (:func:`.responses.decode`)."""
        return decode(self.sender.send("GET", url, params=params, what=what), what, read)

    def send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        json: Any,
        read: Callable[[Any], T],
    ) -> T:
        """Send a write; what *read* makes of the answer (a body that is not the JSON
        expected makes its outcome unknown)."""
        return decode(self.sender.send(method, url, json=json, what=what), what, read)

    def paginate_v2(
        self, url: str, params: dict[str, Any], *, what: str, read: Callable[[Any], T | None]
    ) -> Iterator[T]:
        """A v2 listing, paged by its ``_links.next`` (a cursor)."""
        next_url: str | None = url
        next_params: dict[str, Any] | None = params
        while next_url:
            page = self.get(next_url, params=next_params, what=what, read=listing(read))
            yield from page.items
            next_url = self._v2_next(page.next, what) if page.next else None
            next_params = None

    def _v2_next(self, following: str, what: str) -> str:
        # _links.next is origin-relative ("/wiki/api/v2/...") and may name the site domain even
        # behind the api.atlassian.com gateway: keep only what follows /api/v2.
        marker = following.find("/api/v2/")
        if marker < 0:
            return self._same_site(urljoin(self.base_url + "/", following), what)
        return self.v2 + following[marker + len("/api/v2") :]

    def paginate_v1(
        self, url: str, params: dict[str, Any], *, what: str, read: Callable[[Any], T | None]
    ) -> Iterator[T]:
        """A v1 listing paged by offset (``start``). Each page after the first starts at the
        last item of the one before: if that item is not where it was, pages were added or
        removed in between (offsets shifted, so an item may have been skipped), and the
        listing is read again from the start (items already given are not given twice)."""
        given: set[str] = set()
        for _ in range(_DRIFT_READS):
            start = 0
            last: str | None = None
            while True:
                page = self.get(
                    url, params={**params, "start": start}, what=what, read=listing(read)
                )
                ids, values = page.ids, page.values
                if last is not None:
                    if not ids or ids[0] != last:
                        log.info(
                            "%s: the listing changed between two of its pages (at %d); "
                            "reading it again",
                            what,
                            start,
                        )
                        break
                    ids, values = ids[1:], values[1:]
                for item_id, value in zip(ids, values, strict=True):
                    if value is not None and (not item_id or item_id not in given):
                        given.add(item_id)
                        yield value
                if not page.ids or not page.next:
                    return
                # Overlap by one item (when the page has room for it) to see drift.
                last = page.ids[-1] if len(page.ids) > 1 and page.ids[-1] else None
                start += len(page.ids) - 1 if last is not None else len(page.ids)
        raise PublishError(
            f"{what}: the listing kept changing while it was read (pages added or removed "
            f"between its requests, {_DRIFT_READS} times); run again"
        )

    def follow_v1(
        self, url: str, params: dict[str, Any], *, what: str, read: Callable[[Any], T | None]
    ) -> Iterator[T]:
        """A v1 listing paged by its ``_links.next`` (CQL search on Cloud pages by a cursor in
        that link, not by ``start``)."""
        next_url: str | None = url
        next_params: dict[str, Any] | None = params
        while next_url:
            page = self.get(next_url, params=next_params, what=what, read=listing(read))
            yield from page.items
            next_url = self._v1_next(page.next, what) if page.next and page.ids else None
            next_params = None

    def _v1_next(self, following: str, what: str) -> str:
        # _links.next is relative to _links.base (".../wiki" or DC's context path); keep only
        # what follows /rest/api, so the gateway's base URL is kept too.
        marker = following.find("/rest/api/")
        if marker < 0:
            return self._same_site(urljoin(self.base_url + "/", following.lstrip("/")), what)
        return self.v1 + following[marker + len("/rest/api") :]

    def _same_site(self, url: str, what: str) -> str:
        """*url* (a link Confluence gave) when it is on the configured site; a link to another
        origin is never followed: the credentials go with every request."""
        site, there = httpx.URL(self.base_url), httpx.URL(url)
        if _origin(there) != _origin(site):
            raise UnexpectedAnswer(
                f"{what}: Confluence's answer links the next page to another site "
                f"({there.scheme}://{there.host}{'' if there.port is None else f':{there.port}'})"
                f", not {site.scheme}://{site.host}{'' if site.port is None else f':{site.port}'};"
                " not followed, so the credentials stay with the configured site. Check the URL "
                "(and any proxy in front of Confluence)",
                status=200,
                method="GET",
                url=str(there.copy_with(query=None, username=None, password=None)),
                detail="next link to another site",
            )
        return url


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the scheme's own when none is written) of *url*."""
    port = url.port if url.port is not None else {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, port


def first(read: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """A reader of a listing's first item (None when it has none)."""

    def first_item(body: Any) -> T | None:
        results = json_object(body).get("results") or []
        return read(results[0]) if results else None

    return first_item


def current(read: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """*read*, for items whose ``status`` is current (the rest left out)."""

    def current_item(item: Any) -> T | None:
        return read(item) if json_object(item).get("status", "current") == "current" else None

    return current_item
