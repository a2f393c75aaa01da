"""The records the sandbox store keeps: frozen values, replaced (never mutated) on change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

PageStatus = Literal["current", "archived", "trashed", "draft"]
AttachmentStatus = Literal["current", "archived", "trashed"]
Flavor = Literal["cloud", "datacenter"]

#: Statuses whose titles are reserved in a space (trashed ones too when the store says so).
VISIBLE: tuple[PageStatus, ...] = ("current", "archived")

#: The account that owns seeded spaces.
SYSTEM_ACCOUNT_ID = "557058:sandbox-system"


def timestamp(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds, as Confluence writes it: ``2025-03-04T10:11:12.345Z``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class User:
    """A Confluence account; ``api_token`` is its Cloud API token (Basic auth)."""

    account_id: str
    email: str
    display_name: str
    api_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Space:
    """A space: numeric string id, key, name and its homepage."""

    id: str
    key: str
    name: str
    homepage_id: str | None
    created_at: str
    author_id: str


@dataclass(frozen=True, slots=True)
class PageVersion:
    """One saved version of a page (the body is the stored, normalised one)."""

    number: int
    title: str
    body: str
    message: str
    minor_edit: bool
    author_id: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Page:
    """The head of a page; its versions live in the store beside it.

    ``parent_id`` is None at the space root. A trashed page keeps the parent it had, so it can
    be restored there; its children moved to its parent when it was trashed.
    """

    id: str
    space_id: str
    parent_id: str | None
    title: str
    status: PageStatus
    position: int
    created_at: str
    author_id: str
    version: int


@dataclass(frozen=True, slots=True)
class Property:
    """A content property: a JSON value under a key, versioned on its own."""

    id: str
    page_id: str
    key: str
    value: Any
    version: int
    message: str
    minor_edit: bool
    author_id: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Label:
    """A label; one id per (prefix, name) across the site, as in Confluence."""

    id: str
    prefix: str
    name: str


@dataclass(frozen=True, slots=True)
class AttachmentVersion:
    """One uploaded version of an attachment's bytes."""

    number: int
    media_type: str
    comment: str
    minor_edit: bool
    author_id: str
    created_at: str
    data: bytes = field(repr=False)

    @property
    def file_size(self) -> int:
        """Size of the bytes."""
        return len(self.data)


@dataclass(frozen=True, slots=True)
class Attachment:
    """The head of an attachment (id ``att<n>``); its versions live in the store."""

    id: str
    page_id: str
    title: str
    media_type: str
    comment: str
    status: AttachmentStatus
    file_size: int
    file_id: str
    created_at: str
    version: int
