"""Images, inline SVG and links to files: what a page needs attached, and how it shows.

Local files become attachments of the page (one name per file; names made unique), other
images are shown from their URL, ``data:`` images and inline SVG are attached as files.
:class:`MediaConverter` is a part of :class:`core.Converter`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
import re
from copy import deepcopy
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote_to_bytes

from lxml import etree

from docs_confluence import storage
from docs_confluence.bundle import attachment_name
from docs_confluence.storage.pictures import RenderError

from . import extensions as ext
from .host import ConverterHost
from .links import FileTarget, NoTarget, WebTarget

if TYPE_CHECKING:
    from pathlib import Path

    from lxml.etree import _Element
    from lxml.html import HtmlElement

__all__ = ["EMOJI_CLASSES", "MediaConverter", "take_edge_space"]

_PX = re.compile(r"^\s*(\d+)(?:px)?\s*$")
_STYLE_WIDTH = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*(\d+)px", re.IGNORECASE)
_SHARE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s*$")
_STYLE_SHARE = re.compile(r"(?:^|;)\s*width\s*:\s*(\d+(?:\.\d+)?)%", re.IGNORECASE)
EMOJI_CLASSES = frozenset({"twemoji", "emojione", "gemoji", "emoji", "octicon", "fa"})
# SVG names the HTML parser lower-cases, as SVG spells them.
_SVG_NAMES = (
    "viewBox preserveAspectRatio gradientUnits "
    "gradientTransform patternUnits patternContentUnits patternTransform "
    "clipPathUnits maskUnits maskContentUnits markerWidth markerHeight markerUnits "
    "refX refY stdDeviation textLength lengthAdjust baseFrequency numOctaves "
    "pathLength spreadMethod startOffset tableValues linearGradient radialGradient "
    "clipPath foreignObject textPath feGaussianBlur feOffset feBlend feColorMatrix "
    "feMerge feMergeNode feFlood feComposite "
)
_SVG_CASE = {name.lower(): name for name in _SVG_NAMES.split()}


def take_edge_space(body: _Element) -> tuple[str, str]:
    """Take the whitespace at the start and end of *body*'s content out of it, and return it
    (to go around the link *body* becomes)."""
    text = body.text or ""
    lead = text[: len(text) - len(text.lstrip())]
    body.text = text[len(lead) :] or None
    last = body[-1] if len(body) else None
    end = (last.tail if last is not None else body.text) or ""
    kept = end.rstrip()
    if last is not None:
        last.tail = kept or None
    else:
        body.text = kept or None
    return lead, end[len(kept) :]


def _only_image_of(body: _Element, name: str) -> bool:
    """*body* is nothing but the attached image *name* (a link from an image to itself)."""
    if len(body) != 1 or body.text or body[0].tag != f"{{{storage.AC}}}image":
        return False
    target = body[0].find(f"{{{storage.RI}}}attachment")
    return target is not None and target.get(f"{{{storage.RI}}}filename") == name


class MediaConverter(ConverterHost):
    """Converts images and file links, and keeps the page's attachments."""

    attachments: dict[str, Path | bytes]
    """Attachment name -> the file's path or content."""
    _attached: dict[object, str]
    """A file (its path, or its content) -> the name it is attached under."""

    def image(self, node: HtmlElement, dst: _Element) -> None:
        names = ext.classes(node)
        alt = node.get("alt")
        if not EMOJI_CLASSES.isdisjoint(names) and alt:
            storage.append_text(dst, alt)
            return
        src = (node.get("src") or node.get("data-src") or "").strip()
        if not src:
            self.problem("an image without a source kept as its alt text")
            storage.append_text(dst, alt or "")
            return
        width, height = _image_size(node)
        title = node.get("title")
        align = node.get("align") if node.get("align") in {"left", "center", "right"} else None
        if src.startswith("data:"):
            data = _data_uri(src)
            if data is None:
                self.problem("an image with an unreadable data: URI kept as its alt text")
                storage.append_text(dst, alt or "")
                return
            kind, content = data
            suffix = mimetypes.guess_extension(kind) or ".bin"
            name = self.attach_bytes(
                f"image-{hashlib.sha256(content).hexdigest()[:12]}{suffix}", content
            )
            dst.append(
                storage.attachment_image(
                    name, alt=alt, title=title, align=align, width=width, height=height
                )
            )
            return
        target = self.site.resolve(src, page_url=self.url, page_key=self.key)
        if isinstance(target, FileTarget):
            name = self.attach(target)
            dst.append(
                storage.attachment_image(
                    name, alt=alt, title=title, align=align, width=width, height=height
                )
            )
        elif isinstance(target, WebTarget):
            dst.append(
                storage.url_image(
                    target.url, alt=alt, title=title, align=align, width=width, height=height
                )
            )
        else:
            reason = target.reason if isinstance(target, NoTarget) else "not an image file"
            self.problem(f"image {src} kept as its alt text ({reason})")
            storage.append_text(dst, alt or "")

    def svg(self, node: HtmlElement, dst: _Element, *, height: int | None) -> None:
        """An inline SVG (an icon, a drawing) becomes an attached ``.svg`` image."""
        try:
            data = _svg_bytes(node)
        except (ValueError, etree.LxmlError):  # names XML cannot hold (xlink: without xmlns)
            self.problem("an inline SVG that is not valid XML left out")
            return
        name = self.attach_bytes(f"icon-{hashlib.sha256(data).hexdigest()[:12]}.svg", data)
        width, tall = _image_size(node)
        if width is None and tall is None:
            tall = height
        label = node.get("aria-label") or next((t.text for t in node.iter("title")), None)
        dst.append(storage.attachment_image(name, alt=label, width=width, height=tall))

    def picture(
        self,
        kind: Literal["formula", "diagram"],
        source: str,
        dst: _Element,
        *,
        block: bool,
        display: bool = True,
    ) -> bool:
        """A formula or a Mermaid diagram as an attached PNG, its source as the alt text:
        centred in a paragraph of its own for a *block*, else in the line at text size.
        ``False`` (nothing added) without a renderer, or when it cannot be rendered."""
        pictures = self.options.pictures
        try:
            found = pictures.render(kind, source, display=display)
        except RenderError as exc:
            self.problem(str(exc))
            return False
        if found is None:
            return False
        name = self.attach_bytes(found.filename, found.data)
        image = storage.attachment_image(
            name, alt=source, height=found.height, align="center" if block else None
        )
        if block:
            paragraph = storage.element("p", style="text-align: center;")
            paragraph.append(image)
            dst.append(paragraph)
        else:
            dst.append(image)
        return True

    def file_link(self, node: HtmlElement, name: str, dst: _Element) -> None:
        """A link to a file, attached. A link from an image to itself (a lightbox) is just
        the image: Confluence enlarges images on click."""
        body = storage.element("ac:link-body")
        self.inline_children(node, body)
        lead, trail = take_edge_space(body)
        storage.append_text(dst, lead)
        if not len(body):
            dst.append(storage.attachment_link(name, text=body.text or name))
        elif _only_image_of(body, name):
            dst.append(body[0])
        else:
            link = storage.element("ac:link")
            link.append(storage.element("ri:attachment", ri_filename=name))
            link.append(body)
            dst.append(link)
        storage.append_text(dst, trail)

    # -- attachments ------------------------------------------------------------------------

    def attach(self, target: FileTarget) -> str:
        """The attachment name for a site file (the same file always gets the same name)."""
        identity: object = target.path if target.path is not None else target.content
        return self._register(identity, target.name, target.data())

    def attach_bytes(self, name: str, content: bytes) -> str:
        return self._register(content, name, content)

    def _register(self, identity: object, name: str, content: Path | bytes) -> str:
        known = self._attached.get(identity)
        if known is not None:
            return known
        candidate = attachment_name(name, self.attachments)
        self.attachments[candidate] = content
        self._attached[identity] = candidate
        return candidate


