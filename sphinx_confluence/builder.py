"""The ``confluence`` builder: one storage-format page per document, assembled into a bundle.

``write_doc`` (possibly in a worker process with ``-j``) translates a document and stores the
result as ``<outdir>/.pages/<docname>.json``; ``finish`` (main process) places every page in the
tree, writes the bundle into the output directory itself (``manifest.json``, ``pages/``,
``attachments/``, next to Sphinx's ``.doctrees``) and publishes it when configured. Because pages
are cached, an incremental build re-translates only changed documents and the documents that
link to them, yet always writes a complete bundle.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import sphinx
from docutils import nodes
from sphinx.builders import Builder
from sphinx.errors import SphinxError
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.osutil import _last_modified_time

import docs_confluence
from docs_confluence import (
    BundleBuilder,
    ConfluencePublisherError,
    publish_bundle,
    storage,
)
from docs_confluence.ci import with_ci_report
from docs_confluence.masking import redact
from docs_confluence.publisher.early import EarlyReads
from docs_confluence.source_dir import in_repository
from docs_confluence.storage.pictures import Kind, Pictures
from docs_confluence.titles import plain_title
from docs_confluence.version import generator

from .config import config_problems, excluded_docs, project_id, publisher_config
from .html_only import run_as_html
from .logs import held_back, show_held_back
from .source_links import edit_url
from .translator import ConfluenceTranslator
from .tree import place_pages

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Set
    from logging import LogRecord

    from docs_confluence import Bundle

__all__ = ["ConfluenceBuilder", "ConfluenceError", "PageRecord"]

logger = logging.getLogger(__name__)

_CACHE_DIR = ".pages"
_LINKS = ".links"  # not *.json: never a document's record
_STAGING = ".bundle-new"
_PICTURES = ".pictures"  # rendered formulas and diagrams, by source: kept between builds
_BUNDLE_ENTRIES = ("manifest.json", "pages", "attachments")
# cache 2: anchors are marked if_linked (pages cached before must be translated again)
_STAMP = f"docs-confluence {docs_confluence.__version__} page cache 2"


class ConfluenceError(SphinxError):
    """Publishing to Confluence failed; the message says what and what to try.

    Raised inside the builder only: :meth:`ConfluenceBuilder.finish` logs its message as an
    error and sets the exit status, as Sphinx 9 turns any exception into a crash report."""

    category = "Confluence error"

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))  # a secret never reaches Sphinx's output


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One translated document, as cached between builds."""

    title: str
    body: str
    attachments: dict[str, str]  # name on the page -> source file
    links: tuple[str, ...]  # docnames this page links to
    unrendered: tuple[Kind, ...] = ()  # pictures left as code for want of a renderer

    def dump(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "title": self.title,
            "body": self.body,
            "attachments": self.attachments,
            "links": list(self.links),
            "unrendered": list(self.unrendered),
        }
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> PageRecord:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            data["title"],
            data["body"],
            dict(data["attachments"]),
            tuple(data["links"]),
            tuple(data.get("unrendered", ())),
        )


_NO_SITE = (
    "no Confluence site is set (confluence_url in conf.py, or CONFLUENCE_URL and "
    "CONFLUENCE_SPACE in the environment)"
)


