"""A page's version history and a readable comparison of any two of its versions.

The history lists every version with who saved it, when and its message, as Confluence's
"Page history" does. The comparison shows what a reader would see change (the text of
paragraphs, headings, list items, table rows and code lines), not the XML; all of that
goes through `_version_diff`, which uses the same reader-text diff as ``plan --diff``.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ...readable import readable_diff
from .resources import page_url

if TYPE_CHECKING:
    from ..store import SandboxStore
    from ..store.records import Page, PageVersion


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
    """The lines a reader sees in two storage bodies, compared (``docs_confluence.readable``,
    the diff ``plan --diff`` and ``edits`` print): macros that came or went by name, removed
    lines red, added green, a little unchanged context around each change."""
    diff = readable_diff(old_storage, new_storage)
    if not diff.changed and not diff.macros:
        return '<p class="no-changes">No changes a reader would see.</p>'
    macros = "".join(f"<li>{escape(change)}</li>" for change in diff.macros)
    rows = [_row(*_SHOWN[line.kind], line.text) for line in diff.lines]
    listed = f'<ul class="macro-changes">{macros}</ul>' if macros else ""
    return f'{listed}<table class="diff"><tbody>{"".join(rows)}</tbody></table>'


#: How each kind of diff line is shown: its row class and sign.
_SHOWN = {
    "context": ("same", " "),
    "removed": ("removed", "-"),
    "added": ("added", "+"),
    "gap": ("skipped", "\u2026"),
}


def _row(kind: str, sign: str, text: str) -> str:
    return f'<tr class="{kind}"><td class="sign">{sign}</td><td>{escape(text)}</td></tr>'