def _image_size(node: HtmlElement) -> tuple[int | None, int | None]:
    """Width and height in pixels, from attributes or ``style``. Confluence takes no %: a
    percentage width is taken of its default content width."""
    size: dict[str, int] = {}
    for name in ("width", "height"):
        found = _PX.match(node.get(name) or "")
        if found and int(found.group(1)) > 0:
            size[name] = int(found.group(1))
    for name, value in _STYLE_WIDTH.findall(node.get("style") or ""):
        size.setdefault(name.lower(), int(value))
    share = _SHARE.match(node.get("width") or "") or _STYLE_SHARE.search(node.get("style") or "")
    if share and float(share.group(1)) > 0:
        pixels = round(float(share.group(1)) * storage.CONTENT_WIDTH / 100)
        size.setdefault("width", max(pixels, 1))
    return size.get("width"), size.get("height")


def _data_uri(src: str) -> tuple[str, bytes] | None:
    header, comma, payload = src[5:].partition(",")
    kind = header.split(";")[0] or "application/octet-stream"
    try:
        data = (
            base64.b64decode(payload, validate=False)
            if header.endswith(";base64")
            else unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError):
        return None
    return (kind, data) if comma and data else None


def _svg_bytes(node: HtmlElement) -> bytes:
    """The SVG as a standalone file (the HTML parser lower-cased ``viewBox`` and friends)."""
    copy = deepcopy(node)
    for item in copy.iter():
        if isinstance(item.tag, str):
            item.tag = _SVG_CASE.get(item.tag, item.tag)
            for attribute in list(item.attrib):
                fixed = _SVG_CASE.get(attribute)
                if fixed:
                    item.set(fixed, item.attrib.pop(attribute))
    if copy.get("xmlns") is None:
        copy.set("xmlns", "http://www.w3.org/2000/svg")
    copy.tail = None
    return etree.tostring(copy, encoding="utf-8", method="xml")