class ConfluenceBuilder(Builder):
    """Builds a docs-confluence bundle (and publishes it when configured)."""

    name = "confluence"
    format = "confluence"
    epilog = __("The Confluence bundle is in %(outdir)s.")
    allow_parallel = True
    default_translator_class = ConfluenceTranslator
    supported_image_types: ClassVar[list[str]] = [
        "image/svg+xml",
        "image/png",
        "image/gif",
        "image/jpeg",
    ]
    supported_remote_images = True
    current_docname: str = ""
    _early: EarlyReads | None = None  # the publish's first reads, under way

    def init(self) -> None:
        self.imagedir = "_images"
        self.cache_dir = self.outdir / _CACHE_DIR
        self.broken = bool(config_problems(self._app))
        self.publisher = None if self.broken else publisher_config(self.config)
        self.pictures = Pictures(  # a broken build renders nothing: "" never runs mermaid-cli
            math=self.config.confluence_math == "image",
            mermaid_cli="" if self.broken else self.config.confluence_mermaid_cli,
        )
        self.picture_dir = Path(self.outdir) / _PICTURES
        stamp = self.cache_dir / "STAMP"
        self._fresh_cache = not stamp.is_file() or stamp.read_text(encoding="utf-8") != _STAMP
        run_as_html(self)  # django's console directive: its Windows variant too

    def skip_reading(self, docnames: list[str]) -> None:
        """``env-before-read-docs``: with configuration errors (logged, the exit status set),
        read nothing but the root document; nothing is written or published either."""
        if self.broken and docnames:
            logger.info(__("nothing built: fix the configuration errors above"))
            # Sphinx stops with a crash report when the root document was never read
            docnames[:] = [name for name in docnames if name == self.config.root_doc]

    # -- what to write --------------------------------------------------------------------------

    def get_outdated_docs(self) -> Iterator[str]:
        if self.broken:
            return
        for docname in self.env.found_docs:
            if self._fresh_cache or docname not in self.env.all_docs:
                yield docname
                continue
            try:
                written = _last_modified_time(self._record_path(docname))
            except OSError:
                yield docname
                continue
            try:
                if _last_modified_time(self.env.doc2path(docname)) > written:
                    yield docname
            except OSError:
                pass  # the source is gone; Sphinx drops the document

    def prepare_writing(self, docnames: Set[str]) -> None:
        """Start the publish's first reads (:mod:`docs_confluence.publisher.early`), so they
        overlap the writing: only when this build publishes, and pages are written in this
        process (``-j`` forks workers, which must not inherit a running thread)."""
        publisher = self.publisher
        if (
            self.broken
            or self._early is not None
            or self.parallel_ok
            or not self.config.confluence_publish
            or publisher is None
            or not publisher.publishes
        ):
            return
        early = EarlyReads(publisher, publisher.project or project_id(self.config))
        records: list[LogRecord] = []

        def around(reads: Callable[[], None]) -> None:
            with held_back(records):  # shown when the publish would have logged them
                reads()

        self._early, self._early_records = early, records
        early.start(around)

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to, typ)

    def write_documents(self, docnames: Set[str]) -> None:
        """Write *docnames* and every cached page that links to one of them (its link texts
        may quote their titles)."""
        if self.broken:
            return
        dependants = {
            docname
            for docname, links in self._read_link_index().items()
            if docname in self.env.found_docs and not docnames.isdisjoint(links)
        }
        super().write_documents(set(docnames) | dependants)

    # -- writing --------------------------------------------------------------------------------

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self.current_docname = docname
        self.post_process_images(doctree)
        translator = self.create_translator(doctree, self)
        assert isinstance(translator, ConfluenceTranslator)
        doctree.walkabout(translator)
        record = PageRecord(
            title=self._title(docname, doctree),
            body=storage.serialize_fragment(translator.root),
            attachments={name: path for path, name in translator.attachments.items()},
            links=tuple(sorted(set(storage.iter_page_link_keys(translator.root)))),
            unrendered=tuple(sorted(translator.unrendered)),
        )
        record.dump(self._record_path(docname))

    def finish(self) -> None:
        """Assemble the bundle and publish it; a failure is logged as one error (no traceback)
        and makes the build exit 1."""
        if self.broken:
            return
        early, self._early = self._early, None
        try:
            bundle = self.assemble()
            if not self.config.confluence_publish:
                self._not_published("confluence_publish is off")
            elif not (self.publisher and self.publisher.publishes):
                self._not_published(_NO_SITE)
            else:
                self.publish(bundle, early)
        except ConfluenceError as exc:
            logger.error("%s", exc, type="confluence", subtype="publish")
            self._app.statuscode = 1
        finally:
            if early is not None:
                early.close()

    def _not_published(self, why: str) -> None:
        logger.info(
            "Not published: %s; publish the bundle later with: docs-confluence publish %s",
            why,
            self.outdir,
        )

    def assemble(self) -> Bundle:
        """Write the bundle of every document (cached pages included) into the output
        directory."""
        found = set(self.env.found_docs)
        excluded = excluded_docs(self.config, found)
        placements = place_pages(
            self.config.root_doc, self.env.toctree_includes, found, excluded=excluded
        )
        bundle = BundleBuilder(
            project_id(self.config),
            generator=generator("Sphinx", sphinx.__version__),
            title_prefix=self.config.confluence_title_prefix,
            labels=self.config.confluence_labels,
            toc_min_headings=self.config.confluence_toc_min_headings,
            source_dir=in_repository(self.srcdir),
            source_notice=(
                self.config.confluence_source_notice_text
                if self.config.confluence_source_notice
                else None
            ),
        )
        links: dict[str, list[str]] = {}
        unrendered: set[Kind] = set()
        for placement in placements:
            docname = placement.docname
            try:
                record = PageRecord.load(self._record_path(docname))
            except (OSError, ValueError, KeyError) as exc:
                raise ConfluenceError(
                    f"{docname}: the translated page is missing from {self.cache_dir} ({exc}); "
                    "rebuild with -E"
                ) from exc
            links[docname] = list(record.links)
            unrendered.update(record.unrendered)
            source = str(self.env.doc2path(docname, False))
            bundle.add_page(
                docname,
                record.title,
                record.body,
                parent=placement.parent,
                source=source,
                edit_url=edit_url(self.config, source),
            )
            for name, path in record.attachments.items():
                bundle.attach(docname, name, Path(path))
        for kind in sorted(unrendered):  # once per build, not per page
            message = self.pictures.missing_message(kind)
            sentence = message[0].upper() + message[1:]
            logger.warning("%s", sentence, type="confluence", subtype="pictures")
        try:
            shutil.rmtree(self.outdir / _STAGING, ignore_errors=True)  # a crashed build's
            staged = bundle.write(self.outdir / _STAGING)
            self._install(self.outdir / _STAGING)
            written = replace(staged, root=Path(self.outdir))  # the same files, moved
        except ConfluencePublisherError as exc:
            raise ConfluenceError(str(exc)) from exc
        self._write_link_index(links)
        self._drop_stale_records(found)
        logger.info(__("bundle: %d pages written to %s"), len(written.pages), self.outdir)
        return written

    def publish(self, bundle: Bundle, early: EarlyReads | None = None) -> None:
        """Publish (or, on dry run, plan) *bundle* through the engine; *early*: its first
        reads, started by :meth:`prepare_writing`."""
        assert self.publisher is not None
        if early is not None:
            early.wait()
            show_held_back(self._early_records)
        try:
            publisher = self.publisher
            report = with_ci_report(lambda: publish_bundle(bundle, publisher, early=early))
        except ConfluencePublisherError as exc:
            raise ConfluenceError(str(exc)) from exc
        if report.dry_run:  # a real publish logs its own summary
            logger.info("%s", report.summary())

    # -- helpers --------------------------------------------------------------------------------

    def _install(self, staging: Path) -> None:
        """Move a freshly written bundle's files into the output directory, replacing the
        previous bundle's and leaving Sphinx's own files (``.doctrees``, the page cache)."""
        for name in _BUNDLE_ENTRIES:
            old, new = self.outdir / name, staging / name
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
            if new.exists():
                new.rename(old)
        shutil.rmtree(staging)

    def _title(self, docname: str, doctree: nodes.document) -> str:
        if any(isinstance(child, nodes.section) for child in doctree.children):
            title = plain_title(self.env.titles[docname].astext())
            if title:
                return title
        return docname.rpartition("/")[2]

    def _record_path(self, docname: str) -> Path:
        return self.cache_dir / f"{docname}.json"

    def _read_link_index(self) -> dict[str, list[str]]:
        try:
            data: dict[str, list[str]] = json.loads(
                (self.cache_dir / _LINKS).read_text(encoding="utf-8")
            )
        except (OSError, ValueError):
            return {}
        return data

    def _write_link_index(self, links: dict[str, list[str]]) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        (self.cache_dir / _LINKS).write_text(json.dumps(links), encoding="utf-8")
        (self.cache_dir / "STAMP").write_text(_STAMP, encoding="utf-8")
        self._fresh_cache = False

    def _drop_stale_records(self, found: set[str]) -> None:
        for path in self.cache_dir.rglob("*.json"):
            relative = path.relative_to(self.cache_dir).as_posix()
            if relative.removesuffix(".json") not in found:
                path.unlink()

    def cleanup(self) -> None:
        pass
