"""A finished MkDocs build as a bundle: the tree from the nav, each page converted, files
attached. Plain code the plugin calls once, in ``on_post_build``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import lxml.html
import mkdocs

from docs_confluence import BundleBuilder, storage
from docs_confluence.source_dir import in_repository
from docs_confluence.storage.pictures import Pictures
from docs_confluence.version import generator

from .convert import CodeAnnotations, ConvertedPage, ConverterOptions, SiteIndex, convert_page
from .logs import log
from .nav import PageSelection, PageSettings, build_tree, page_settings

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from lxml.etree import _Element
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    from docs_confluence import Bundle

    from .options import ConfluenceConfig

__all__ = ["SiteBuild", "write_site_bundle"]


@dataclass(frozen=True, slots=True)
class SiteBuild:
    """What MkDocs built: the resolved nav items, every file, and the site's URL."""

    nav_items: Iterable[object]
    files: Iterable[File]
    site_url: str | None = None
    annotations: CodeAnnotations = field(default_factory=CodeAnnotations)
    docs_dir: str | None = None


def write_site_bundle(
    build: SiteBuild, options: ConfluenceConfig, *, project: str, directory: Path
) -> Bundle:
    """Convert the built site into a bundle in *directory*; warns once per page about what
    could not be converted faithfully."""
    pages = [f.page for f in build.files if f.is_documentation_page() and f.page is not None]
    settings = {page.file.src_uri: _settings(page) for page in pages}
    selection = PageSelection(options.include_pages, options.exclude_pages)
    tree = build_tree(
        build.nav_items,
        pages,
        settings=lambda page: settings[page.file.src_uri],
        selected=lambda page: selection(page.file.src_uri, settings[page.file.src_uri]),
        pages_not_in_nav=options.pages_not_in_nav == "publish",
    )
    site = SiteIndex(build.files, published={n.key for n in tree}, site_url=build.site_url)
    builder = BundleBuilder(
        project,
        generator=generator("MkDocs", mkdocs.__version__),
        title_prefix=options.title_prefix,
        labels=options.labels,
        toc_min_headings=options.toc_min_headings,
        source_dir=None if build.docs_dir is None else in_repository(build.docs_dir),
        source_notice=options.source_notice_text if options.source_notice else None,
    )
    tabs: Literal["panels", "expand"] = "expand" if options.tabs == "expand" else "panels"
    pictures = Pictures(math=options.math == "image", mermaid_cli=options.mermaid_cli)
    converter_options = ConverterOptions(
        tabs=tabs,
        macros=dict(options.macros),
        pictures=pictures,
        annotations=build.annotations,
    )
    for node in tree:
        if node.page is None:
            builder.add_page(node.key, node.title, _container(), parent=node.parent)
            continue
        page = node.page
        converted = _convert(page, node.key, node.title, site, converter_options)
        builder.add_page(
            node.key,
            node.title,
            converted.body,
            parent=node.parent,
            labels=node.labels,
            source=page.file.src_uri,
            edit_url=page.edit_url,
        )
        for name, data in converted.attachments.items():
            builder.attach(node.key, name, data)
        if converted.problems:
            log.warning("Page %s: %s", page.file.src_uri, converted.describe_problems())
    for message in pictures.missing():  # once per build, not per page
        log.warning("%s", message[0].upper() + message[1:])
    return builder.write(directory)


def _convert(
    page: Page, key: str, title: str, site: SiteIndex, options: ConverterOptions
) -> ConvertedPage:
    if page.content is None:
        log.warning("Page %s was not rendered by MkDocs; published empty", page.file.src_uri)
    try:
        return convert_page(
            page.content or "", key=key, url=page.url, site=site, titles=(title,), options=options
        )
    except Exception as exc:  # a converter bug must not stop the build: keep the text
        log.warning(
            "Page %s could not be converted (%s: %s); published as plain text. Please report "
            "this to docs-confluence.",
            page.file.src_uri,
            type(exc).__name__,
            exc,
        )
        body = storage.new_fragment()
        source = lxml.html.fragment_fromstring(page.content or "", create_parent="div")
        for block in (source.text or "", *(child.text_content() for child in source)):
            if block.strip():
                body.append(storage.element("p", " ".join(block.split())))
        return ConvertedPage(body, {}, {})


def _settings(page: Page) -> PageSettings:
    found, problems = page_settings(page.meta)
    for problem in problems:
        log.warning("Page %s: %s", page.file.src_uri, problem)
    return found


def _container() -> _Element:
    """The body of a page standing for a section without an index page: its children."""
    body = storage.new_fragment()
    macro, _ = storage.macro("children", {"all": "false"})
    body.append(macro)
    return body
