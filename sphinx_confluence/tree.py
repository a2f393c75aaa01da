"""Where each document goes in the Confluence page tree, from Sphinx's toctrees.

The rules (documented in docs/sphinx.md):

1. The root document is the top page.
2. A document listed in a toctree becomes a child of the document holding that toctree.
   Toctrees are walked breadth-first from the root, so a document listed in several toctrees is
   placed under the one nearest the root (ties: the first in reading order). Hidden toctrees,
   ``glob`` entries and every toctree of a page count alike; siblings keep toctree order.
3. Documents that no toctree reaches (``:orphan:`` pages, pages someone forgot to list) become
   children of the root page, after its toctree children, sorted by name; the pages their own
   toctrees list stay below them.
4. Excluded documents are left out; their children move up to the nearest published ancestor,
   in the excluded page's place.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping, Sequence

__all__ = ["Placement", "place_pages"]


@dataclass(frozen=True, slots=True)
class Placement:
    """A document and the document whose page it sits under (``None`` for the top page)."""

    docname: str
    parent: str | None


def place_pages(
    root: str,
    includes: Mapping[str, Sequence[str]],
    docnames: Collection[str],
    *,
    excluded: Collection[str] = (),
) -> list[Placement]:
    """Every document of *docnames* placed, in tree order (parents first, siblings in order).

    *includes* maps a document to the documents its toctrees list, in order (Sphinx's
    ``env.toctree_includes``). *root* must be in *docnames* and not *excluded*.
    """
    if root not in docnames:
        raise ValueError(f"the root document {root!r} is not among the documents")
    if root in excluded:
        raise ValueError(f"the root document {root!r} cannot be excluded")
    parent_of: dict[str, str | None] = {root: None}
    children: dict[str, list[str]] = {}

    def claim(start: str) -> None:
        queue = deque([start])
        while queue:
            doc = queue.popleft()
            for child in includes.get(doc, ()):
                if child in docnames and child not in parent_of:
                    parent_of[child] = doc
                    children.setdefault(doc, []).append(child)
                    queue.append(child)

    claim(root)
    for doc in sorted(docnames):
        if doc not in parent_of:
            parent_of[doc] = root
            children.setdefault(root, []).append(doc)
            claim(doc)

    def published(doc: str) -> Iterator[str]:
        # the published documents standing in *doc*'s place among its siblings
        if doc in excluded:
            for child in children.get(doc, ()):
                yield from published(child)
        else:
            yield doc

    placements: list[Placement] = []

    def walk(doc: str, parent: str | None) -> None:
        placements.append(Placement(doc, parent))
        for child in children.get(doc, ()):
            for kept in published(child):
                walk(kept, doc)

    walk(root, None)
    return placements
