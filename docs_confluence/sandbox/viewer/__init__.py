"""The sandbox viewer: a read-only preview of what Confluence would show, in a browser.

`pages` holds the routes, `render` turns storage format into safe HTML (with `macros` and
`resources`), `history` lists versions and compares two, `layout` is the shared frame.
"""

from __future__ import annotations

from .pages import routes

__all__ = ["routes"]
