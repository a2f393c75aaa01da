"""The "did you mean …?" hint every front end gives for a name it does not know.

One rule for option names (``mkdocs.yml``, ``conf.py``, the engine's settings) and front matter
keys alike: the known name closest to the unknown one, compared ignoring case (and without a
prefix all the names share, such as ``confluence_``), is suggested when it is similar enough,
or else a known name standing as whole words inside it (``server_url`` -> ``url``); otherwise the
known names are listed.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["CUTOFF", "closest_name", "did_you_mean"]

#: How alike (difflib's ratio, 0 to 1) a known name must be to be suggested.
CUTOFF = 0.6


def closest_name(word: str, known: Iterable[str], *, prefix: str = "") -> str | None:
    """The known name *word* most likely misspells, or None when none is close.

    Names are compared case-folded and without *prefix*, so a long shared prefix does not make
    every name look alike. When no name is similar enough, a known name that stands as whole
    ``_``-separated words inside *word* (``url`` in ``server_url``) is the match.
    """

    def core(name: str) -> str:
        return name.casefold().removeprefix(prefix.casefold())

    names: dict[str, str] = {}
    for name in known:
        names.setdefault(core(name), name)
    found = difflib.get_close_matches(core(word), list(names), n=1, cutoff=CUTOFF)
    if found:
        return names[found[0]]
    words = f"_{core(word)}_"  # another tool's longer name: server_url -> url
    inside = [name for name in names if name and f"_{name}_" in words]
    return names[max(inside, key=len)] if inside else None


def did_you_mean(
    word: str,
    known: Iterable[str],
    *,
    prefix: str = "",
    spell: Callable[[str], str] | None = None,
) -> str:
    """The hint to append to "unknown option 'word'": ``; did you mean 'x'?`` or, when no name
    is close, ``; expected one of: a, b, c`` (in the order given). *spell* turns a known name
    into the way the user writes it (``space`` -> ``confluence_space``)."""
    names = list(dict.fromkeys(known))
    shown = spell or str
    match = closest_name(word, names, prefix=prefix)
    if match is not None:
        return f"; did you mean {shown(match)!r}?"
    if not names:
        return ""
    return "; expected one of: " + ", ".join(shown(name) for name in names)
