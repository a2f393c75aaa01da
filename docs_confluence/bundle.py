"""The bundle: what a front end hands to the engine, written to disk so people can look at it.

A bundle is a directory::

    manifest.json            format name and version, project, generator, one entry per page
    pages/<key>.xhtml        each page's storage-format body, titles of linked pages resolved
    attachments/<sha>/<name> each distinct attached file once

It names no space and no server: the same bundle can be published anywhere. The format is
documented in docs/bundle.md. Front ends build one with
:class:`~docs_confluence.bundle_writer.BundleBuilder`; the engine reads one with
:func:`read_bundle`, which checks everything a publish relies on.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BundleError
from .titles import MAX_TITLE, reader_key, stored_title, unsafe_character

if TYPE_CHECKING:
    import os
    from collections.abc import Container, Iterable, Iterator, Mapping


__all__ = [
    "FORMAT",
    "VERSION",
    "Attachment",
    "Bundle",
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
#: The way out of a bundle that is damaged or was edited by hand.
_REBUILD = "; build the docs again (mkdocs build / sphinx-build -b confluence) for a sound bundle"
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
    #: The folder the pages' ``source`` paths are relative to, relative to the repository root
    #: (``docs``; ``""``: the root); None when the sources were in no repository.
    source_dir: str | None = None
    #: Page bodies by body path, when the bundle was just written (no need to read them back).
    _bodies: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def source_in_repository(self, page: BundlePage) -> str | None:
        """*page*'s source file as the repository names it (``docs/guide/install.md``)."""
        if page.source is None or not self.source_dir:
            return page.source
        return f"{self.source_dir}/{page.source}"

    def page(self, key: str) -> BundlePage:
        """The page with bundle key *key*."""
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def read_body(self, page: BundlePage) -> str:
        """The storage-format body of *page*."""
        text = self._bodies.get(page.body)
        if text is not None:
            return text
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
        raise BundleError(f"{manifest_path}: cannot read the manifest: {exc}{_REBUILD}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(
            f"{manifest_path}: not a docs-confluence bundle manifest; pass the directory a "
            "docs-confluence build wrote"
        )
    version = manifest.get("version")
    if version != VERSION:
        raise BundleError(
            f"{manifest_path}: bundle format version {version!r} is not supported (this "
            f"docs-confluence reads version {VERSION}); rebuild the docs with this version."
        )
    entries = manifest.get("pages")
    if not isinstance(entries, list) or not isinstance(manifest.get("project"), str):
        raise BundleError(
            f"{manifest_path}: malformed manifest: needs a project and a page list{_REBUILD}"
        )
    pages = []
    for number, entry in enumerate(entries, start=1):
        try:
            pages.append(_page_from_json(entry))
        except KeyError as exc:
            raise BundleError(
                f"{manifest_path}: page {number} ({_key_of(entry)}) has no "
                f"{exc.args[0]!r}{_REBUILD}"
            ) from exc
        except (AttributeError, TypeError, ValueError) as exc:
            raise BundleError(
                f"{manifest_path}: page {number} ({_key_of(entry)}) is malformed: {exc}{_REBUILD}"
            ) from exc
    return _checked_bundle(root, manifest, pages)


def written_bundle(
    root: str | os.PathLike[str], manifest: Mapping[str, Any], bodies: Mapping[str, str]
) -> Bundle:
    """The bundle :class:`~docs_confluence.bundle_writer.BundleBuilder` just wrote into *root*,
    from its *manifest* and page *bodies* (by body path) as written: the checks
    :func:`read_bundle` makes on pages, without reading the files back."""
    pages = [_page_from_json(entry) for entry in manifest["pages"]]
    return _checked_bundle(Path(root), manifest, pages, bodies)


def _checked_bundle(
    root: Path,
    manifest: Mapping[str, Any],
    pages: list[BundlePage],
    bodies: Mapping[str, str] | None = None,
) -> Bundle:
    manifest_path = root / MANIFEST
    project = manifest["project"]
    generator = str(manifest.get("generator", ""))
    source_dir = manifest.get("source_dir")
    by_key = _check_pages(manifest_path, root, pages, check_files=bodies is None)
    return Bundle(
        root,
        project,
        generator,
        _tree_order(pages),
        by_key,
        source_dir=source_dir if isinstance(source_dir, str) else None,
        _bodies=bodies or {},
    )


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
    manifest_path: Path, root: Path, pages: Iterable[BundlePage], *, check_files: bool = True
) -> dict[str, BundlePage]:
    """The pages by key, once checked; with *check_files*, their body and attachment files
    too (each must exist, inside the bundle)."""
    resolved_root = root.resolve() if check_files else root
    by_key: dict[str, BundlePage] = {}
    titles: dict[str, BundlePage] = {}
    for page in pages:
        where = f"{manifest_path}: page {page.key!r}"
        if page.key in by_key:
            raise BundleError(f"{where}: the key is used by two pages{_REBUILD}")
        by_key[page.key] = page
        if not page.title.strip():
            raise BundleError(f"{where}: the title is empty; give the page a title")
        if len(page.title) > MAX_TITLE:
            raise BundleError(
                f"{where}: the title is {len(page.title)} characters long; "
                f"Confluence allows at most {MAX_TITLE}; shorten it"
            )
        bad = unsafe_character(page.title)
        if bad is not None:
            raise BundleError(
                f"{where}: the title holds the character U+{ord(bad):04X}, "
                "which Confluence storage cannot carry; remove it from the title"
            )
        stored = stored_title(page.title)
        if stored != page.title:
            raise BundleError(
                f"{where}: title {page.title!r} has whitespace around it or in runs, or is not "
                "NFC-normalised; Confluence may store it otherwise, and every publish would "
                f"rename the page again: write it as {stored!r}"
            )
        folded = reader_key(page.title)
        if folded in titles:
            raise BundleError(
                f"{where}: title {page.title!r} is also used by page {titles[folded].key!r} "
                f"(as {titles[folded].title!r}); Confluence needs unique titles in a space, "
                "and readers cannot tell these apart"
            )
        titles[folded] = page
        if check_files and not _inside(resolved_root, page.body, where).is_file():
            raise BundleError(f"{where}: body file {page.body} is missing{_REBUILD}")
        names: set[str] = set()
        for attachment in page.attachments:
            if attachment.filename in names:
                raise BundleError(
                    f"{where}: two attachments are named {attachment.filename!r}; rename one of "
                    "the files"
                )
            names.add(attachment.filename)
            if check_files and not _inside(resolved_root, attachment.path, where).is_file():
                raise BundleError(
                    f"{where}: attachment file {attachment.path} is missing{_REBUILD}"
                )
    for page in by_key.values():
        if page.parent is not None and page.parent not in by_key:
            raise BundleError(
                f"{manifest_path}: page {page.key!r} has parent {page.parent!r}, "
                f"which is not in the bundle{_REBUILD}"
            )
    for page in by_key.values():
        seen = {page.key}
        parent = page.parent
        while parent is not None:
            if parent in seen:
                raise BundleError(
                    f"{manifest_path}: page {page.key!r} is its own ancestor{_REBUILD}"
                )
            seen.add(parent)
            parent = by_key[parent].parent
    return by_key


def _inside(resolved_root: Path, relative: str, where: str) -> Path:
    candidate = (resolved_root / relative).resolve()
    if not candidate.is_relative_to(resolved_root):
        raise BundleError(f"{where}: path {relative!r} points outside the bundle{_REBUILD}")
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
