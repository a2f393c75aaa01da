"""Content tabs, rendered the same way by both front ends.

Confluence has no tabs. A tab set becomes one macro per tab, in tab order, titled with the
tab's label, so every tab's content is on the page and a reader sees what each one is for
(``venv + pip``, ``conda``, ``uv``): a titled **panel** each (the default) or an **expand**
each (``tabs: expand`` / ``confluence_tabs = "expand"``), which reads as "open the one you
need". A tab without a label is titled ``Tab 2`` (its position), never left untitled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from . import markup as storage

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["TAB_STYLES", "TabStyle", "tab_macro"]

TabStyle = Literal["panels", "expand"]
TAB_STYLES: tuple[TabStyle, ...] = ("panels", "expand")


def tab_macro(
    label: str, *, style: TabStyle = "panels", number: int = 1
) -> tuple[_Element, _Element]:
    """The macro for one tab and the rich body its content goes into. *label* is the tab's
    label as plain text; *number* its position in the set (1-based), for the title of a tab
    without a label."""
    title = " ".join(label.split()) or f"Tab {number}"
    macro, body = storage.macro(
        "panel" if style == "panels" else "expand", {"title": title}, body="rich"
    )
    assert body is not None
    return macro, body
