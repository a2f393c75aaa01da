"""Reading a page's versions: what a version held (title, body, parent) and who saved it when.

``docs-confluence edits`` compares the version we published with the one a person saved since.
Cloud: REST v2 ``GET /pages/{id}?version=N&body-format=storage`` gives the version's title and
body and the author's account id, which ``GET /rest/api/user?accountId=`` turns into a name
(the one v1 read Cloud keeps for this). Data Center: v1
``GET /rest/api/content/{id}?status=historical&version=N&expand=body.storage,version`` has the
author's name in ``version.by``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    from .client import ConfluenceClient

__all__ = ["PageVersion", "person_name", "read_version", "storage_body"]


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
    """Version *number* of page *page_id* (None: the current one), with its body (the request
    is the dialect's: :meth:`.v2.CloudApi.read_version`, :meth:`.v1.DataCenterApi.read_version`).

    *names* caches account ids already turned into names (one lookup per person on Cloud).
    """
    return client.api.read_version(page_id, number, names if names is not None else {})


def storage_body(item: dict[str, Any]) -> str:
    """The storage-format body of a page or version as either API answers it."""
    return str(((item.get("body") or {}).get("storage") or {}).get("value") or "")


def person_name(user: dict[str, Any]) -> str:
    """The name Confluence shows: display name, else public name, else user name or id."""
    for field in ("displayName", "publicName", "username", "accountId", "userKey"):
        if user.get(field):
            return str(user[field])
    return "someone"
