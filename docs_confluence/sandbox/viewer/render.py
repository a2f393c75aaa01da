"""Storage format to the HTML a reader would see on Confluence, safely.

The walk builds a new HTML tree from the parsed storage body rather than editing it in place:
plain elements are copied only when they are on the storage format's list of supported HTML
(with a short list of attributes, links only to web, mail, local or in-page targets), every
``ac:``/``ri:`` element is drawn by `macros` or `resources`, and anything else is unwrapped to
its text. lxml escapes all text when the tree is serialised, so a body cannot smuggle markup,
scripts or event handlers into the viewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from .. import xhtml
from ..errors import InvalidStorage
from . import macros, resources
from .tree import append_text, sub

if TYPE_CHECKING:
    from ..store import SandboxStore
    from ..store.records import Page, Space

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ALLOWED = {
    *HEADINGS,
    *("p", "strong", "em", "u", "s", "del", "ins", "sub", "sup", "code", "pre", "blockquote"),
    *("hr", "br", "ul", "ol", "li", "a", "span", "div", "small", "big", "table", "colgroup"),
    *("col", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "time", "abbr", "cite"),
    *("q", "kbd", "var", "samp", "mark", "dl", "dt", "dd", "figure", "figcaption"),
    *("details", "summary"),
}
_ATTRIBUTES = {"style", "colspan", "rowspan", "start", "title", "datetime", "href", "align"}
_SAFE_HREF = re.compile(r"(https?:|mailto:|#|/(?!/))", re.IGNORECASE)
_UNSAFE_STYLE = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PageContext:
    """What a body is rendered against: the store, the page, its space and the shown title."""

    store: SandboxStore
    page: Page
    space: Space
    title: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of the rendered body, for the toc macro."""

    level: int
    text: str
    anchor: str


def heading_id(page_title: str, text: str) -> str:
    """The id Confluence gives a heading: page title and heading text without whitespace,
    joined by ``-`` (``InstallGuide-Beforeyoustart``; exact algorithm unconfirmed)."""
    return "".join(page_title.split()) + "-" + "".join(text.split())


class Renderer:
    """Renders storage bodies of one page; `render` returns an HTML fragment."""

    def __init__(self, context: PageContext) -> None:
        self.context = context
        self.headings: list[Heading] = []

    def render(self, body: str) -> str:
        """The HTML for a storage *body*; a malformed body is shown as its escaped source."""
        try:
            source = xhtml.parse(body, keep_cdata=False)
        except InvalidStorage as exc:  # show it rather than fail the page
            broken = etree.Element("div", {"class": "macro-unknown"})
            sub(broken, "p", f"This body is not valid storage format: {exc}")
            sub(broken, "pre", body)
            return _serialise_children(etree.Element("div"), broken)
        self.headings = self._collect_headings(source)
        out = etree.Element("div")
        self.children(source, out)
        return _serialise_children(out)

    def children(self, source: etree._Element, out: etree._Element) -> None:
        """Render the text and child elements of *source* into *out*."""
        append_text(out, source.text)
        for child in source:
            if isinstance(child.tag, str):
                self.element(child, out)
            append_text(out, child.tail)

    def element(self, source: etree._Element, out: etree._Element) -> None:
        """Render one storage element into *out*."""
        qname = etree.QName(source)
        if qname.namespace is None:
            self._html(source, qname.localname, out)
        elif qname.namespace == xhtml.AC:
            drawer = macros.DRAWERS.get(qname.localname) or resources.DRAWERS.get(qname.localname)
            if drawer is not None:
                drawer(self, source, out)
            elif qname.localname not in macros.HIDDEN:
                self.children(source, out)
        # ri: elements only mean something inside the ac: element that holds them.

    def _html(self, source: etree._Element, tag: str, out: etree._Element) -> None:
        if tag not in _ALLOWED:
            self.children(source, out)  # unknown or unsafe (script, iframe, form): text only
            return
        element = etree.SubElement(out, tag)
        for name, value in source.attrib.items():
            if name not in _ATTRIBUTES:
                continue
            if name == "href" and (tag != "a" or not _SAFE_HREF.match(value.strip())):
                continue
            if name == "style" and _UNSAFE_STYLE.search(value):
                continue
            element.set(name, value)
        if tag in HEADINGS:
            element.set("id", heading_id(self.context.title, source.xpath("string()")))
        self.children(source, element)

    def _collect_headings(self, source: etree._Element) -> list[Heading]:
        found = []
        for element in source.iter(*HEADINGS):
            text = " ".join(str(element.xpath("string()")).split())
            found.append(
                Heading(int(str(element.tag)[1]), text, heading_id(self.context.title, text))
            )
        return found


def _serialise_children(holder: etree._Element, *extra: etree._Element) -> str:
    for element in extra:
        holder.append(element)
    html = etree.tostring(holder, method="html", encoding="unicode")
    return html[html.index(">") + 1 : html.rindex("<")]
