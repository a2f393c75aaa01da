"""The headers a downloaded attachment is served with, so a file someone uploaded (HTML, SVG,
XML, JavaScript) never runs as a page of the sandbox's origin: ``Content-Security-Policy:
sandbox`` (no script, no same-origin), ``X-Content-Type-Options: nosniff`` (the declared type
is the type) and, for those active types, ``Content-Disposition: attachment`` (saved, not
shown)."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote

__all__ = ["ACTIVE_MEDIA_TYPES", "file_headers"]

#: Media types a browser would run or render as a document of the origin.
ACTIVE_MEDIA_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/ecmascript",
        "text/ecmascript",
    }
)
_ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".svg", ".xml", ".js", ".mjs"})


def file_headers(filename: str, media_type: str) -> tuple[tuple[str, str], ...]:
    """The safety headers for serving *filename*, stored as *media_type*."""
    headers = [("Content-Security-Policy", "sandbox"), ("X-Content-Type-Options", "nosniff")]
    kind = media_type.split(";")[0].strip().lower()
    if kind in ACTIVE_MEDIA_TYPES or PurePosixPath(filename).suffix.lower() in _ACTIVE_SUFFIXES:
        headers.append(("Content-Disposition", f"attachment; filename*=UTF-8''{quote(filename)}"))
    return tuple(headers)
