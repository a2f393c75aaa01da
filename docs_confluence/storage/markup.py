"""Confluence storage format (XHTML with ``ac:`` and ``ri:`` elements) on lxml.

Every module that produces or reads a page body goes through here; nobody concatenates XHTML.

A body is an XML *fragment*: no declaration, no single root, prefixes used without declarations.
:func:`new_fragment` gives a wrapper element to build into, :func:`serialize_fragment` writes its
children back as Confluence wants them, :func:`parse_fragment` reads one (HTML named entities
such as ``&nbsp;`` allowed, as Confluence allows them).

Links and images are in :mod:`.links`: a link to another page of the same bundle is built from
the target page's *bundle key*, which the bundle writer turns into the final title once every
title is known.
"""

from __future__ import annotations

import functools
import html.entities
import re
from typing import TYPE_CHECKING, Literal

from lxml import etree

from ..errors import StorageError
from .macros import CATALOGUE, PanelKind

if TYPE_CHECKING:
    from collections.abc import Container, Iterable, Iterator, Mapping

    from lxml.etree import _Element

__all__ = [
    "AC",
    "CONTENT_WIDTH",
    "RI",
    "PanelKind",
    "anchor_macro",
    "anchor_name",
    "append_text",
    "code_macro",
    "element",
    "finish_page",
    "iter_anchor_links",
    "keep_linked_anchors",
    "macro",
    "new_fragment",
    "parse_fragment",
    "plain_text",
    "serialize_fragment",
    "set_attribute",
    "site_macro",
    "task_list",
]

AC = "http://atlassian.com/content"
RI = "http://atlassian.com/resource/identifier"
_DC = "urn:docs-confluence"  # private: page-link keys, resolved away before a bundle is written
NSMAP = {"ac": AC, "ri": RI}
_KEY_ATTR = f"{{{_DC}}}key"
_IF_LINKED = f"{{{_DC}}}if-linked"  # an anchor the bundle writer drops unless a link needs it

#: Confluence's default (fixed) content width in pixels: what a percentage width is taken of
CONTENT_WIDTH = 760

# XHTML 1.0 lat1 + symbol + special: the named entities Confluence accepts in bodies.
_ENTITY_DTD = "".join(
    f'<!ENTITY {name} "&#{codepoint};">'
    for name, codepoint in sorted(html.entities.name2codepoint.items())
    if name not in {"amp", "lt", "gt", "quot", "apos"}
)
_WRAP_OPEN = f'<!DOCTYPE root [{_ENTITY_DTD}]><root xmlns:ac="{AC}" xmlns:ri="{RI}">'
_WRAP_CLOSE = "</root>"
_PARSER = etree.XMLParser(
    strip_cdata=False, resolve_entities=True, no_network=True, load_dtd=False, huge_tree=True
)
_CDATA_SPLIT = "\ue000"  # never in user text once _check_text has run
_XML_CHARS = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def new_fragment() -> _Element:
    """An empty wrapper element; append body elements to it and serialise with
    :func:`serialize_fragment`."""
    return etree.Element("root", nsmap=NSMAP)


def parse_fragment(value: str, *, where: str = "body") -> _Element:
    """Parse a storage-format fragment into a wrapper element.

    Raises :class:`StorageError` naming *where* (a page or file) and the position on bad input.
    """
    try:
        return etree.fromstring(_WRAP_OPEN + value + _WRAP_CLOSE, _PARSER)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        if line == 1:  # the wrapper and its entity declarations share the first line
            column = max(1, column - len(_WRAP_OPEN))
        raise StorageError(
            f"{where}: storage XHTML is not well-formed at line {line}, column {column}: {exc.msg}"
        ) from exc


def serialize_fragment(root: _Element) -> str:
    """The children of *root* as a storage-format fragment: no wrapper, no ``xmlns``."""
    text = _escape_text(root.text or "")
    parts = [text]
    for child in root:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    out = "".join(parts)
    out = out.replace(f' xmlns:ac="{AC}"', "").replace(f' xmlns:ri="{RI}"', "")
    return out.replace(_CDATA_SPLIT, "]]><![CDATA[")


def element(tag: str, text: str | None = None, /, **attrs: str) -> _Element:
    """A new element; ``ac:``/``ri:`` prefixes in *tag* and attribute names are expanded.

    Attribute names are spelled as keywords: a leading ``ac_``/``ri_`` is the prefix and every
    other ``_`` a dash, so ``ri_content_title="X"`` sets ``ri:content-title``.
    """
    node = etree.Element(_qualify(tag), nsmap=NSMAP)
    for name, value in attrs.items():
        node.set(_keyword_attribute(name), _check_text(value))
    if text is not None:
        node.text = _check_text(text)
    return node


