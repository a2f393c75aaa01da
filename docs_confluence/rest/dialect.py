"""The seam between the two REST dialects: what :class:`~.client.ConfluenceClient` asks of
:class:`~.v2.CloudApi` (REST v2, Confluence Cloud) and :class:`~.v1.DataCenterApi` (REST v1,
Data Center). Only the calls whose paths or payloads differ are here; the client makes the
others itself (v1 on both: labels, moves, uploads, the attachment search)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, MutableMapping, Sequence

    from .history import PageVersion
    from .models import RemoteAttachment, RemotePage, RemoteProperty, Space

__all__ = ["Dialect"]


class Dialect(Protocol):
    """One REST dialect's paths and payloads (a :class:`~.wire.Wire` makes the requests)."""

    def get_space(self, key: str) -> Space: ...

    def get_page(self, page_id: str, *, body: bool, trashed: bool, draft: bool) -> RemotePage: ...

    def get_pages(self, space: Space, ids: Sequence[str]) -> list[RemotePage]: ...

    def list_space_pages(self, space: Space, statuses: Sequence[str]) -> Iterator[RemotePage]: ...

    def find_page_by_title(self, space: Space, title: str) -> RemotePage | None: ...

    def create_page(
        self, space: Space, title: str, parent_id: str, body: str, *, draft: bool
    ) -> RemotePage: ...

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
        draft: bool,
        move: bool = True,
    ) -> RemotePage:
        """Replace title, body and (when *move*) parent."""
        ...

    def list_children(self, page_id: str) -> list[tuple[str, str]]:
        """The id and title of each child page of *page_id*, in their order."""
        ...

    def page_path(self, page_id: str) -> str:
        """The URL a page is trashed at."""
        ...

    def get_properties(self, page_id: str) -> Iterable[RemoteProperty]: ...

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None: ...

    def set_property(
        self, page_id: str, key: str, value: Any, existing: RemoteProperty | None
    ) -> RemoteProperty: ...

    def property_path(self, page_id: str, prop: RemoteProperty) -> str:
        """The URL a content property is deleted at."""
        ...

    def list_attachments(self, page_id: str) -> list[RemoteAttachment]: ...

    def attachment_path(self, attachment_id: str) -> str:
        """The URL an attachment is deleted at."""
        ...

    def read_version(
        self, page_id: str, number: int | None, names: MutableMapping[str, str]
    ) -> PageVersion: ...
