"""The bundle: what a front end hands to the engine, written to disk so people can look at it.

A bundle is a directory::

    manifest.json            format name and version, project, generator, one entry per page
    pages/<key>.xhtml        each page's storage-format body, titles of linked pages resolved
    attachments/<sha>/<name> each distinct attached file once

It names no space and no server: the same bundle can be published anywhere. The format is
documented in docs/bundle.md. Front ends build one with :class:`BundleBuilder`; the engine reads
one with :func:`read_bundle`, which checks everything a publish relies on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import storage
from .anchors import linked_anchors, settle_anchors
from .errors import BundleError
from .titles import MAX_TITLE, TitleRequest, assign_titles, unsafe_character
from .toc import add_toc

if TYPE_CHECKING:
    import os
    from collections.abc import Container, Iterable, Iterator, Mapping

    from lxml.etree import _Element

__all__ = [
    "FORMAT",
    "VERSION",
    "Attachment",
    "Bundle",
    "BundleBuilder",
    "BundlePage",
    "attachment_name",
    "clean_filename",
    "normalise_label",
    "read_bundle",
]

log = logging.getLogger(__name__)

FORMAT = "docs-confluence-bundle"
VERSION = 1
MANIFEST = "manifest.json"
_UNSAFE_PATH = re.compile(r"[^A-Za-z0-9._/-]+")
_UNSAFE_FILENAME = re.compile(r'[\\/":?*|<>\x00-\x1f]+')
_LABEL = re.compile(r"^[^\s:;,!#&()\[\]{}<>^|\\/'\"`~]+$")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a page."""

    filename: str
    path: str
    sha256: str
    media_type: str
    size: int


@dataclass(frozen=True, slots=True)
class BundlePage:
    """One page: identity (key), place in the tree, and where its body lives."""

    key: str
    title: str
    parent: str | None
    position: int
    body: str
    sha256: str
    labels: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Bundle:
    """A bundle read from disk; pages are in tree order (parents first, siblings in order)."""

    root: Path
    project: str
    generator: str
    pages: tuple[BundlePage, ...]
    _by_key: Mapping[str, BundlePage] = field(default_factory=dict, repr=False, compare=False)

    def page(self, key: str) -> BundlePage:
        """The page with bundle key *key*."""
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def read_body(self, page: BundlePage) -> str:
        """The storage-format body of *page*."""
        return (self.root / page.body).read_text(encoding="utf-8")

    def attachment_file(self, attachment: Attachment) -> Path:
        """Where the bytes of *attachment* are."""
        return self.root / attachment.path


def clean_filename(name: str) -> str:
    """*name* (a path's last part) without the characters Confluence refuses in file names."""
    return _UNSAFE_FILENAME.sub("_", Path(name).name).strip() or "file"


def attachment_name(name: str, taken: Container[str]) -> str:
    """*name* cleaned, or with ``-2``, ``-3``… before its extension when already *taken*."""
    clean = clean_filename(name)
    stem, dot, ext = clean.rpartition(".")
    if not dot:
        stem, ext = clean, ""
    candidate, number = clean, 2
    while candidate in taken:
        candidate = f"{stem}-{number}{dot}{ext}"
        number += 1
    return candidate


def normalise_label(label: str) -> str:
    """A label as Confluence stores it: lowercase, spaces as dashes. Raises ValueError if the
    label cannot be stored."""
    value = "-".join(label.strip().lower().split())
    if not value or len(value) > 255 or not _LABEL.match(value):
        raise ValueError(
            f"label {label!r} is not allowed (no spaces or :;,!#&()[]{{}}<>^|\\/'\"`~)"
        )
    return value


# -- reading --------------------------------------------------------------------------------------


