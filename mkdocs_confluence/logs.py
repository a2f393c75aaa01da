"""Logging and errors inside MkDocs.

MkDocs only shows and counts records under ``mkdocs.*`` (that is what makes ``--strict`` fail on a
warning). The plugin logs under ``mkdocs.plugins.confluence``; the engine logs under
``docs_confluence.*``, so :class:`EngineLogRouting` forwards those records there during a build.
Every message the plugin shows starts ``confluence: ``: log records, forwarded engine records,
and the errors that stop a build (:func:`plugin_error`). None of them shows a secret: the
plugin's logger carries :class:`docs_confluence.masking.MaskSecrets`, and errors are redacted.
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError

from docs_confluence.masking import mask_secrets, redact

__all__ = ["LOGGER_NAME", "EngineLogRouting", "log", "plugin_error"]

LOGGER_NAME = "mkdocs.plugins.confluence"
ENGINE_LOGGER = "docs_confluence"
_PREFIX = "confluence: "


class _Prefixed(logging.LoggerAdapter[logging.Logger]):
    def process(self, msg: object, kwargs: dict[str, object]) -> tuple[str, dict[str, object]]:  # type: ignore[override]
        return _PREFIX + str(msg), kwargs


log = _Prefixed(logging.getLogger(LOGGER_NAME), {})
"""The plugin's logger: messages read ``confluence: …``, count for ``--strict`` and are masked
(the engine's records forwarded here too)."""
mask_secrets(log.logger)


def plugin_error(message: object) -> PluginError:
    """The error that stops the build, reading ``confluence: …`` like the plugin's log lines
    (MkDocs logs it as an error and aborts). Raise every ``PluginError`` through it."""
    return PluginError(_PREFIX + redact(str(message)))


class _ToMkDocs(logging.Handler):
    """Re-emits engine records on the plugin's logger, so MkDocs shows and counts them."""

    def emit(self, record: logging.LogRecord) -> None:
        target = logging.getLogger(LOGGER_NAME)
        if not target.isEnabledFor(record.levelno):
            return
        copy = logging.makeLogRecord(record.__dict__)
        copy.name = LOGGER_NAME
        copy.msg = _PREFIX + record.getMessage()
        copy.args = None
        target.handle(copy)


class EngineLogRouting:
    """Forwards ``docs_confluence.*`` records into MkDocs' logging between :meth:`start` and
    :meth:`stop` (one build).

    While it runs, the engine logger follows MkDocs' level (INFO, or DEBUG with ``--verbose``)
    and does not propagate, so each record is shown once; :meth:`stop` restores both.
    """

    def __init__(self) -> None:
        self._handler = _ToMkDocs()
        self._saved: tuple[int, bool] | None = None

    def start(self) -> None:
        """Begin forwarding (calling it again is harmless)."""
        engine = logging.getLogger(ENGINE_LOGGER)
        if self._saved is None:
            self._saved = (engine.level, engine.propagate)
            engine.addHandler(self._handler)
        engine.setLevel(logging.getLogger("mkdocs").getEffectiveLevel())
        engine.propagate = False

    def stop(self) -> None:
        """Stop forwarding and restore the engine logger as it was."""
        if self._saved is None:
            return
        engine = logging.getLogger(ENGINE_LOGGER)
        engine.removeHandler(self._handler)
        engine.setLevel(self._saved[0])
        engine.propagate = self._saved[1]
        self._saved = None
