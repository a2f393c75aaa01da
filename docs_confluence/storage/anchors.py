"""Anchors a reader never sees: only those a link needs, each inside the block it marks.

Confluence draws an anchor macro standing on its own between blocks as an empty line. Front
ends mark the ids they anchor just in case (:func:`storage.anchor_macro` with ``if_linked``);
the bundle writer, which sees every page's links, keeps the ones some link targets
(:func:`linked_anchors`, :func:`storage.keep_linked_anchors`) and moves every anchor left
between blocks into the heading or paragraph it stands before (:func:`settle_anchors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import markup as storage

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from lxml.etree import _Element

__all__ = ["linked_anchors", "settle_anchors"]

_AC = f"{{{storage.AC}}}"
#: where loose inline content is a paragraph of its own (an anchor there is an empty line)
_BLOCK_FLOW = frozenset({"root", "blockquote", f"{_AC}rich-text-body", f"{_AC}layout-cell"})
#: where inline content sits beside blocks (an anchor before a block is an empty line too)
_MIXED_FLOW = frozenset({"li", "td", "th", f"{_AC}task-body"})
_TEXT = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})
_GROUPS = frozenset(
    {"ul", "ol", "table", "thead", "tbody", "tr", "blockquote", f"{_AC}task-list", f"{_AC}task"}
    | {f"{_AC}rich-text-body", f"{_AC}layout", f"{_AC}layout-section", f"{_AC}layout-cell"}
)
_INLINE_IN_MIXED = frozenset({"ul", "ol", "table", "blockquote", "p", "pre", "hr"})


def linked_anchors(
    pages: Iterable[tuple[str, _Element]], titles: Mapping[str, str]
) -> dict[str, set[str]]:
    """Page key -> the anchor names some link of *pages* (``(key, body)``) targets in it."""
    by_title = {title: key for key, title in titles.items()}
    linked: dict[str, set[str]] = {}
    for source, body in pages:
        for key, title, anchor in storage.iter_anchor_links(body):
            target = key or (by_title.get(title) if title is not None else source)
            if target is not None:
                linked.setdefault(target, set()).add(anchor)
    return linked


def settle_anchors(root: _Element) -> None:
    """Move each run of anchors standing between blocks into the heading or paragraph that
    follows it (at its start), else into the one before it (at its end), else into the nearest
    one after or before it (past a code block); a run with none at all stays."""
    for node in list(root.iter(f"{_AC}structured-macro")):
        if storage.anchor_name(node) is None or not _standalone(node):
            continue
        run = [node]
        while (following := run[-1].getnext()) is not None and not (run[-1].tail or "").strip():
            if storage.anchor_name(following) is None:
                break
            run.append(following)
        host, first = _host(node)
        if host is None:
            continue
        for anchor in run:
            _detach(anchor)
        if first:
            run[-1].tail, host.text = host.text, None
            for position, anchor in enumerate(run):
                host.insert(position, anchor)
        else:
            host.extend(run)


def _standalone(node: _Element) -> bool:
    parent = node.getparent()
    if parent is None or (node.tail or "").strip():
        return False
    if parent.tag in _BLOCK_FLOW:
        return True
    if parent.tag not in _MIXED_FLOW:
        return False
    after = _next_element(node)
    return after is not None and after.tag in _INLINE_IN_MIXED


def _next_element(node: _Element) -> _Element | None:
    """The next sibling that is not an anchor, if nothing but white space comes between."""
    sibling = node.getnext()
    while sibling is not None and storage.anchor_name(sibling) is not None:
        if (sibling.tail or "").strip():
            return None
        sibling = sibling.getnext()
    return sibling


def _host(node: _Element) -> tuple[_Element | None, bool]:
    """Where *node* goes: (element, True) to go first in it, (element, False) to go last. The
    block right after it, else the one right before it, else the nearest after, then before."""
    after = [s for s in node.itersiblings() if storage.anchor_name(s) is None]
    before = [s for s in node.itersiblings(preceding=True) if storage.anchor_name(s) is None]
    if _next_element(node) is None:
        after = []
    for blocks, first in ((after[:1], True), (before[:1], False), (after, True), (before, False)):
        for block in blocks:
            found = _holder(block, first=first)
            if found is not None:
                return found, first
    return None, False


def _holder(element: _Element, *, first: bool) -> _Element | None:
    """The heading or paragraph that starts (*first*) or ends *element*."""
    tag = element.tag
    if tag in _TEXT:
        return element
    if tag in _MIXED_FLOW:
        children = [c for c in element if isinstance(c.tag, str)]
        edge = children[0 if first else -1] if children else None
        if edge is not None and edge.tag in _INLINE_IN_MIXED and not (element.text or "").strip():
            inner = _holder(edge, first=first)
            return element if inner is None else inner
        return element
    if tag == f"{_AC}structured-macro":
        body = element.find(f"{_AC}rich-text-body")
        return _holder(body, first=first) if body is not None else None
    if tag in _GROUPS:
        children = [c for c in element if isinstance(c.tag, str) and c.tag != f"{_AC}task-id"]
        for child in children if first else reversed(children):
            if child.tag == f"{_AC}task-status" or storage.anchor_name(child) is not None:
                continue
            return _holder(child, first=first)
    return None


def _detach(node: _Element) -> None:
    parent = node.getparent()
    assert parent is not None
    previous = node.getprevious()
    if node.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    node.tail = None
    parent.remove(node)
