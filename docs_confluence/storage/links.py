"""Links and images in storage format: links to another page of the bundle by its key
(:func:`page_link`, turned into titles by :func:`resolve_page_links` once every title is known),
to an attachment, and images of an attachment or a URL; and the renaming of attachments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .markup import (
    _KEY_ATTR,
    AC,
    NSMAP,
    RI,
    _cdata,
    _check_text,
    _replace_with_text,
    element,
    plain_text,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from lxml.etree import _Element

__all__ = [
    "attachment_image",
    "attachment_link",
    "iter_page_link_keys",
    "page_link",
    "rename_attachments",
    "resolve_page_links",
    "url_image",
]


def page_link(
    key: str | None,
    *,
    anchor: str | None = None,
    text: str | None = None,
    body: _Element | None = None,
) -> _Element:
    """A link to the bundle page *key* (``None``: this page), optionally to an anchor in it.

    Give either plain *text* or a rich *body* (an ``ac:link-body`` element's children are taken
    from it). The title is filled in by :func:`resolve_page_links` when the bundle is written.
    """
    link = element("ac:link")
    if anchor:
        link.set(f"{{{AC}}}anchor", _check_text(anchor))
    if key is not None:
        target = element("ri:page", ri_content_title="")
        target.set(_KEY_ATTR, key)
        link.append(target)
    _append_link_body(link, text, body)
    return link


def attachment_link(filename: str, *, text: str | None = None) -> _Element:
    """A link to a file attached to this page."""
    link = element("ac:link")
    link.append(element("ri:attachment", ri_filename=filename))
    _append_link_body(link, text if text is not None else filename, None)
    return link


def attachment_image(
    filename: str,
    *,
    alt: str | None = None,
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
    align: str | None = None,
) -> _Element:
    """An image attached to this page."""
    image = _image(alt=alt, title=title, width=width, height=height, align=align)
    image.append(element("ri:attachment", ri_filename=filename))
    return image


def url_image(
    url: str,
    *,
    alt: str | None = None,
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
    align: str | None = None,
) -> _Element:
    """An image shown from an external URL."""
    image = _image(alt=alt, title=title, width=width, height=height, align=align)
    image.append(element("ri:url", ri_value=url))
    return image


def iter_page_link_keys(root: _Element) -> Iterable[str]:
    """The bundle keys of every unresolved page link below *root*."""
    for target in root.iter(f"{{{RI}}}page"):
        key = target.get(_KEY_ATTR)
        if key is not None:
            yield key


def resolve_page_links(
    root: _Element,
    titles: Mapping[str, str],
    *,
    on_missing: Callable[[str], None] | None = None,
) -> None:
    """Replace bundle keys in page links by the target pages' final titles.

    A link to a key that is not in *titles* becomes its plain link text (after *on_missing* is
    told), so a dangling link never publishes as a "create page" link.
    """
    for target in list(root.iter(f"{{{RI}}}page")):
        key = target.attrib.pop(_KEY_ATTR, None)
        if key is None:
            continue
        title = titles.get(key)
        if title is not None:
            target.set(f"{{{RI}}}content-title", _check_text(title))
            continue
        if on_missing is not None:
            on_missing(key)
        link = target.getparent()
        assert link is not None
        _replace_with_text(link, plain_text(link))
    etree.cleanup_namespaces(root, top_nsmap=NSMAP)


def rename_attachments(root: _Element, names: Mapping[str, str]) -> None:
    """Point references to this page's attachments at the names the files are stored under:
    ``ri:filename`` *old* becomes ``names[old]``. References to another page's attachment (an
    ``ri:attachment`` holding an ``ri:page``) and names not in *names* are left as they are."""
    attribute = f"{{{RI}}}filename"
    for target in root.iter(f"{{{RI}}}attachment"):
        if len(target):
            continue
        stored = names.get(target.get(attribute) or "")
        if stored is not None:
            target.set(attribute, stored)


# -- internals ---------------------------------------------------------------------------------


def _append_link_body(link: _Element, text: str | None, body: _Element | None) -> None:
    if body is not None and (len(body) or body.text):
        rich = element("ac:link-body")
        rich.text = body.text
        rich.extend(list(body))
        link.append(rich)
    elif text:
        plain = element("ac:plain-text-link-body")
        plain.text = _cdata(text)
        link.append(plain)


def _image(
    *,
    alt: str | None,
    title: str | None,
    width: int | None,
    height: int | None,
    align: str | None,
) -> _Element:
    image = element("ac:image")
    for name, value in (
        ("alt", alt),
        ("title", title),
        ("width", str(width) if width else None),
        ("height", str(height) if height else None),
        ("align", align),
    ):
        if value:
            image.set(f"{{{AC}}}{name}", _check_text(value))
    return image
