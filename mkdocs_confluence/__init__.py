"""MkDocs front end of docs-confluence: add ``- confluence`` under ``plugins:`` in mkdocs.yml.

The plugin converts what MkDocs rendered (page HTML after every Markdown extension and plugin)
into Confluence storage format, in the tree of the nav, writes a bundle, and hands it to the
engine (:func:`docs_confluence.publish_bundle`) when a target is configured.
"""

from __future__ import annotations

from .convert import ConvertedPage, ConverterOptions, SiteIndex, convert_page
from .options import ConfluenceConfig
from .plugin import ConfluencePlugin

__all__ = [
    "ConfluenceConfig",
    "ConfluencePlugin",
    "ConvertedPage",
    "ConverterOptions",
    "SiteIndex",
    "convert_page",
]