def set_attribute(node: _Element, name: str, value: str) -> None:
    """Set attribute *name* (``ac:``/``ri:`` prefixes expanded) with characters XML cannot
    carry removed from *value*, as they are from text."""
    node.set(_qualify(name), _check_text(value))


def macro(
    name: str,
    parameters: Mapping[str, str | None] | None = None,
    *,
    body: Literal["rich", "plain"] | None = None,
    plain_body: str = "",
) -> tuple[_Element, _Element | None]:
    """A structured macro of the catalogue (:mod:`.macros`) and its body element (``None``
    when it has no body). A name the catalogue does not list is a programming error: add the
    macro there, so the reader text and the viewer know it too.

    Parameters whose value is ``None`` are left out; values are kept on one line.
    """
    if name not in CATALOGUE:
        raise ValueError(
            f"macro {name!r} is not in the catalogue (docs_confluence/storage/macros.py)"
        )
    return _structured_macro(name, parameters, body=body, plain_body=plain_body)


def site_macro(
    name: str, *, body: Literal["rich", "plain"] | None = None, plain_body: str = ""
) -> tuple[_Element, _Element | None]:
    """A macro the site's options name (a Marketplace app's: ``macros:`` in ``mkdocs.yml``),
    outside the catalogue: readers see it as ``[<name> macro]``."""
    return _structured_macro(name, None, body=body, plain_body=plain_body)


def _structured_macro(
    name: str,
    parameters: Mapping[str, str | None] | None,
    *,
    body: Literal["rich", "plain"] | None,
    plain_body: str,
) -> tuple[_Element, _Element | None]:
    node = element("ac:structured-macro", ac_name=name, ac_schema_version="1")
    for key, value in (parameters or {}).items():
        if value is not None:
            param = element("ac:parameter", " ".join(value.split()), ac_name=key)
            node.append(param)
    if body == "rich":
        content = element("ac:rich-text-body")
        node.append(content)
        return node, content
    if body == "plain":
        content = element("ac:plain-text-body")
        content.text = _cdata(plain_body)
        node.append(content)
        return node, content
    return node, None


def code_macro(
    code: str,
    *,
    language: str | None = None,
    title: str | None = None,
    linenumbers: bool = False,
    firstline: int | None = None,
    collapse: bool = False,
) -> _Element:
    """The code macro. *language* must already be a Confluence brush name. Trailing line ends
    are left out (Confluence would show them as an empty last line).

    Confluence's code macro has no option for emphasised lines, so none is sent.
    """
    code = code.rstrip("\r\n")
    params: dict[str, str | None] = {
        "language": language or "none",
        "title": title or None,
        "linenumbers": "true" if linenumbers else None,
        "firstline": str(firstline) if firstline is not None and linenumbers else None,
        "collapse": "true" if collapse else None,
    }
    node, _ = macro("code", params, body="plain", plain_body=code)
    return node


def anchor_macro(name: str, *, if_linked: bool = False) -> _Element:
    """An anchor others can link to with ``ac:anchor``. With *if_linked* (an id a front end
    marks just in case), the bundle writer keeps it only when some link in the bundle targets
    it (:func:`keep_linked_anchors`)."""
    node, _ = macro("anchor", {"": name})
    if if_linked:
        node.set(_IF_LINKED, "1")
    return node


def anchor_name(node: _Element) -> str | None:
    """The name of an anchor macro; None when *node* is something else."""
    if node.tag != f"{{{AC}}}structured-macro" or node.get(f"{{{AC}}}name") != "anchor":
        return None
    param = node.find(f"{{{AC}}}parameter")
    return (param.text or "") if param is not None else ""


def iter_anchor_links(root: _Element) -> Iterator[tuple[str | None, str | None, str]]:
    """``(key, title, anchor)`` of every link below *root* that goes to an anchor: *key* for
    a link to a bundle page, *title* for one naming its page by title (raw storage), both
    None for an anchor of the same page (``ac:link``, or ``<a href="#name">``)."""
    for link in root.iter(f"{{{AC}}}link"):
        anchor = link.get(f"{{{AC}}}anchor")
        if not anchor:
            continue
        target = link.find(f"{{{RI}}}page")
        if target is None:
            if link.find(f"{{{RI}}}*") is None:
                yield None, None, anchor
        elif target.get(f"{{{RI}}}space-key") is None:
            key = target.get(_KEY_ATTR)
            yield key, None if key else target.get(f"{{{RI}}}content-title"), anchor
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            yield None, None, href[1:]


