"""Attachments: files on a page, unique by name, each upload a new version of the same id."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import InvalidRequest, NotFound
from .records import Attachment, AttachmentStatus, AttachmentVersion

if TYPE_CHECKING:
    from collections.abc import Collection

    from .state import State


class AttachmentStore:
    """Reads and writes attachments. Reached as ``store.attachments``."""

    def __init__(self, state: State) -> None:
        self._state = state
        #: The site's maximum attachment size in bytes (None: no limit). Over it, v1 uploads
        #: answer 404, as Confluence documents.
        self.max_bytes: int | None = None

    def of(
        self,
        page_id: str,
        *,
        statuses: Collection[str] = ("current",),
        filename: str | None = None,
        media_type: str | None = None,
    ) -> list[Attachment]:
        """A page's attachments ordered by id, filtered by status, filename and media type."""
        with self._state.lock:
            found = [
                a
                for a in self._state.attachments.values()
                if a.page_id == page_id
                and a.status in statuses
                and filename in (None, a.title)
                and media_type in (None, a.media_type)
            ]
        return sorted(found, key=lambda a: int(a.id[3:]))

    def on_pages(self, page_ids: Collection[str]) -> list[Attachment]:
        """The current attachments of any of *page_ids*, ordered by id (one pass: a search)."""
        with self._state.lock:
            found = [
                a
                for a in self._state.attachments.values()
                if a.status == "current" and a.page_id in page_ids
            ]
        return sorted(found, key=lambda a: int(a.id[3:]))

    def get(self, attachment_id: str, statuses: Collection[str] | None = None) -> Attachment:
        """An attachment by ``att<n>`` or bare ``<n>`` id; NotFound otherwise."""
        key = attachment_id if attachment_id.startswith("att") else f"att{attachment_id}"
        found = self._state.attachments.get(key)
        if found is None or (statuses is not None and found.status not in statuses):
            raise NotFound(f"No content found with id: {attachment_id}")
        return found

    def named(self, page_id: str, filename: str) -> Attachment | None:
        """The attachment of a page with this file name (any status), if any."""
        found = self.of(page_id, statuses=("current", "archived", "trashed"), filename=filename)
        return found[0] if found else None

    def data(self, attachment_id: str, version: int | None = None) -> AttachmentVersion:
        """One version of an attachment (the latest by default)."""
        attachment = self.get(attachment_id)
        with self._state.lock:
            history = self._state.attachment_versions[attachment.id]
        for item in reversed(history):
            if version is None or item.number == version:
                return item
        raise NotFound(f"No version {version} of attachment {attachment_id}")

    def add(
        self,
        page_id: str,
        filename: str,
        data: bytes,
        *,
        author_id: str,
        media_type: str = "application/octet-stream",
        comment: str = "",
        minor_edit: bool = True,
        replace_existing: bool = False,
    ) -> Attachment:
        """Attach a file; a current one with the same name is a 400 unless ``replace_existing``.

        A trashed attachment with the same name comes back as a new version of the same id.
        """
        if not filename:
            raise InvalidRequest("An attachment needs a file name")
        state = self._state
        with state.write():
            existing = self.named(page_id, filename)
            if existing is not None and existing.status == "current" and not replace_existing:
                raise InvalidRequest(
                    "Cannot add a new attachment with same file name as an existing "
                    f"attachment: {filename}"
                )
            if existing is not None:
                return self._new_version(
                    existing, data, author_id, media_type, comment, minor_edit, filename
                )
            now = state.now()
            attachment = Attachment(
                id=f"att{state.new_id()}",
                page_id=page_id,
                title=filename,
                media_type=media_type,
                comment=comment,
                status="current",
                file_size=len(data),
                file_id=str(uuid.uuid4()),
                created_at=now,
                version=0,
            )
            return self._new_version(
                attachment, data, author_id, media_type, comment, minor_edit, filename
            )

    def replace_data(
        self,
        attachment_id: str,
        data: bytes,
        *,
        author_id: str,
        media_type: str | None = None,
        comment: str = "",
        minor_edit: bool = True,
        filename: str | None = None,
    ) -> Attachment:
        """Upload new bytes as the next version of an existing attachment."""
        with self._state.write():
            attachment = self.get(attachment_id)
            return self._new_version(
                attachment,
                data,
                author_id,
                media_type or attachment.media_type,
                comment,
                minor_edit,
                filename or attachment.title,
            )

    def rename(self, attachment_id: str, title: str) -> Attachment:
        """Give an attachment another file name (a 400 when the page has one by that name);
        no new version, as in Confluence."""
        if not title:
            raise InvalidRequest("An attachment needs a file name")
        with self._state.write():
            attachment = self.get(attachment_id)
            other = self.named(attachment.page_id, title)
            if other is not None and other.id != attachment.id and other.status == "current":
                raise InvalidRequest(
                    "Cannot rename an attachment to the name of another attachment: " + title
                )
            attachment = replace(attachment, title=title)
            self._state.attachments[attachment.id] = attachment
            self._state.touch("attachment", attachment.id)
        return attachment

    def set_status(self, attachment_id: str, status: AttachmentStatus) -> Attachment:
        """Trash (or restore) an attachment."""
        with self._state.write():
            attachment = replace(self.get(attachment_id), status=status)
            self._state.attachments[attachment.id] = attachment
            self._state.touch("attachment", attachment.id)
        return attachment

    def purge(self, attachment_id: str) -> None:
        """Delete an attachment and all its versions."""
        state = self._state
        with state.write():
            attachment = self.get(attachment_id)
            del state.attachments[attachment.id]
            state.touch("attachment", attachment.id)
            for version in state.attachment_versions.pop(attachment.id, []):
                state.touch("attachment_version", f"{attachment.id}/{version.number}")

    def _new_version(
        self,
        attachment: Attachment,
        data: bytes,
        author_id: str,
        media_type: str,
        comment: str,
        minor_edit: bool,
        filename: str,
    ) -> Attachment:
        state = self._state
        number = attachment.version + 1
        version = AttachmentVersion(
            number, media_type, comment, minor_edit, author_id, state.now(), data
        )
        attachment = replace(
            attachment,
            title=filename,
            media_type=media_type,
            comment=comment,
            status="current",
            file_size=len(data),
            version=number,
        )
        state.attachments[attachment.id] = attachment
        state.attachment_versions.setdefault(attachment.id, []).append(version)
        state.touch("attachment", attachment.id)
        state.touch("attachment_version", f"{attachment.id}/{number}")
        return attachment
