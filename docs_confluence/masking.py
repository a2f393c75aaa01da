"""Secrets out of every output: one place that knows them, one function that masks them.

Every secret this process loads, obtains or is told about is remembered
(:func:`remember_secrets`: credentials, OAuth tokens and client secrets, a gateway header's
value); :func:`redact` replaces those, and the values of the ``CONFLUENCE_*`` variables that
hold secrets, with ``[secure]`` (as httpx shows an ``Authorization`` header). Every output goes
through it: the CLI's lines and ``--json``, the CI annotations and job summary, and the log
records of the engine and of both front ends, through :class:`MaskSecrets`, the filter that the
CLI's handler, the MkDocs plugin's logger and the Sphinx builder's handler install.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from .config import SECRET_VARIABLES, environment_value

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["MASK", "MaskSecrets", "known_secrets", "mask_secrets", "redact", "remember_secrets"]

#: What a secret reads as, wherever it would have shown.
MASK = "[secure]"
#: Shorter values are not masked: they would garble every message that contains them.
_SHORTEST = 4

_lock = threading.Lock()
_secrets: set[str] = set()


def remember_secrets(values: Iterable[str | None]) -> None:
    """Note secret values so that every output masks them (:func:`known_secrets`)."""
    with _lock:
        _secrets.update(v for v in values if v and len(v) >= _SHORTEST)


def known_secrets() -> frozenset[str]:
    """Every secret this process has loaded, obtained or been told about."""
    with _lock:
        return frozenset(_secrets)


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """*text* with any secret from the environment or remembered replaced by ``[secure]``."""
    values = {environment_value(name, environ) or "" for name in SECRET_VARIABLES}
    for value in sorted(values | known_secrets(), key=len, reverse=True):
        if len(value) >= _SHORTEST:
            text = text.replace(value, MASK)
    return text


class MaskSecrets(logging.Filter):
    """A filter for a handler or a logger: the record's message (its arguments merged in) and
    its traceback text leave with every secret masked. It never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: left for the handler to report
            return True
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def mask_secrets(target: logging.Handler | logging.Logger) -> None:
    """Install :class:`MaskSecrets` on *target* (once, however often it is called)."""
    if not any(isinstance(f, MaskSecrets) for f in target.filters):
        target.addFilter(MaskSecrets())
