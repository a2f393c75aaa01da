"""Reading a page's versions: what a version held (title, body, parent) and who saved it when.

``docs-confluence edits`` compares the version we published with the one a person saved since.
Cloud: REST v2 ``GET /pages/{id}?version=N&body-format=storage`` gives the version's title and
body and the author's account id, which ``GET /rest/api/user?accountId=`` turns into a name
(the one v1 read Cloud keeps for this). Data Center: v1
``GET /rest/api/content/{id}?status=historical&version=N&expand=body.storage,version`` has the
author's name in ``version.by``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import APIError

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    from .client import ConfluenceClient

__all__ = ["PageVersion", "read_version"]

#: One lookup per person even when pages are read concurrently.
_LOOKUP = threading.Lock()


@dataclass(frozen=True, slots=True)
class PageVersion:
    """One version of a page as a reader of its history sees it.

    *author*: the name Confluence shows for whoever saved it (their account id when the name
    cannot be read, e.g. an OAuth grant without the user scope); *when*: ISO-8601 UTC.
    *parent_id* and *webui* are those of the page now (versions do not record a place).
    *message*: the version message (ours carry the marker of :mod:`.publisher.ownership`).
    """

    page_id: str
    number: int
    title: str
    body: str
    author: str
    when: str
    parent_id: str | None
    webui: str | None
    message: str = ""


def read_version(
    client: ConfluenceClient,
    page_id: str,
    number: int | None = None,
    *,
    names: MutableMapping[str, str] | None = None,
) -> PageVersion:
    """Version *number* of page *page_id* (None: the current one), with its body.

    *names* caches account ids already turned into names (one lookup per person on Cloud).
    """
    what = f"read version {number} of page {page_id}" if number else f"read page {page_id}"
    if client.cloud:
        params: dict[str, Any] = {"body-format": "storage"}
        if number is not None:
            params["version"] = number
        item = client._get(f"{client.v2}/pages/{page_id}", params=params, what=what)
        version = item.get("version") or {}
        author_id = str(version.get("authorId") or "")
        return PageVersion(
            page_id=str(item["id"]),
            number=int(version.get("number", number or 1)),
            title=str(item.get("title", "")),
            body=_storage(item),
            author=_name(client, author_id, names if names is not None else {}),
            when=str(version.get("createdAt") or ""),
            parent_id=None if item.get("parentId") is None else str(item["parentId"]),
            webui=(item.get("_links") or {}).get("webui"),
            message=str(version.get("message") or ""),
        )
    params = {"expand": "body.storage,version,ancestors"}
    if number is not None:
        params.update(status="historical", version=number)
    item = client._get(f"{client.v1}/content/{page_id}", params=params, what=what)
    version = item.get("version") or {}
    ancestors = item.get("ancestors") or []
    return PageVersion(
        page_id=str(item["id"]),
        number=int(version.get("number", number or 1)),
        title=str(item.get("title", "")),
        body=_storage(item),
        author=_person(version.get("by") or {}),
        when=str(version.get("when") or ""),
        parent_id=str(ancestors[-1]["id"]) if ancestors else None,
        webui=(item.get("_links") or {}).get("webui"),
        message=str(version.get("message") or ""),
    )


def _storage(item: dict[str, Any]) -> str:
    return str(((item.get("body") or {}).get("storage") or {}).get("value") or "")


def _person(user: dict[str, Any]) -> str:
    """The name Confluence shows: display name, else public name, else user name or id."""
    for field in ("displayName", "publicName", "username", "accountId", "userKey"):
        if user.get(field):
            return str(user[field])
    return "someone"


def _name(client: ConfluenceClient, account_id: str, names: MutableMapping[str, str]) -> str:
    if not account_id:
        return "someone"
    with _LOOKUP:
        if account_id in names:
            return names[account_id]
        try:
            user = client._get(
                f"{client.v1}/user", params={"accountId": account_id}, what="look up an editor"
            )
            names[account_id] = _person(user)
        except APIError:  # no scope for it, or the account is gone: the id still tells who
            names[account_id] = account_id
        return names[account_id]
