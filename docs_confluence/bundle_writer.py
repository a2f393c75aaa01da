"""BundleBuilder: what front ends hand their pages to. It writes the bundle (see
:mod:`docs_confluence.bundle`) at once, into a fresh directory that replaces the old one only
when it is complete."""

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
from .bundle import (
    FORMAT,
    MANIFEST,
    VERSION,
    Bundle,
    attachment_name,
    clean_filename,
    normalise_label,
    written_bundle,
)
from .errors import BundleError
from .storage.anchors import linked_anchors, settle_anchors
from .storage.notice import check_notice_text, source_notice
from .storage.toc import add_toc
from .titles import TitleRequest, assign_titles

if TYPE_CHECKING:
    import os
    from collections.abc import Container, Iterable, Mapping

    from lxml.etree import _Element

__all__ = ["BundleBuilder"]

# The bundle's logger: its name is the warning type users see ("confluence.bundle").
log = logging.getLogger("docs_confluence.bundle")

_UNSAFE_PATH = re.compile(r"[^A-Za-z0-9._/-]+")


@dataclass(slots=True)
class _Draft:
    key: str
    title: str
    parent: str | None
    position: int
    body: _Element
    labels: tuple[str, ...]
    source: str | None
    edit_url: str | None = None
    attachments: dict[str, tuple[bytes, str, str]] = field(default_factory=dict)
    #: the name each attachment was asked for -> the name it is stored under (the first wins)
    stored_names: dict[str, str] = field(default_factory=dict)


class BundleBuilder:
    """Collects pages from a front end and writes them as a bundle.

    Pages may be added in any order; siblings keep the order they were added in. Titles are made
    plain and unique (:mod:`docs_confluence.titles`), page links resolved, references to
    attachments (``ri:filename``) pointed at the names the files are stored under, and pages
    with at least *toc_min_headings* headings (0: none) given a table of contents
    (:mod:`docs_confluence.storage.toc`) when the bundle is written. With *source_notice* (the
    notice's text; None: no notice) every page starts with a panel saying it is generated and
    linking to its source file (:mod:`docs_confluence.storage.notice`).
    """

    def __init__(
        self,
        project: str,
        *,
        generator: str,
        title_prefix: str = "",
        labels: Iterable[str] = (),
        toc_min_headings: int = 0,
        source_dir: str | None = None,
        source_notice: str | None = None,
    ) -> None:
        self.project = project
        self.source_notice = source_notice
        problem = None if source_notice is None else check_notice_text(source_notice)
        if problem:
            raise BundleError(f"the source notice text {source_notice!r}: {problem}")
        self.generator = generator
        #: The folder page sources are relative to, relative to the repository root.
        self.source_dir = source_dir
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
        edit_url: str | None = None,
    ) -> None:
        """Add a page. *body* is a fragment from :func:`storage.new_fragment` or XHTML text;
        *source* is its file in the docs, *edit_url* where that file is edited (for the notice)."""
        if key in self._drafts:
            raise BundleError(f"page {key!r} was added twice")
        root = body if not isinstance(body, str) else storage.parse_fragment(body, where=key)
        position = self._sibling_count.get(parent, 0)
        self._sibling_count[parent] = position + 1
        merged = dict.fromkeys((*self.labels, *(normalise_label(x) for x in labels)))
        self._drafts[key] = _Draft(
            key, title, parent, position, root, tuple(merged), source, edit_url
        )

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
        """Write the bundle into *directory* (replacing an earlier bundle there); returns it as
        written (its pages checked as :func:`~docs_confluence.bundle.read_bundle` checks them,
        its bodies kept in memory)."""
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
            bodies: dict[str, str] = {}
            folders: set[Path] = set()
            linked = linked_anchors(((d.key, d.body) for d in ordered), titles)
            entries = [
                self._write_page(
                    staging, draft, titles, linked.get(draft.key, set()), used, bodies, folders
                )
                for draft in ordered
            ]
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "project": self.project,
                "generator": self.generator,
                **({} if self.source_dir is None else {"source_dir": self.source_dir}),
                "pages": entries,
            }
            (staging / MANIFEST).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            _replace_directory(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return written_bundle(target, manifest, bodies)

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
        bodies: dict[str, str],
        folders: set[Path],
    ) -> Any:
        """Write *draft*'s body (kept in *bodies* too) and its attachments under *staging*;
        returns its manifest entry. *folders*: the folders made so far."""

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
        if self.source_notice is not None:
            notice = source_notice(self.source_notice, path=draft.source, edit_url=draft.edit_url)
            notice.tail, draft.body.text = draft.body.text, None
            draft.body.insert(0, notice)
        text = storage.serialize_fragment(draft.body)
        data = text.encode("utf-8")
        body_path = _unique("pages/" + _safe_path(draft.key), ".xhtml", used)
        _write_file(staging / body_path, data, folders)
        bodies[body_path] = _as_read_back(text)
        attachments = []
        for name, (content, digest, kind) in draft.attachments.items():
            path = f"attachments/{digest[:16]}/{name}"
            if not (staging / path).exists():
                _write_file(staging / path, content, folders)
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


def _as_read_back(text: str) -> str:
    """*text* as :meth:`Path.read_text` reads it from its file: line ends made ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _write_file(path: Path, data: bytes, folders: set[Path]) -> None:
    if path.parent not in folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        folders.add(path.parent)
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
