"""A page's version history and a readable comparison of any two of its versions.

The history lists every version with who saved it, when and its message, as Confluence's
"Page history" does. The comparison shows what a reader would see change (the text of
paragraphs, headings, list items, table rows and code lines), not the XML; all of that
goes through `_version_diff`, the one place to swap in a shared reader-text diff.
"""

from __future__ import annotations

import difflib
from html import escape
from typing import TYPE_CHECKING

from lxml import etree

from .. import xhtml
from ..errors import ApiError
from .resources import page_url

if TYPE_CHECKING:
    from ..store import SandboxStore
    from ..store.records import Page, PageVersion

_CONTEXT = 2
_FILENAME = "string(.//@*[local-name()='filename'])"
_TITLE = "string(.//@*[local-name()='content-title'])"
_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "pre", "blockquote", "div", "table",
    "ul", "ol", "dt", "dd", "caption", "structured-macro", "rich-text-body", "task",
    "layout-cell", "plain-text-body", "hr",
}  # fmt: skip


def author(store: SandboxStore, account_id: str) -> str:
    """The display name of an account, or its id when the sandbox does not know it."""
    user = store.user(account_id)
    return user.display_name if user is not None else account_id


def when(timestamp: str) -> str:
    """``2026-12-03T18:44:08.123Z`` as ``2026-12-03 18:44 UTC``."""
    return timestamp[:16].replace("T", " ") + " UTC"


def history_html(store: SandboxStore, page: Page) -> str:
    """The history table of *page*, newest first, and a form to compare two versions."""
    versions = store.pages.versions(page.id)
    rows = []
    for version in reversed(versions):
        compare = (
            f'<a href="{page_url(page.id)}/compare?from={version.number - 1}'
            f'&amp;to={version.number}">changes</a>'
            if version.number > 1
            else "created"
        )
        minor = " <small>(minor edit)</small>" if version.minor_edit else ""
        rows.append(
            f'<tr><td><a href="{page_url(page.id)}/versions/{version.number}">'
            f"v{version.number}</a></td><td>{escape(version.title)}</td>"
            f"<td>{escape(author(store, version.author_id))}</td>"
            f"<td>{when(version.created_at)}</td>"
            f"<td>{escape(version.message)}{minor}</td><td>{compare}</td></tr>"
        )
    numbers = [v.number for v in versions]
    latest = numbers[-1]

    def choose(name: str, selected: int) -> str:
        options = "".join(
            f'<option value="{n}"{" selected" if n == selected else ""}>v{n}</option>'
            for n in reversed(numbers)
        )
        return f'<select name="{name}" aria-label="{name}">{options}</select>'

    form = (
        f'<form method="get" action="{page_url(page.id)}/compare" class="compare">'
        f"Compare {choose('from', max(latest - 1, 1))} with {choose('to', latest)} "
        '<button type="submit">Compare</button></form>'
    )
    return (
        f'<table class="history"><thead><tr><th>Version</th><th>Title</th><th>By</th>'
        f"<th>When</th><th>Message</th><th></th></tr></thead><tbody>{''.join(rows)}</tbody>"
        f"</table>{form if len(numbers) > 1 else ''}"
    )


def compare_html(store: SandboxStore, page: Page, old: int, new: int) -> str:
    """Who made versions *old* and *new* of *page*, and what a reader sees change between
    them. Raises NotFound for a version the page does not have."""
    first, second = store.pages.version(page.id, old), store.pages.version(page.id, new)

    def label(version: PageVersion) -> str:
        return (
            f'<a href="{page_url(page.id)}/versions/{version.number}">v{version.number}</a> '
            f"by {escape(author(store, version.author_id))}, {when(version.created_at)}"
            + (f": <em>{escape(version.message)}</em>" if version.message else "")
        )

    title = (
        f"<p>Title: <del>{escape(first.title)}</del> <ins>{escape(second.title)}</ins></p>"
        if first.title != second.title
        else ""
    )
    return (
        f'<ul class="compared"><li class="from">{label(first)}</li>'
        f'<li class="to">{label(second)}</li></ul>{title}'
        f"{_version_diff(first.body, second.body)}"
    )


