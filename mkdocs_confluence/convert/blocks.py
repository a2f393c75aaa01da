"""Block constructs of rendered MkDocs HTML -> storage format: headings, lists and task lists,
definition lists, tables, quotes, code blocks, diagrams, admonitions, details and tabs.

The walk itself (text, inline elements, links, images) is :class:`core.Converter`, which
extends :class:`BlockConverter`.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import TYPE_CHECKING

from docs_confluence import storage
from docs_confluence.storage.tabs import tab_macro
from docs_confluence.storage.toc import toc_macro

from . import extensions as ext
from .annotations import clean_lines
from .elements import ESCAPED_BLOCKS
from .host import ConverterHost

if TYPE_CHECKING:
    from lxml.etree import _Element
    from lxml.html import HtmlElement

__all__ = ["BlockConverter"]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ALIGN = re.compile(r"text-align\s*:\s*(left|center|right|justify)", re.IGNORECASE)
_DIAGRAM_DIVS = frozenset({"mermaid", "diagram", "plantuml", "graphviz", "kroki", "flowchart"})
_INDENT = "margin-left: 30px;"
_STORAGE_BLOCKS = frozenset(
    {"p", "ul", "ol", "table", "pre", "blockquote", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {f"{{{storage.AC}}}{name}" for name in ("structured-macro", "task-list", "layout")}
)


class BlockConverter(ConverterHost):
    """Converts block elements; the walk, inline elements and attachments are the host's."""

    def block(self, node: HtmlElement, dst: _Element, *, wrap: bool, style: str | None) -> None:
        """Convert one block element into the container *dst*."""
        tag = node.tag
        names = ext.classes(node)
        if tag in _HEADINGS:
            self.heading(node, dst)
            return
        if tag in {"li", "dt"}:  # stray, outside their list: the content still reads
            self.flow(node, dst, wrap=wrap, style=style)
            return
        self.anchor(node, dst)
        if tag == "p":
            self.flow(node, dst, wrap=True, style=_alignment(node) or style)
        elif tag in {"ul", "ol", "menu"}:
            self.listing(node, dst)
        elif tag == "pre":
            self.preformatted(node, dst)
        elif tag == "table":
            if ext.is_code_block(node):
                self.code(node, dst)
            else:
                self.table(node, dst)
        elif tag == "blockquote":
            quote = storage.element("blockquote")
            dst.append(quote)
            self.flow(node, quote, wrap=True)
        elif tag == "hr":
            dst.append(storage.element("hr"))
        elif tag == "dl":
            self.definitions(node, dst)
        elif tag == "details":
            self.details(node, dst)
        elif tag == "figure":
            self.flow(node, dst, wrap=True, style=style)
        elif tag == "figcaption":
            self.flow(node, dst, wrap=True, style="text-align: center;")
        elif tag in ESCAPED_BLOCKS:
            self.escape(node, dst, block=True)
        elif tag == "div":
            self.division(node, names, dst, wrap=wrap, style=style)
        else:
            self.flow(node, dst, wrap=wrap, style=_alignment(node) or style)

    def division(
        self, node: HtmlElement, names: list[str], dst: _Element, *, wrap: bool, style: str | None
    ) -> None:
        if ext.is_code_block(node):
            self.code(node, dst)
        elif "admonition" in names:
            self.admonition(node, names, dst)
        elif "tabbed-set" in names:
            self.tabs(node, dst)
        elif "toc" in names:  # Markdown's [TOC]: Confluence lists the headings itself
            dst.append(toc_macro())
        elif "arithmatex" in names:
            self.math(node, dst, block=True)
        elif "doc-contents" in names and "doc" in names and len(node):
            # mkdocstrings: an entry's docstring and members in a panel under its heading
            panel, body = storage.macro("panel", {"borderStyle": "solid"}, body="rich")
            assert body is not None
            dst.append(panel)
            self.flow(node, body, wrap=True)
        elif not _DIAGRAM_DIVS.isdisjoint(names):
            kind = next(n for n in names if n in _DIAGRAM_DIVS)
            self.diagram(kind, node.text_content(), dst)
        else:
            self.flow(node, dst, wrap=wrap, style=_alignment(node) or style)

    def heading(self, node: HtmlElement, dst: _Element) -> None:
        """A heading holds text and inline code: a link in it reads as its text (a link
        inside a heading is no place to click, and Confluence's editors render it poorly)."""
        out = storage.element(str(node.tag))
        dst.append(out)
        self.anchor(node, out)
        for link in list(node.iter("a")):
            if "headerlink" in ext.classes(link):
                link.drop_tree()
            else:
                self.anchor(link, out)
                link.drop_tag()
        self.inline_children(node, out)

    # -- code -------------------------------------------------------------------------------

    def preformatted(self, node: HtmlElement, dst: _Element) -> None:
        if "arithmatex" in ext.classes(node):  # a ``math`` fence written as ``<pre>``
            self.math(node, dst, block=True)
            return
        kind = ext.diagram_kind(node)
        if kind is not None:
            self.diagram(kind, node.text_content(), dst)
        else:
            self.code(node, dst)

    def code(self, node: HtmlElement, dst: _Element) -> None:
        """A code block; Material's annotation markers leave the code (the annotations are
        the numbered list after it)."""
        annotated = self.options.annotations.strip(node)
        block = ext.read_code_block(node)
        dst.append(
            storage.code_macro(
                clean_lines(block.code) if annotated else block.code,
                language=block.language,
                title=block.title,
                linenumbers=block.firstline is not None,
                firstline=block.firstline,
            )
        )

    def diagram(self, kind: str, source: str, dst: _Element) -> None:
        """A diagram fence: the macro a site configured for it, else a picture (Mermaid, with
        mermaid-cli), else its source as code."""
        source = source.strip("\n")
        macro_name = self.options.macros.get(kind)
        if macro_name:
            macro, _ = storage.site_macro(macro_name, body="plain", plain_body=source)
            dst.append(macro)
        elif ext.is_mermaid(kind, source) and self.picture("diagram", source, dst, block=True):
            return
        else:
            dst.append(storage.code_macro(source, language="none", title=kind))

    # -- admonitions, details, tabs ---------------------------------------------------------

    def admonition(self, node: HtmlElement, names: list[str], dst: _Element) -> None:
        kind = ext.admonition_kind(names) or "info"
        title_node = next(
            (c for c in node if isinstance(c.tag, str) and "admonition-title" in ext.classes(c)),
            None,
        )
        title = None
        if title_node is not None:
            title = " ".join(title_node.text_content().split()) or None
            title_node.drop_tree()
        panel, body = storage.macro(kind, {"title": title}, body="rich")
        assert body is not None
        dst.append(panel)
        self.flow(node, body, wrap=True)

    def details(self, node: HtmlElement, dst: _Element) -> None:
        """``???``/``<details>``: an expand macro; a typed one (``??? tip``) keeps its colour
        as a panel inside. One that starts open (``???+``, ``<details open>``) is a titled
        panel instead, its content shown: Confluence's expand always starts closed."""
        summary = next((c for c in node if c.tag == "summary"), None)
        title = "Details"
        if summary is not None:
            title = " ".join(summary.text_content().split()) or title
            summary.drop_tree()
        kind = ext.admonition_kind(ext.classes(node))
        if node.get("open") is not None:
            panel, shown = storage.macro(kind or "panel", {"title": title}, body="rich")
            assert shown is not None
            dst.append(panel)
            self.flow(node, shown, wrap=True)
            return
        expand, body = storage.macro("expand", {"title": title}, body="rich")
        assert body is not None
        dst.append(expand)
        if kind is not None:
            panel, inner = storage.macro(kind, body="rich")
            assert inner is not None
            body.append(panel)
            body = inner
        self.flow(node, body, wrap=True)

    def tabs(self, node: HtmlElement, dst: _Element) -> None:
        """Content tabs: one panel per tab titled with its label, in order (or one expand
        each; :mod:`docs_confluence.storage.tabs`)."""
        pairs = ext.tab_pairs(node)
        if not pairs:
            self.problem("content tabs without labels kept as plain content")
            self.flow(node, dst, wrap=True)
            return
        for number, (label, content) in enumerate(pairs, start=1):
            if label is None:
                self.problem("a content tab without a label titled by its position")
            text = label.text_content() if label is not None else ""
            macro, body = tab_macro(text, style=self.options.tabs, number=number)
            dst.append(macro)
            self.flow(content, body, wrap=True)

    # -- lists and tables -------------------------------------------------------------------

    def listing(self, node: HtmlElement, dst: _Element) -> None:
        items = [c for c in node if c.tag == "li"]
        if items and all(_checkbox(li) is not None for li in items):
            self.tasks(items, dst)
            return
        out = storage.element("ol" if node.tag == "ol" else "ul")
        start = (node.get("start") or "").strip()
        if node.tag == "ol" and start.isdigit() and start != "1":
            storage.set_attribute(out, "start", start)
        dst.append(out)
        item: _Element | None = None
        stray = False
        for child in node:
            if child.tag == "li":
                item = storage.element("li")
                out.append(item)
                self.anchor(child, item)
                self.flow(child, item, wrap=False)
                stray = False
            elif isinstance(child.tag, str):
                if item is None or not stray:
                    item = storage.element("li")
                    out.append(item)
                    stray = True
                holder = child.makeelement("div")
                holder.append(deepcopy(child))
                holder[0].tail = None
                self.flow(holder, item, wrap=False)
            if child.tail and child.tail.strip() and item is not None:
                storage.append_text(item, child.tail)

    def tasks(self, items: list[HtmlElement], dst: _Element) -> None:
        tasks: list[tuple[bool, _Element]] = []
        for li in items:
            checkbox = _checkbox(li)
            assert checkbox is not None
            done = checkbox.get("checked") is not None
            control = checkbox.getparent()
            (control if control is not None and control.tag == "label" else checkbox).drop_tree()
            li.text = (li.text or "").lstrip()
            body = storage.element("ac:task-body")
            self.flow(li, body, wrap=False)
            _paragraphs_as_lines(body)
            body.text = (body.text or "").lstrip() or None
            tasks.append((done, body))
        dst.append(storage.task_list(tasks))

    def definitions(self, node: HtmlElement, dst: _Element) -> None:
        """``<dl>``: each term a bold paragraph, its definitions indented below it."""
        for child in node:
            if child.tag == "dt":
                term = storage.element("p")
                dst.append(term)
                self.anchor(child, term)
                strong = storage.element("strong")
                term.append(strong)
                self.inline_children(child, strong)
            elif child.tag == "dd":
                self.anchor(child, dst)
                self.flow(child, dst, wrap=True, style=_INDENT)
            elif isinstance(child.tag, str):
                self.block(child, dst, wrap=True, style=None)

    def table(self, node: HtmlElement, dst: _Element) -> None:
        for caption in (c for c in node if c.tag == "caption"):
            line = storage.element("p")
            dst.append(line)
            strong = storage.element("strong")
            line.append(strong)
            self.inline_children(caption, strong)
        out = storage.element("table")
        dst.append(out)
        head: _Element | None = None
        body: _Element | None = None
        for group in node:
            if group.tag == "thead":
                head = storage.element("thead")
                out.append(head)
                self.rows(group, head)
            elif group.tag in {"tbody", "tfoot", "tr"}:
                if body is None:
                    body = storage.element("tbody")
                    out.append(body)
                self.rows(group if group.tag != "tr" else _holder(group), body)
        if head is not None and body is not None and out.index(body) < out.index(head):
            out.remove(head)
            out.insert(0, head)

    def rows(self, group: HtmlElement, dst: _Element) -> None:
        for row in group:
            if row.tag != "tr":
                continue
            out = storage.element("tr")
            dst.append(out)
            for cell in row:
                if cell.tag not in {"td", "th"}:
                    continue
                spans = {
                    name: cell.get(name, "")
                    for name in ("colspan", "rowspan")
                    if cell.get(name, "").isdigit() and cell.get(name) != "1"
                }
                item = storage.element(cell.tag, **spans)
                out.append(item)
                self.anchor(cell, item)
                self.flow(cell, item, wrap=True, style=_alignment(cell))


