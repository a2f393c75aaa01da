"""What a reader sees on a page, and how it changed: diffs people can review.

Storage XHTML is not what anyone reads, and Confluence rewrites it on every save (``<b>``
becomes ``<strong>``, macros get ids), so two bodies that read the same can differ byte for
byte. This package turns a body into the lines a reader sees (:func:`reader_lines`) and
compares two bodies through them (:func:`readable_diff`), so a diff shows only what a reader
would notice: headings, paragraphs, list items, code lines, table rows, and macros by name
("note panel added"). :func:`format_diff` renders one for a terminal (with or without colour);
:meth:`ReadableDiff.to_json` for ``--json``.

Used by ``docs-confluence plan --diff`` and ``docs-confluence edits``; small enough for any
other view of page history to reuse.
"""

from __future__ import annotations

from .diff import DiffLine, ReadableDiff, format_diff, readable_diff
from .text import reader_lines

__all__ = ["DiffLine", "ReadableDiff", "format_diff", "readable_diff", "reader_lines"]
