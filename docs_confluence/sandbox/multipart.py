"""Reads ``multipart/form-data`` bodies (attachment uploads) with the ``multipart`` package.

``multipart`` is Bottle's parser, published on its own: one pure-Python module, no dependencies,
a push parser over bytes that checks delimiters, headers and limits (RFC 7578, names and file
names quoted as browsers do, WHATWG HTML). This module only turns its events into a `Form`.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field

from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

from .errors import InvalidRequest


@dataclass(frozen=True, slots=True)
class FilePart:
    """One uploaded file."""

    filename: str
    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Form:
    """The parts of a form: files in order, and text fields (each name may repeat)."""

    files: tuple[FilePart, ...]
    fields: dict[str, list[str]]

    def field(self, name: str, index: int = 0, default: str = "") -> str:
        """The ``index``-th value of a text field (the first one if there are fewer)."""
        values = self.fields.get(name, [])
        if not values:
            return default
        return values[min(index, len(values) - 1)]


def parse_form(content_type: str, body: bytes) -> Form:
    """The parts of a multipart body; 400 when it is not multipart/form-data."""
    media_type, options = parse_options_header(content_type)
    boundary = options.get("boundary")
    if media_type != "multipart/form-data" or not boundary:
        raise InvalidRequest("Attachments must be uploaded as multipart/form-data")
    files: list[FilePart] = []
    fields: dict[str, list[str]] = {}
    segment: MultipartSegment | None = None
    data = bytearray()
    try:
        with PushMultipartParser(boundary, len(body)) as parser:
            for event in parser.parse(body):
                if isinstance(event, MultipartSegment):
                    segment, data = event, bytearray()
                elif event is not None:
                    data += event
                elif segment is not None and segment.filename is not None:
                    filename = segment.filename
                    media_type = segment.content_type or (
                        mimetypes.guess_type(filename)[0] or "application/octet-stream"
                    )
                    files.append(FilePart(filename, media_type, bytes(data)))
                elif segment is not None and segment.name is not None:
                    text = data.decode(segment.charset or "utf-8", "replace")
                    fields.setdefault(segment.name, []).append(text)
    except (MultipartError, LookupError):
        raise InvalidRequest("Malformed multipart/form-data body") from None
    return Form(tuple(files), fields)
