"""Page titles: plain text, unique per space (case-insensitively) and at most 255 long.

The rule, shared by both front ends and documented in docs/bundle.md:

0. A title is plain text (:func:`plain_title`): a title that holds HTML markup (a closing tag,
   ``<br>``/``<wbr>``, or a character reference such as ``&#8203;`` or ``&amp;``) loses its tags
   and has its references decoded; invisible characters (zero-width spaces and joiners, word
   joiner, byte-order mark, soft hyphen, bidi marks: every Unicode *format* character) are
   dropped; runs of whitespace become one space; the text is NFC-normalised (``Café`` typed
   with a combining accent is the same title as ``Café`` typed with ``é``). ``The <div>
   element`` stays as it is.
1. Every title gets the configured prefix; characters XML cannot carry (control characters,
   noncharacters) are dropped, since the title is also written into the ``ri:content-title`` of
   every link to the page; runs of whitespace become one space, surrounding whitespace is
   dropped and the result is NFC-normalised; an empty title becomes the page's key.
2. Pages are visited in tree order (parents before children, siblings in order). The first page
   to use a title keeps it.
3. A later page with a title already taken gets its parent's own title (as written, before any
   disambiguation of the parent) appended in parentheses: ``Configuration (Admin guide)``.
4. If that is taken too, a number is appended instead: ``Configuration (2)``, ``(3)``, …
5. Titles are cut to 255 characters (before the suffix, so the suffix survives), between two
   characters a reader sees (never before a combining mark or an emoji modifier), and lose the
   whitespace the cut leaves at their end.

Step 1's title is therefore one a site stores as it is sent, whether it trims titles, collapses
their whitespace or NFC-normalises them (none of which the API documents): a republish finds
the title it planned and renames nothing. Titles readers cannot tell apart (they differ only by
invisible characters, whitespace or Unicode normalisation) are equal after step 0 and 1, so steps
3 and 4 make them distinct as they do any duplicate (see docs/bundle.md).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "MAX_TITLE",
    "TitleRequest",
    "assign_titles",
    "plain_title",
    "reader_key",
    "stored_title",
    "unsafe_character",
]

MAX_TITLE = 255
_UNSAFE = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_MARKUP = re.compile(r"</[A-Za-z][A-Za-z0-9:-]*\s*>|<(?:br|wbr)\b[^<>]*>", re.IGNORECASE)
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def plain_title(title: str) -> str:
    """*title* as plain text a reader sees: markup gone, references decoded, invisible
    characters dropped, whitespace collapsed (see the module's rule 0). Applying it twice
    changes nothing, unless the decoded text spells markup again (``&lt;b&gt;x&lt;/b&gt;``)."""
    text = title
    if _MARKUP.search(text):
        text = _TAG.sub("", text)
    text = _REFERENCE.sub(lambda m: html.unescape(m.group()), text)
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return stored_title(visible)


def stored_title(title: str) -> str:
    """*title* as every site stores it: runs of whitespace one space, none around it,
    NFC-normalised. Applying it twice changes nothing."""
    return " ".join(unicodedata.normalize("NFC", title).split())


def reader_key(title: str) -> str:
    """What a reader can tell of *title*, as Confluence compares titles: titles with the same
    key differ only by case, invisible characters, whitespace or Unicode normalisation."""
    visible = "".join(c for c in title if unicodedata.category(c) != "Cf")
    return stored_title(visible).casefold()


def unsafe_character(title: str) -> str | None:
    """The first character of *title* that XML (so storage format) cannot carry, if any."""
    match = _UNSAFE.search(title)
    return match.group() if match else None


@dataclass(frozen=True, slots=True)
class TitleRequest:
    """A page asking for a title, in tree order."""

    key: str
    title: str
    parent: str | None


def assign_titles(requests: Sequence[TitleRequest], *, prefix: str = "") -> dict[str, str]:
    """Final, unique titles by page key. *requests* must be in tree order."""
    taken: set[str] = set()
    final: dict[str, str] = {}
    written: dict[str, str] = {}
    for request in requests:
        own = stored_title(_UNSAFE.sub("", plain_title(request.title))) or request.key
        written[request.key] = own
        wanted = stored_title(_UNSAFE.sub("", prefix + own))
        candidates = [wanted]
        parent_title = written.get(request.parent) if request.parent is not None else None
        if parent_title and parent_title.casefold() != own.casefold():
            candidates.append(_with_suffix(wanted, f" ({parent_title})"))
        chosen = next((c for c in candidates if _fit(c).casefold() not in taken), None)
        number = 2
        while chosen is None:
            candidate = _with_suffix(wanted, f" ({number})")
            if candidate.casefold() not in taken:
                chosen = candidate
            number += 1
        chosen = _fit(chosen)
        taken.add(chosen.casefold())
        final[request.key] = chosen
    return final


def _with_suffix(title: str, suffix: str) -> str:
    return _cut(title, MAX_TITLE - len(suffix)) + suffix


def _fit(title: str) -> str:
    return _cut(title, MAX_TITLE)


def _cut(title: str, limit: int) -> str:
    """*title* cut to at most *limit* characters between two characters a reader sees, with
    no whitespace left at its end."""
    if len(title) <= limit:
        return title
    end = max(limit, 0)
    while end > 0 and _continues(title[end]):
        end -= 1
    return title[:end].rstrip()


def _continues(char: str) -> bool:
    """Whether *char* belongs to the character before it (a combining mark, a variation
    selector, an emoji skin-tone modifier): a cut must not fall before it."""
    return unicodedata.category(char).startswith("M") or "\U0001f3fb" <= char <= "\U0001f3ff"
