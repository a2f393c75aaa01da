"""Where a link or image in rendered page HTML points: another page of the bundle (and an anchor
in it), a local file to attach, a web address, or nothing we can publish.

MkDocs has already rewritten ``[x](other.md#anchor)`` into a URL relative to the page
(``../other/#anchor``); :class:`SiteIndex` maps such URLs back onto the site's files.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from mkdocs.structure.files import File

__all__ = ["FileTarget", "NoTarget", "PageTarget", "SiteIndex", "Target", "WebTarget"]

_WEB_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "ftps", "tel", "sftp", "news", "irc"})
_BASE = "http://site.invalid/"


@dataclass(frozen=True, slots=True)
class PageTarget:
    """A page of the bundle (``key``; ``None`` is the linking page itself) and an anchor."""

    key: str | None
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class FileTarget:
    """A file of the site, to attach to the linking page."""

    name: str
    path: Path | None
    content: bytes | None = None

    def data(self) -> Path | bytes:
        """What to attach: the source path, or the bytes of a generated file."""
        if self.path is not None:
            return self.path
        return self.content or b""


@dataclass(frozen=True, slots=True)
class WebTarget:
    """An address outside the bundle."""

    url: str


@dataclass(frozen=True, slots=True)
class NoTarget:
    """Nothing that can be linked from Confluence; ``reason`` says why."""

    reason: str


Target = PageTarget | FileTarget | WebTarget | NoTarget


class SiteIndex:
    """The site's files by URL, and which pages are published."""

    def __init__(
        self, files: Iterable[File], *, published: Collection[str], site_url: str | None = None
    ) -> None:
        self._by_path: dict[str, File] = {}
        self._by_source: dict[str, File] = {}
        for file in files:
            for path in (_clean(unquote(file.url)), file.dest_uri):
                self._by_path.setdefault(path, file)
            self._by_source[file.src_uri] = file
        self._published = published
        self._site_url = site_url.rstrip("/") + "/" if site_url else None
        self._site_path = urlsplit(self._site_url).path if self._site_url else "/"

    def resolve(self, href: str, *, page_url: str, page_key: str) -> Target:
        """The target of *href* found on the page at *page_url* (key *page_key*)."""
        href = href.strip()
        if not href:
            return NoTarget("empty link")
        if href.startswith("#"):
            return PageTarget(None, unquote(href[1:]) or None)
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            if parts.scheme.lower() in _WEB_SCHEMES or href.startswith("//"):
                return WebTarget(href if parts.scheme else "https:" + href)
            return NoTarget(f"a {parts.scheme}: link")
        absolute = urlsplit(urljoin(_BASE + page_url.lstrip("/"), href))
        path = unquote(absolute.path)
        if href.startswith("/") and self._site_path != "/" and path.startswith(self._site_path):
            path = "/" + path[len(self._site_path) :]
        anchor = unquote(absolute.fragment) or None
        file = self._find(_clean(path.lstrip("/")))
        if file is None and not href.startswith("/"):
            # a source path MkDocs did not rewrite (a link inside raw HTML): other.md
            source = posixpath.join(posixpath.dirname(page_key), unquote(parts.path))
            file = self._by_source.get(_clean(source))
        if file is None:
            return self._outside(path, absolute.query, anchor)
        if file.is_documentation_page():
            key = file.src_uri
            if key == page_key:
                return PageTarget(None, anchor)
            if key in self._published:
                return PageTarget(key, anchor)
            return self._outside(path, absolute.query, anchor, unpublished=key)
        if file.abs_src_path is not None and Path(file.abs_src_path).is_file():
            return FileTarget(posixpath.basename(file.src_uri), Path(file.abs_src_path))
        return FileTarget(posixpath.basename(file.dest_uri), None, file.content_bytes)

    def _find(self, path: str) -> File | None:
        found = self._by_path.get(path)
        if found is None and (path == "" or path.endswith("/")):
            found = self._by_path.get(path + "index.html")
        return found

    def _outside(
        self, path: str, query: str, anchor: str | None, *, unpublished: str | None = None
    ) -> Target:
        if self._site_url is None:
            if unpublished is not None:
                return NoTarget(f"page {unpublished} is not published")
            return NoTarget(f"{path.lstrip('/') or '/'} is not part of the site")
        url = self._site_url + path.lstrip("/")
        if query:
            url += "?" + query
        if anchor:
            url += "#" + anchor
        return WebTarget(url)


def _clean(path: str) -> str:
    trailing = path.endswith("/")
    norm = posixpath.normpath(path) if path else "."
    if norm in {".", "/"}:
        return ""
    norm = norm.lstrip("/")
    return norm + "/" if trailing else norm
