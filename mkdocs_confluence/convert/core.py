"""A page as MkDocs rendered it (HTML, after every Markdown extension and plugin) -> storage XHTML.

Everything is built with :mod:`docs_confluence.storage` on lxml. The walk keeps two kinds of
containers apart: *block* containers (the body, quotes, panel bodies) put loose inline content
into paragraphs, *flow* containers (list items, task bodies) take it as is. HTML that Confluence
cannot hold becomes readable text, and :attr:`ConvertedPage.problems` names it once per kind so
the plugin can warn once per page. Conversion choices are documented in docs/mkdocs.md.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import lxml.html
from lxml import etree

from docs_confluence import storage
from docs_confluence.storage.pictures import Pictures
from docs_confluence.titles import plain_title

from . import extensions as ext
from .annotations import CodeAnnotations
from .blocks import BlockConverter
from .elements import (
    BLOCK_TAGS,
    ESCAPED,
    ESCAPED_BLOCKS,
    GROUPING,
    INLINE_AS,
    UNWRAPPED,
    holds_blocks,
    in_sentence,
    is_prefixed,
)
from .links import FileTarget, NoTarget, PageTarget, WebTarget
from .media import EMOJI_CLASSES, MediaConverter, take_edge_space

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from lxml.etree import _Element
    from lxml.html import HtmlElement

    from .links import SiteIndex

__all__ = ["ConvertedPage", "ConverterOptions", "convert_page"]

_KEPT_STYLE = re.compile(r"^\s*(color|background-color|text-decoration)\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ConverterOptions:
    """Conversion choices from the plugin options."""

    tabs: Literal["panels", "expand"] = "panels"
    macros: Mapping[str, str] = field(default_factory=dict)
    """Fence class (``mermaid``…), ``math`` or ``math-inline`` -> a Confluence macro name."""
    pictures: Pictures = field(default_factory=Pictures)
    """The build's renderers of formulas and Mermaid diagrams (and their cache)."""
    annotations: CodeAnnotations = field(default_factory=CodeAnnotations)
    """Where the site has Material's code annotations."""


@dataclass(frozen=True, slots=True)
class ConvertedPage:
    """The storage body, the files it needs attached (name -> path or bytes), and what could
    not be converted faithfully (each with how often)."""

    body: _Element
    attachments: Mapping[str, Path | bytes]
    problems: Mapping[str, int]

    def describe_problems(self) -> str:
        """The problems as one line: ``<iframe> escaped (2); link to x.md not published``."""
        return "; ".join(f"{p} ({n}x)" if n > 1 else p for p, n in self.problems.items())


def convert_page(
    html: str,
    *,
    key: str,
    url: str,
    site: SiteIndex,
    titles: Iterable[str] = (),
    options: ConverterOptions | None = None,
) -> ConvertedPage:
    """Convert the rendered content of one page (``page.content``).

    *key* is the page's bundle key and *url* its URL in the site (for relative links). A
    leading ``<h1>`` saying one of *titles* is left out, since Confluence shows the title.
    """
    converter = Converter(key=key, url=url, site=site, options=options or ConverterOptions())
    body = converter.convert(html, titles=titles)
    return ConvertedPage(body, dict(converter.attachments), dict(converter.problems))


class _Paragraphs:
    """Where inline content goes in a container: into it (flow) or into paragraphs made on
    demand (block), styled as the container wants (alignment in a cell, indent in a
    definition)."""

    __slots__ = ("current", "dst", "style", "wrap")

    def __init__(self, dst: _Element, wrap: bool, style: str | None) -> None:
        self.dst = dst
        self.wrap = wrap
        self.style = style
        self.current: _Element | None = None if wrap else dst

    def target(self) -> _Element:
        if self.current is None:
            attrs = {"style": self.style} if self.style else {}
            self.current = storage.element("p", **attrs)
            self.dst.append(self.current)
        return self.current

    def text(self, text: str | None) -> None:
        if not text:
            return
        if self.current is None:
            text = text.lstrip()  # a new paragraph starts at its first word
            if not text:
                return
        storage.append_text(self.target(), text)

    def close(self) -> None:
        if self.wrap:
            self.current = None


