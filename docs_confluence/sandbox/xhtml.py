"""Storage-format checks and the rewriting Confluence applies on save.

`normalise(body)` parses a body as Confluence does (an XML fragment using the ``ac:``/``ri:``
prefixes and the XHTML 1.0 lat1/symbol/special named entities), raises `InvalidStorage` with
Confluence's message when it is malformed, and returns the body as Confluence would store it:
``<b>`` becomes ``<strong>``, ``<i>`` becomes ``<em>``, every ``ac:structured-macro`` gets an
``ac:macro-id``, named entities become characters, empty elements self-close and attributes
are re-quoted. So a byte comparison of what was sent and what is read back fails, as it does
against a real site.
"""

from __future__ import annotations

import re
import uuid
from html.entities import name2codepoint
from typing import TYPE_CHECKING

from lxml import etree

from .errors import InvalidStorage

if TYPE_CHECKING:
    from collections.abc import Callable

AC = "http://atlassian.com/content"
RI = "http://atlassian.com/resource/identifier"
NSMAP = {"ac": AC, "ri": RI}

_XML_BUILTIN = {"amp", "lt", "gt", "quot", "apos"}
_ENTITIES = "".join(
    f'<!ENTITY {name} "&#{code};">'
    for name, code in sorted(name2codepoint.items())
    if name not in _XML_BUILTIN
)
_ROOT_OPEN = f'<root xmlns:ac="{AC}" xmlns:ri="{RI}">'
# The body starts on its own line so parser rows map onto body rows by a fixed offset.
_PREFIX = f"<!DOCTYPE root [{_ENTITIES}]>\n{_ROOT_OPEN}\n"
_PREFIX_LINES = _PREFIX.count("\n")

_RENAMES = {"b": "strong", "i": "em"}
_MACRO = f"{{{AC}}}structured-macro"
_MACRO_ID = f"{{{AC}}}macro-id"


def _mismatch(match: re.Match[str]) -> str:
    opened, closed = match.group(1), match.group(2)
    if closed == "root":
        return f"Unexpected EOF; was expecting a close tag for element <{opened}>"
    if opened == "root":
        return f"Unbalanced close tag </{closed}>; no open start tag."
    return f"Unexpected close tag </{closed}>; expected </{opened}>."


# libxml2 messages rewritten the way Confluence's parser (Woodstox) words them.
_REASONS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Opening and ending tag mismatch: (\S+) line \d+ and (\S+)"), _mismatch),
    (
        re.compile(r"Entity '([^']+)' not defined"),
        lambda m: f'Undeclared general entity "{m.group(1)}"',
    ),
    (
        re.compile(r"Sequence '\]\]>' not allowed in content"),
        lambda m: (
            "String ']]>' not allowed in textual content, except as the end marker of CDATA section"
        ),
    ),
    (
        re.compile(r"xmlParseEntityRef: no name|EntityRef: expecting ';'"),
        lambda m: "Unescaped '&': expected an entity name and ';' after it",
    ),
    (
        re.compile(r"Namespace prefix (\S+) on (\S+) is not defined"),
        lambda m: f'Undeclared namespace prefix "{m.group(1)}" (for element <{m.group(2)}>)',
    ),
)


def _reason(message: str) -> str:
    for pattern, rewrite in _REASONS:
        match = pattern.search(message)
        if match:
            return rewrite(match)
    return message


def parse(body: str, *, keep_cdata: bool = True) -> etree._Element:
    """Parse a storage body into a ``root`` element holding the fragment; raise InvalidStorage."""
    parser = etree.XMLParser(
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        strip_cdata=not keep_cdata,
        remove_comments=False,
        huge_tree=True,
    )
    try:
        root = etree.fromstring((_PREFIX + body + "</root>").encode(), parser)
    except etree.XMLSyntaxError as exc:
        row, column = exc.position
        lines = body.split("\n")
        row = min(max(row - _PREFIX_LINES, 1), len(lines))
        column = min(max(column, 1), len(lines[row - 1]) + 1)
        raise InvalidStorage(_reason(exc.msg.split(", line ")[0]), row, column) from None
    if root.text is not None:
        root.text = root.text[1:]  # the newline _PREFIX added
    return root


def serialise(root: etree._Element) -> str:
    """The children of a ``root`` element from `parse`, as a storage fragment."""
    text = etree.tostring(root, encoding="unicode")
    if text.endswith("/>"):
        return ""
    return text[text.index(">") + 1 : -len("</root>")]


def normalise(body: str, *, new_id: Callable[[], str] | None = None) -> str:
    """Validate ``body`` and return it rewritten as Confluence stores it."""
    make_id = new_id or (lambda: str(uuid.uuid4()))
    root = parse(body)
    for element in root.iter(etree.Element):
        tag = element.tag
        if isinstance(tag, str) and tag in _RENAMES:
            element.tag = _RENAMES[tag]
        elif tag == _MACRO and element.get(_MACRO_ID) is None:
            element.set(_MACRO_ID, make_id())
    return serialise(root)
