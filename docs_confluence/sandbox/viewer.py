"""A small read-only HTML view of the sandbox, outside the context path, without sign-in.

``GET /`` lists the spaces and each space's page tree (in position order); ``GET
/view/pages/{id}`` shows one page: title, id, version, labels, attachments, properties, the
storage source and a naive rendering of it. ``GET /view/attachments/{id}`` serves a file. No
JavaScript, and a Content-Security-Policy that forbids it, since bodies are user content.
"""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from lxml import etree

from . import xhtml
from .errors import ApiError
from .messages import Response, RouteTable
from .store.records import VISIBLE

if TYPE_CHECKING:
    from .messages import Request
    from .store import SandboxStore
    from .store.records import Page, Space

routes = RouteTable("v1")

_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#172b4d}"
    "li{margin:.2em 0}small{color:#6b778c}pre{background:#f4f5f7;padding:1em;overflow:auto}"
    ".rendered{border:1px solid #dfe1e6;padding:1em}.macro{border-left:3px solid #0052cc;"
    "padding:.3em .8em;margin:.5em 0;background:#f4f5f7}.macro-name{font-weight:bold}"
    "table{border-collapse:collapse}td,th{border:1px solid #dfe1e6;padding:.3em}"
)
_BLOCKS = {"structured-macro", "rich-text-body", "layout", "layout-section", "layout-cell"}
_DROP = {"script", "style", "iframe", "object", "embed", "form"}


def _html(title: str, body: str, status: int = 200) -> Response:
    document = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )
    return Response(
        status, document.encode(), "text/html; charset=utf-8", (("Content-Security-Policy", _CSP),)
    )


def _tree(store: SandboxStore, space: Space, parent_id: str | None) -> str:
    pages = store.pages.children(parent_id, space_id=space.id, statuses=VISIBLE)
    if not pages:
        return ""
    items = []
    for page in pages:
        note = " <small>(archived)</small>" if page.status == "archived" else ""
        items.append(
            f'<li><a href="/view/pages/{page.id}">{escape(page.title)}</a>'
            f" <small>v{page.version}</small>{note}{_tree(store, space, page.id)}</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


@routes("GET", "/", auth=False)
def index(request: Request) -> Response:
    """The spaces and their page trees."""
    store = request.store
    parts = [
        "<h1>Confluence sandbox</h1>",
        f"<p>REST base: <code>{escape(request.base)}</code> ({escape(request.flavor)})</p>",
    ]
    for space in store.spaces():
        parts.append(f"<h2>{escape(space.name)} <small>{escape(space.key)}</small></h2>")
        parts.append(_tree(store, space, None) or "<p>No pages.</p>")
        trashed = store.pages.all(space_id=space.id, statuses=("trashed",))
        if trashed:
            links = "".join(
                f'<li><a href="/view/pages/{p.id}">{escape(p.title)}</a></li>' for p in trashed
            )
            parts.append(f"<details><summary>Trash ({len(trashed)})</summary><ul>{links}</ul>")
            parts.append("</details>")
    if not store.spaces():
        parts.append("<p>No spaces yet.</p>")
    return _html("Confluence sandbox", "".join(parts))


def _render(page: Page, body: str) -> str:
    """A naive HTML rendering of a storage body: macros as boxes, no scripts or handlers."""
    root = xhtml.parse(body, keep_cdata=False)
    for element in list(root.iter(etree.Element)):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        qname = etree.QName(tag)
        if qname.namespace is None and qname.localname in _DROP:
            element.getparent().remove(element)  # type: ignore[union-attr]
            continue
        attributes = dict(element.attrib)
        element.attrib.clear()
        if qname.namespace is None:
            for name, value in attributes.items():
                if not name.startswith("on") and not value.strip().lower().startswith(
                    "javascript:"
                ):
                    element.set(name, value)
            continue
        name = qname.localname
        if name == "parameter":
            element.getparent().remove(element)  # type: ignore[union-attr]
            continue
        if name == "attachment" and qname.namespace == xhtml.RI:
            filename = attributes.get(f"{{{xhtml.RI}}}filename", "")
            element.tag = "img"
            element.set("src", f"/view/pages/{page.id}/files/{quote(filename)}")
            element.set("alt", filename)
            continue
        element.tag = "pre" if name == "plain-text-body" else ("div" if name in _BLOCKS else "span")
        element.set("class", name)
        if name == "structured-macro":
            macro = attributes.get(f"{{{xhtml.AC}}}name", "macro")
            element.set("class", f"macro macro-{macro}")
            label = etree.Element("div", {"class": "macro-name"})
            label.text = macro
            element.insert(0, label)
    etree.cleanup_namespaces(root)
    rendered = etree.tostring(root, method="html", encoding="unicode")
    return rendered[rendered.index(">") + 1 : rendered.rindex("<")]


@routes("GET", "/view/pages/{id}", auth=False)
def page_view(request: Request) -> Response:
    """One page with its metadata, storage source and a naive rendering."""
    store = request.store
    try:
        page = store.pages.get(request.params["id"])
    except ApiError:
        return _html("Not found", "<h1>Not found</h1>", 404)
    head = store.pages.head(page.id)
    space = store.space(page.space_id)
    labels = ", ".join(escape(label.name) for label in store.labels.of(page.id)) or "none"
    files = "".join(
        f'<li><a href="/view/pages/{page.id}/files/{quote(a.title)}">{escape(a.title)}</a>'
        f" <small>{escape(a.media_type)}, {a.file_size} bytes, v{a.version}</small></li>"
        for a in store.attachments.of(page.id)
    )
    props = "".join(
        f"<li><code>{escape(p.key)}</code> <small>v{p.version}</small>: "
        f"<code>{escape(json.dumps(p.value))}</code></li>"
        for p in store.properties.of(page.id)
    )
    parent = (
        f'<a href="/view/pages/{page.parent_id}">parent</a>' if page.parent_id else "space root"
    )
    body = (
        f'<p><a href="/">All spaces</a> / {escape(space.key)} / {parent}</p>'
        f"<h1>{escape(head.title)}</h1>"
        f"<p>id <code>{page.id}</code>, status {page.status}, version {head.number} "
        f"by <code>{escape(head.author_id)}</code> at {head.created_at}"
        f"{', message: ' + escape(head.message) if head.message else ''}</p>"
        f"<p>Labels: {labels}</p>"
        f"<h2>Attachments</h2><ul>{files or '<li>none</li>'}</ul>"
        f"<h2>Properties</h2><ul>{props or '<li>none</li>'}</ul>"
        f'<h2>Rendered</h2><div class="rendered">{_render(page, head.body)}</div>'
        f"<h2>Storage format</h2><pre>{escape(head.body)}</pre>"
    )
    return _html(head.title, body)


@routes("GET", "/view/pages/{id}/files/{filename}", auth=False)
def attachment_file(request: Request) -> Response:
    """The current bytes of a page's attachment."""
    store = request.store
    found = store.attachments.named(request.params["id"], request.params["filename"])
    if found is None:
        return _html("Not found", "<h1>Not found</h1>", 404)
    data = store.attachments.data(found.id)
    return Response(200, data.data, data.media_type, (("Content-Security-Policy", _CSP),))
