"""The relative links Confluence puts in ``_links`` (``webui``, ``tinyui``, downloads)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

if TYPE_CHECKING:
    from .store.records import Attachment


def page_webui(space_key: str, page_id: str, title: str) -> str:
    """``/spaces/{KEY}/pages/{id}/{quote_plus(title)}``."""
    return f"/spaces/{space_key}/pages/{page_id}/{quote_plus(title)}"


def page_tinyui(page_id: str) -> str:
    """``/x/<code>``: the id's little-endian bytes in URL-safe base64, as Confluence does."""
    raw = int(page_id).to_bytes(8, "little")
    code = base64.b64encode(raw).decode().rstrip("=").rstrip("A")
    return "/x/" + code.replace("/", "-").replace("+", "_")


def page_editui(page_id: str) -> str:
    """The editor link of a page."""
    return f"/pages/resumedraft.action?draftId={page_id}"


def epoch_ms(stamp: str) -> int:
    """Milliseconds since the epoch for a Confluence timestamp."""
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def attachment_download(attachment: Attachment, modified: str) -> str:
    """``/download/attachments/{pageId}/{filename}?version=n&modificationDate=...&api=v2``."""
    modified_ms = epoch_ms(modified)
    return (
        f"/download/attachments/{attachment.page_id}/{quote(attachment.title)}"
        f"?version={attachment.version}&modificationDate={modified_ms}&api=v2"
    )
