"""Engine log records into Sphinx's logging.

Sphinx shows (and counts for ``-W``) only records of loggers under ``sphinx.*``; the engine logs
under ``docs_confluence.*``. One handler on the ``docs_confluence`` logger re-emits each record
through ``sphinx.util.logging``: warnings carry type ``confluence`` and the engine module as
subtype, so ``suppress_warnings = ["confluence.bundle"]`` silences the bundle's warnings. That
handler and the builder's own loggers carry :class:`docs_confluence.masking.MaskSecrets`, so no
secret reaches Sphinx's output.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sphinx.util import logging as sphinx_logging

from docs_confluence.masking import mask_secrets

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["held_back", "route_engine_logging", "show_held_back"]

ENGINE = "docs_confluence"
#: The modules of this package that log (through ``sphinx.util.logging.getLogger(__name__)``).
_OWN_MODULES = ("builder", "config", "translator")

_thread = threading.local()  # .held: the records held back in this thread, if any


class _ToSphinx(logging.Handler):
    """Re-emits engine records through Sphinx's logger of the same name."""

    def emit(self, record: logging.LogRecord) -> None:
        held: list[logging.LogRecord] | None = getattr(_thread, "held", None)
        if held is not None:
            held.append(record)
            return
        target = sphinx_logging.getLogger(record.name)
        subtype = record.name.rpartition(".")[2]
        try:
            message = record.getMessage()
        except Exception:  # a malformed record must not break the build
            self.handleError(record)
            return
        if record.levelno >= logging.ERROR:
            target.error("%s", message, type="confluence", subtype=subtype)
        elif record.levelno >= logging.WARNING:
            target.warning("%s", message, type="confluence", subtype=subtype)
        else:
            target.log(record.levelno, "%s", message)


def route_engine_logging() -> None:
    """Send engine records to Sphinx (once per process, however many apps are set up), and
    mask secrets in them and in the records of this package's modules."""
    engine = logging.getLogger(ENGINE)
    if not any(isinstance(handler, _ToSphinx) for handler in engine.handlers):
        engine.addHandler(_ToSphinx())
    for handler in engine.handlers:
        if isinstance(handler, _ToSphinx):
            mask_secrets(handler)
    for name in _OWN_MODULES:
        mask_secrets(logging.getLogger(f"sphinx.{__package__}.{name}"))
    if engine.level == logging.NOTSET:
        engine.setLevel(logging.INFO)


@contextmanager
def held_back(records: list[logging.LogRecord]) -> Iterator[None]:
    """Within, the engine records this thread emits are kept in *records*, not shown: a
    background thread's records are shown by :func:`show_held_back` where they belong."""
    _thread.held = records
    try:
        yield
    finally:
        del _thread.held


def show_held_back(records: list[logging.LogRecord]) -> None:
    """Show records kept by :func:`held_back` (in this thread, as if emitted now)."""
    for handler in logging.getLogger(ENGINE).handlers:
        if isinstance(handler, _ToSphinx):
            for record in records:
                handler.handle(record)
