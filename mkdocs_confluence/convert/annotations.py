"""Material for MkDocs code annotations: markers in a code block's comments (``# (1)``, and
``# (1)!``, which hides the comment too) that refer to the items of the ordered list right
after the block. In the browser each marker becomes a button showing its item; a code macro
cannot, so the markers leave the code and the list stays below it as a numbered list.

Which blocks and markers count follows Material: blocks with the ``annotate`` class, or all
blocks with the theme's ``content.code.annotate`` feature; markers in comment spans (``c``,
``c1``, ``cm``, and the classes ``extra.annotate`` adds per language) whose number has an item
in a list that is the block's next element (empty paragraphs between are skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import extensions as ext

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lxml.html import HtmlElement

__all__ = ["CodeAnnotations", "clean_lines"]

_MARKER = re.compile(r" *\((\d+)\)(!)?")  # with the spaces before it
_COMMENTS = ("c", "c1", "cm")
_REMOVED = "\ue000"  # where a marker was, until the code's lines are tidied
_WORD = re.compile(r"\w")
_CLASS_SELECTOR = re.compile(r"^\.[A-Za-z_][\w-]*$")


@dataclass(frozen=True, slots=True)
class CodeAnnotations:
    """Where a site has code annotations (from the theme's features and ``extra.annotate``)."""

    everywhere: bool = False
    """Material's ``content.code.annotate`` feature: every code block may have them."""
    classes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Language -> more classes of spans holding markers (``extra.annotate``: ``json: [.s2]``)."""

    @classmethod
    def of(cls, features: object, extra: object) -> CodeAnnotations:
        """From the theme's ``features`` and ``extra.annotate`` as mkdocs.yml gives them
        (anything else is ignored: only class selectors, ``.s2``, name spans)."""
        everywhere = isinstance(features, list) and "content.code.annotate" in features
        classes: dict[str, tuple[str, ...]] = {}
        if isinstance(extra, dict):
            for language, selectors in extra.items():
                if isinstance(selectors, list):
                    classes[str(language)] = tuple(
                        name[1:]
                        for name in selectors
                        if isinstance(name, str) and _CLASS_SELECTOR.match(name)
                    )
        return cls(everywhere, classes)

    def strip(self, block: HtmlElement) -> bool:
        """Take the markers that have an annotation out of *block*'s code (marking where they
        were for :func:`clean_lines`); whether there were any."""
        names = ext.classes(block)
        if not self.everywhere and "annotate" not in names:
            return False
        count = _annotation_count(block)
        if not count:
            return False
        hosts = set(_COMMENTS)
        for name in names:
            if name.startswith("language-"):
                hosts.update(self.classes.get(name.removeprefix("language-"), ()))
        found = False
        for code in block.iter("code"):
            for span in code.iter("span"):
                span_classes = ext.classes(span)
                if not hosts.isdisjoint(span_classes):
                    comment = not set(_COMMENTS).isdisjoint(span_classes)
                    found = _strip_span(span, count, comment=comment) or found
        return found


def clean_lines(code: str) -> str:
    """The code with the places of removed markers gone, and the lines that held one without
    the spaces the marker leaves at their end."""
    if _REMOVED not in code:
        return code
    lines = code.split("\n")
    return "\n".join(
        line.replace(_REMOVED, "").rstrip() if _REMOVED in line else line for line in lines
    )


def _annotation_count(block: HtmlElement) -> int:
    """How many annotations the list after *block* holds (0: no such list)."""
    following = block.getnext()
    while following is not None and following.tag == "p" and not len(following):
        if (following.text or "").strip():
            return 0
        following = following.getnext()
    if following is None or following.tag != "ol":
        return 0
    count = 0
    for child in following:
        if not isinstance(child.tag, str):
            continue
        if child.tag != "li":
            break
        count += 1
    return count


def _strip_span(span: HtmlElement, count: int, *, comment: bool) -> bool:
    """Take the markers numbered 1..*count* out of a span's text."""
    text = span.text or ""
    kept: list[str] = []
    position = 0
    found = False
    for match in _MARKER.finditer(text):
        if not 1 <= int(match.group(1)) <= count:
            continue
        found = True
        if match.group(2):  # "(1)!": the marker stands for the whole comment
            kept, position = [], len(text)
            break
        kept.append(text[position : match.start()])
        position = match.end()
    if not found:
        return False
    rest = "".join(kept) + text[position:]
    if comment and not _WORD.search(rest):
        rest = ""  # a comment that held only the marker ("# (2)") leaves nothing to read
    span.text = rest + _REMOVED
    return True
