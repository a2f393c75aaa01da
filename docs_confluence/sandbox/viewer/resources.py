"""What a body points at: page and anchor links, attachment images and files, emoticons.

Links name their page by title (and space key), as storage format does; the viewer finds that
page in the store and links to its view, so a reader can follow them as on Confluence. A link
to a title that does not exist is drawn the way Confluence marks a missing page (red, dashed),
not silently dropped. Images from attachments are served by the viewer at the size the
``ac:image`` asks for; images from other sites are not fetched (the viewer makes no request
elsewhere) and show as a link instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from .. import xhtml
from .tree import sub

if TYPE_CHECKING:
    from lxml import etree

    from ..store.records import Page
    from .macros import Drawer
    from .render import Renderer

#: Characters a URL fragment may hold as they are (RFC 3986); others are percent-encoded.
_FRAGMENT_SAFE = "!$&'()*+,;=:@/?-._~"
_RI_PAGE = f"{{{xhtml.RI}}}page"
_RI_ATTACHMENT = f"{{{xhtml.RI}}}attachment"
_EMOTICONS = {
    "smile": "\U0001f642", "sad": "\u2639\ufe0f", "cheeky": "\U0001f61b", "laugh": "\U0001f600",
    "wink": "\U0001f609", "thumbs-up": "\U0001f44d", "thumbs-down": "\U0001f44e",
    "information": "\u2139\ufe0f", "tick": "\u2705", "cross": "\u274c", "warning": "\u26a0\ufe0f",
    "plus": "\u2795", "minus": "\u2796", "question": "\u2753", "light-on": "\U0001f4a1",
    "light-off": "\U0001f4a1", "yellow-star": "\u2b50", "red-star": "\u2b50",
    "green-star": "\u2b50", "blue-star": "\u2b50",
}  # fmt: skip


def _ac(name: str) -> str:
    return f"{{{xhtml.AC}}}{name}"


def _ri(name: str) -> str:
    return f"{{{xhtml.RI}}}{name}"


def page_url(page_id: str) -> str:
    """Where the viewer shows a page."""
    return f"/view/pages/{page_id}"


def file_url(page_id: str, filename: str) -> str:
    """Where the viewer serves a page's attachment."""
    return f"/view/pages/{page_id}/files/{quote(filename, safe='')}"


def find_page(renderer: Renderer, target: etree._Element | None) -> Page | None:
    """The page a ``ri:page`` names (title, optional space key); the shown page without one."""
    context = renderer.context
    if target is None:
        return context.page
    title = target.get(_ri("content-title"), "")
    key = target.get(_ri("space-key"))
    space = context.space if not key else context.store.space_by_key(key)
    if space is None:
        return None
    found = [p for p in context.store.pages.titled(space.id, title) if p.status == "current"]
    return found[0] if found else None


def _link(renderer: Renderer, link: etree._Element, out: etree._Element) -> None:
    anchor = link.get(_ac("anchor"))
    fragment = f"#{quote(anchor, safe=_FRAGMENT_SAFE)}" if anchor else ""
    target = link.find(_RI_PAGE)
    attachment = link.find(_RI_ATTACHMENT)
    href: str | None = fragment or None
    default = anchor or ""
    missing = ""
    if attachment is not None:
        owner = find_page(renderer, attachment.find(_RI_PAGE))
        filename = attachment.get(_ri("filename"), "")
        default = filename
        href = file_url(owner.id, filename) if owner is not None else None
        missing = "" if owner is not None else f"No page for attachment {filename}"
    elif target is not None:
        title = target.get(_ri("content-title"), "")
        default = title + (f"#{anchor}" if anchor else "")
        found = find_page(renderer, target)
        if found is None:
            href, missing = None, f"Page not found: {title}"
        elif found.id != renderer.context.page.id or not fragment:
            href = page_url(found.id) + fragment
    elif link.find(_ri("space")) is not None:
        key = link.find(_ri("space")).get(_ri("space-key"), "")  # type: ignore[union-attr]
        href, default = f"/#space-{quote(key, safe='')}", key
    elif link.find(_ri("user")) is not None:
        account = link.find(_ri("user")).get(_ri("account-id"), "")  # type: ignore[union-attr]
        user = renderer.context.store.user(account)
        default, href = "@" + (user.display_name if user else account), None
    elif link.find(_ri("url")) is not None:
        value = link.find(_ri("url")).get(_ri("value"), "")  # type: ignore[union-attr]
        href = value if value.lower().startswith(("http:", "https:")) else None
        default = value
    if href is not None:
        element = sub(out, "a", href=href)
    else:
        element = sub(out, "span", class_="missing-link" if missing else "link")
        if missing:
            element.set("title", missing)
    rich = link.find(_ac("link-body"))
    plain = link.find(_ac("plain-text-link-body"))
    if rich is not None:
        renderer.children(rich, element)
    elif plain is not None and plain.text:
        element.text = plain.text
    else:
        element.text = default


def _image(renderer: Renderer, image: etree._Element, out: etree._Element) -> None:
    attachment = image.find(_RI_ATTACHMENT)
    url = image.find(_ri("url"))
    alt = image.get(_ac("alt")) or image.get(_ac("title")) or ""
    if attachment is None:
        value = url.get(_ri("value"), "") if url is not None else ""
        holder = sub(out, "span", class_="external-image")
        if value.lower().startswith(("http:", "https:")):
            sub(holder, "a", f"[image: {alt or value}]", href=value)
        return
    owner = find_page(renderer, attachment.find(_RI_PAGE))
    filename = attachment.get(_ri("filename"), "")
    if owner is None:
        sub(out, "span", f"[missing image: {filename}]", class_="missing-link")
        return
    element = sub(out, "img", src=file_url(owner.id, filename), alt=alt or filename)
    for name in ("width", "height"):
        value = image.get(_ac(name), "")
        if value.isdigit():
            element.set(name, value)
    classes = ["confluence-image"]
    align = image.get(_ac("align"), "")
    if align in ("left", "center", "right"):
        classes.append(f"image-{align}")
    if image.get(_ac("border"), "").lower() == "true":
        classes.append("image-border")
    element.set("class", " ".join(classes))
    if image.get(_ac("title")):
        element.set("title", image.get(_ac("title"), ""))


def _emoticon(renderer: Renderer, emoticon: etree._Element, out: etree._Element) -> None:
    name = emoticon.get(_ac("name"), "")
    shown = _EMOTICONS.get(name) or emoticon.get(_ac("emoji-fallback")) or f":{name}:"
    sub(out, "span", shown, class_="emoticon", title=name)


DRAWERS: dict[str, Drawer] = {"link": _link, "image": _image, "emoticon": _emoticon}
