"""What the command line writes: secrets redacted, JSON, colour only on a terminal, and the
log records of the engine (with -vv, httpx's) on stderr."""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import TextIO

from ..masking import redact

__all__ = ["colour_wanted", "configure_logging", "print_json", "redact", "restore_logging"]

log = logging.getLogger("docs_confluence")

_DIFF_COLOURS = {
    "removed": "\x1b[31m",
    "added": "\x1b[32m",
    "context": "\x1b[2m",
    "gap": "\x1b[36m",
}


def colour_wanted(stream: TextIO) -> bool:
    """Colour on a terminal; never in CI logs, in files or pipes, or with ``NO_COLOR`` set
    (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def print_json(data: dict[str, object]) -> None:
    print(redact(json.dumps(data, indent=2)))


class _RedactingFormatter(logging.Formatter):
    """Replaces any secret from the environment that slipped into a message; colours the
    lines of a page diff (records with ``diff_kind``) when stderr is a terminal."""

    def __init__(self, fmt: str, *, colour: bool) -> None:
        super().__init__(fmt)
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        text = redact(super().format(record))
        kind = getattr(record, "diff_kind", None)
        if self.colour and kind in _DIFF_COLOURS:
            return f"{_DIFF_COLOURS[kind]}{text}\x1b[0m"
        return text


Saved = list[tuple[logging.Logger, list[logging.Handler], bool, int]]


def configure_logging(level: int) -> Saved:
    """Send our records (and with -vv httpx's) to stderr; returns what to restore."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter("%(message)s", colour=colour_wanted(sys.stderr)))
    loggers = [log] + ([logging.getLogger("httpx")] if level > 1 else [])
    saved = [(x, list(x.handlers), x.propagate, x.level) for x in loggers]
    log.setLevel(logging.DEBUG if level > 0 else logging.WARNING if level < 0 else logging.INFO)
    for logger in loggers[1:]:
        logger.setLevel(logging.INFO)
    for logger in loggers:
        logger.handlers[:] = [handler]
        logger.propagate = False
    return saved


def restore_logging(saved: Saved) -> None:
    """Leave logging as we found it (main() may be called from tests or other programs)."""
    for logger, handlers, propagate, level in saved:
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.setLevel(level)
