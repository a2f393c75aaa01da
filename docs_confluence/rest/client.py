"""ConfluenceClient: the few REST calls the publisher needs, on Cloud and on Data Center.

Cloud uses REST v2 (``{base}/api/v2``) and v1 (``{base}/rest/api``) only where Cloud has no v2:
attachment upload, labels, move. Data Center has v1 only, under its context path. The paths and
payloads that differ sit behind one seam (:class:`~.dialect.Dialect`: :mod:`.v2` for Cloud,
:mod:`.v1` for Data Center); the calls both make alike are here. The client takes its transport
(tests pass :class:`docs_confluence.testing.SandboxTransport`) and its credentials as an
``httpx.Auth``, never inspects them, and turns answers into the values of :mod:`.models`
(:mod:`.responses` reads the JSON, :class:`~.wire.Wire` makes the requests).
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import TYPE_CHECKING, Any, Literal

import httpx

from ..errors import NotFound, PermissionDenied
from ..masking import remember_secrets
from ..version import __version__
from .in_flight import InFlight
from .models import RemoteAttachment, RemotePage, RemoteProperty, Space, User
from .responses import attachment_container, attachment_from_json, decode, json_object, page_from_v1
from .sender import RetryPolicy, Sender
from .v1 import V1_LIMIT, DataCenterApi
from .v2 import CloudApi
from .wire import Wire

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path

    from .dialect import Dialect

__all__ = ["ConfluenceClient", "MovePosition"]

MovePosition = Literal["before", "after", "append"]
#: A CQL search without expansions is capped at 1000 on Data Center (Atlassian KB 1032258424).
log = logging.getLogger(__name__)
_SEARCH_LIMIT = 1000
_USER_AGENT = f"docs-confluence/{__version__}"
_SECRET_HEADER_LENGTH = 8


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
        self.wire = Wire(self.base_url, self.sender)
        self.v2, self.v1 = self.wire.v2, self.wire.v1
        #: The dialect's paths and payloads: REST v2 on Cloud, v1 on Data Center.
        self.api: Dialect = CloudApi(self.wire) if cloud else DataCenterApi(self.wire)
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
        body = self.wire.get(f"{self.v1}/user/current", what="check the credentials")
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
        return self.api.get_space(key)

    # -- reading pages ------------------------------------------------------------------------

    def get_page(
        self, page_id: str, *, body: bool = False, trashed: bool = False, draft: bool = False
    ) -> RemotePage:
        """One page by id (*trashed*: one that is in the trash, *draft*: a draft that was never
        published; neither is found otherwise)."""
        return self.api.get_page(page_id, body=body, trashed=trashed, draft=draft)

    def get_pages(self, space: Space, ids: Sequence[str]) -> list[RemotePage]:
        """The current, archived and trashed pages among *ids* (missing ones are left out):
        a page of ours in the trash is still ours, to restore or to forget.

        Cloud: ``ceil(len(ids) / 250)`` requests. Data Center has no bulk read by id, so it
        lists the space instead.
        """
        return self.api.get_pages(space, ids) if ids else []

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
            "limit": V1_LIMIT,
        }
        what = f"list our drafts in space {space.key}"
        yield from self.wire.paginate_v1(f"{self.v1}/content", params, what=what, read=page_from_v1)

    def list_space_pages(
        self, space: Space, *, statuses: Sequence[str] = ("current", "archived")
    ) -> Iterator[RemotePage]:
        """Every page of *space* in one of *statuses* (by default those whose titles are
        reserved: for title checks), without bodies."""
        return self.api.list_space_pages(space, statuses)

    def find_page_by_title(self, space: Space, title: str) -> RemotePage | None:
        """The current page titled exactly *title* in *space*, if any."""
        return self.api.find_page_by_title(space, title)

    # -- writing pages ------------------------------------------------------------------------

    def create_page(
        self, space: Space, title: str, parent_id: str, body: str, *, draft: bool = False
    ) -> RemotePage:
        """Create a page under *parent_id* (as its last child); a draft readers do not see
        when *draft* (Cloud only)."""
        return self.api.create_page(space, title, parent_id, body, draft=draft)

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
        update = functools.partial(
            self.api.update_page,
            space,
            page_id,
            title=title,
            parent_id=parent_id,
            body=body,
            version=version,
            message=message,
            draft=draft,
        )
        if move or self.cloud:
            return update(move=move)
        return self._update_v1_in_place(page_id, parent_id, update)

    def _update_v1_in_place(
        self, page_id: str, parent_id: str, update: Callable[..., RemotePage]
    ) -> RemotePage:
        """A v1 update that leaves the page where it is. Whether the server keeps the parent
        of an update without ``ancestors`` is learnt from the first one (its siblings listed
        before, the page read back after: two reads per client); a server that put it at the
        space root gets it back in its place (a move) and ``ancestors`` from then on."""
        with self._v1_learning:  # the first update finds out; the others wait for it
            keeps = self._v1_keeps_parent
            if keeps is None:
                return self._learn_v1_parent(page_id, parent_id, update)
        return update(move=not keeps)

    def _learn_v1_parent(
        self, page_id: str, parent_id: str, update: Callable[..., RemotePage]
    ) -> RemotePage:
        follower = self._next_sibling(parent_id, page_id)
        written = update(move=False)
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
        return self.api.list_children(page_id)

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
        url = self.api.page_path(page_id)
        if draft:
            url += "?draft=true"
        self.sender.send("DELETE", url, what=f"trash page {title!r}", ok=(404,))

    # -- properties ---------------------------------------------------------------------------

    def get_properties(self, page_id: str, prefix: str = "") -> dict[str, RemoteProperty]:
        """Content properties of a page whose key starts with *prefix*, by key."""
        items = self.api.get_properties(page_id)
        return {prop.key: prop for prop in items if prop.key.startswith(prefix)}

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None:
        """The content property *key* of a page, or None (a fresh read, for checking whether a
        write whose answer was lost took effect)."""
        return self.api.get_property(page_id, key)

    def set_property(
        self, page_id: str, key: str, value: Any, existing: RemoteProperty | None
    ) -> RemoteProperty:
        """Create or update a content property (creating when *existing* is None)."""
        item = self.api.set_property(page_id, key, value, existing)
        return RemoteProperty(item.id, key, value, item.version)

    def delete_property(self, page_id: str, prop: RemoteProperty) -> None:
        """Remove a content property."""
        url = self.api.property_path(page_id, prop)
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
        return self.api.list_attachments(page_id)

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
        yield from self.wire.follow_v1(url, params, what=what, read=_carried_attachment)

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
        url = self.api.attachment_path(attachment_id)
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


_UPLOAD_HINTS = {
    404: "the page is gone, or the file is larger than the site's attachment size limit "
    "(Confluence answers 404 for both; lower max_attachment_mb to catch it before publishing)",
    413: "the file is larger than the site's attachment size limit; lower max_attachment_mb "
    "to catch it before publishing, or ask an admin to raise the limit",
}


def _carried_attachment(item: Any) -> tuple[str, RemoteAttachment] | None:
    """A current attachment of a search, with the id of the page that carries it."""
    page_id = attachment_container(json_object(item))
    if page_id is None or item.get("status", "current") != "current":
        return None
    return page_id, attachment_from_json(item)


def _label_results(body: Any) -> list[Any]:
    """The labels a label add answers with (``{"results": [...], ...}``)."""
    results = json_object(body)["results"]
    if not isinstance(results, list):
        raise TypeError("results is not a list")
    return results