def keep_linked_anchors(root: _Element, linked: Container[str]) -> None:
    """Drop the anchors marked *if_linked* whose names are not in *linked*; the others stay,
    unmarked."""
    for node in list(root.iter(f"{{{AC}}}structured-macro")):
        if node.attrib.pop(_IF_LINKED, None) is not None and anchor_name(node) not in linked:
            _replace_with_text(node, "")


def finish_page(root: _Element, title: str) -> None:
    """What every page needs once its final title is known (the bundle writer calls it):

    * one anchor per name: later repeats of an anchor macro are removed;
    * each anchor gets a twin named ``<TitleWithoutSpaces>-<name>``, because Confluence Cloud
      links to headings and anchors through ids prefixed with the page title minus spaces
      (links keep using the plain name);
    * task ids are numbered 1, 2, 3… across the whole page (Confluence keys tasks by them).
    """
    prefix = "".join(title.split()) + "-"
    seen: set[str] = set()
    kept: list[tuple[_Element, str]] = []
    for node in list(root.iter(f"{{{AC}}}structured-macro")):
        if node.get(f"{{{AC}}}name") != "anchor":
            continue
        param = node.find(f"{{{AC}}}parameter")
        name = (param.text or "") if param is not None else ""
        if name in seen:
            _replace_with_text(node, "")
            continue
        seen.add(name)
        if name:
            kept.append((node, name))
    for node, name in kept:
        twin = prefix + name
        if twin in seen:
            continue
        seen.add(twin)
        copy = anchor_macro(twin)
        copy.tail = node.tail
        node.tail = None
        node.addnext(copy)
    for number, task_id in enumerate(root.iter(f"{{{AC}}}task-id"), start=1):
        task_id.text = str(number)


def task_list(tasks: Iterable[tuple[bool, _Element]]) -> _Element:
    """A Confluence task list from ``(done, body)`` pairs; each body's children are moved in."""
    listing = element("ac:task-list")
    for number, (done, content) in enumerate(tasks, start=1):
        task = element("ac:task")
        task.append(element("ac:task-id", str(number)))
        task.append(element("ac:task-status", "complete" if done else "incomplete"))
        task_body = element("ac:task-body")
        task_body.text = content.text
        task_body.extend(list(content))
        task.append(task_body)
        listing.append(task)
    return listing


def append_text(parent: _Element, text: str) -> None:
    """Add *text* after everything already in *parent* (characters XML cannot carry are
    dropped); for building mixed content without touching ``.text``/``.tail`` by hand."""
    if not text:
        return
    clean = _check_text(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + clean
    else:
        parent.text = (parent.text or "") + clean


def plain_text(node: _Element) -> str:
    """All text below *node*, as a reader would see it."""
    return "".join(node.itertext())


# -- internals ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _qualify(name: str) -> str:
    prefix, _, local = name.partition(":")
    if local and prefix in NSMAP:
        return f"{{{NSMAP[prefix]}}}{local}"
    return name


@functools.lru_cache(maxsize=1024)
def _keyword_attribute(name: str) -> str:
    """The qualified attribute name a keyword of :func:`element` spells."""
    prefix, rest = (name[:2] + ":", name[3:]) if name[:3] in {"ac_", "ri_"} else ("", name)
    return _qualify(prefix + rest.replace("_", "-"))


def _check_text(text: str) -> str:
    """Text with characters XML cannot carry removed (control characters, lone surrogates)."""
    if _XML_CHARS.search(text) is None and _CDATA_SPLIT not in text:
        return text  # the usual case: nothing to remove
    return _XML_CHARS.sub("", text).replace(_CDATA_SPLIT, "")


def _cdata(text: str) -> etree.CDATA:
    # lxml refuses "]]>" inside CDATA; split the section there, as Confluence expects.
    return etree.CDATA(_check_text(text).replace("]]>", "]]" + _CDATA_SPLIT + ">"))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _replace_with_text(node: _Element, text: str) -> None:
    parent = node.getparent()
    assert parent is not None
    previous = node.getprevious()
    joined = text + (node.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(node)
