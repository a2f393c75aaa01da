"""What each HTML element becomes in storage format: kept (perhaps renamed), unwrapped (its
content kept), or escaped (shown as source, with a warning). Elements with their own converter
(links, images, lists, tables, code…) are handled in the converter modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import extensions as ext

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = [
    "BLOCK_TAGS",
    "ESCAPED",
    "ESCAPED_BLOCKS",
    "GROUPING",
    "INLINE_AS",
    "UNWRAPPED",
    "holds_blocks",
    "in_sentence",
    "is_prefixed",
]

# Inline HTML that storage format holds as it is, or under another name.
INLINE_AS = {
    "strong": "strong",
    "b": "strong",
    "em": "em",
    "i": "em",
    "cite": "em",
    "var": "em",
    "dfn": "em",
    "u": "u",
    "ins": "u",
    "s": "s",
    "del": "s",
    "strike": "s",
    "sub": "sub",
    "sup": "sup",
    "small": "small",
    "big": "big",
}
# Inline elements whose content is kept without the element.
UNWRAPPED = frozenset(
    {"label", "time", "data", "bdi", "bdo", "font", "nobr", "wbr", "ruby", "rb", "rt", "rp", "q"}
)
# Block elements that only group their content (or stray parts of lists and tables).
GROUPING = (
    frozenset({"div", "section", "article", "aside", "header", "footer", "main", "nav"})
    | frozenset({"center", "address", "hgroup", "search", "picture", "summary", "figcaption"})
    | frozenset({"li", "dd", "dt", "caption", "tbody", "thead", "tfoot", "tr", "td", "th"})
)
# Block HTML that storage format cannot hold: shown as escaped source, with a warning.
ESCAPED_BLOCKS = (
    frozenset({"script", "style", "noscript", "template", "link", "meta", "base"})
    | frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "canvas"})
    | frozenset({"video", "audio", "form", "fieldset", "legend", "optgroup", "option"})
    | frozenset({"math", "dialog", "slot", "portal", "map", "area", "marquee", "blink"})
)
# ... and the inline ones.
ESCAPED = ESCAPED_BLOCKS | frozenset(
    {"button", "select", "textarea", "input", "meter", "progress", "output"}
)
BLOCK_TAGS = (
    frozenset({"p", "pre", "table", "ul", "ol", "dl", "blockquote", "hr", "details", "figure"})
    | frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "menu"})
    | GROUPING
    | ESCAPED_BLOCKS
)
_SCRIPTING = frozenset({"script", "style", "noscript", "template"})


def is_prefixed(tag: object) -> bool:
    """A namespace-prefixed element (``ac:structured-macro``, ``ri:page``, Word's ``o:p``):
    raw storage markup or foreign XML typed into Markdown. It is never kept: the whole element
    is shown as escaped source, with a warning, like other HTML Confluence does not take."""
    return isinstance(tag, str) and ":" in tag


def holds_blocks(node: HtmlElement) -> bool:
    """Inline markup wrapped around block content (a critic block, a link around a card)."""
    if "arithmatex" in ext.classes(node):
        return False
    return any(child.tag in BLOCK_TAGS and child.tag not in _SCRIPTING for child in node)


def in_sentence(node: HtmlElement) -> bool:
    """Text or an inline element right before or after *node*: it is part of a sentence."""
    previous, following = node.getprevious(), node.getnext()
    before = previous.tail if previous is not None else getattr(node.getparent(), "text", "")
    return any(
        (
            (before or "").strip(),
            (node.tail or "").strip(),
            previous is not None and previous.tag not in BLOCK_TAGS,
            following is not None and following.tag not in BLOCK_TAGS,
        )
    )
