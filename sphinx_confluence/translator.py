"""Doctree to Confluence storage format.

:class:`ConfluenceTranslator` walks one resolved doctree and builds the page body on lxml with
:mod:`docs_confluence.storage`. ``visit_*`` methods append elements and push the one their
children go into; the element stack is cut back to where it was after each node's departure, so
``depart_*`` methods exist only where something follows the children. Nodes nobody taught the
translator about (third-party extensions) get one warning per page and node type, and their
children are rendered as usual, so their text is never lost.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast
from urllib.parse import unquote

from docutils import nodes
from lxml import etree, html
from sphinx import addnodes
from sphinx.locale import _, admonitionlabels
from sphinx.util import logging
from sphinx.util.docutils import SphinxTranslator

from docs_confluence import StorageError, storage
from docs_confluence.bundle import attachment_name
from docs_confluence.storage.macros import admonition_panel
from docs_confluence.storage.pictures import Kind, Picture, RenderError
from docs_confluence.storage.tabs import tab_macro
from docs_confluence.storage.toc import toc_macro

from . import contents, languages, tabs

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.etree import _Element

    from .builder import ConfluenceBuilder

    _LinkResolver = Callable[[str, _Element], _Element | None]

__all__ = ["ConfluenceTranslator"]

logger = logging.getLogger(__name__)

_AC_BODY = f"{{{storage.AC}}}rich-text-body"
_TASK_BODY = f"{{{storage.AC}}}task-body"
_FLOW = frozenset({"root", "li", "td", "th", "blockquote", _AC_BODY, _TASK_BODY})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|em|ex|pt|pc|in|cm|mm|%)?\s*$")
_PX_PER = {"px": 1, "em": 16, "ex": 8, "pt": 4 / 3, "pc": 16, "in": 96, "cm": 37.8, "mm": 3.78}
_INDENT_PX = 30
_CHECKBOX = re.compile(r"^\s*<input\b[^>]*type=\"?checkbox[^>]*>\s*$", re.IGNORECASE)
_OPEN_TAG = re.compile(r"^\s*<([A-Za-z]+)\s*>\s*$")
_CLOSE_TAG = re.compile(r"^\s*</([A-Za-z]+)\s*>\s*$")
_INLINE_RAW = {
    "s": "s",
    "del": "del",
    "strike": "s",
    "u": "u",
    "ins": "u",
    "sub": "sub",
    "sup": "sup",
    "b": "strong",
    "strong": "strong",
    "i": "em",
    "em": "em",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "small": "small",
    "big": "big",
}
_INDEX_ID = re.compile(r"^index-\d+$")
_NO_PAGE = frozenset({"genindex", "modindex", "py-modindex", "search"})

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Raw HTML Confluence keeps (storage format's plain-HTML subset) and the attributes it keeps.
RAW_HTML_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "del", "sub"}
    | {"sup", "code", "pre", "blockquote", "hr", "br", "ul", "ol", "li", "a", "span", "small"}
    | {"big", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td"}
)
RAW_HTML_ATTRIBUTES = frozenset({"href", "title", "style", "colspan", "rowspan", "start"})
#: Raw HTML that cannot sit inside a paragraph.
RAW_HTML_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "hr", "ul", "ol", "li"}
    | {"table", "colgroup", "col", "thead", "tbody", "tr", "th", "td"}
)

#: Raw HTML that sits in a sentence: an element escaped next to it is escaped inline.
_INLINE_HTML = (RAW_HTML_TAGS - RAW_HTML_BLOCKS) | frozenset(
    {"img", "kbd", "abbr", "mark", "ins", "var", "samp", "cite", "q", "time", "label"}
    | {"button", "input", "select", "textarea", "iframe", "video", "audio", "object", "embed"}
)


@dataclass(slots=True)
class _Table:
    stubs: int = 0  # leading stub columns (shown as row headers)
    head: bool = False  # inside the header rows


class ConfluenceTranslator(SphinxTranslator):
    """Translates one document into a storage-format fragment (:attr:`root`)."""

    builder: ConfluenceBuilder

    def __init__(self, document: nodes.document, builder: ConfluenceBuilder) -> None:
        super().__init__(document, builder)
        self.docname: str = builder.current_docname
        self.root: _Element = storage.new_fragment()
        self.stack: list[_Element] = [self.root]
        #: files attached to this page: source path -> name on the page
        self.attachments: dict[str, str] = {}
        #: pictures left as code because their renderer is not installed
        self.unrendered: set[Kind] = set()
        self._names: set[str] = set()
        self._marks: list[int] = []  # stack depth at each open node's visit
        self._visits: dict[type[nodes.Node], Callable[[nodes.Node], None]] = {}
        self._departs: dict[type[nodes.Node], Callable[[nodes.Node], None]] = {}
        self._anchors: set[str] = set()
        self._warned: set[str] = set()
        self._section_level = 0
        self._title_done = False
        self._indent = 0
        self._label: _Element | None = None
        self._tables: list[_Table] = []
        self._line_depth = 0
        self._tasks = 0
        self._task_checkbox: nodes.Node | None = None  # the open task's checkbox (raw HTML)
        self._raw_open: list[_Element] = []
        self._explained: set[str] = set()
        self._secnumbers: dict[str, tuple[int, ...]] = builder.env.toc_secnumbers.get(
            self.docname, {}
        )
        self._fignumbers = builder.env.toc_fignumbers.get(self.docname, {})
        #: ``contents`` entries that became the toc macro -> the anchor at the macro
        self._backlink_to: dict[str, str] = {}

    # -- walking ------------------------------------------------------------------------------

    def dispatch_visit(self, node: nodes.Node) -> None:
        # Sphinx's lookup (first ``visit_<class>`` along the MRO), cached per node class
        cls = type(node)
        visit = self._visits.get(cls)
        if visit is None:
            visit = self._visits[cls] = self._handler(cls, "visit_", self.unknown_visit)
        self._marks.append(len(self.stack))
        try:
            visit(node)
        except (nodes.SkipNode, nodes.SkipDeparture):
            del self.stack[self._marks.pop() :]
            raise

    def dispatch_departure(self, node: nodes.Node) -> None:
        cls = type(node)
        depart = self._departs.get(cls)
        if depart is None:
            depart = self._departs[cls] = self._handler(cls, "depart_", self.unknown_departure)
        depart(node)
        del self.stack[self._marks.pop() :]

    def _handler(
        self, cls: type[nodes.Node], prefix: str, default: Callable[[nodes.Node], None]
    ) -> Callable[[nodes.Node], None]:
        for node_class in cls.__mro__:
            method = getattr(self, prefix + node_class.__name__, None)
            if method is not None:
                return cast("Callable[[nodes.Node], None]", method)
        return default

    def unknown_visit(self, node: nodes.Node) -> None:
        name = type(node).__name__
        if name not in self._warned:
            self._warned.add(name)
            self.warn(
                f"no Confluence rendering for node {name!r} in {self.docname!r} (from an "
                "extension?); its content is shown as plain content",
                node,
                "unknown_node",
            )
        block = isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline)
        if block and self._in_flow():
            self._open("p")

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    def warn(self, message: str, node: nodes.Node | None, subtype: str) -> None:
        """A Sphinx warning (type ``confluence``) located at *node*."""
        logger.warning(message, location=node, type="confluence", subtype=subtype)

    # -- building blocks ----------------------------------------------------------------------

    @property
    def current(self) -> _Element:
        return self.stack[-1]

    def _in_flow(self) -> bool:
        return self.current.tag in _FLOW

    def _append(self, element: _Element) -> _Element:
        self.current.append(element)
        return element

    def _open(self, tag: str, /, **attrs: str) -> _Element:
        element = storage.element(tag, **attrs)
        if self._indent and self.current is self.root and tag in {"p", "ul", "ol", "pre"}:
            element.set("style", f"margin-left: {self._indent * _INDENT_PX}px;")
        self.current.append(element)
        self.stack.append(element)
        return element

    def _text(self, text: str) -> None:
        storage.append_text(self.current, text)

    def _anchor_ids(self, node: nodes.Element, into: _Element | None = None) -> None:
        target = self.current if into is None else into
        ids: list[str] = node.get("ids", [])
        for anchor in ids:
            if anchor not in self._anchors:
                self._anchors.add(anchor)
                target.append(storage.anchor_macro(anchor, if_linked=True))

    def _open_macro(self, name: str, params: dict[str, str | None]) -> _Element:
        macro, body = storage.macro(name, params, body="rich")
        assert body is not None
        self._append(macro)
        self.stack.append(body)
        return body

    def _collect(self) -> _Element:
        """A detached element to gather children in (link bodies); pop it in depart."""
        holder = storage.element("span")
        self.stack.append(holder)
        return holder

    def _in_heading(self) -> bool:
        """Inside a heading, which holds text and inline code: a link in it reads as its text
        (a heading may be a ``contents`` back-link itself, and links do not nest)."""
        return any(element.tag in _HEADINGS for element in self.stack)

    def _unwrap(self, holder: _Element) -> None:
        self._text(holder.text or "")
        for child in list(holder):
            self.current.append(child)

    def _attach(self, path: Path) -> str:
        """The name *path* has on this page (attached once, names kept unique)."""
        key = str(path)
        if key in self.attachments:
            return self.attachments[key]
        name = attachment_name(path.name, self._names)
        self._names.add(name)
        self.attachments[key] = name
        return name

    def _number(self, node: nodes.Element, figtype: str) -> str:
        """``Fig. 2 `` style prefix when numfig numbers *node*."""
        if not self.config.numfig or not node.get("ids"):
            return ""
        numbers = self._fignumbers.get(figtype, {}).get(node["ids"][0])
        if not numbers:
            return ""
        number = ".".join(map(str, numbers))
        return str(self.config.numfig_format.get(figtype, "%s")) % number + " "

    # -- document structure -------------------------------------------------------------------

    def visit_document(self, node: nodes.document) -> None:
        pass

    def visit_section(self, node: nodes.section) -> None:
        self._section_level += 1

    def depart_section(self, node: nodes.section) -> None:
        self._section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        parent = node.parent
        if isinstance(parent, nodes.section):
            if self._section_level == 1 and not self._title_done:
                self._title_done = True  # the page title; keep its anchors only
                self._anchor_ids(parent)
                raise nodes.SkipNode
            level = min(max(self._section_level, 1), 6)
            heading = self._open(f"h{level}")
            self._anchor_ids(parent, heading)
            anchor = "#" + parent["ids"][0] if parent.get("ids") else ""
            if anchor in self._secnumbers:
                number = ".".join(map(str, self._secnumbers[anchor]))
                self._text(number + self.config.html_secnumber_suffix)
            if node.get("refid"):  # a ``contents`` back-link: the title links to its entry
                self._collect()
            return
        if isinstance(parent, (nodes.topic, nodes.sidebar, nodes.Admonition)):
            raise nodes.SkipNode  # the enclosing macro took it as its title
        self._open("p")
        self._open("strong")
        if isinstance(parent, nodes.table):
            self._text(self._number(parent, "table"))

    def depart_title(self, node: nodes.title) -> None:
        if node.get("refid") and isinstance(node.parent, nodes.section):
            holder = self.stack.pop()
            text = storage.plain_text(holder)
            rich = holder if len(holder) else None
            anchor = self._backlink_to.get(node["refid"], node["refid"])
            self._append(storage.page_link(None, anchor=anchor, text=text, body=rich))

    def visit_subtitle(self, node: nodes.subtitle) -> None:
        if isinstance(node.parent, nodes.sidebar):
            raise nodes.SkipNode
        self._open("p")
        self._open("em")

    def visit_rubric(self, node: nodes.rubric) -> None:
        if tabs.is_tab_label(node):
            raise nodes.SkipNode  # the tab's macro took it as its title
        level = node.get("heading-level")
        if level in {1, 2, 3, 4, 5, 6}:
            heading = self._open(f"h{level}")
            self._anchor_ids(node, heading)
            return
        paragraph = self._open("p")
        self._anchor_ids(node, paragraph)
        self._open("strong")

    def visit_topic(self, node: nodes.topic) -> None:
        self._anchor_ids(node)
        if contents.is_page_contents(node):  # Confluence lists the page's headings itself
            depth = contents.listed_depth(node, self.document)
            self._append(toc_macro(max_level=depth))
            if node.get("ids"):  # back-links from section titles now land on the macro
                self._backlink_to.update(dict.fromkeys(contents.entry_ids(node), node["ids"][0]))
            raise nodes.SkipNode
        title = node.next_node(nodes.title)
        self._open_macro("panel", {"title": title.astext() if title is not None else None})

    def visit_sidebar(self, node: nodes.sidebar) -> None:
        self._anchor_ids(node)
        parts = [
            child.astext()
            for child in node.children
            if isinstance(child, nodes.title | nodes.subtitle)
        ]
        self._open_macro("panel", {"title": " \u2014 ".join(parts) or None})

    def visit_transition(self, node: nodes.transition) -> None:
        self._append(storage.element("hr"))
        raise nodes.SkipNode

    def visit_compound(self, node: nodes.compound) -> None:
        self._anchor_ids(node)

    def visit_container(self, node: nodes.container) -> None:
        if node.get("literal_block"):
            self._code_with_caption(node)
            raise nodes.SkipNode
        self._anchor_ids(node)
        label = tabs.tab_label(node)
        if label is not None:  # one tab of a set: a macro titled with its label
            style = self.config.confluence_tabs
            number = tabs.tab_number(node)
            macro, body = tab_macro(label.astext(), style=style, number=number)
            self._append(macro)
            self.stack.append(body)

    def visit_start_of_file(self, node: nodes.Element) -> None:
        pass

    def visit_glossary(self, node: nodes.Element) -> None:
        self._anchor_ids(node)

    def visit_acks(self, node: nodes.Element) -> None:
        pass

    def visit_only(self, node: nodes.Element) -> None:
        pass

    def visit_ifconfig(self, node: nodes.Element) -> None:
        pass

    def visit_todolist(self, node: nodes.Element) -> None:
        pass

    def visit_autosummary_table(self, node: nodes.Element) -> None:
        pass

    def visit_centered(self, node: nodes.Element) -> None:
        paragraph = self._open("p", style="text-align: center;")
        self._anchor_ids(node, paragraph)
        self._open("strong")

    # -- paragraphs and text -----------------------------------------------------------------

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if self.current.tag == _TASK_BODY:  # a task body holds inline content: one line each
            index = node.parent.index(node)
            if index and isinstance(node.parent[index - 1], nodes.paragraph):
                self._append(storage.element("br"))
            self._anchor_ids(node)
            return
        if self._is_compact(node):
            self._anchor_ids(node)
            return
        paragraph = self._open("p")
        self._anchor_ids(node, paragraph)
        self._flush_label(paragraph)

    def visit_compact_paragraph(self, node: nodes.Element) -> None:
        if node.get("toctree"):
            return  # a resolved toctree: a caption and a list of page links
        self.visit_paragraph(cast("nodes.paragraph", node))

    def _is_compact(self, node: nodes.Element) -> bool:
        parent = node.parent
        if isinstance(parent, nodes.list_item | nodes.entry | nodes.field_body | nodes.description):
            return parent.children[0] is node and all(
                isinstance(child, nodes.bullet_list | nodes.enumerated_list)
                for child in parent.children[1:]
            )
        return isinstance(node, addnodes.compact_paragraph) and not self._in_flow()

    def visit_Text(self, node: nodes.Text) -> None:
        self._text(node.astext())

    def visit_line_block(self, node: nodes.line_block) -> None:
        if isinstance(node.parent, nodes.line_block):
            self._line_depth += 1
            return
        paragraph = self._open("p")
        self._anchor_ids(node, paragraph)
        self._line_depth = 0

    def depart_line_block(self, node: nodes.line_block) -> None:
        if isinstance(node.parent, nodes.line_block):
            self._line_depth -= 1

    def visit_line(self, node: nodes.line) -> None:
        if len(self.current) or self.current.text:
            self._append(storage.element("br"))
        self._text("\u00a0" * 4 * self._line_depth)

    def visit_block_quote(self, node: nodes.block_quote) -> None:
        quote = self._open("blockquote")
        self._anchor_ids(node, quote)

    def visit_attribution(self, node: nodes.attribution) -> None:
        self._open("p")
        self._text("\u2014 ")

    # -- inline markup -------------------------------------------------------------------------

    def visit_emphasis(self, node: nodes.emphasis) -> None:
        self._open("em")

    def visit_strong(self, node: nodes.strong) -> None:
        self._open("strong")

    def visit_literal(self, node: nodes.literal) -> None:
        self._open("code")

    def visit_subscript(self, node: nodes.subscript) -> None:
        self._open("sub")

    def visit_superscript(self, node: nodes.superscript) -> None:
        self._open("sup")

    def visit_title_reference(self, node: nodes.title_reference) -> None:
        self._open("em")

    def visit_manpage(self, node: nodes.Element) -> None:
        self._open("em")

    def visit_abbreviation(self, node: nodes.abbreviation) -> None:
        pass

    def depart_abbreviation(self, node: nodes.abbreviation) -> None:
        in_signature = isinstance(node.parent, addnodes.desc_sig_element | addnodes.desc_parameter)
        explanation = node.get("explanation")
        if explanation and not in_signature and node.astext() not in self._explained:
            self._explained.add(node.astext())
            self._text(f" ({node['explanation']})")

    def visit_acronym(self, node: nodes.Element) -> None:
        pass

    def visit_inline(self, node: nodes.inline) -> None:
        classes: set[str] = set(node.get("classes", []))
        self._anchor_ids(node)
        if classes & {"guilabel", "menuselection"}:
            self._open("strong")
        elif classes & {"strike", "strikethrough", "line-through", "del"}:
            self._open("span", style="text-decoration: line-through;")
        elif "versionmodified" in classes:
            self._open("em")

    def visit_generated(self, node: nodes.Element) -> None:
        pass

    def visit_problematic(self, node: nodes.problematic) -> None:
        pass

    def visit_pending_xref(self, node: nodes.Element) -> None:
        pass  # left unresolved (Sphinx warned already): its text

    def visit_pending_xref_condition(self, node: nodes.Element) -> None:
        pass

    def visit_substitution_reference(self, node: nodes.Element) -> None:
        pass

    def visit_target(self, node: nodes.target) -> None:
        # a target naming an external URL, or an index entry's, is nothing to link to
        ids: list[str] = node.get("ids", [])
        if "refuri" not in node and not all(_INDEX_ID.match(i) for i in ids):
            self._anchor_ids(node)
        if not node.children:
            raise nodes.SkipNode

    # -- links ----------------------------------------------------------------------------------

    def visit_reference(self, node: nodes.reference) -> None:
        if self._is_block(node):  # a linked image (``:target:``) on its own
            image = node.next_node(nodes.image)
            self._image_paragraph(image.get("align") if image is not None else None, node)
        self._anchor_ids(node)
        self._collect()
        if "secnumber" in node:
            self._text(".".join(map(str, node["secnumber"])) + self.config.html_secnumber_suffix)

    def depart_reference(self, node: nodes.reference) -> None:
        holder = self.stack.pop()
        link = None if self._in_heading() else self._link(node, holder)
        if link is None:
            self._unwrap(holder)
        else:
            self._append(link)

    def _link(self, node: nodes.Element, holder: _Element) -> _Element | None:
        text = storage.plain_text(holder)
        rich = holder if len(holder) else None
        if "refuri" in node:
            uri: str = node["refuri"]
            internal = self._internal(node, uri)
            if internal is True:
                anchor = storage.element("a", href=uri)
                anchor.text = holder.text
                anchor.extend(list(holder))
                if not text and not len(anchor):
                    storage.append_text(anchor, uri)
                return anchor
            if internal is False:
                return None
            if isinstance(internal, Path):  # a file of the project: attach it
                name = self._attach(internal)
                return storage.attachment_link(name, text=text or name)
            key, fragment = internal
            if key is None and not fragment:  # this very page ("#"): nowhere to go, its text
                return None
            if not text and rich is None:
                text = fragment or key or self.docname
            return storage.page_link(key, anchor=fragment or None, text=text or None, body=rich)
        if "refid" in node:
            return storage.page_link(
                None, anchor=node["refid"], text=text or node["refid"], body=rich
            )
        return None  # unresolved named reference: its text

    def _internal(self, node: nodes.Element, uri: str) -> tuple[str | None, str] | Path | bool:
        """Where a ``refuri`` goes: ``(key, anchor)`` inside the project (``key`` None: this
        page), a project file to attach, ``True`` for an external link, ``False`` for a page
        that is never published (text only)."""
        if _SCHEME.match(uri) or uri.startswith(("//", "/")):
            return True
        path, _, fragment = uri.partition("#")
        if not path:
            return None, fragment
        found = self.builder.env.found_docs
        if path in found:
            return (None if path == self.docname else path), fragment
        if node.get("internal") or path in _NO_PAGE:
            return False
        # a hand-written relative link: "other.html", "../guide/", "files/data.csv"
        relative = posixpath.normpath(
            posixpath.join(posixpath.dirname(self.docname), unquote(path))
        )
        for doc in (relative.removesuffix(".html"), relative.rstrip("/") + "/index"):
            if doc in found:
                return (None if doc == self.docname else doc), fragment
        file = Path(self.builder.srcdir, relative)
        if not relative.startswith("..") and file.is_file():
            return file
        return True

    def visit_download_reference(self, node: nodes.Element) -> None:
        if "refuri" in node:
            self.visit_reference(cast("nodes.reference", node))
            return
        self._collect()

    def depart_download_reference(self, node: nodes.Element) -> None:
        if "refuri" in node:
            self.depart_reference(cast("nodes.reference", node))
            return
        holder = self.stack.pop()
        _, absolute = self.builder.env.relfn2path(node["reftarget"], self.docname)
        path = Path(absolute)
        if not path.is_file() or self._in_heading():  # missing: Sphinx has warned already
            self._unwrap(holder)
            return
        name = self._attach(path)
        self._append(storage.attachment_link(name, text=storage.plain_text(holder) or name))

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        self._anchor_ids(node)
        label = f"[{node.astext()}]"
        sup = self._append(storage.element("sup"))  # raised, as in HTML
        if node.get("refid"):
            sup.append(storage.page_link(None, anchor=node["refid"], text=label))
        else:
            sup.text = label
        raise nodes.SkipNode

    def visit_citation_reference(self, node: nodes.citation_reference) -> None:
        self.visit_footnote_reference(cast("nodes.footnote_reference", node))

    def visit_footnote(self, node: nodes.footnote) -> None:
        self._anchor_ids(node)
        label = storage.element("span")
        text = node[0].astext() if len(node) and isinstance(node[0], nodes.label) else ""
        backrefs: list[str] = node.get("backrefs", [])
        if len(backrefs) == 1:
            label.append(storage.page_link(None, anchor=backrefs[0], text=f"[{text}]"))
        else:
            storage.append_text(label, f"[{text}]")
            if backrefs:
                storage.append_text(label, " (")
                for number, backref in enumerate(backrefs, start=1):
                    if number > 1:
                        storage.append_text(label, ", ")
                    label.append(storage.page_link(None, anchor=backref, text=str(number)))
                storage.append_text(label, ")")
        storage.append_text(label, " ")
        self._label = label

    def depart_footnote(self, node: nodes.footnote) -> None:
        if self._label is not None:  # a footnote without a paragraph
            self._flush_label(self._open("p"))

    def visit_citation(self, node: nodes.citation) -> None:
        self.visit_footnote(cast("nodes.footnote", node))

    def depart_citation(self, node: nodes.citation) -> None:
        self.depart_footnote(cast("nodes.footnote", node))

    def visit_label(self, node: nodes.label) -> None:
        if isinstance(node.parent, nodes.footnote | nodes.citation) or tabs.is_tab_label(node):
            raise nodes.SkipNode  # shown by the footnote's or the tab's own rendering
        self._open("p")  # a label from an extension: never lost
        self._open("strong")

    def _flush_label(self, paragraph: _Element) -> None:
        if self._label is None:
            return
        label, self._label = self._label, None
        storage.append_text(paragraph, label.text or "")
        paragraph.extend(list(label))

    # -- lists ----------------------------------------------------------------------------------

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        self._flush_pending_label()
        self._anchor_ids(node)
        if "contains-task-list" in node.get("classes", ()):
            self._open("ac:task-list")
        else:
            self._open("ul")

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        self._flush_pending_label()
        self._anchor_ids(node)
        attrs: dict[str, str] = {}
        start = node.get("start", 1)
        if start != 1:
            attrs["start"] = str(start)
        style = {
            "loweralpha": "lower-alpha",
            "upperalpha": "upper-alpha",
            "lowerroman": "lower-roman",
            "upperroman": "upper-roman",
        }.get(node.get("enumtype", "arabic"))
        if style:
            attrs["style"] = f"list-style-type: {style};"
        self._open("ol", **attrs)

    def visit_list_item(self, node: nodes.list_item) -> None:
        if self.current.tag == f"{{{storage.AC}}}task-list":
            self._task(node)
            return
        item = self._open("li")
        self._anchor_ids(node, item)

    def _task(self, node: nodes.list_item) -> None:
        """A MyST task list item: its checkbox (raw HTML) becomes the task's status."""
        checkbox = node.next_node(nodes.raw)
        if checkbox is not None and not _CHECKBOX.match(checkbox.astext()):
            checkbox = None
        self._task_checkbox = checkbox
        done = checkbox is not None and "checked" in checkbox.astext()
        self._tasks += 1
        self._open("ac:task")
        self._append(storage.element("ac:task-id", str(self._tasks)))
        self._append(storage.element("ac:task-status", "complete" if done else "incomplete"))
        body = self._open("ac:task-body")
        self._anchor_ids(node, body)

    def visit_definition_list(self, node: nodes.definition_list) -> None:
        self._flush_pending_label()
        self._anchor_ids(node)

    def visit_definition_list_item(self, node: nodes.definition_list_item) -> None:
        self._anchor_ids(node)

    def visit_term(self, node: nodes.term) -> None:
        paragraph = self._open("p")
        self._anchor_ids(node, paragraph)
        self._open("strong")

    def visit_classifier(self, node: nodes.classifier) -> None:
        last = self.current[-1] if len(self.current) else None
        if last is not None and last.tag == "p":
            self.stack.append(last)  # continue the term's paragraph
        else:
            self._open("p")
        self._text(" : ")
        self._open("em")

    def visit_definition(self, node: nodes.definition) -> None:
        self._indent += 1

    def depart_definition(self, node: nodes.definition) -> None:
        self._indent -= 1

    def visit_field_list(self, node: nodes.field_list) -> None:
        self._flush_pending_label()
        self._anchor_ids(node)
        self._open("table")
        self._open("tbody")

    def visit_field(self, node: nodes.field) -> None:
        self._open("tr")

    def visit_field_name(self, node: nodes.field_name) -> None:
        self._open("th")

    def visit_field_body(self, node: nodes.field_body) -> None:
        self._open("td")

    def visit_option_list(self, node: nodes.option_list) -> None:
        self._anchor_ids(node)
        self._open("table")
        self._open("tbody")

    def visit_option_list_item(self, node: nodes.option_list_item) -> None:
        self._open("tr")

    def visit_option_group(self, node: nodes.option_group) -> None:
        self._open("td")
        self._open("code")

    def visit_option(self, node: nodes.option) -> None:
        if node.parent.index(node):
            self._text(", ")

    def visit_option_string(self, node: nodes.option_string) -> None:
        pass

    def visit_option_argument(self, node: nodes.option_argument) -> None:
        self._text(node.get("delimiter", " "))
        self._open("em")

    def visit_description(self, node: nodes.description) -> None:
        self._open("td")

    def visit_docinfo(self, node: nodes.docinfo) -> None:
        self._open("table")
        self._open("tbody")

    def _docinfo_item(self, node: nodes.Element) -> None:
        row = self._open("tr")
        row.append(storage.element("th", type(node).__name__.capitalize()))
        self._open("td")

    visit_author = visit_authors = visit_organization = visit_address = _docinfo_item
    visit_contact = visit_version = visit_revision = visit_status = _docinfo_item
    visit_date = visit_copyright = _docinfo_item

    def visit_hlist(self, node: nodes.Element) -> None:
        self._anchor_ids(node)
        self._open("table")
        self._open("tbody")
        self._open("tr")

    def visit_hlistcol(self, node: nodes.Element) -> None:
        self._open("td")

    # -- tables ---------------------------------------------------------------------------------

    def visit_table(self, node: nodes.table) -> None:
        self._flush_pending_label()
        self._anchor_ids(node)
        self._tables.append(_Table())

    def depart_table(self, node: nodes.table) -> None:
        self._tables.pop()

    def visit_tgroup(self, node: nodes.tgroup) -> None:
        self._open("table")
        widths = [c.get("colwidth", 0) for c in node.children if isinstance(c, nodes.colspec)]
        if "colwidths-given" in node.parent.get("classes", ()) and all(widths):
            total = sum(widths)  # ``:widths:`` given: shares of the table's width, as in HTML
            group = self._append(storage.element("colgroup"))
            for width in widths:
                group.append(storage.element("col", style=f"width: {100 * width / total:.4g}%;"))

    def visit_colspec(self, node: nodes.colspec) -> None:
        if node.get("stub") and self._tables:
            self._tables[-1].stubs += 1
        raise nodes.SkipNode

    def visit_thead(self, node: nodes.thead) -> None:
        self._open("thead")
        if self._tables:
            self._tables[-1].head = True

    def depart_thead(self, node: nodes.thead) -> None:
        if self._tables:
            self._tables[-1].head = False

    def visit_tbody(self, node: nodes.tbody) -> None:
        self._open("tbody")

    def visit_row(self, node: nodes.row) -> None:
        self._open("tr")

    def visit_entry(self, node: nodes.entry) -> None:
        state = self._tables[-1] if self._tables else _Table()
        column = node.parent.index(node)
        tag = "th" if state.head or column < state.stubs else "td"
        attrs: dict[str, str] = {}
        if node.get("morecols"):
            attrs["colspan"] = str(node["morecols"] + 1)
        if node.get("morerows"):
            attrs["rowspan"] = str(node["morerows"] + 1)
        cell = self._open(tag, **attrs)
        self._anchor_ids(node, cell)

    # -- code -----------------------------------------------------------------------------------

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        self._flush_pending_label()
        if _is_parsed_literal(node):
            self._anchor_ids(node)
            self._open("pre")
            return
        self._anchor_ids(node)
        variants = tabs.console_variants(node)
        if variants is not None:  # Django's console block: a tab per system
            for number, (label, code, language) in enumerate(variants, start=1):
                style = self.config.confluence_tabs
                macro, body = tab_macro(label, style=style, number=number)
                body.append(storage.code_macro(code, language=languages.brush(language)))
                self._append(macro)
            raise nodes.SkipNode
        self._append(self._code(node, None))
        raise nodes.SkipNode

    def visit_CollapsedLog(self, node: nodes.Element) -> None:
        """sphinxcontrib-log-cabinet's folded older version notes."""
        self._anchor_ids(node)
        self._open_macro("expand", {"title": _("Changelog")})

    def visit_doctest_block(self, node: nodes.doctest_block) -> None:
        self._anchor_ids(node)
        self._append(storage.code_macro(node.astext(), language="python"))
        raise nodes.SkipNode

    def _code(self, node: nodes.Element, title: str | None) -> _Element:
        code = node.astext()
        language = node.get("language") or self.config.highlight_language or "default"
        brush = (
            languages.guess_default(code) if language == "default" else languages.brush(language)
        )
        options = node.get("highlight_args") or {}
        return storage.code_macro(
            code,
            language=brush,
            title=title,
            linenumbers=bool(node.get("linenos")),
            firstline=options.get("linenostart"),
        )

    def _code_with_caption(self, node: nodes.container) -> None:
        self._anchor_ids(node)
        caption = node.next_node(nodes.caption)
        block = node.next_node(nodes.literal_block)
        title = (self._number(node, "code-block") + caption.astext()).strip() if caption else None
        if block is None:
            return
        if _is_parsed_literal(block):
            if title:
                self._open("p")
                self._append(storage.element("strong", title))
                self.stack.pop()
            block.walkabout(self)
            return
        self._anchor_ids(block)
        self._append(self._code(block, title))

    def visit_productionlist(self, node: nodes.Element) -> None:
        self._anchor_ids(node)
        lines = [production.astext().strip("\n") for production in node.children]
        self._append(storage.code_macro("\n".join(lines), language="none"))
        raise nodes.SkipNode

    # -- admonitions ----------------------------------------------------------------------------

    def _panel(self, node: nodes.Element, kind: str, title: str | None) -> None:
        self._flush_pending_label()
        self._anchor_ids(node)
        self._open_macro(kind, {"title": title})

    def _named_admonition(self, node: nodes.Element) -> None:
        name = type(node).__name__
        self._panel(
            node, admonition_panel(name) or "info", admonitionlabels.get(name, name.title())
        )

    visit_attention = visit_caution = visit_danger = visit_error = _named_admonition
    visit_hint = visit_important = visit_note = visit_tip = _named_admonition
    visit_warning = visit_seealso = _named_admonition

    def visit_admonition(self, node: nodes.Element) -> None:
        title = node.next_node(nodes.title)
        names: list[str] = node.get("classes", [])
        classes = [c.removeprefix("admonition-") for c in names]
        kind = next(filter(None, map(admonition_panel, classes)), "info")
        self._panel(node, kind, title.astext() if title is not None else None)

    def visit_todo_node(self, node: nodes.Element) -> None:
        title = node.next_node(nodes.title)
        title_text = title.astext() if title is not None else _("Todo")
        self._panel(node, admonition_panel("todo") or "info", title_text)

    def visit_versionmodified(self, node: nodes.Element) -> None:
        self._panel(node, admonition_panel(node.get("type", "")) or "info", None)

    # -- API descriptions (autodoc and domain directives) ---------------------------------------

    def visit_desc(self, node: nodes.Element) -> None:
        self._flush_pending_label()

    def visit_desc_signature(self, node: nodes.Element) -> None:
        paragraph = self._open("p")
        self._anchor_ids(node, paragraph)

    def visit_desc_signature_line(self, node: nodes.Element) -> None:
        if len(self.current) or self.current.text:
            self._append(storage.element("br"))

    def visit_desc_content(self, node: nodes.Element) -> None:
        """The entry's description, parameters and members in a bordered panel under its
        signature, so one entry never runs into the next (a member's panel nests inside its
        class's)."""
        if not node.children:
            raise nodes.SkipNode
        self._flush_pending_label()
        self._open_macro("panel", {"borderStyle": "solid"})

    def visit_desc_name(self, node: nodes.Element) -> None:
        self._open("strong")
        self._open("code")

    def visit_desc_addname(self, node: nodes.Element) -> None:
        self._open("code")

    def visit_desc_annotation(self, node: nodes.Element) -> None:
        self._open("em")

    def visit_desc_type(self, node: nodes.Element) -> None:
        pass

    def visit_desc_returns(self, node: nodes.Element) -> None:
        self._text(" \u2192 ")

    def visit_desc_parameterlist(self, node: nodes.Element) -> None:
        self._text(node.get("open_paren", "("))

    def depart_desc_parameterlist(self, node: nodes.Element) -> None:
        self._text(node.get("close_paren", ")"))

    def visit_desc_type_parameter_list(self, node: nodes.Element) -> None:
        self._text(node.get("open_paren", "["))

    def depart_desc_type_parameter_list(self, node: nodes.Element) -> None:
        self._text(node.get("close_paren", "]"))

    def visit_desc_parameter(self, node: nodes.Element) -> None:
        if node.parent.index(node):
            self._text(", ")
        if not node.hasattr("noemph"):
            self._open("em")

    visit_desc_type_parameter = visit_desc_parameter

    def visit_desc_optional(self, node: nodes.Element) -> None:
        self._text("[")
        if node.parent.index(node):
            self._text(", ")

    def depart_desc_optional(self, node: nodes.Element) -> None:
        self._text("]")

    def visit_desc_inline(self, node: nodes.Element) -> None:
        self._open("code")

    # -- images and figures ---------------------------------------------------------------------

    def visit_figure(self, node: nodes.figure) -> None:
        self._flush_pending_label()
        self._anchor_ids(node)

    def visit_caption(self, node: nodes.caption) -> None:
        align = node.parent.get("align", "center")  # HTML centres a figure without :align:
        style = f"text-align: {align};" if align in {"left", "center", "right"} else None
        self._open("p", **({"style": style} if style else {}))
        self._open("em")
        if isinstance(node.parent, nodes.figure):
            self._text(self._number(node.parent, "figure"))

    def visit_legend(self, node: nodes.Element) -> None:
        pass

    def visit_image(self, node: nodes.image) -> None:
        image = self._image(node)
        if image is None:
            if node.get("alt"):
                self._text(node["alt"])
            raise nodes.SkipNode
        if self._is_block(node):
            self._image_paragraph(node.get("align"), node)
        self._anchor_ids(node)
        self._append(image)
        raise nodes.SkipNode

    def _is_block(self, node: nodes.Element) -> bool:
        """*node* (an image, a linked image) stands on its own in block flow."""
        return self._in_flow() and not isinstance(node.parent, nodes.TextElement)

    def _image_paragraph(self, align: str | None, node: nodes.Element) -> None:
        """The paragraph an image on its own goes in, aligned as the image or its figure."""
        align = align or node.parent.get("align")
        if align is None and isinstance(node.parent, nodes.figure):
            align = "center"
        style = f"text-align: {align};" if align in {"left", "center", "right"} else None
        self._open("p", **({"style": style} if style else {}))

    def _image(self, node: nodes.image) -> _Element | None:
        uri: str = node["uri"]
        alt = node.get("alt")
        align = node.get("align")
        if align is None and isinstance(node.parent, nodes.figure):
            align = node.parent.get("align", "center")  # the image takes its figure's
        align = align if align in {"left", "center", "right"} else None
        if uri.startswith("data:"):
            self.warn("images in data: URIs are not supported by Confluence", node, "image")
            return None
        if _SCHEME.match(uri) or uri.startswith("//"):
            width, height = self._size(node, None)
            return storage.url_image(uri, alt=alt, width=width, height=height, align=align)
        path = Path(self.builder.srcdir, uri)
        if not path.is_file():
            self.warn(f"image file not found: {uri}", node, "image")
            return None
        width, height = self._size(node, path)
        name = self._attach(path)
        return storage.attachment_image(name, alt=alt, width=width, height=height, align=align)

    def _size(self, node: nodes.image, path: Path | None) -> tuple[int | None, int | None]:
        width, height = _pixels(node.get("width")), _pixels(node.get("height"))
        share = _LENGTH.match(str(node.get("width", "")))
        if share and share.group(2) == "%":  # of the page's width: Confluence wants pixels
            width = max(round(float(share.group(1)) * storage.CONTENT_WIDTH / 100), 1)
        scale = node.get("scale")
        if scale and path is not None:
            if width is None and height is None:
                from sphinx.util.images import get_image_size

                size = get_image_size(path)
                if size is not None:
                    width, height = size
            width = int(width * scale / 100) if width else None
            height = int(height * scale / 100) if height else None
        return width, height

    def visit_graphviz(self, node: nodes.Element) -> None:
        from sphinx.ext.graphviz import GraphvizError, render_dot

        self._anchor_ids(node)
        try:
            _, output = render_dot(
                cast("Any", self), node["code"], node["options"], "png", "graphviz"
            )
        except GraphvizError as exc:
            self.warn(f"graphviz diagram not rendered: {exc}", node, "graphviz")
            output = None
        self._diagram(node, output, node["code"])

    def visit_inheritance_diagram(self, node: nodes.Element) -> None:
        from sphinx.ext.graphviz import GraphvizError, render_dot
        from sphinx.ext.inheritance_diagram import get_graph_hash

        graph = node["graph"]
        generate = getattr(graph, "_generate_dot", None) or graph.generate_dot
        name = "inheritance" + get_graph_hash(cast("Any", node))
        code = generate(name, {}, config=self.config)
        try:
            _, output = render_dot(cast("Any", self), code, {}, "png", "inheritance")
        except GraphvizError as exc:
            self.warn(f"inheritance diagram not rendered: {exc}", node, "graphviz")
            output = None
        self._diagram(node, output, code)

    def _diagram(self, node: nodes.Element, output: object, code: str) -> None:
        if output is None:
            self._append(storage.code_macro(code, language="none", title="Graphviz"))
            raise nodes.SkipNode
        name = self._attach(Path(str(output)))
        align = node.get("align") or node.parent.get("align")
        align = align if align in {"left", "center", "right"} else None
        image = storage.attachment_image(name, alt=node.get("alt"), align=align)
        if self._in_flow():
            self._open("p")
        self._append(image)
        raise nodes.SkipNode

    # -- math and Mermaid -----------------------------------------------------------------------

    def visit_math(self, node: nodes.math) -> None:
        latex = node.astext()
        picture = self._render("formula", latex, node, block=False)
        if self.config.confluence_math == "macro":
            macro, _ = storage.macro("mathinline", {"body": latex})
            self._append(macro)
        elif picture is not None:
            self._show(picture, latex, block=False)
        else:
            self._append(storage.element("code", latex))
        raise nodes.SkipNode

    def visit_math_block(self, node: nodes.math_block) -> None:
        self._flush_pending_label()
        self._anchor_ids(node)
        latex = node.astext().rstrip()
        number = f"({node['number']})" if node.get("number") else None
        title = f"Equation {number}, LaTeX" if number else "Math (LaTeX)"
        # the math directive takes several equations, separated by blank lines
        parts = [part.strip() for part in re.split(r"\n\s*\n", latex) if part.strip()]
        pictures = [self._render("formula", part, node, block=True) for part in parts]
        if self.config.confluence_math == "macro":
            macro, _ = storage.macro("mathblock", {}, body="plain", plain_body=latex)
            self._append(macro)
        elif pictures and all(pictures):
            for index, (part, picture) in enumerate(zip(parts, pictures, strict=True)):
                assert picture is not None
                last = index == len(parts) - 1
                self._show(picture, part, block=True, number=number if last else None)
        else:
            self._append(storage.code_macro(latex, language="none", title=title))
        raise nodes.SkipNode

    def visit_mermaid(self, node: nodes.Element) -> None:
        """A sphinxcontrib-mermaid diagram: a picture with mermaid-cli, else its source."""
        source = str(node.get("code") or node.astext()).strip("\n")
        picture = self._render("diagram", source, node, block=True)
        if picture is not None:
            self._show(picture, source, block=True)
        else:
            self._append(storage.code_macro(source, language="none", title="mermaid"))
        raise nodes.SkipNode

    def _render(
        self, kind: Literal["formula", "diagram"], source: str, node: nodes.Node, *, block: bool
    ) -> Picture | None:
        """The picture of a formula or diagram, saved where the bundle takes it from; ``None``
        (with a warning when it cannot be rendered) to keep its source."""
        pictures = self.builder.pictures
        if kind == "formula" and self.config.confluence_math != "image":
            return None
        try:
            found = pictures.render(kind, source, display=block)
        except RenderError as exc:
            self.warn(str(exc), node, "pictures")
            return None
        if found is None:
            if kind == "formula" or pictures.mermaid_cli:  # empty: never rendered, no warning
                self.unrendered.add("math" if kind == "formula" else "mermaid")
            return None
        path = self.builder.picture_dir / found.filename
        if not path.is_file():  # named after its source: the same bytes every time
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_name(f".{path.name}.{os.getpid()}")
            scratch.write_bytes(found.data)
            scratch.replace(path)  # atomic, should parallel workers render the same one
        return found

    def _show(
        self, picture: Picture, source: str, *, block: bool, number: str | None = None
    ) -> None:
        """*picture* attached, its source as the alt text: centred in a paragraph (after it,
        an equation's number) for a *block*, else in the line at text size."""
        path = self.builder.picture_dir / picture.filename
        image = storage.attachment_image(
            self._attach(path), alt=source, height=picture.height, align="center" if block else None
        )
        if block and self._in_flow():
            paragraph = self._append(storage.element("p", style="text-align: center;"))
            paragraph.append(image)
            if number:
                storage.append_text(paragraph, f"\u2003{number}")
        else:
            self._append(image)

    # -- raw content ----------------------------------------------------------------------------

    def visit_raw(self, node: nodes.raw) -> None:
        formats = set(node.get("format", "").split())
        text = node.astext()
        inline = isinstance(node.parent, nodes.TextElement) or not self._in_flow()
        if formats & {"confluence", "confluence_storage", "storage"}:
            try:
                fragment = storage.parse_fragment(text, where=self.docname)
            except StorageError:
                message = "raw Confluence storage is not well-formed XML; shown as text"
                self.warn(message, node, "raw")
                self._escaped(text, inline)
            else:
                self._graft(fragment)
        elif "html" in formats:
            if _CHECKBOX.match(text):
                if node is not self._task_checkbox:  # a task's checkbox is its status
                    self._text("\u2611 " if "checked" in text else "\u2610 ")
                raise nodes.SkipNode
            if inline and self._inline_tag(text):
                raise nodes.SkipNode
            reason = "only its plain-HTML subset is kept"
            if inline and _has_blocks(text):
                reason = "block elements cannot sit inside a paragraph"
                converted = None
            else:
                converted = _html_to_storage(text, self._raw_link, inline=inline)
            if converted is None:
                message = f"raw HTML that Confluence does not accept ({reason}); shown as text"
                self.warn(message, node, "raw")
                self._escaped(text, inline)
            else:
                fragment, escaped = converted
                if escaped:  # only those elements are shown as source; the rest is kept
                    tags = ", ".join(f"<{tag}>" for tag in dict.fromkeys(escaped))
                    message = (
                        f"raw HTML that Confluence does not accept: {tags} shown as escaped "
                        "source, the rest kept"
                    )
                    self.warn(message, node, "raw")
                self._graft(fragment)
        raise nodes.SkipNode

    def _raw_link(self, href: str, holder: _Element) -> _Element | None:
        """A link in raw HTML, resolved as a reference would be (None: its text only)."""
        return self._link(nodes.reference("", "", refuri=href), holder)

    def _inline_tag(self, text: str) -> bool:
        """Raw inline HTML that is a lone tag (MyST's ``~~strike~~``, ``<kbd>`` … ``</kbd>``
        around reST text): applied to the content between the tags."""
        opening, closing = _OPEN_TAG.match(text), _CLOSE_TAG.match(text)
        if opening and opening.group(1).lower() in _INLINE_RAW:
            element = storage.element(_INLINE_RAW[opening.group(1).lower()])
            self._append(element)
            self._raw_open.append(element)
            return True
        if closing and self._raw_open:
            element = self._raw_open[-1]
            if element.getparent() is not self.current:
                return False
            self._raw_open.pop()
            storage.append_text(element, element.tail or "")
            element.tail = None
            element.extend(list(element.itersiblings()))
            return True
        return False

    def _graft(self, fragment: _Element) -> None:
        self._text(fragment.text or "")
        for child in list(fragment):
            self.current.append(child)

    def _escaped(self, text: str, inline: bool) -> None:
        if inline:
            self._append(storage.element("code", text))
        else:
            self._append(storage.code_macro(text, language="xml"))

    # -- things without output ------------------------------------------------------------------

    def _skip(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    visit_comment = visit_index = visit_substitution_definition = visit_system_message = _skip
    visit_pending = visit_meta = visit_decoration = visit_highlightlang = _skip
    visit_tabular_col_spec = visit_toctree = visit_autosummary_toc = _skip
    visit_viewcode_anchor = _skip

    # -- helpers --------------------------------------------------------------------------------

    def _flush_pending_label(self) -> None:
        """A footnote whose first child is not a paragraph: its label gets its own."""
        if self._label is not None:
            self._flush_label(self._open("p"))
            self.stack.pop()


def _is_parsed_literal(node: nodes.Element) -> bool:
    return node.rawsource != node.astext() or any(
        not isinstance(child, nodes.Text) for child in node.children
    )


def _pixels(value: object) -> int | None:
    """A docutils length as whole pixels (Confluence wants integers); None for percentages."""
    if value is None:
        return None
    match = _LENGTH.match(str(value))
    if not match or match.group(2) == "%":
        return None
    number = float(match.group(1)) * _PX_PER.get(match.group(2) or "px", 1.0)
    return max(round(number), 1)


def _parse_html(text: str) -> list[_Element | str] | None:
    try:
        return list(html.fragments_fromstring(text)) if text.strip() else []
    except (etree.ParserError, ValueError):
        return None


def _has_blocks(text: str) -> bool:
    """Raw HTML with elements that cannot sit inside a paragraph (a table, a list…)."""
    parts = _parse_html(text) or []
    return any(
        isinstance(element.tag, str) and element.tag.lower() in RAW_HTML_BLOCKS
        for part in parts
        if not isinstance(part, str)
        for element in part.iter()
    )


def _html_to_storage(
    text: str, link: _LinkResolver, *, inline: bool
) -> tuple[_Element, list[str]] | None:
    """Raw HTML as storage elements, and the tags of the elements outside the plain-HTML subset
    Confluence accepts: each is shown as its source (a code block when it stands alone at the
    top, else inline code), the rest kept. None when nothing would be kept (the whole source is
    shown then). ``<img src="https://…">`` becomes an image; ``<div>`` is unwrapped;
    ``<a href>`` goes through *link* (which turns a link inside the project into a page
    link)."""
    parts = _parse_html(text)
    if parts is None:
        return None
    out = storage.new_fragment()
    copy = _HtmlCopy(link, None if inline else out)
    for part in parts:
        if isinstance(part, str):
            storage.append_text(out, part)
        else:
            copy.element(part, out)
    kept = (out.text or "").strip() or any(
        (child.tail or "").strip() or all(child is not shown for shown in copy.shown)
        for child in out
    )
    if copy.escaped and not kept:
        return None
    return out, copy.escaped


@dataclass(slots=True)
class _HtmlCopy:
    """Copies parsed raw HTML into storage elements (see :func:`_html_to_storage`)."""

    link: _LinkResolver
    top: _Element | None  # where an escaped element standing alone becomes a code block
    escaped: list[str] = field(default_factory=list)  # the tags shown as source
    shown: list[_Element] = field(default_factory=list)  # what shows them

    def element(self, source: _Element, parent: _Element) -> None:
        """Append a storage copy of *source* and its tail to *parent*."""
        tag = source.tag.lower() if isinstance(source.tag, str) else None
        if tag is None:
            pass  # a comment or processing instruction: dropped, its tail kept
        elif tag == "img" and _SCHEME.match(source.get("src", "")):
            parent.append(storage.url_image(source.get("src", ""), alt=source.get("alt")))
        elif tag == "div":
            storage.append_text(parent, source.text or "")
            self.children(source, parent)
        elif tag == "a" and source.get("href") is not None:
            holder = storage.element("span")
            storage.append_text(holder, source.text or "")
            self.children(source, holder)
            resolved = self.link(source.get("href", ""), holder)
            if resolved is None:  # a page that is never published: the text only
                storage.append_text(parent, holder.text or "")
                parent.extend(list(holder))
            else:
                if resolved.tag == "a" and source.get("title"):
                    storage.set_attribute(resolved, "title", source.get("title", ""))
                parent.append(resolved)
        elif tag in RAW_HTML_TAGS:
            result = storage.element(tag)
            for name, value in source.attrib.items():
                if name in RAW_HTML_ATTRIBUTES:
                    storage.set_attribute(result, name, value)
            storage.append_text(result, source.text or "")
            self.children(source, result)
            parent.append(result)
        else:
            self.escape(source, parent)
        storage.append_text(parent, source.tail or "")

    def children(self, source: _Element, parent: _Element) -> None:
        for child in source:
            self.element(child, parent)

    def escape(self, source: _Element, parent: _Element) -> None:
        """An element Confluence does not take, as its source."""
        self.escaped.append(str(source.tag).lower())
        markup = etree.tostring(source, encoding="unicode", method="html", with_tail=False)
        if parent is self.top and _stands_alone(source):
            shown = storage.code_macro(markup.strip(), language="xml")
        else:
            shown = storage.element("code", markup)
        parent.append(shown)
        self.shown.append(shown)


def _stands_alone(source: _Element) -> bool:
    """No text or inline element right before or after *source* (in its raw HTML)."""
    previous, following = source.getprevious(), source.getnext()
    before = previous.tail if previous is not None else getattr(source.getparent(), "text", "")
    return not any(
        (
            (before or "").strip(),
            (source.tail or "").strip(),
            previous is not None and str(previous.tag).lower() in _INLINE_HTML,
            following is not None and str(following.tag).lower() in _INLINE_HTML,
        )
    )
