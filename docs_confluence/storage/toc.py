"""The table of contents: Confluence's ``toc`` macro, which lists the page's headings.

Both front ends use it for the table of contents an author asks for (Sphinx's
``.. contents::``, Markdown's ``[TOC]``), and the bundle writer puts one at the top of every page
with at least ``toc_min_headings`` headings (:func:`add_toc`), as the HTML site's side table of
contents would show them. A page never gets two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import markup as storage

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["HEADINGS", "add_toc", "has_toc", "toc_macro"]

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MACRO = f"{{{storage.AC}}}structured-macro"
_NAME = f"{{{storage.AC}}}name"


def toc_macro(*, max_level: int | None = None) -> _Element:
    """The ``toc`` macro, listing headings down to ``h<max_level>`` (all when ``None``)."""
    params = {"maxLevel": str(max_level) if max_level is not None else None}
    macro, _ = storage.macro("toc", params)
    return macro


def has_toc(root: _Element) -> bool:
    """Whether the page body *root* already holds a ``toc`` macro."""
    return any(node.get(_NAME) == "toc" for node in root.iter(_MACRO))


def add_toc(root: _Element, min_headings: int) -> bool:
    """Put a ``toc`` macro at the top of *root* (after its leading anchors) when it has at
    least *min_headings* headings and no ``toc`` yet; ``0`` never does. Returns whether it
    did."""
    if min_headings <= 0 or has_toc(root):
        return False
    if sum(1 for _ in root.iter(*HEADINGS)) < min_headings:
        return False
    position = 0
    while (
        position < len(root)
        and not (root.text or "").strip()
        and root[position].tag == _MACRO
        and root[position].get(_NAME) == "anchor"
        and not (root[position].tail or "").strip()
    ):
        position += 1
    macro = toc_macro()
    if position == 0:
        macro.tail, root.text = root.text, None
    root.insert(position, macro)
    return True