def read_bundle(path: str | os.PathLike[str]) -> Bundle:
    """Read and check the bundle in directory *path*.

    Raises :class:`BundleError` naming the file and the page for: a missing or unreadable
    manifest, an unsupported format version, a duplicate key or title, an unknown parent, a
    parent cycle, and a missing or altered body or attachment file.
    """
    root = Path(path)
    manifest_path = root / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(
            f"{manifest_path}: no bundle here. Build the docs first "
            "(mkdocs build / sphinx-build -b confluence) and pass the bundle directory."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{manifest_path}: cannot read the manifest: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{manifest_path}: not a docs-confluence bundle manifest")
    version = manifest.get("version")
    if version != VERSION:
        raise BundleError(
            f"{manifest_path}: bundle format version {version!r} is not supported (this "
            f"docs-confluence reads version {VERSION}); rebuild the docs with this version."
        )
    entries = manifest.get("pages")
    if not isinstance(entries, list) or not isinstance(manifest.get("project"), str):
        raise BundleError(f"{manifest_path}: malformed manifest: needs a project and a page list")
    pages = []
    for number, entry in enumerate(entries, start=1):
        try:
            pages.append(_page_from_json(entry))
        except KeyError as exc:
            raise BundleError(
                f"{manifest_path}: page {number} ({_key_of(entry)}) has no {exc.args[0]!r}"
            ) from exc
        except (AttributeError, TypeError, ValueError) as exc:
            raise BundleError(
                f"{manifest_path}: page {number} ({_key_of(entry)}) is malformed: {exc}"
            ) from exc
    project = manifest["project"]
    generator = str(manifest.get("generator", ""))
    by_key = _check_pages(manifest_path, root, pages)
    return Bundle(root, project, generator, _tree_order(pages), by_key)


def _key_of(entry: object) -> str:
    key = entry.get("key") if isinstance(entry, dict) else None
    return repr(key) if key is not None else "no key"


def _page_from_json(entry: Mapping[str, Any]) -> BundlePage:
    return BundlePage(
        key=str(entry["key"]),
        title=str(entry["title"]),
        parent=None if entry.get("parent") is None else str(entry["parent"]),
        position=int(entry.get("position", 0)),
        body=str(entry["body"]),
        sha256=str(entry["sha256"]),
        labels=tuple(str(label) for label in entry.get("labels", ())),
        attachments=tuple(
            Attachment(
                filename=str(a["filename"]),
                path=str(a["path"]),
                sha256=str(a["sha256"]),
                media_type=str(a.get("media_type") or "application/octet-stream"),
                size=int(a["size"]),
            )
            for a in entry.get("attachments", ())
        ),
        source=None if entry.get("source") is None else str(entry["source"]),
    )


def _check_pages(
    manifest_path: Path, root: Path, pages: Iterable[BundlePage]
) -> dict[str, BundlePage]:
    by_key: dict[str, BundlePage] = {}
    titles: dict[str, BundlePage] = {}
    for page in pages:
        where = f"{manifest_path}: page {page.key!r}"
        if page.key in by_key:
            raise BundleError(f"{where}: the key is used by two pages")
        by_key[page.key] = page
        if not page.title.strip():
            raise BundleError(f"{where}: the title is empty")
        if len(page.title) > MAX_TITLE:
            raise BundleError(
                f"{where}: the title is {len(page.title)} characters long; "
                f"Confluence allows at most {MAX_TITLE}"
            )
        bad = unsafe_character(page.title)
        if bad is not None:
            raise BundleError(
                f"{where}: the title holds the character U+{ord(bad):04X}, "
                "which Confluence storage cannot carry"
            )
        folded = page.title.casefold()
        if folded in titles:
            raise BundleError(
                f"{where}: title {page.title!r} is also used by page {titles[folded].key!r}; "
                "Confluence needs unique titles in a space"
            )
        titles[folded] = page
        body = _inside(root, page.body, where)
        if not body.is_file():
            raise BundleError(f"{where}: body file {page.body} is missing")
        names: set[str] = set()
        for attachment in page.attachments:
            if attachment.filename in names:
                raise BundleError(f"{where}: two attachments are named {attachment.filename!r}")
            names.add(attachment.filename)
            if not _inside(root, attachment.path, where).is_file():
                raise BundleError(f"{where}: attachment file {attachment.path} is missing")
    for page in by_key.values():
        if page.parent is not None and page.parent not in by_key:
            raise BundleError(
                f"{manifest_path}: page {page.key!r} has parent {page.parent!r}, "
                "which is not in the bundle"
            )
    for page in by_key.values():
        seen = {page.key}
        parent = page.parent
        while parent is not None:
            if parent in seen:
                raise BundleError(f"{manifest_path}: page {page.key!r} is its own ancestor")
            seen.add(parent)
            parent = by_key[parent].parent
    return by_key


def _inside(root: Path, relative: str, where: str) -> Path:
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise BundleError(f"{where}: path {relative!r} points outside the bundle")
    return candidate


def _tree_order(pages: Iterable[BundlePage]) -> tuple[BundlePage, ...]:
    children: dict[str | None, list[BundlePage]] = {}
    for page in pages:
        children.setdefault(page.parent, []).append(page)
    for siblings in children.values():
        siblings.sort(key=lambda p: p.position)

    def walk(parent: str | None) -> Iterator[BundlePage]:
        for page in children.get(parent, ()):
            yield page
            yield from walk(page.key)

    return tuple(walk(None))


# -- writing --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    key: str
    title: str
    parent: str | None
    position: int
    body: _Element
    labels: tuple[str, ...]
    source: str | None
    attachments: dict[str, tuple[bytes, str, str]] = field(default_factory=dict)
    #: the name each attachment was asked for -> the name it is stored under (the first wins)
    stored_names: dict[str, str] = field(default_factory=dict)


class BundleBuilder:
    """Collects pages from a front end and writes them as a bundle.

    Pages may be added in any order; siblings keep the order they were added in. Titles are made
    plain and unique (:mod:`docs_confluence.titles`), page links resolved, references to
    attachments (``ri:filename``) pointed at the names the files are stored under, and pages
    with at least *toc_min_headings* headings (0: none) given a table of contents
    (:mod:`docs_confluence.toc`) when the bundle is written.
    """

    def __init__(
        self,
        project: str,
        *,
        generator: str,
        title_prefix: str = "",
        labels: Iterable[str] = (),
        toc_min_headings: int = 0,
    ) -> None:
        self.project = project
        self.generator = generator
        self.title_prefix = title_prefix
        self.toc_min_headings = toc_min_headings
        self.labels = tuple(normalise_label(label) for label in labels)
        self._drafts: dict[str, _Draft] = {}
        self._sibling_count: dict[str | None, int] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._drafts

    def add_page(
        self,
        key: str,
        title: str,
        body: _Element | str,
        *,
        parent: str | None = None,
        labels: Iterable[str] = (),
        source: str | None = None,
    ) -> None:
        """Add a page. *body* is a fragment from :func:`storage.new_fragment` or XHTML text."""
        if key in self._drafts:
            raise BundleError(f"page {key!r} was added twice")
        root = body if not isinstance(body, str) else storage.parse_fragment(body, where=key)
        position = self._sibling_count.get(parent, 0)
        self._sibling_count[parent] = position + 1
        merged = dict.fromkeys((*self.labels, *(normalise_label(x) for x in labels)))
        self._drafts[key] = _Draft(key, title, parent, position, root, tuple(merged), source)

    def attach(
        self, key: str, filename: str, content: Path | bytes, media_type: str | None = None
    ) -> str:
        """Attach a file (a path or bytes) to page *key*; returns the name used on the page.

        Attaching the same content twice gives the same name; different files with the same name
        get ``-2``, ``-3``… before the extension. The page body may keep referring to the file as
        *filename*: when the bundle is written, ``ri:filename="<filename>"`` becomes the name
        used (for a *filename* attached twice with different content, the first file's).
        """
        draft = self._drafts[key]
        data = content.read_bytes() if isinstance(content, Path) else content
        name = _store(draft.attachments, clean_filename(filename), data, media_type)
        draft.stored_names.setdefault(filename, name)
        return name

    def write(self, directory: str | os.PathLike[str]) -> Bundle:
        """Write the bundle into *directory* (replacing an earlier bundle there) and read it
        back."""
        target = Path(directory)
        self._check_parents()
        ordered = self._tree_order()
        titles = assign_titles(
            [TitleRequest(d.key, d.title, d.parent) for d in ordered], prefix=self.title_prefix
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".bundle-", dir=target.parent))
        try:
            used: set[str] = set()
            linked = linked_anchors(((d.key, d.body) for d in ordered), titles)
            entries = [
                self._write_page(staging, draft, titles, linked.get(draft.key, set()), used)
                for draft in ordered
            ]
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "project": self.project,
                "generator": self.generator,
                "pages": entries,
            }
            (staging / MANIFEST).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            _replace_directory(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return read_bundle(target)

    def _check_parents(self) -> None:
        for draft in self._drafts.values():
            if draft.parent is not None and draft.parent not in self._drafts:
                raise BundleError(
                    f"page {draft.key!r}: parent {draft.parent!r} was never added to the bundle"
                )

    def _tree_order(self) -> list[_Draft]:
        children: dict[str | None, list[_Draft]] = {}
        for draft in self._drafts.values():
            children.setdefault(draft.parent, []).append(draft)
        ordered: list[_Draft] = []
        stack = sorted(children.get(None, []), key=lambda d: d.position, reverse=True)
        while stack:
            draft = stack.pop()
            ordered.append(draft)
            stack.extend(
                sorted(children.get(draft.key, []), key=lambda d: d.position, reverse=True)
            )
        if len(ordered) != len(self._drafts):
            raise BundleError("the page tree has a cycle: some page is its own ancestor")
        return ordered

    def _write_page(
        self,
        staging: Path,
        draft: _Draft,
        titles: Mapping[str, str],
        linked: Container[str],
        used: set[str],
    ) -> Any:
        def missing(target: str) -> None:
            log.warning(
                "Page %r (%s) links to %r, which is not published; kept the link text only",
                titles[draft.key],
                draft.source or draft.key,
                target,
            )

        storage.keep_linked_anchors(draft.body, linked)
        settle_anchors(draft.body)
        storage.resolve_page_links(draft.body, titles, on_missing=missing)
        storage.rename_attachments(draft.body, draft.stored_names)
        add_toc(draft.body, self.toc_min_headings)
        storage.finish_page(draft.body, titles[draft.key])
        text = storage.serialize_fragment(draft.body)
        data = text.encode("utf-8")
        body_path = _unique("pages/" + _safe_path(draft.key), ".xhtml", used)
        _write_file(staging / body_path, data)
        attachments = []
        for name, (content, digest, kind) in draft.attachments.items():
            path = f"attachments/{digest[:16]}/{name}"
            if not (staging / path).exists():
                _write_file(staging / path, content)
            attachments.append(
                {
                    "filename": name,
                    "path": path,
                    "sha256": digest,
                    "media_type": kind,
                    "size": len(content),
                }
            )
        return {
            "key": draft.key,
            "title": titles[draft.key],
            "parent": draft.parent,
            "position": draft.position,
            "source": draft.source,
            "labels": list(draft.labels),
            "body": body_path,
            "sha256": hashlib.sha256(data).hexdigest(),
            "attachments": attachments,
        }


def _store(
    attachments: dict[str, tuple[bytes, str, str]], clean: str, data: bytes, media_type: str | None
) -> str:
    """Keep *data* under *clean*, or under the name the same bytes already have, or under a new
    ``-N`` name; returns the name."""
    digest = hashlib.sha256(data).hexdigest()
    candidate = clean
    while candidate in attachments:
        if attachments[candidate][1] == digest:
            return candidate
        candidate = attachment_name(clean, attachments)
    kind = media_type or mimetypes.guess_type(clean)[0] or "application/octet-stream"
    attachments[candidate] = (data, digest, kind)
    return candidate


def _unique(stem: str, suffix: str, used: set[str]) -> str:
    candidate, number = stem + suffix, 2
    while candidate.casefold() in used:
        candidate = f"{stem}-{number}{suffix}"
        number += 1
    used.add(candidate.casefold())
    return candidate


def _safe_path(key: str) -> str:
    parts = [_UNSAFE_PATH.sub("_", part) for part in key.split("/") if part not in {"", ".", ".."}]
    return "/".join(parts) or "_"


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _replace_directory(staging: Path, target: Path) -> None:
    if target.exists():
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
        elif (target / MANIFEST).is_file():
            shutil.rmtree(target)
        else:
            raise BundleError(
                f"{target}: exists and is not a bundle; refusing to replace it. "
                "Choose another bundle directory."
            )
    staging.rename(target)
