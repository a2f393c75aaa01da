"""The project id: the name that marks the pages a project owns in Confluence.

The id is part of the content property keys that hold the ownership index
(``docs-confluence.<id>.<n>``), so it keeps to what such a key carries everywhere: letters,
digits, ``.``, ``_`` and ``-``, at most 64 characters. Front ends derive it from the site's or
project's name with :func:`project_id`; :func:`is_project_id` checks one a user wrote.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["MAX_PROJECT_ID", "is_project_id", "project_id"]

MAX_PROJECT_ID = 64
_ALLOWED = "A-Za-z0-9._-"
_UNSAFE = re.compile(f"[^{_ALLOWED}]+")
_VALID = re.compile(f"^[{_ALLOWED}]{{1,{MAX_PROJECT_ID}}}$")
_EDGES = "-._"
_FALLBACK = "docs"


def project_id(name: str) -> str:
    """The project id for a site or project called *name*.

    Every run of other characters becomes one ``-``; ``-``, ``.`` and ``_`` are trimmed from
    both ends, before and after cutting to 64 characters. A name that leaves nothing (``文档``,
    ``!!!``) gets ``docs-`` and 8 hex digits of its SHA-256, so it is the same on every machine
    and two such projects under one parent page stay apart; an empty name gets ``docs``.
    """
    slug = _UNSAFE.sub("-", name).strip(_EDGES)[:MAX_PROJECT_ID].strip(_EDGES)
    if slug:
        return slug
    text = unicodedata.normalize("NFC", name.strip())
    if not text:
        return _FALLBACK
    return f"{_FALLBACK}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def is_project_id(value: str) -> bool:
    """True when *value* may be used as a project id as it is."""
    return bool(_VALID.match(value))
