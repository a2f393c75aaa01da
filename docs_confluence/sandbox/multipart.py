"""Reads ``multipart/form-data`` bodies (attachment uploads)."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

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


_PARAM = re.compile(r';\s*([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
# Browsers and HTTP clients escape these in quoted names (WHATWG multipart/form-data encoding).
_ESCAPES = {"%22": '"', "%0D": "\r", "%0A": "\n"}


def _params(header: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, raw in _PARAM.findall(header):
        value = raw.strip()
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
            value = re.sub("%22|%0D|%0A", lambda m: _ESCAPES[m.group(0)], value)
        if name.lower() == "filename*" and "''" in value:
            charset, _, encoded = value.partition("''")
            params["filename"] = unquote(encoded, encoding=charset or "utf-8")
        else:
            params.setdefault(name.lower(), value)
    return params


def _headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.decode("utf-8", "replace").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


def parse_form(content_type: str, body: bytes) -> Form:
    """The parts of a multipart body; 400 when it is not multipart/form-data."""
    boundary = _params(content_type).get("boundary")
    if not content_type.lower().startswith("multipart/form-data") or not boundary:
        raise InvalidRequest("Attachments must be uploaded as multipart/form-data")
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise InvalidRequest("Malformed multipart/form-data body")
    files: list[FilePart] = []
    fields: dict[str, list[str]] = {}
    for chunk in chunks[1:-1]:
        head, separator, payload = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            raise InvalidRequest("Malformed multipart/form-data part")
        payload = payload.removesuffix(b"\r\n")
        headers = _headers(head)
        disposition = _params(headers.get("content-disposition", ""))
        filename = disposition.get("filename")
        if filename is not None:
            media_type = headers.get("content-type", "").split(";")[0].strip()
            if not media_type:
                media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            files.append(FilePart(filename, media_type, payload))
        elif "name" in disposition:
            charset = _params(headers.get("content-type", "")).get("charset", "utf-8")
            fields.setdefault(disposition["name"], []).append(payload.decode(charset, "replace"))
    return Form(tuple(files), fields)
