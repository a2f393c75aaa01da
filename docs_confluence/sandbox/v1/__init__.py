"""The REST API v1 (``{context}/rest/api``, plus attachment downloads), over the store."""

from __future__ import annotations

from . import attachments, content, metadata

ROUTES = [
    *content.routes.routes,
    *metadata.routes.routes,
    *attachments.routes.routes,
    *attachments.downloads.routes,
]

__all__ = ["ROUTES"]
