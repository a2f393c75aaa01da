"""What the client reads from Confluence, as plain values (the JSON stays in client.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["RemoteAttachment", "RemotePage", "RemoteProperty", "Space", "User"]


@dataclass(frozen=True, slots=True)
class Space:
    """A space: ``id`` is numeric (v2), ``key`` is what users type."""

    id: str
    key: str
    name: str
    homepage_id: str | None


@dataclass(frozen=True, slots=True)
class User:
    """The identity the client acts as."""

    account_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class RemotePage:
    """A page as listed by Confluence (no body unless asked for)."""

    id: str
    title: str
    parent_id: str | None
    position: int | None
    version: int
    version_message: str
    author_id: str | None
    status: str = "current"
    body: str | None = None
    webui: str | None = None


@dataclass(frozen=True, slots=True)
class RemoteProperty:
    """A content property on a page."""

    id: str
    key: str
    value: Any
    version: int


@dataclass(frozen=True, slots=True)
class RemoteAttachment:
    """A file attached to a page."""

    id: str
    filename: str
    size: int
    media_type: str
    comment: str
    version: int | None = None
