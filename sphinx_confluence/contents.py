"""The ``contents`` directive: the page's ``toc`` macro (:mod:`docs_confluence.storage.toc`),
listing headings as deep as the directive's list reaches, so ``:depth:`` is kept."""

from __future__ import annotations

from docutils import nodes

__all__ = ["entry_ids", "is_page_contents", "listed_depth"]


def is_page_contents(node: nodes.Element) -> bool:
    """Whether *node* is a ``contents`` topic over the whole page (``:local:`` lists one
    section's subsections, which the ``toc`` macro cannot: that one stays a list of links)."""
    classes: list[str] = node.get("classes", [])
    return isinstance(node, nodes.topic) and "contents" in classes and "local" not in classes


def listed_depth(topic: nodes.Element, document: nodes.document) -> int | None:
    """The heading level (as the translator numbers them: a section's nesting depth) of the
    deepest section the contents list links to; ``None`` when it links to none."""
    levels = []
    for reference in topic.findall(nodes.reference):
        target = document.ids.get(reference.get("refid") or "")
        if isinstance(target, nodes.section):
            level = 0
            parent: nodes.Node | None = target
            while parent is not None:
                level += isinstance(parent, nodes.section)
                parent = parent.parent
            levels.append(level)
    return min(max(levels), 6) if levels else None


def entry_ids(topic: nodes.Element) -> list[str]:
    """The ids of the contents list's entries: what ``:backlinks: entry`` section titles link
    back to."""
    return [
        entry_id for reference in topic.findall(nodes.reference) for entry_id in reference["ids"]
    ]
