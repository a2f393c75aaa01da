"""Tab sets from Sphinx extensions, recognised by the shape of their doctree nodes (the
extensions need not be importable): each tab becomes a macro titled with its label
(:mod:`docs_confluence.storage.tabs`).

* sphinx-inline-tabs: ``.. tab:: Label`` is a container with ``type="tab"`` holding a
  ``label`` and the tab's content; consecutive tabs form a set.
* sphinx-design: ``tab-set`` > ``tab-item`` containers (``design_component``), each holding a
  ``rubric`` (the label; ``:sync:`` only links tabs across sets in HTML) and a ``tab-content``
  container; ``tab-set-code`` has the same shape.
* Django's ``console`` directive (run as for its HTML builder, :mod:`.html_only`): a
  ``console`` literal block whose ``win_console_text`` is the session's Windows variant; the
  two are the tabs "Linux/macOS" and "Windows", as Django's HTML shows them.
"""

from __future__ import annotations

from docutils import nodes

__all__ = ["CONSOLE_LABELS", "console_variants", "is_tab_label", "tab_label", "tab_number"]

#: the labels of Django's console tabs (its HTML has them as icons titled so)
CONSOLE_LABELS = ("Linux/macOS", "Windows")


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


def console_variants(node: nodes.Node) -> list[tuple[str, str, str]] | None:
    """``(label, code, language)`` of each tab of a Django console block, or ``None`` when
    *node* is no such block (or has no Windows variant)."""
    if not isinstance(node, nodes.literal_block):
        return None
    windows = node.get("win_console_text")
    if not isinstance(windows, str) or not windows.strip():
        return None
    unix, windows_label = CONSOLE_LABELS
    language = node.get("language") or "console"
    return [(unix, node.astext(), language), (windows_label, windows, "doscon")]
