"""ConfluenceClient: the few REST calls the publisher needs, on Cloud and on Data Center.

Cloud uses REST v2 (``{base}/api/v2``) and v1 (``{base}/rest/api``) only where Cloud has no v2:
attachment upload, labels, move. Data Center has v1 only, under its context path. The client
takes its transport (tests pass :class:`docs_confluence.testing.SandboxTransport`), never
inspects credentials, and turns answers into the values of :mod:`docs_confluence.models`
(:mod:`docs_confluence.responses` reads the JSON).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload
from urllib.parse import urljoin

import httpx

from .auth.credentials import remember_secrets
from .errors import ConfigError, NotFound, PermissionDenied, PublishError, UnexpectedAnswer
from .in_flight import InFlight
from .models import RemoteAttachment, RemotePage, RemoteProperty, Space, User
from .responses import (
    attachment_container,
    attachment_from_json,
    decode,
    json_object,
    listing,
    page_from_v1,
    page_from_v2,
    property_from_json,
    space_from_v1,
    space_from_v2,
)
from .sender import RetryPolicy, Sender
from .version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path

__all__ = ["ConfluenceClient", "MovePosition"]

log = logging.getLogger(__name__)

MovePosition = Literal["before", "after", "append"]
_PAGE_LIMIT = 250
_V1_LIMIT = 100
#: Asked of v1 page listings; a server that caps lower is paged all the same.
_V1_PAGE_LIMIT = 200
#: A CQL search without expansions is capped at 1000 on Data Center (Atlassian KB 1032258424).
_SEARCH_LIMIT = 1000
_USER_AGENT = f"docs-confluence/{__version__}"
_SECRET_HEADER_LENGTH = 8
#: How many times an offset-paged listing that changed while it was read is read again.
_DRIFT_READS = 3

T = TypeVar("T")


class ConfluenceClient:
    """A Confluence site at *base_url* (``https://x.atlassian.net/wiki`` or a DC base URL)."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | None,
        cloud: bool = True,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_connections: int = 8,
        headers: Sequence[tuple[str, str]] = (),
        concurrency: int | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.cloud = cloud
        self.v2 = self.base_url + "/api/v2"
        self.v1 = self.base_url + "/rest/api"
        limits = httpx.Limits(max_connections=max_connections)
        # A gateway's token, say: never shown. Short values ("docs") are names, not secrets,
        # and masking them would garble every message that contains the word.
        remember_secrets(value for _, value in headers if len(value) >= _SECRET_HEADER_LENGTH)
        sent = httpx.Headers({"Accept": "application/json", "User-Agent": _USER_AGENT})
        sent.update(dict(headers))
        self.http = httpx.Client(
            auth=auth,
            transport=transport,
            timeout=timeout,
            limits=limits,
            headers=sent,
        )
        # A publish's requests: at most *concurrency* in flight, fewer while the site is busy.
        in_flight = InFlight(concurrency) if concurrency is not None else None
        self.sender = Sender(self.http, retry, in_flight=in_flight)
        #: Whether a v1 update without ``ancestors`` keeps the page's parent (None: not known
        #: yet; see :meth:`_update_v1_in_place`).
        self._v1_keeps_parent: bool | None = None
        self._v1_learning = threading.Lock()

    def __enter__(self) -> ConfluenceClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    # -- identity and spaces ------------------------------------------------------------------

    def current_user(self) -> User:
        """Who the credentials belong to (fails with PermissionDenied when they are wrong)."""
        body = self._get(f"{self.v1}/user/current", what="check the credentials")
        if body.get("type") == "anonymous":
            raise PermissionDenied(
                "Confluence treated the credentials as anonymous; check CONFLUENCE_PAT or "
                "CONFLUENCE_USER/CONFLUENCE_API_TOKEN",
                status=401,
                method="GET",
                url=f"{self.v1}/user/current",
            )
        account = body.get("accountId") or body.get("userKey") or body.get("username") or ""
        return User(str(account), str(body.get("displayName") or account))

    def get_space(self, key: str) -> Space:
        """The space with key *key*; :class:`NotFound` names the key when it does not exist."""
        what = f"look up space {key}"
        if self.cloud:
            url = f"{self.v2}/spaces"
            found = self._get(url, params={"keys": key}, what=what, read=space_from_v2)
            if found is None:
                raise _missing_space(key, url)
            return found
        try:
            url = f"{self.v1}/space/{key}"
            return self._get(url, params={"expand": "homepage"}, what=what, read=space_from_v1)
        except NotFound:
            error = _missing_space(key, f"{self.v1}/space/{key}")
            error.args = (
                f"{error}. (Treated {self.base_url} as Data Center; for Confluence Cloud the URL "
                "ends in /wiki, or set deployment to cloud.)",
            )
            raise error from None

    # -- reading pages ------------------------------------------------------------------------

    def get_page(
        self, page_id: str, *, body: bool = False, trashed: bool = False, draft: bool = False
    ) -> RemotePage:
        """One page by id (*trashed*: one that is in the trash, *draft*: a draft that was never
        published; neither is found otherwise)."""
        what = f"read page {page_id}"
        params: dict[str, Any] = {"status": "trashed"} if trashed else {}
        if draft:
            params["status"] = "draft"
        if self.cloud:
            if body:
                params["body-format"] = "storage"
            return self._get(
                f"{self.v2}/pages/{page_id}", params=params, what=what, read=page_from_v2
            )
        params["expand"] = "version,ancestors,extensions.position" + (
            ",body.storage" if body else ""
        )
        url = f"{self.v1}/content/{page_id}"
        return self._get(url, params=params, what=what, read=page_from_v1)

    def get_pages(self, space: Space, ids: Sequence[str]) -> list[RemotePage]:
        """The current, archived and trashed pages among *ids* (missing ones are left out):
        a page of ours in the trash is still ours, to restore or to forget.

        Cloud: ``ceil(len(ids) / 250)`` requests. Data Center has no bulk read by id, so it
        lists the space instead.
        """
        if not ids:
            return []
        if not self.cloud:
            wanted = set(ids)
            listed = self.list_space_pages(space, statuses=("current", "archived", "trashed"))
            return [page for page in listed if page.id in wanted]
        pages: list[RemotePage] = []
        for start in range(0, len(ids), _PAGE_LIMIT):
            chunk = ids[start : start + _PAGE_LIMIT]
            # Archived pages stay ours: a person archived them, they did not take them away.
            params = {
                "id": ",".join(chunk),
                "limit": _PAGE_LIMIT,
                "status": "current,archived,trashed",
            }
            url = f"{self.v2}/pages"
            pages.extend(self._paginate_v2(url, params, what="read our pages", read=page_from_v2))
        return pages

    def get_drafts(self, ids: Sequence[str]) -> list[RemotePage]:
        """The drafts (never published) among *ids*, one request each: Cloud's page listings
        leave drafts out, so the ids of ours that a listing did not return are asked one by
        one (missing ones are left out). Cloud only."""
        found: list[RemotePage] = []
        for page_id in ids:
            try:
                found.append(self.get_page(page_id, draft=True))
            except NotFound:
                continue
        return [page for page in found if page.status == "draft"]

    def list_drafts(self, space: Space) -> Iterator[RemotePage]:
        """Our account's drafts in *space* (v1: v2 has no listing of drafts). Cloud only."""
        params = {
            "spaceKey": space.key,
            "type": "page",
            "status": "draft",
            "expand": "version,ancestors",
            "limit": _V1_LIMIT,
        }
        what = f"list our drafts in space {space.key}"
        yield from self._paginate_v1(f"{self.v1}/content", params, what=what, read=page_from_v1)

    def list_space_pages(
        self, space: Space, *, statuses: Sequence[str] = ("current", "archived")
    ) -> Iterator[RemotePage]:
        """Every page of *space* in one of *statuses* (by default those whose titles are
        reserved: for title checks), without bodies."""
        what = f"list the pages of space {space.key}"
        if self.cloud:
            params = {"limit": _PAGE_LIMIT, "status": ",".join(statuses)}
            url = f"{self.v2}/spaces/{space.id}/pages"
            yield from self._paginate_v2(url, params, what=what, read=page_from_v2)
            return
        params = {
            "spaceKey": space.key,
            "type": "page",
            "status": "any",  # v1 lists current pages only by default; archived ones count
            "expand": "version,ancestors,extensions.position",
            "limit": _V1_PAGE_LIMIT,
        }
        for page in self._paginate_v1(f"{self.v1}/content", params, what=what, read=page_from_v1):
            if page.status in statuses:
                yield page

    def find_page_by_title(self, space: Space, title: str) -> RemotePage | None:
        """The current page titled exactly *title* in *space*, if any."""
        what = f"look up page {title!r}"
        if self.cloud:
            params = {"space-id": space.id, "title": title, "status": "current"}
            return self._get(
                f"{self.v2}/pages", params=params, what=what, read=_first(page_from_v2)
            )
        params = {
            "spaceKey": space.key,
            "title": title,
            "type": "page",
            "expand": "version,ancestors,extensions.position",
        }
        return self._get(f"{self.v1}/content", params=params, what=what, read=_first(page_from_v1))

    # -- writing pages ------------------------------------------------------------------------

    def create_page(
        self, space: Space, title: str, parent_id: str, body: str, *, draft: bool = False
    ) -> RemotePage:
        """Create a page under *parent_id* (as its last child); a draft readers do not see
        when *draft* (Cloud only)."""
        what = f"create {'draft' if draft else 'page'} {title!r}"
        if draft and not self.cloud:
            raise ConfigError(f"{what}: drafts need Confluence Cloud")
        if self.cloud:
            payload = {
                "spaceId": space.id,
                "status": "draft" if draft else "current",
                "title": title,
                "parentId": parent_id,
                "body": {"representation": "storage", "value": body},
            }
            return self._send(
                "POST", f"{self.v2}/pages", json=payload, what=what, read=page_from_v2
            )
        payload_v1 = {
            "type": "page",
            "title": title,
            "space": {"key": space.key},
            "ancestors": [{"id": parent_id}],
            "body": {"storage": {"value": body, "representation": "storage"}},
        }
        url = f"{self.v1}/content"
        return self._send("POST", url, json=payload_v1, what=what, read=page_from_v1)

    def update_page(
        self,
        space: Space,
        page_id: str,
        *,
        title: str,
        parent_id: str,
        body: str,
        version: int,
        message: str,
        draft: bool = False,
        move: bool = True,
    ) -> RemotePage:
        """Replace title, body and (when *move*) parent; *version* is the new version number
        (current + 1). A draft stays a draft when *draft*, and is published otherwise (Cloud).

        Without *move* the update carries no parent, so a person who moved the page since we
        read it keeps their move: v2 keeps the parent when ``parentId`` is left out
        (confluence-api.md section 1.6). On v1 some older servers put the page at the space
        root instead (section 2.3, unconfirmed which): the client's first such update finds
        out (:meth:`_update_v1_in_place`), and on such a server every later one names
        *parent_id*, the parent the page had when we read it."""
        what = f"update page {title!r} ({page_id})"
        if self.cloud:
            payload: dict[str, Any] = {
                "id": page_id,
                "status": "draft" if draft else "current",
                "title": title,
                "body": {"representation": "storage", "value": body},
                "version": {"number": version, "message": message, "minorEdit": True},
            }
            if move:
                payload["parentId"] = parent_id
            url = f"{self.v2}/pages/{page_id}"
            return self._send("PUT", url, json=payload, what=what, read=page_from_v2)
        payload_v1: dict[str, Any] = {
            "id": page_id,
            "type": "page",
            "status": "current",  # also restores a page from the trash
            "title": title,
            "space": {"key": space.key},
            "body": {"storage": {"value": body, "representation": "storage"}},
            "version": {"number": version, "minorEdit": True, "message": message},
        }
        if move:
            payload_v1["ancestors"] = [{"id": parent_id}]
            return self._put_v1(page_id, payload_v1, what=what)
        return self._update_v1_in_place(page_id, payload_v1, parent_id, what=what)

    def _put_v1(self, page_id: str, payload: dict[str, Any], *, what: str) -> RemotePage:
        url = f"{self.v1}/content/{page_id}"
        return self._send("PUT", url, json=payload, what=what, read=page_from_v1)

    def _update_v1_in_place(
        self, page_id: str, payload: dict[str, Any], parent_id: str, *, what: str
    ) -> RemotePage:
        """A v1 update that leaves the page where it is. Whether the server keeps the parent
        of an update without ``ancestors`` is learnt from the first one (its siblings listed
        before, the page read back after: two reads per client); a server that put it at the
        space root gets it back in its place (a move) and ``ancestors`` from then on."""
        with self._v1_learning:  # the first update finds out; the others wait for it
            keeps = self._v1_keeps_parent
            if keeps is None:
                return self._learn_v1_parent(page_id, payload, parent_id, what=what)
        if not keeps:
            return self._put_v1(page_id, {**payload, "ancestors": [{"id": parent_id}]}, what=what)
        return self._put_v1(page_id, payload, what=what)

    def _learn_v1_parent(
        self, page_id: str, payload: dict[str, Any], parent_id: str, *, what: str
    ) -> RemotePage:
        follower = self._next_sibling(parent_id, page_id)
        written = self._put_v1(page_id, payload, what=what)
        now = self.get_page(page_id)  # the answer may leave the ancestors out
        self._v1_keeps_parent = now.parent_id is not None
        if self._v1_keeps_parent:
            return written
        log.info("Data Center put page %s at the space root; moving it back", page_id)
        if follower is None:
            self.move_page(page_id, "append", parent_id, title=now.title)
        else:
            self.move_page(page_id, "before", follower, title=now.title)
        return written

    def _next_sibling(self, parent_id: str, page_id: str) -> str | None:
        """The id of the page just after *page_id* among *parent_id*'s children, if any."""
        ids = [child_id for child_id, _ in self.list_children(parent_id)]
        after = ids.index(page_id) + 1 if page_id in ids else len(ids)
        return ids[after] if after < len(ids) else None

    def list_children(self, page_id: str) -> list[tuple[str, str]]:
        """The id and title of each child page of *page_id*, in their order: one request per
        250 children on Cloud (v2), per 200 on Data Center (v1)."""
        what = f"list the pages under page {page_id}"
        if self.cloud:
            url = f"{self.v2}/pages/{page_id}/children"
            return list(self._paginate_v2(url, {"limit": _PAGE_LIMIT}, what=what, read=_child))
        url = f"{self.v1}/content/{page_id}/child/page"
        return list(self._paginate_v1(url, {"limit": _V1_PAGE_LIMIT}, what=what, read=_child))

    def move_page(
        self, page_id: str, position: MovePosition, target_id: str, *, title: str
    ) -> None:
        """Move a page before/after a sibling, or as last child of a parent (v1 on both)."""
        url = f"{self.v1}/content/{page_id}/move/{position}/{target_id}"
        what = f"move page {title!r} {position} {target_id}"
        response = self.sender.send("PUT", url, what=what)
        # Cloud answers a JSON object, {"pageId": ...} (the v1 spec's movePage; see
        # docs/reliability.md); what Data Center answers is not documented, so there only an
        # answer with a body is read. A body that is not a JSON object is no answer of
        # Confluence's (a proxy's): the move is in doubt.
        if self.cloud or response.content.strip():
            decode(response, what, json_object)

    def trash_page(self, page_id: str, *, title: str, draft: bool = False) -> None:
        """Move a page to the trash (recoverable by a space admin); a *draft* is deleted
        instead (drafts are never trashed; Cloud)."""
        url = f"{self.v2}/pages/{page_id}" if self.cloud else f"{self.v1}/content/{page_id}"
        if draft:
            url += "?draft=true"
        self.sender.send("DELETE", url, what=f"trash page {title!r}", ok=(404,))

    # -- properties ---------------------------------------------------------------------------

    def get_properties(self, page_id: str, prefix: str = "") -> dict[str, RemoteProperty]:
        """Content properties of a page whose key starts with *prefix*, by key."""
        what = f"read the properties of page {page_id}"
        read = property_from_json
        if self.cloud:
            url = f"{self.v2}/pages/{page_id}/properties"
            items: Iterable[RemoteProperty] = self._paginate_v2(
                url, {"limit": 250}, what=what, read=read
            )
        else:
            params = {"limit": _V1_LIMIT, "expand": "version"}
            url = f"{self.v1}/content/{page_id}/property"
            items = self._paginate_v1(url, params, what=what, read=read)
        return {prop.key: prop for prop in items if prop.key.startswith(prefix)}

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None:
        """The content property *key* of a page, or None (a fresh read, for checking whether a
        write whose answer was lost took effect)."""
        what = f"read property {key} of page {page_id}"
        if self.cloud:
            url = f"{self.v2}/pages/{page_id}/properties"
            found = self._get(url, params={"key": key}, what=what, read=listing(property_from_json))
            return next((prop for prop in found.items if prop.key == key), None)
        url = f"{self.v1}/content/{page_id}/property/{key}"
        response = self.sender.send("GET", url, params={"expand": "version"}, what=what, ok=(404,))
        return None if response.status_code == 404 else decode(response, what, property_from_json)

    def set_property(
        self, page_id: str, key: str, value: Any, existing: RemoteProperty | None
    ) -> RemoteProperty:
        """Create or update a content property (creating when *existing* is None)."""
        what = f"save property {key} on page {page_id}"
        if self.cloud:
            base = f"{self.v2}/pages/{page_id}/properties"
            if existing is None:
                payload = {"key": key, "value": value}
                item = self._send("POST", base, json=payload, what=what, read=property_from_json)
            else:
                payload = {"key": key, "value": value, "version": {"number": existing.version + 1}}
                url = f"{base}/{existing.id}"
                item = self._send("PUT", url, json=payload, what=what, read=property_from_json)
        else:
            number = 1 if existing is None else existing.version + 1
            payload = {"key": key, "value": value, "version": {"number": number}}
            url = f"{self.v1}/content/{page_id}/property/{key}"
            item = self._send("PUT", url, json=payload, what=what, read=property_from_json)
        return RemoteProperty(item.id, key, value, item.version)

    def delete_property(self, page_id: str, prop: RemoteProperty) -> None:
        """Remove a content property."""
        url = (
            f"{self.v2}/pages/{page_id}/properties/{prop.id}"
            if self.cloud
            else f"{self.v1}/content/{page_id}/property/{prop.key}"
        )
        self.sender.send("DELETE", url, what=f"delete property {prop.key}", ok=(404,))

    # -- labels -------------------------------------------------------------------------------

    def add_labels(self, page_id: str, labels: Iterable[str]) -> None:
        """Add global labels (v1 on both Cloud and DC); others stay."""
        payload = [{"prefix": "global", "name": label} for label in labels]
        if payload:
            url = f"{self.v1}/content/{page_id}/label"
            # Adding a label a page already has is a no-op, so a lost answer is simply resent.
            what = f"label page {page_id}"
            response = self.sender.send("POST", url, json=payload, what=what, idempotent=True)
            # The answer lists the page's labels (confluence-api.md 2.6); anything else is no
            # answer of Confluence's (a proxy's): in doubt, so not recorded as done.
            decode(response, what, _label_results)

    def remove_label(self, page_id: str, label: str) -> None:
        """Remove one label."""
        url = f"{self.v1}/content/{page_id}/label"
        self.sender.send(
            "DELETE", url, params={"name": label}, what=f"unlabel page {page_id}", ok=(404,)
        )

    # -- attachments --------------------------------------------------------------------------

    def list_attachments(self, page_id: str) -> list[RemoteAttachment]:
        """The page's current attachments, with the comment of their current version (ours
        carry a marker: :func:`docs_confluence.publisher.compare.upload_comment`)."""
        what = f"list attachments of page {page_id}"
        read = _current(attachment_from_json)
        if self.cloud:
            url = f"{self.v2}/pages/{page_id}/attachments"
            params: dict[str, Any] = {"limit": 250, "status": "current"}
            return list(self._paginate_v2(url, params, what=what, read=read))
        url = f"{self.v1}/content/{page_id}/child/attachment"
        params = {"limit": 200, "expand": "version,metadata"}
        return list(self._paginate_v1(url, params, what=what, read=read))

    def list_space_attachments(self, space: Space) -> Iterator[tuple[str, RemoteAttachment]]:
        """Every current attachment in *space*, with the id of the page that carries it: one
        CQL search, ``ceil(A / 1000)`` requests for A attachments on Data Center (Cloud: 250 a
        request), however many pages carry them.

        Confluence's search index is eventually consistent: a file uploaded, replaced or
        deleted seconds ago may still show as it was. What this returns is a cheap first look;
        act on a page's files only after :meth:`list_attachments` confirmed them.
        """
        key = space.key.replace("\\", "\\\\").replace('"', '\\"')
        # No expansions: Confluence caps a search at 1000 results a request without them, 200
        # with them. The comment and size come in ``extensions``, the page in the download link.
        params = {"cql": f'space = "{key}" and type = attachment', "limit": _SEARCH_LIMIT}
        what = f"search the attachments of space {space.key}"
        url = f"{self.v1}/content/search"
        yield from self._follow_v1(url, params, what=what, read=_carried_attachment)

    def upload_attachment(
        self,
        page_id: str,
        filename: str,
        path: Path,
        media_type: str,
        comment: str,
        *,
        page_title: str | None = None,
    ) -> RemoteAttachment:
        """Create the attachment, or add a version to the one with the same name (an upsert,
        so repeating it after a lost answer is harmless). The file is streamed from *path*,
        never read whole into memory, and rewound when the request is retried."""
        url = f"{self.v1}/content/{page_id}/child/attachment"
        where = f"page {page_title!r} (id {page_id})" if page_title else f"page {page_id}"
        form = {"comment": comment, "minorEdit": "true"}
        what = f"upload {filename!r} to {where}"
        with path.open("rb") as stream:
            response = self.sender.send(
                "PUT",
                url,
                files={"file": (filename, stream, media_type)},
                data=form,
                headers={"X-Atlassian-Token": "no-check"},
                what=what,
                hints=_UPLOAD_HINTS,
            )

        def read(body: Any) -> RemoteAttachment:
            data = json_object(body)
            item = json_object(data["results"][0] if "results" in data else data)
            version = (item.get("version") or {}).get("number")
            return RemoteAttachment(
                id=str(item["id"]),
                filename=item.get("title", filename),
                size=int((item.get("extensions") or {}).get("fileSize", path.stat().st_size)),
                media_type=media_type,
                comment=comment,
                version=None if version is None else int(version),
            )

        return decode(response, what, read)

    def delete_attachment(self, attachment_id: str, *, filename: str) -> None:
        """Remove an attachment (trash on Cloud, for good on DC)."""
        url = (
            f"{self.v2}/attachments/{attachment_id}"
            if self.cloud
            else f"{self.v1}/content/{attachment_id}"
        )
        self.sender.send("DELETE", url, what=f"delete attachment {filename!r}", ok=(404,))

    # -- plumbing -----------------------------------------------------------------------------

    def page_url(self, page: RemotePage) -> str:
        """The address people open in a browser."""
        if page.webui:
            return self.base_url + page.webui
        return self.page_url_by_id(page.id)

    def page_url_by_id(self, page_id: str) -> str:
        """The address of page *page_id* that works on Cloud and Data Center alike."""
        return f"{self.base_url}/pages/viewpage.action?pageId={page_id}"

    @overload
    def _get(
        self, url: str, *, what: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]: ...

    @overload
    def _get(
        self,
        url: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        read: Callable[[Any], T],
    ) -> T: ...

    def _get(
        self,
        url: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        read: Callable[[Any], Any] = json_object,
    ) -> Any:
        """GET *url*; what *read* makes of the answer's JSON (:func:`.responses.decode`)."""
        return decode(self.sender.send("GET", url, params=params, what=what), what, read)

    def _send(
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

    def _paginate_v2(
        self, url: str, params: dict[str, Any], *, what: str, read: Callable[[Any], T | None]
    ) -> Iterator[T]:
        next_url: str | None = url
        next_params: dict[str, Any] | None = params
        while next_url:
            page = self._get(next_url, params=next_params, what=what, read=listing(read))
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

    def _paginate_v1(
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
                page = self._get(
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

    def _follow_v1(
        self, url: str, params: dict[str, Any], *, what: str, read: Callable[[Any], T | None]
    ) -> Iterator[T]:
        """A v1 listing paged by its ``_links.next`` (CQL search on Cloud pages by a cursor in
        that link, not by ``start``)."""
        next_url: str | None = url
        next_params: dict[str, Any] | None = params
        while next_url:
            page = self._get(next_url, params=next_params, what=what, read=listing(read))
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


_UPLOAD_HINTS = {
    404: "the page is gone, or the file is larger than the site's attachment size limit "
    "(Confluence answers 404 for both; lower max_attachment_mb to catch it before publishing)",
    413: "the file is larger than the site's attachment size limit; lower max_attachment_mb "
    "to catch it before publishing, or ask an admin to raise the limit",
}


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the scheme's own when none is written) of *url*."""
    port = url.port if url.port is not None else {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, port


def _first(read: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """A reader of a listing's first item (None when it has none)."""

    def first(body: Any) -> T | None:
        results = json_object(body).get("results") or []
        return read(results[0]) if results else None

    return first


def _current(read: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """*read*, for items whose ``status`` is current (the rest left out)."""

    def current(item: Any) -> T | None:
        return read(item) if json_object(item).get("status", "current") == "current" else None

    return current


def _carried_attachment(item: Any) -> tuple[str, RemoteAttachment] | None:
    """A current attachment of a search, with the id of the page that carries it."""
    page_id = attachment_container(json_object(item))
    if page_id is None or item.get("status", "current") != "current":
        return None
    return page_id, attachment_from_json(item)


def _missing_space(key: str, url: str) -> NotFound:
    return NotFound(
        f"Space {key!r} not found, or this account cannot see it; check the space key "
        "(CONFLUENCE_SPACE / space option) and the account's permissions",
        status=404,
        method="GET",
        url=url,
    )


def _child(item: Any) -> tuple[str, str]:
    """The id and title of a child page in a listing (a KeyError for one without an id is
    reported as an answer of the wrong shape)."""
    return str(item["id"]), str(item.get("title", ""))


def _label_results(body: Any) -> list[Any]:
    """The labels a label add answers with (``{"results": [...], ...}``)."""
    results = json_object(body)["results"]
    if not isinstance(results, list):
        raise TypeError("results is not a list")
    return results