def _alignment(node: HtmlElement) -> str | None:
    found = _ALIGN.search(node.get("style") or "")
    value = found.group(1).lower() if found else (node.get("align") or "").lower()
    if value in {"left", "center", "right", "justify"} and value != "left":
        return f"text-align: {value};"
    return None


def _checkbox(li: HtmlElement) -> HtmlElement | None:
    """The task checkbox at the start of a list item (pymdownx.tasklist), if it has one."""
    for candidate in li.iterchildren():
        if candidate.tag == "input" and candidate.get("type") == "checkbox":
            return candidate
        if candidate.tag == "label":
            found = next((i for i in candidate.iter("input") if i.get("type") == "checkbox"), None)
            if found is not None:
                return found
        if candidate.tag not in {"p", "label"}:
            return None
        if candidate.tag == "p":
            return _checkbox(candidate)
    return None


def _paragraphs_as_lines(body: _Element) -> None:
    """A task body holds inline content: its paragraphs become lines, with ``<br/>`` between
    them and any inline content around them."""
    for paragraph in body.findall("p"):
        previous = paragraph.getprevious()
        if previous is not None:
            previous.tail = previous.tail if (previous.tail or "").strip() else None
            before = bool(previous.tail) or previous.tag not in _STORAGE_BLOCKS
        else:
            body.text = body.text if (body.text or "").strip() else None
            before = bool(body.text)
        if before:
            paragraph.addprevious(storage.element("br"))
        tail = paragraph.tail if (paragraph.tail or "").strip() else None
        paragraph.tail = None
        following = paragraph.getnext()
        if tail or (following is not None and following.tag not in _STORAGE_BLOCKS):
            line_break = storage.element("br")
            line_break.tail = tail
            paragraph.addnext(line_break)
        _drop_tag(paragraph)


def _drop_tag(element: _Element) -> None:
    """Replace *element* with its content: its text, children and tail stay where they were."""
    parent = element.getparent()
    assert parent is not None
    previous = element.getprevious()
    children = list(element)
    text, tail = element.text or "", element.tail or ""
    index = parent.index(element)
    parent[index : index + 1] = children
    _add_text_after(parent, previous, text)
    _add_text_after(parent, children[-1] if children else previous, tail)


def _add_text_after(parent: _Element, node: _Element | None, text: str) -> None:
    """*text* after *node* in *parent* (at its start when *node* is None)."""
    if node is None:
        parent.text = (parent.text or "") + text or None
    else:
        node.tail = (node.tail or "") + text or None


def _holder(row: HtmlElement) -> HtmlElement:
    holder = row.makeelement("tbody")
    holder.append(deepcopy(row))
    return holder