class Converter(BlockConverter, MediaConverter):
    """One page's conversion: the tree walk and the inline elements. Block constructs (code,
    admonitions, tabs, lists, tables…) are in :class:`BlockConverter`, images and attachments
    in :class:`MediaConverter`; what they call back into is :class:`~.host.ConverterHost`."""

    def __init__(self, *, key: str, url: str, site: SiteIndex, options: ConverterOptions) -> None:
        self.key = key
        self.url = url
        self.site = site
        self.options = options
        self.attachments: dict[str, Path | bytes] = {}
        self.problems: Counter[str] = Counter()
        self._attached: dict[object, str] = {}
        self._abbreviations: set[str] = set()

    def convert(self, html: str, *, titles: Iterable[str] = ()) -> _Element:
        source = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
        root = storage.new_fragment()
        for name in _drop_leading_title(source, titles):
            root.append(storage.anchor_macro(name, if_linked=True))
        self.flow(source, root, wrap=True)
        _drop_empty_paragraphs(root)
        return root

    # -- the walk ---------------------------------------------------------------------------

    def flow(
        self, src: HtmlElement, dst: _Element, *, wrap: bool, style: str | None = None
    ) -> None:
        """Convert the children of *src* into *dst*; with *wrap*, loose inline content goes
        into paragraphs (styled *style*)."""
        paragraphs = _Paragraphs(dst, wrap, style)
        paragraphs.text(src.text)
        for child in src:
            if isinstance(child.tag, str):
                if is_prefixed(child.tag):
                    self.prefixed(src, child, dst, paragraphs)
                elif child.tag in ESCAPED_BLOCKS and in_sentence(child):
                    self.escape(child, paragraphs.target(), block=False)  # only that element
                elif child.tag in BLOCK_TAGS:
                    paragraphs.close()
                    self.block(child, dst, wrap=wrap, style=style)
                elif holds_blocks(child):
                    # inline markup around blocks (a critic block, a link around a card)
                    if child.tag == "a":
                        self.problem("a link around block content kept as its content")
                    paragraphs.close()
                    self.anchor(child, dst)
                    self.flow(child, dst, wrap=wrap, style=style)
                else:
                    self.inline(child, paragraphs.target())
            paragraphs.text(child.tail)
        paragraphs.close()

    def prefixed(
        self, src: HtmlElement, child: HtmlElement, dst: _Element, paragraphs: _Paragraphs
    ) -> None:
        """Raw storage markup (``ac:``/``ri:``…) in a container: escaped source, as a code
        block when it stands alone (or holds blocks), else as text in the sentence."""
        alone = not (src.text or "").strip() and not (child.tail or "").strip() and len(src) == 1
        blocks = any(node.tag in BLOCK_TAGS for node in child.iterdescendants())
        if paragraphs.wrap and (alone or blocks):
            paragraphs.close()
            self.escape(child, dst, block=True)
        else:
            self.escape(child, paragraphs.target(), block=False)

    def inline_children(self, src: HtmlElement, dst: _Element) -> None:
        """Convert the content of *src* into the inline element *dst*."""
        storage.append_text(dst, src.text or "")
        for child in src:
            if isinstance(child.tag, str):
                self.inline(child, dst)
            storage.append_text(dst, child.tail or "")

    def anchor(self, node: HtmlElement, dst: _Element) -> None:
        """An anchor macro for *node*'s ``id`` (and ``<a name>``), so links to it work."""
        for name in (node.get("id"), node.get("name") if node.tag == "a" else None):
            if name and not name.startswith("__"):
                dst.append(storage.anchor_macro(name, if_linked=True))

    def problem(self, description: str) -> None:
        self.problems[description] += 1

    # -- inline elements --------------------------------------------------------------------

    def inline(self, node: HtmlElement, dst: _Element) -> None:
        """Convert one inline element into *dst*."""
        tag = node.tag
        names = ext.classes(node)
        if is_prefixed(tag):
            self.escape(node, dst, block=False)
            return
        if node.get("id") and tag != "a":
            self.anchor(node, dst)
        if tag in INLINE_AS:
            if tag in {"del", "ins"} and "critic" in names and not node.text_content().strip():
                return
            out = storage.element(INLINE_AS[tag])
            dst.append(out)
            self.inline_children(node, out)
            if not len(out) and not out.text:
                dst.remove(out)  # nothing to format; keeps its tail, which is still unset
        elif tag in {"code", "kbd", "samp", "tt"}:
            dst.append(storage.element("code", node.text_content()))
        elif tag == "br":
            dst.append(storage.element("br"))
        elif tag == "a":
            self.link(node, dst)
        elif tag == "img":
            self.image(node, dst)
        elif tag == "svg":
            self.svg(node, dst, height=None)
        elif tag == "span":
            self.span(node, names, dst)
        elif tag == "mark":
            out = storage.element("span", style="background-color: rgb(255,240,179);")
            dst.append(out)
            self.inline_children(node, out)
        elif tag == "abbr":
            self.abbreviation(node, dst)
        elif tag == "input" and node.get("type") == "checkbox":
            storage.append_text(dst, "\u2611" if node.get("checked") is not None else "\u2610")
        elif tag in UNWRAPPED or tag in GROUPING:
            self.inline_children(node, dst)
        elif tag in ESCAPED:
            self.escape(node, dst, block=False)
        else:
            self.problem(f"<{tag!s}> kept as text")
            self.inline_children(node, dst)

    def span(self, node: HtmlElement, names: list[str], dst: _Element) -> None:
        if "arithmatex" in names:
            self.math(node, dst, block=False)
        elif not EMOJI_CLASSES.isdisjoint(names) and next(node.iter("svg"), None) is not None:
            for svg in node.iter("svg"):
                self.svg(svg, dst, height=20)
        elif "critic" in names and "comment" in names:
            out = storage.element("em")
            dst.append(out)
            storage.append_text(out, f"({node.text_content().strip()})")
        else:
            style = "; ".join(
                part.strip()
                for part in (node.get("style") or "").split(";")
                if _KEPT_STYLE.match(part)
            )
            if style:
                out = storage.element("span", style=style + ";")
                dst.append(out)
                self.inline_children(node, out)
            else:
                self.inline_children(node, dst)

    def abbreviation(self, node: HtmlElement, dst: _Element) -> None:
        """The term; the first time on a page, followed by its expansion in parentheses."""
        self.inline_children(node, dst)
        expansion = (node.get("title") or "").strip()
        term = node.text_content().strip()
        if expansion and term not in self._abbreviations:
            self._abbreviations.add(term)
            storage.append_text(dst, f" ({expansion})")

    def link(self, node: HtmlElement, dst: _Element) -> None:
        if "headerlink" in ext.classes(node):
            return
        self.anchor(node, dst)
        href = node.get("href")
        if href is None:
            self.inline_children(node, dst)
            return
        target = self.site.resolve(href, page_url=self.url, page_key=self.key)
        if target == PageTarget(None):
            # this very page, no anchor ("#", a placeholder button): nowhere to go, its text
            self.inline_children(node, dst)
        elif isinstance(target, PageTarget):
            body = storage.element("ac:link-body")
            self.inline_children(node, body)
            lead, trail = take_edge_space(body)
            rich = len(body) > 0
            text = storage.plain_text(body) if not rich else None
            storage.append_text(dst, lead)  # "foo<a> bar</a>": the space stays between words
            dst.append(
                storage.page_link(
                    target.key, anchor=target.anchor, text=text, body=body if rich else None
                )
            )
            storage.append_text(dst, trail)
        elif isinstance(target, FileTarget):
            self.file_link(node, self.attach(target), dst)
        elif isinstance(target, WebTarget):
            out = storage.element("a", href=target.url)
            if node.get("title"):
                storage.set_attribute(out, "title", node.get("title") or "")
            dst.append(out)
            self.inline_children(node, out)
        else:
            self.no_target(target, href)
            self.inline_children(node, dst)

    def no_target(self, target: NoTarget, href: str) -> None:
        self.problem(f"link to {href} kept as text ({target.reason})")

    def math(self, node: HtmlElement, dst: _Element, *, block: bool) -> None:
        tex, display = ext.math_source(node)
        macro_name = self.options.macros.get("math" if block or display else "math-inline")
        if macro_name:
            macro, _ = storage.site_macro(macro_name, body="plain", plain_body=tex)
            dst.append(macro)
        elif self.picture("formula", tex, dst, block=block, display=display or block):
            return
        elif block:
            dst.append(storage.code_macro(tex, language="none", title="Math (LaTeX)"))
        else:
            dst.append(storage.element("code", tex))

    def escape(self, node: HtmlElement, dst: _Element, *, block: bool) -> None:
        """HTML Confluence does not take: its source, as text, and a warning."""
        source = etree.tostring(node, encoding="unicode", method="html", with_tail=False)
        self.problem(f"<{node.tag!s}> shown as escaped HTML")
        if block:
            dst.append(storage.code_macro(source.strip(), language="xml"))
        else:
            dst.append(storage.element("code", source))


