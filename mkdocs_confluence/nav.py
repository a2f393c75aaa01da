"""The Confluence page tree, from MkDocs' resolved navigation.

The rules (documented in docs/mkdocs.md):

* Pages keep their nav order, at any depth; nav links to other sites are left out.
* A section whose direct children include an index page (``index.md`` or ``README.md``)
  becomes that page, titled with the section's title; its other children go below it.
* A section without one becomes a *container* page (key ``nav:Guide/Advanced``, from the
  section titles) that lists its children; a container left without children is dropped.
* A page listed twice in the nav is placed where it first appears.
* Pages not in the nav go under the root after the nav, in MkDocs' file order
  (``pages_not_in_nav: skip`` leaves them out).
* A page left out (``exclude_pages``, ``include_pages``, front matter) is not in the tree; a
  section whose index page is left out becomes a container.

Titles are plain text (:func:`docs_confluence.titles.plain_title`): nav titles and headings
holding markup (``<code>``, ``&#8203;`` from mkdocstrings) lose it.

Front matter (``confluence:`` in a page's YAML header) may set ``title``, ``labels`` and
``exclude``; ``confluence: false`` excludes the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from docs_confluence.bundle import normalise_label
from docs_confluence.settings.typos import did_you_mean
from docs_confluence.titles import plain_title

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from pathspec.gitignore import GitIgnoreSpec

__all__ = ["PageSelection", "PageSettings", "TreeNode", "build_tree", "page_settings"]

_FRONT_MATTER_KEYS = ("title", "labels", "exclude")


@dataclass(frozen=True, slots=True)
class TreeNode:
    """One Confluence page in tree order: a MkDocs page, or a container for a section."""

    key: str
    title: str
    parent: str | None
    page: Page | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageSettings:
    """What a page's front matter asks of Confluence."""

    title: str | None = None
    labels: tuple[str, ...] = ()
    exclude: bool = False


@dataclass(frozen=True, slots=True)
class PageSelection:
    """Which pages are published: ``include_pages``/``exclude_pages`` patterns on the source
    path (``.gitignore`` syntax), then the page's own ``exclude``."""

    include: GitIgnoreSpec | None = None
    exclude: GitIgnoreSpec | None = None

    def __call__(self, src_uri: str, settings: PageSettings) -> bool:
        if settings.exclude:
            return False
        if self.include is not None and not self.include.match_file(src_uri):
            return False
        return self.exclude is None or not self.exclude.match_file(src_uri)


def page_settings(meta: Mapping[str, Any]) -> tuple[PageSettings, list[str]]:
    """The ``confluence:`` front matter of a page, and what was wrong with it (to warn about)."""
    value = meta.get("confluence")
    if value is None or value is True:
        return PageSettings(), []
    if value is False:
        return PageSettings(exclude=True), []
    if not isinstance(value, dict):
        return PageSettings(), [
            "front matter 'confluence' should be a mapping (title, labels, exclude) or false"
        ]
    problems: list[str] = []
    for key in value:
        if key not in _FRONT_MATTER_KEYS:
            also = did_you_mean(str(key), _FRONT_MATTER_KEYS)
            problems.append(f"front matter 'confluence.{key}' is not an option{also}")
    title = value.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        problems.append("front matter 'confluence.title' should be a non-empty string")
        title = None
    exclude = value.get("exclude", False)
    if not isinstance(exclude, bool):
        problems.append("front matter 'confluence.exclude' should be true or false")
        exclude = False
    raw = value.get("labels") or []
    if isinstance(raw, str):
        raw = raw.split(",")
    labels: list[str] = []
    for label in raw if isinstance(raw, list) else [raw]:
        try:
            labels.append(normalise_label(str(label)))
        except ValueError as exc:
            problems.append(f"front matter 'confluence.labels': {exc}")
    return PageSettings(title, tuple(dict.fromkeys(labels)), exclude), problems


def build_tree(
    nav_items: Iterable[Any],
    pages: Iterable[Page],
    *,
    settings: Callable[[Page], PageSettings],
    selected: Callable[[Page], bool],
    pages_not_in_nav: bool = True,
) -> list[TreeNode]:
    """The page tree in order (parents first, siblings in nav order).

    *nav_items* are ``Navigation.items``; *pages* every documentation page of the build, in
    file order; *settings* gives a page's front matter settings, *selected* says whether it
    is published.
    """
    return _TreeWalk(settings, selected).run(nav_items, pages, pages_not_in_nav)


class _TreeWalk:
    def __init__(
        self, settings: Callable[[Page], PageSettings], selected: Callable[[Page], bool]
    ) -> None:
        self.settings = settings
        self.selected = selected
        self.nodes: list[TreeNode] = []
        self.placed: set[str] = set()
        self.keys: set[str] = set()

    def run(
        self, nav_items: Iterable[Any], pages: Iterable[Page], not_in_nav: bool
    ) -> list[TreeNode]:
        self.walk(nav_items, None, ())
        for page in pages:
            uri = page.file.src_uri
            if uri in self.placed:
                continue
            self.placed.add(uri)  # seen: a page never appears twice
            if not_in_nav and self.selected(page):
                self.add_page(page, None)
        return self.nodes

    def walk(self, items: Iterable[Any], parent: str | None, path: tuple[str, ...]) -> None:
        for item in items:
            if isinstance(item, Page):
                if self.wanted(item):
                    self.add_page(item, parent)
            elif isinstance(item, Section):
                self.add_section(item, parent, (*path, item.title or ""))

    def wanted(self, page: Page) -> bool:
        uri = page.file.src_uri
        if uri in self.placed:
            return False
        self.placed.add(uri)
        return self.selected(page)

    def add_page(self, page: Page, parent: str | None, title: str | None = None) -> str:
        settings = self.settings(page)
        key = page.file.src_uri
        name = plain_title(settings.title or title or page.title or "") or page.file.name
        self.nodes.append(TreeNode(key, name, parent, page, settings.labels))
        self.keys.add(key)
        return key

    def add_section(self, section: Section, parent: str | None, path: tuple[str, ...]) -> None:
        index = next(
            (
                child
                for child in section.children
                if isinstance(child, Page) and child.is_index and self.wanted(child)
            ),
            None,
        )
        before = len(self.nodes)
        if index is not None:
            key = self.add_page(index, parent, title=section.title)
        else:
            key = self.container_key(path)
            self.nodes.append(TreeNode(key, plain_title(section.title or ""), parent))
            self.keys.add(key)
        self.walk((c for c in section.children if c is not index), key, path)
        if index is None and len(self.nodes) == before + 1:
            self.nodes.pop()  # an empty container says nothing
            self.keys.discard(key)

    def container_key(self, path: tuple[str, ...]) -> str:
        base = "nav:" + "/".join(part.replace("/", "_") for part in path)
        key, number = base, 2
        while key in self.keys:
            key = f"{base}#{number}"
            number += 1
        return key
