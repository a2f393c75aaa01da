"""Confluence's size limits, checked when the plan is made so nothing is written past one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..bundle import Bundle, BundlePage

__all__ = ["MAX_BODY_BYTES", "MAX_TITLE_CHARS", "check_limits"]

MAX_BODY_BYTES = 5_242_880
MAX_TITLE_CHARS = 255
_MB = 1024 * 1024


def check_limits(bundle: Bundle, *, max_attachment_mb: float) -> tuple[str, ...]:
    """One message per page body, attachment or title over Confluence's limits."""
    problems: list[str] = []
    largest = int(max_attachment_mb * _MB)
    for page in bundle.pages:
        where = _where(page)
        if len(page.title) > MAX_TITLE_CHARS:
            problems.append(f"{where}: title has {len(page.title)} characters; the limit is 255")
        size = len(bundle.read_body(page).encode("utf-8"))
        if size > MAX_BODY_BYTES:
            problems.append(
                f"{where}: body ({page.body}) is {size} bytes; Confluence's limit is "
                f"{MAX_BODY_BYTES}: split the page"
            )
        for attachment in page.attachments:
            if attachment.size > largest:
                problems.append(
                    f"{where}: attachment {attachment.filename!r} is {attachment.size} bytes, "
                    f"over the site's maximum of {max_attachment_mb:g} MB "
                    "(raise max_attachment_mb if the site allows more)"
                )
    return tuple(problems)


def _where(page: BundlePage) -> str:
    source = f" ({page.source})" if page.source else ""
    return f"page {page.title!r}{source}"
