"""reader_lines(storage) -> list[str]: a page body as the lines a reader sees.

One line per thing a reader takes in: ``# Heading``, a paragraph, ``- list item`` (nested items
indented), each code line, ``| cell | cell |`` per table row, ``> quoted`` lines, and macros as
named blocks: ``[note panel: Title]`` with the panel's own lines indented beneath it. Markup
that changes nothing a reader sees (``<b>`` or ``<strong>``, macro ids, whitespace, entities)
gives the same lines, so bodies Confluence rewrote on save read the same as what was sent.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import StorageError
from ..storage.macros import CATALOGUE, reader_label
from ..storage.markup import AC, RI, parse_fragment

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["reader_lines"]

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINERS = {
    "div",
    "section",
    "article",
    "figure",
    "figcaption",
    "details",
    "summary",
    "dl",
    "dt",
    "dd",
    f"{{{AC}}}layout",
    f"{{{AC}}}layout-section",
    f"{{{AC}}}layout-cell",
    f"{{{AC}}}rich-text-body",
}
_BLOCKS = {
    "p",
    "ul",
    "ol",
    "pre",
    "blockquote",
    "table",
    "hr",
    f"{{{AC}}}task-list",
    *_HEADINGS,
    *_CONTAINERS,
}
_MACRO = f"{{{AC}}}structured-macro"
_NAME = f"{{{AC}}}name"
_SKIPPED = {
    f"{{{AC}}}parameter",
    f"{{{AC}}}task-id",
    f"{{{AC}}}task-uuid",
    f"{{{AC}}}task-status",
    f"{{{AC}}}placeholder",
}


def reader_lines(storage: str) -> list[str]:
    """The lines a reader sees on a page whose body is *storage* (storage-format XHTML).

    A body that is not well-formed (never one Confluence holds) reads as its text without tags.
    """
    try:
        root = parse_fragment(storage)
    except StorageError:
        text = _collapse(_TAG.sub(" ", storage))
        return [text] if text else []
    lines: list[str] = []
    _flow(root, lines, "")
    return lines


def _flow(container: _Element, out: list[str], indent: str) -> None:
    """The blocks and loose inline content of *container*, in order."""
    pending: list[str] = [container.text or ""]
    for child in container:
        if _is_block(child):
            _flush(pending, out, indent)
            _block(child, out, indent)
        else:
            pending.append(_inline(child))
        pending.append(child.tail or "")
    _flush(pending, out, indent)


def _flush(pending: list[str], out: list[str], indent: str) -> None:
    for piece in "".join(pending).split("\n"):
        text = _collapse(piece)
        if text:
            out.append(indent + text)
    pending.clear()


def _is_block(node: _Element) -> bool:
    tag = node.tag
    if not isinstance(tag, str):
        return False
    if tag == _MACRO:
        return _placement(node.get(_NAME, "")) == "block"
    return tag in _BLOCKS


def _placement(name: str) -> str:
    """Where the macro *name* sits for a reader (a site's own macro: a block)."""
    known = CATALOGUE.get(name)
    return known.placement if known is not None else "block"


def _block(node: _Element, out: list[str], indent: str) -> None:
    tag = node.tag
    if tag in _HEADINGS:
        out.append(f"{indent}{'#' * _HEADINGS[str(tag)]} {_collapse(_inline(node))}".rstrip())
    elif tag in {"ul", "ol"}:
        items = [child for child in node if child.tag == "li"]
        for number, item in enumerate(items, 1):
            _item(item, out, indent, f"{number}. " if tag == "ol" else "- ")
    elif tag == "pre":
        _code("".join(node.itertext()), out, indent)
    elif tag == "blockquote":
        quoted: list[str] = []
        _flow(node, quoted, "")
        out.extend(f"{indent}> {line}" for line in quoted)
    elif tag == "table":
        _table(node, out, indent)
    elif tag == "hr":
        out.append(f"{indent}---")
    elif tag == f"{{{AC}}}task-list":
        for task in node:
            done = (task.findtext(f"{{{AC}}}task-status") or "").strip() == "complete"
            body = task.find(f"{{{AC}}}task-body")
            if body is not None:
                _item(body, out, indent, "- [x] " if done else "- [ ] ")
    elif tag == _MACRO:
        _macro(node, out, indent)
    else:  # a paragraph, or a container of blocks
        _flow(node, out, indent)


def _item(node: _Element, out: list[str], indent: str, marker: str) -> None:
    lines: list[str] = []
    _flow(node, lines, "")
    if not lines:
        lines = [""]
    out.append(f"{indent}{marker}{lines[0]}".rstrip())
    out.extend(f"{indent}  {line}" for line in lines[1:])


def _table(node: _Element, out: list[str], indent: str) -> None:
    for row in node.iter("tr"):
        cells = []
        for cell in row:
            if cell.tag not in {"td", "th"}:
                continue
            lines: list[str] = []
            _flow(cell, lines, "")
            cells.append(" ".join(line.strip() for line in lines))
        out.append(f"{indent}| {' | '.join(cells)} |")


def _code(text: str, out: list[str], indent: str) -> None:
    out.extend(f"{indent}{line.rstrip()}" for line in text.splitlines() if line.strip())


def _macro(node: _Element, out: list[str], indent: str) -> None:
    name = node.get(_NAME, "")
    if _placement(name) == "hidden":
        return
    params = _parameters(node)
    label = reader_label(name)
    detail = params.get("title") or (params.get("language") if name == "code" else None)
    if name == "status":
        detail = params.get("title") or params.get("colour") or "Grey"
    out.append(f"{indent}[{label}: {detail}]" if detail else f"{indent}[{label}]")
    for part in node:
        if part.tag == f"{{{AC}}}rich-text-body":
            _flow(part, out, indent + "  ")
        elif part.tag == f"{{{AC}}}plain-text-body":
            _code(part.text or "", out, indent + "  ")


def _parameters(node: _Element) -> dict[str, str]:
    return {
        param.get(_NAME, ""): _collapse("".join(param.itertext()))
        for param in node
        if param.tag == f"{{{AC}}}parameter"
    }


def _inline(node: _Element) -> str:
    """The text a reader sees of an inline element, with its tail left to the caller."""
    tag = node.tag
    if not isinstance(tag, str) or tag in _SKIPPED or tag.startswith(f"{{{RI}}}"):
        return ""
    if tag == "br":
        return "\n"
    if tag == f"{{{AC}}}image":
        return f"[image: {_image_name(node)}]"
    if tag == f"{{{AC}}}emoticon":
        return ""
    if tag == _MACRO:
        lines: list[str] = []
        _macro(node, lines, "")
        return f" {' '.join(lines)} "  # a status lozenge stands apart from the words around it
    if tag == f"{{{AC}}}link":
        return _link_text(node)
    parts = [node.text or ""]
    for child in node:
        parts.append(" ".join(_lines_of(child)) if _is_block(child) else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lines_of(node: _Element) -> list[str]:
    lines: list[str] = []
    _block(node, lines, "")
    return lines


def _link_text(node: _Element) -> str:
    for body in node:
        if body.tag in {f"{{{AC}}}link-body", f"{{{AC}}}plain-text-link-body"}:
            return _inline(body) if body.tag.endswith("}link-body") else body.text or ""
    target = node.find(f"{{{RI}}}page")
    if target is not None:
        return target.get(f"{{{RI}}}content-title", "")
    attachment = node.find(f"{{{RI}}}attachment")
    if attachment is not None:
        return attachment.get(f"{{{RI}}}filename", "")
    return node.get(f"{{{AC}}}anchor", "")


def _image_name(node: _Element) -> str:
    for target in node:
        for attribute in (f"{{{RI}}}filename", f"{{{RI}}}value"):
            if target.get(attribute):
                return str(target.get(attribute))
    return node.get(f"{{{AC}}}alt", "") or "picture"


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