def _version_diff(old_storage: str, new_storage: str) -> str:
    """The lines a reader sees in two storage bodies, compared: removed lines red, added
    green, a little unchanged context around each change. A minimal line diff that stands in
    for the shared ``docs_confluence.readable`` diff until that module is merged."""
    old, new = reader_lines(old_storage), reader_lines(new_storage)
    rows: list[str] = []
    opcodes = difflib.SequenceMatcher(None, old, new).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            lines = old[i1:i2]
            head = lines[:_CONTEXT] if index else []
            tail = lines[-_CONTEXT:] if index < len(opcodes) - 1 else []
            if len(head) + len(tail) >= len(lines):
                rows += [_row("same", " ", line) for line in lines]
                continue
            rows += [_row("same", " ", line) for line in head]
            hidden = len(lines) - len(head) - len(tail)
            plural = "s" if hidden > 1 else ""
            rows.append(_row("skipped", " ", f"\u2026 {hidden} unchanged line{plural}"))
            rows += [_row("same", " ", line) for line in tail]
            continue
        rows += [_row("removed", "-", line) for line in old[i1:i2]]
        rows += [_row("added", "+", line) for line in new[j1:j2]]
    if not any(tag != "equal" for tag, *_ in opcodes):
        return '<p class="no-changes">No changes a reader would see.</p>'
    return f'<table class="diff"><tbody>{"".join(rows)}</tbody></table>'


def _row(kind: str, sign: str, text: str) -> str:
    return f'<tr class="{kind}"><td class="sign">{sign}</td><td>{escape(text)}</td></tr>'


def reader_lines(storage: str) -> list[str]:
    """The text of a storage body as a reader sees it, one block (paragraph, heading, list
    item, table row, code line) a line; the raw lines when the body does not parse."""
    try:
        root = xhtml.parse(storage, keep_cdata=False)
    except ApiError:
        return [line for line in storage.splitlines() if line.strip()]
    lines: list[str] = []
    _walk(root, lines, [])
    return [line for line in (" ".join(text.split()) for text in lines) if line]


def _walk(element: etree._Element, lines: list[str], buffer: list[str]) -> None:
    """Add the text of *element*'s children to *buffer*, flushing at block boundaries."""
    buffer.append(element.text or "")
    for child in element:
        if isinstance(child.tag, str):
            _child(child, lines, buffer)
        buffer.append(child.tail or "")


def _child(child: etree._Element, lines: list[str], buffer: list[str]) -> None:
    name = etree.QName(child).localname
    if name in ("parameter", "task-id", "task-status"):
        return
    if name not in _BLOCKS:
        if name == "image":
            buffer.append(f"[image {child.xpath(_FILENAME)}]")
        elif name == "link" and not child.xpath("string()").strip():
            buffer.append(str(child.xpath(_TITLE)))
        _walk(child, lines, buffer)
        return
    _flush(lines, buffer)
    if name == "plain-text-body":
        lines.extend((child.text or "").split("\n"))
    elif name == "tr":
        cells = [
            " ".join(cell.xpath("string()").split()) for cell in child if isinstance(cell.tag, str)
        ]
        lines.append(" | ".join(cells))
    elif name == "structured-macro":
        params = {
            p.get(f"{{{xhtml.AC}}}name"): p.xpath("string()")
            for p in child.iterchildren(f"{{{xhtml.AC}}}parameter")
        }
        macro = child.get(f"{{{xhtml.AC}}}name", "")
        if macro != "anchor":
            title = params.get("title")
            lines.append(f"[{macro}{': ' + title if title else ''}]")
        _walk(child, lines, buffer)
    else:
        prefix = {"li": "\u2022 ", "task": "\u2610 "}.get(name, "")
        if name[0] == "h" and name[1:].isdigit():
            prefix = "#" * int(name[1:]) + " "
        buffer.append(prefix)
        _walk(child, lines, buffer)
    _flush(lines, buffer)


def _flush(lines: list[str], buffer: list[str]) -> None:
    text = "".join(buffer)
    if text.strip() and text.strip() not in ("\u2022", "\u2610", "#"):
        lines.append(text)
    buffer.clear()
