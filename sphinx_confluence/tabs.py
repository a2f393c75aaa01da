"""Tab sets from Sphinx extensions, recognised by the shape of their doctree nodes (the
extensions need not be importable): each tab becomes a macro titled with its label
(:mod:`docs_confluence.storage.tabs`).

* sphinx-inline-tabs: ``.. tab:: Label`` is a container with ``type="tab"`` holding a
  ``label`` and the tab's content; consecutive tabs form a set.
* sphinx-design: ``tab-set`` > ``tab-item`` containers (``design_component``), each holding a
  ``rubric`` (the label; ``:sync:`` only links tabs across sets in HTML) and a ``tab-content``
  container; ``tab-set-code`` has the same shape.
"""

from __future__ import annotations

from docutils import nodes

__all__ = ["is_tab_label", "tab_label", "tab_number"]


def tab_label(node: nodes.Node) -> nodes.Element | None:
    """The label node of the tab *node* is, or ``None`` when it is no tab."""
    if not isinstance(node, nodes.container) or not node.children:
        return None
    first = node[0]
    if node.get("design_component") == "tab-item" and isinstance(first, nodes.rubric):
        return first
    if node.get("type") == "tab" and isinstance(first, nodes.label):
        return first
    return None


def is_tab_label(node: nodes.Node) -> bool:
    """Whether *node* is the label of a tab (already the title of the tab's macro)."""
    return node.parent is not None and tab_label(node.parent) is node


def tab_number(node: nodes.container) -> int:
    """The position of the tab *node* among the tabs just before it (1-based)."""
    parent = node.parent
    if parent is None:
        return 1
    index = parent.index(node)
    number = 1
    while index - number >= 0 and tab_label(parent[index - number]) is not None:
        number += 1
    return number
