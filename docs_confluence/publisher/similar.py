"""Identity by content: a new page that is a page of ours moved, retitled and edited at once.

A source file moved to another folder and retitled in one commit has a new bundle key and a
new title, so neither the index nor the title finds its page. As git's rename detection does,
its content still does. The rule (docs/reliability.md, "Moved and renamed pages"):

* Only a bundle key that found no page (not by the index, nor by title, nor as a crashed
  run's create, nor by adopt) and a page of our index whose key left the docs (current, not
  trashed or archived) are candidates; pages of other projects never are (they are not in our
  index).
* Their *similarity* is the Jaccard index of the sets of word 3-shingles of what a reader sees
  (:func:`~docs_confluence.readable.reader_lines`, words case-folded): shared shingles over all
  shingles. Markup, whitespace and case make no difference.
* A pair is made when its similarity is at least :data:`THRESHOLD` (50%, git's default) and
  each is the other's only candidate that similar; anything ambiguous (two old pages like one
  new one, or one old page like two new ones) pairs nothing. The result does not depend on the
  order of the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..readable import reader_lines

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["THRESHOLD", "Pairing", "pair_similar", "shingles", "similarity"]

#: How similar a new page and an old one must be to be the same page (git's ``-M`` default).
THRESHOLD = 0.5
#: Words per shingle.
_WIDTH = 3

Shingles = frozenset[tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Pairing:
    """Bundle key *new* continues the page of stale index key *old*, *percent* similar."""

    new: str
    old: str
    percent: int


def shingles(storage: str) -> Shingles:
    """The word 3-shingles of what a reader sees on a page whose body is *storage*."""
    words = " ".join(reader_lines(storage)).casefold().split()
    if len(words) < _WIDTH:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + _WIDTH]) for i in range(len(words) - _WIDTH + 1))


def similarity(a: Shingles, b: Shingles) -> float:
    """Shared shingles over all shingles (0 when either page reads as nothing)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def pair_similar(new: Mapping[str, Shingles], old: Mapping[str, Shingles]) -> list[Pairing]:
    """The pairs of a new key and a stale key at least :data:`THRESHOLD` similar, each the
    other's only such candidate; sorted by new key."""
    close: dict[str, dict[str, float]] = {}
    liked_by: dict[str, int] = {}
    for new_key, new_shingles in new.items():
        for old_key, old_shingles in old.items():
            shorter, longer = sorted((len(new_shingles), len(old_shingles)))
            if not longer or shorter / longer < THRESHOLD:
                continue  # the Jaccard index is at most the ratio of the sizes
            score = similarity(new_shingles, old_shingles)
            if score >= THRESHOLD:
                close.setdefault(new_key, {})[old_key] = score
                liked_by[old_key] = liked_by.get(old_key, 0) + 1
    pairs: list[Pairing] = []
    for new_key, candidates in sorted(close.items()):
        if len(candidates) != 1:
            continue
        ((old_key, score),) = candidates.items()
        if liked_by[old_key] == 1:
            pairs.append(Pairing(new_key, old_key, int(score * 100)))
    return pairs
