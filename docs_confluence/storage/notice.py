"""The source notice: a small info panel at the top of every published page saying that the page
is generated from the docs repository, and linking to the file to edit.

Readers of a Confluence page cannot tell that it is generated; they edit it there, and the next
publish reports their edit as a conflict (or replaces it). The notice tells them where changes
go. It sits at the top, where readers look before they press Edit. It is part of the body, so
changing its text is a body change like any other (every page is updated once), and an
unchanged notice changes nothing.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from .markup import append_text, element, macro

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["DEFAULT_NOTICE", "NOTICE_FIELDS", "check_notice_text", "source_notice"]

#: The notice's text unless configured; ``{path}`` is the page's source file.
DEFAULT_NOTICE = (
    "This page is generated from the documentation repository; changes made here are "
    "overwritten or reported as conflicts by the next publish. Edit the source instead."
)

#: The placeholders a notice text may use.
NOTICE_FIELDS = ("path",)


def check_notice_text(text: str) -> str | None:
    """What is wrong with a notice text (an unknown or malformed placeholder), or None."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        return f"{exc} (write {{{{ and }}}} for literal braces)"
    unknown = [name for name in fields if name not in NOTICE_FIELDS]
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in NOTICE_FIELDS)
        return f"unknown placeholder {{{unknown[0]}}}; the text may use {allowed}"
    return None


def source_notice(text: str, *, path: str | None, edit_url: str | None) -> _Element:
    """The notice panel: *text* (``{path}`` filled in), then a link to *edit_url* when the
    docs say where their source is hosted, or the source path when they do not."""
    panel, content = macro("info", {"icon": "true"}, body="rich")
    assert content is not None
    paragraph = element("p")
    append_text(paragraph, text.format(path=path or "the docs"))
    if edit_url:
        append_text(paragraph, " ")
        link = element("a", f"Edit {path}" if path else "Edit the source", href=edit_url)
        paragraph.append(link)
        append_text(paragraph, ".")
    elif path:
        append_text(paragraph, " Source: ")
        paragraph.append(element("code", path))
    content.append(paragraph)
    return panel
