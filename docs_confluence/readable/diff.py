"""readable_diff(old, new) -> ReadableDiff: how a page reads differently, line by line.

Both bodies go through :func:`~.text.reader_lines` first, so only what a reader would notice
shows up; macros that appear or go are also named ("note panel added: Careful"), since a panel
is easier to spot by its name than by its lines.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from .text import reader_lines

__all__ = ["DiffLine", "ReadableDiff", "format_diff", "readable_diff"]

#: Lines of unchanged text shown around each change.
CONTEXT = 2
_BRACKETED = re.compile(r"^\[(?P<label>[^\[\]]+)\]$")
_COLOURS = {"removed": "\x1b[31m", "added": "\x1b[32m", "context": "\x1b[2m", "gap": "\x1b[36m"}
_RESET = "\x1b[0m"
_SIGNS = {"removed": "-", "added": "+", "context": " ", "gap": "…"}


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a diff: *kind* says whether it went (``removed``), came (``added``), is
    unchanged text around a change (``context``), or stands for unchanged lines left out
    (``gap``, with no text)."""

    kind: Literal["removed", "added", "context", "gap"]
    text: str = ""


@dataclass(frozen=True, slots=True)
class ReadableDiff:
    """What changed between two versions of a page, as a reader sees it.

    *lines*: the changed lines with a little context; *macros*: macros that appeared or went,
    by name (``note panel added: Careful``). Empty when the two read the same.
    """

    lines: tuple[DiffLine, ...] = ()
    macros: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether a reader would see any difference."""
        return any(line.kind in {"added", "removed"} for line in self.lines)

    def to_json(self) -> dict[str, Any]:
        """``{"lines": [{"kind": "added", "text": ...}, ...], "macros": [...]}``."""
        return {
            "lines": [{"kind": line.kind, "text": line.text} for line in self.lines],
            "macros": list(self.macros),
        }


def readable_diff(old: str, new: str, *, context: int = CONTEXT) -> ReadableDiff:
    """Compare two storage bodies (*old*, *new*) as a reader would."""
    return diff_lines(reader_lines(old), reader_lines(new), context=context)


def diff_lines(old: list[str], new: list[str], *, context: int = CONTEXT) -> ReadableDiff:
    """Compare two lists of reader lines (from :func:`~.text.reader_lines`)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    lines: list[DiffLine] = []
    shown_to = 0  # how far into *old* the lines shown so far reach
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > shown_to:
            lines.append(DiffLine("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("context", text) for text in old[i1:i2])
            else:
                lines.extend(DiffLine("removed", text) for text in old[i1:i2])
                lines.extend(DiffLine("added", text) for text in new[j1:j2])
        shown_to = group[-1][2]
    if lines and shown_to < len(old):
        lines.append(DiffLine("gap"))
    return ReadableDiff(tuple(lines), _macro_changes(old, new))


def _macro_changes(old: list[str], new: list[str]) -> tuple[str, ...]:
    before, after = _macros(old), _macros(new)
    changes = [_named(label, "removed") for label in (before - after).elements()]
    changes += [_named(label, "added") for label in (after - before).elements()]
    return tuple(changes)


def _macros(lines: list[str]) -> Counter[str]:
    found = (_BRACKETED.match(line.strip()) for line in lines)
    return Counter(match.group("label") for match in found if match)


def _named(label: str, change: str) -> str:
    kind, _, detail = label.partition(": ")
    return f"{kind} {change}: {detail}" if detail else f"{kind} {change}"


def format_diff(diff: ReadableDiff, *, colour: bool = False, indent: str = "    ") -> list[str]:
    """The diff as lines to print: ``- old``, ``+ new``, ``  context``, ``…`` for lines left
    out, macro changes first; *colour* adds terminal colours (red, green, dim)."""
    out = [f"{indent}{_paint('* ' + change, 'gap', colour)}" for change in diff.macros]
    for line in diff.lines:
        text = _SIGNS[line.kind] if line.kind == "gap" else f"{_SIGNS[line.kind]} {line.text}"
        out.append(f"{indent}{_paint(text, line.kind, colour)}".rstrip())
    return out


def _paint(text: str, kind: str, colour: bool) -> str:
    return f"{_COLOURS[kind]}{text}{_RESET}" if colour else text