def _drop_empty_paragraphs(root: _Element) -> None:
    """Paragraphs left empty (an image that could not be shown, a dropped element)."""
    for paragraph in list(root.iter("p")):
        if len(paragraph) or (paragraph.text or "").strip():
            continue
        parent = paragraph.getparent()
        assert parent is not None
        previous = paragraph.getprevious()
        if paragraph.tail and previous is not None:
            previous.tail = (previous.tail or "") + paragraph.tail
        elif paragraph.tail:
            parent.text = (parent.text or "") + paragraph.tail
        parent.remove(paragraph)


def _drop_leading_title(source: HtmlElement, titles: Iterable[str]) -> list[str]:
    """Confluence shows the page title above the body: a first ``<h1>`` saying the same goes.
    Returns its ids, so links to it still find an anchor."""
    wanted = {plain_title(t).casefold() for t in titles if plain_title(t)}
    if not wanted or (source.text and source.text.strip()):
        return []
    first = next((c for c in source if isinstance(c.tag, str)), None)
    if first is None or first.tag != "h1":
        return []
    for child in first:
        if isinstance(child.tag, str) and "headerlink" in ext.classes(child):
            child.drop_tree()
    if plain_title(first.text_content()).casefold() not in wanted:
        return []
    ids = [n.get("id") or "" for n in first.iter() if isinstance(n.tag, str) and n.get("id")]
    first.drop_tree()
    return ids
