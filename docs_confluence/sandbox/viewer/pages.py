"""The viewer's routes: a read-only preview of the sandbox, outside the context path, no sign-in.

``GET /`` lists the spaces and their page trees. ``GET /view/pages/{id}`` shows a page as
Confluence would (breadcrumbs, the space tree beside it, the body rendered by `render`), then
its labels, attachments, properties and storage source. ``/history`` lists its versions,
``/versions/{n}`` shows one, ``/compare?from=a&to=b`` shows what changed between two, and
``/files/{filename}`` serves an attachment. Nothing here writes, and no page runs a script.
"""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING

from ..errors import ApiError
from ..file_headers import file_headers
from ..messages import Response, RouteTable
from ..store.records import VISIBLE
from . import history
from .layout import CSP, document, not_found
from .render import PageContext, Renderer
from .resources import file_url, page_url

if TYPE_CHECKING:
    from ..messages import Request
    from ..store import SandboxStore
    from ..store.records import Page, PageVersion, Space

routes = RouteTable("v1")


def _tree(store: SandboxStore, space: Space, parent_id: str | None, current: str = "") -> str:
    pages = store.pages.children(parent_id, space_id=space.id, statuses=VISIBLE)
    if not pages:
        return ""
    items = []
    for page in pages:
        note = " <small>(archived)</small>" if page.status == "archived" else ""
        mark = ' class="current" aria-current="page"' if page.id == current else ""
        items.append(
            f'<li><a href="{page_url(page.id)}"{mark}>{escape(page.title)}</a>'
            f"{note}{_tree(store, space, page.id, current)}</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


@routes("GET", "/", auth=False)
def index(request: Request) -> Response:
    """The spaces and their page trees."""
    store = request.store
    parts = [
        "<main><h1>Confluence sandbox</h1>",
        f"<p>REST base: <code>{escape(request.base)}</code> ({escape(request.flavor)})</p>",
    ]
    for space in store.spaces():
        parts.append(
            f'<h2 id="space-{escape(space.key)}">{escape(space.name)} '
            f"<small>{escape(space.key)}</small></h2>"
        )
        parts.append(_tree(store, space, None) or "<p>No pages.</p>")
        trashed = store.pages.all(space_id=space.id, statuses=("trashed",))
        if trashed:
            links = "".join(
                f'<li><a href="{page_url(p.id)}">{escape(p.title)}</a></li>' for p in trashed
            )
            parts.append(f"<details><summary>Trash ({len(trashed)})</summary><ul>{links}</ul>")
            parts.append("</details>")
    if not store.spaces():
        parts.append("<p>No spaces yet.</p>")
    parts.append("</main>")
    return document("Confluence sandbox", "".join(parts))


def _frame(store: SandboxStore, page: Page, title: str, content: str) -> str:
    """The space tree beside *content*, breadcrumbs (real titles) above it."""
    space = store.space(page.space_id)
    crumbs = [
        '<a href="/">All spaces</a>',
        f'<a href="/#space-{escape(space.key)}">{escape(space.name)}</a>',
        *(
            f'<a href="{page_url(a.id)}">{escape(a.title)}</a>'
            for a in store.pages.ancestors(page.id)
        ),
    ]
    return (
        f'<div class="shell"><nav class="tree" aria-label="Page tree">'
        f"<strong>{escape(space.name)}</strong>{_tree(store, space, None, page.id)}</nav>"
        f'<main><nav class="breadcrumbs" aria-label="Breadcrumbs">{" / ".join(crumbs)}</nav>'
        f'<h1 class="page-title">{escape(title)}</h1>{content}</main></div>'
    )


def _rendered(store: SandboxStore, page: Page, version: PageVersion) -> str:
    context = PageContext(store, page, store.space(page.space_id), version.title)
    return f'<div class="rendered">{Renderer(context).render(version.body)}</div>'


def _byline(store: SandboxStore, page: Page, version: PageVersion) -> str:
    return (
        f'<p class="byline">Version {version.number} by '
        f"{escape(history.author(store, version.author_id))}, {history.when(version.created_at)}"
        f' \u00b7 <a href="{page_url(page.id)}/history">Page history</a></p>'
    )


def _page(request: Request) -> Page | None:
    try:
        return request.store.pages.get(request.params["id"])
    except ApiError:
        return None


@routes("GET", "/view/pages/{id}", auth=False)
def page_view(request: Request) -> Response:
    """One page as Confluence would show it, then its metadata and storage source."""
    store = request.store
    page = _page(request)
    if page is None:
        return not_found(f"No page with id {request.params['id']}.")
    head = store.pages.head(page.id)
    labels = ", ".join(escape(label.name) for label in store.labels.of(page.id)) or "none"
    files = "".join(
        f'<li><a href="{file_url(page.id, a.title)}">{escape(a.title)}</a>'
        f" <small>{escape(a.media_type)}, {a.file_size} bytes, v{a.version}</small></li>"
        for a in store.attachments.of(page.id)
    )
    props = "".join(
        f"<li><code>{escape(p.key)}</code> <small>v{p.version}</small>: "
        f"<code>{escape(json.dumps(p.value))}</code></li>"
        for p in store.properties.of(page.id)
    )
    status = (
        ""
        if page.status == "current"
        else f'<p class="old-version">This page is {page.status}.</p>'
    )
    content = (
        f"{_byline(store, page, head)}{status}{_rendered(store, page, head)}"
        f'<section class="meta"><h2>Page details</h2>'
        f"<p>id <code>{page.id}</code>, status {page.status}, version {head.number}"
        f"{', message: ' + escape(head.message) if head.message else ''}</p>"
        f"<p>Labels: {labels}</p>"
        f"<h2>Attachments</h2><ul>{files or '<li>none</li>'}</ul>"
        f"<h2>Properties</h2><ul>{props or '<li>none</li>'}</ul>"
        f'<details class="storage"><summary>Storage format</summary>'
        f"<pre>{escape(head.body)}</pre></details></section>"
    )
    return document(head.title, _frame(store, page, head.title, content))


@routes("GET", "/view/pages/{id}/history", auth=False)
def page_history(request: Request) -> Response:
    """Every version of a page: number, title, who, when, message."""
    store = request.store
    page = _page(request)
    if page is None:
        return not_found(f"No page with id {request.params['id']}.")
    head = store.pages.head(page.id)
    content = (
        f'<p class="byline"><a href="{page_url(page.id)}">Back to the page</a></p>'
        f"<h2>Page history</h2>{history.history_html(store, page)}"
    )
    return document(f"History: {head.title}", _frame(store, page, head.title, content))


@routes("GET", "/view/pages/{id}/versions/{number}", auth=False)
def page_version(request: Request) -> Response:
    """One earlier (or the current) version of a page, rendered."""
    store = request.store
    page = _page(request)
    number = request.params["number"]
    if page is None or not number.isdigit():
        return not_found(f"No version {number} of page {request.params['id']}.")
    try:
        version = store.pages.version(page.id, int(number))
    except ApiError:
        return not_found(f"No version {number} of page {page.id}.")
    banner = (
        f'<p class="old-version">You are viewing an old version of this page. '
        f'<a href="{page_url(page.id)}">View the current version</a> \u00b7 '
        f'<a href="{page_url(page.id)}/compare?from={version.number}&amp;to={page.version}">'
        f"Compare with current</a></p>"
        if version.number != page.version
        else ""
    )
    content = f"{_byline(store, page, version)}{banner}{_rendered(store, page, version)}"
    return document(
        f"{version.title} (v{version.number})", _frame(store, page, version.title, content)
    )


@routes("GET", "/view/pages/{id}/compare", auth=False)
def page_compare(request: Request) -> Response:
    """What a reader sees change between two versions (``?from=1&to=3``), and who made them."""
    store = request.store
    page = _page(request)
    if page is None:
        return not_found(f"No page with id {request.params['id']}.")
    try:
        old = request.int_arg("from", max(page.version - 1, 1))
        new = request.int_arg("to", page.version)
        body = history.compare_html(store, page, old, new)
    except ApiError as exc:
        return not_found(f"{exc} (page {page.id}).")
    head = store.pages.head(page.id)
    content = (
        f'<p class="byline"><a href="{page_url(page.id)}/history">Page history</a></p>'
        f"<h2>Compare v{old} with v{new}</h2>{body}"
    )
    return document(f"Compare: {head.title}", _frame(store, page, head.title, content))


@routes("GET", "/view/pages/{id}/files/{filename}", auth=False)
def attachment_file(request: Request) -> Response:
    """The current bytes of a page's attachment."""
    store = request.store
    found = store.attachments.named(request.params["id"], request.params["filename"])
    if found is None:
        return not_found(f"No attachment {request.params['filename']}.")
    data = store.attachments.data(found.id)
    # Its own policy too: a viewer page that links the file must not run it either.
    headers = (("Content-Security-Policy", CSP), *file_headers(found.title, data.media_type))
    return Response(200, data.data, data.media_type, headers)
