"""Confluence storage format, built for both front ends: the markup itself (:mod:`.markup`:
elements, macros and the finishing of a page; :mod:`.links`: links and images), and the constructs
that need more than one element: anchors where links land (:mod:`.anchors`), tabs (:mod:`.tabs`),
the table of contents (:mod:`.toc`), code-block languages (:mod:`.languages`), and formulas and
diagrams as pictures (:mod:`.pictures`)."""

from __future__ import annotations

from .links import (
    attachment_image,
    attachment_link,
    iter_page_link_keys,
    page_link,
    rename_attachments,
    resolve_page_links,
    url_image,
)
from .markup import (
    AC,
    CONTENT_WIDTH,
    RI,
    PanelKind,
    anchor_macro,
    anchor_name,
    append_text,
    code_macro,
    element,
    finish_page,
    iter_anchor_links,
    keep_linked_anchors,
    macro,
    new_fragment,
    parse_fragment,
    plain_text,
    serialize_fragment,
    set_attribute,
    site_macro,
    task_list,
)

__all__ = [
    "AC",
    "CONTENT_WIDTH",
    "RI",
    "PanelKind",
    "anchor_macro",
    "anchor_name",
    "append_text",
    "attachment_image",
    "attachment_link",
    "code_macro",
    "element",
    "finish_page",
    "iter_anchor_links",
    "iter_page_link_keys",
    "keep_linked_anchors",
    "macro",
    "new_fragment",
    "page_link",
    "parse_fragment",
    "plain_text",
    "rename_attachments",
    "resolve_page_links",
    "serialize_fragment",
    "set_attribute",
    "site_macro",
    "task_list",
    "url_image",
]
