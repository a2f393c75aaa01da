"""The Cloud REST API v2 (``{context}/api/v2``), over the sandbox store."""

from __future__ import annotations

from . import content, pages, tree

ROUTES = [*pages.routes.routes, *tree.routes.routes, *content.routes.routes]

__all__ = ["ROUTES"]
