"""Two small helpers for building the viewer's HTML trees with lxml (which escapes all text)."""

from __future__ import annotations

from lxml import etree


def append_text(parent: etree._Element, text: str | None) -> None:
    """Add *text* after the last child of *parent* (or as its text when it has none)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def sub(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    """A new child element (``class_`` sets ``class``) with optional text."""
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        element.set(name.rstrip("_").replace("_", "-"), value)
    if text:
        element.text = text
    return element
