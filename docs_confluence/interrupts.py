"""Ctrl-C and SIGTERM during a publish: no new write, the ones in flight finish, the index is saved.

One :class:`Interrupt` per publish is the cancellation token. The run checks it before every
new write (:mod:`docs_confluence.publisher.apply`), and every wait of the client (a retry's
backoff, a ``Retry-After``, the throttle's pace) waits on it, so an interrupt cuts a wait short
instead of sending the request afterwards. Writing what the run did into the ownership index
(:meth:`Interrupt.finishing`) is the one thing still waited for.

:func:`handle_signals` sets the token from SIGINT (Ctrl-C) and SIGTERM (what a cancelled CI
job gets first) for the duration of a publish, on the main thread only, and puts the previous
handlers back afterwards. The same signal again (Ctrl-C pressed twice) stops the process at
once (exit 128 + the signal's number, as a shell reports a process killed by it), without
saving the index: the next run still recognises the pages this one created by the titles it
claimed before creating them. The other signal after the first is only logged: GitHub Actions
cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it 2.5 s after that
(docs/ci.md), and those last seconds are better spent saving the index.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from .errors import Interrupted

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

__all__ = ["Interrupt", "handle_signals", "signal_name"]

log = logging.getLogger("docs_confluence.publishing")

#: The signals a publish handles: Ctrl-C, and what CI services and ``kill`` send first.
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def signal_name(signum: int) -> str:
    """``SIGINT``, ``SIGTERM``..."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class Interrupt:
    """One publish's cancellation token (see the module docstring); safe from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()
        #: The signal that set it (None: not set).
        self.signal: int | None = None
        self._finishing = False

    def is_set(self) -> bool:
        return self._event.is_set()

    def set(self, signum: int = signal.SIGINT) -> None:
        """Stop the publish: no new write from now on."""
        if self.signal is None:
            self.signal = signum
        self._event.set()

    def check(self, what: str = "the next request") -> None:
        """Raise :class:`Interrupted` when set (unless the run is saving what it did)."""
        if self._event.is_set() and not self._finishing:
            name = signal_name(self.signal or signal.SIGINT)
            raise Interrupted(
                f"{what}: not sent, the publish was interrupted ({name})",
                signal=self.signal or signal.SIGINT,
            )

    def sleep(self, seconds: float) -> None:
        """Wait *seconds*, or less: an interrupt ends the wait and raises :class:`Interrupted`
        (while the run saves what it did, the whole wait is waited)."""
        self.check()
        if self._finishing:
            threading.Event().wait(max(0.0, seconds))
            return
        self._event.wait(max(0.0, seconds))
        self.check()

    @contextmanager
    def finishing(self) -> Iterator[None]:
        """While the block runs (saving the ownership index), requests and their waits go on
        even when interrupted."""
        previous = self._finishing
        self._finishing = True
        try:
            yield
        finally:
            self._finishing = previous


@contextmanager
def handle_signals(interrupt: Interrupt) -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM set *interrupt*; the same one again exits at
    once.
    Only on the main thread (the only one Python lets handle signals): elsewhere, and when the
    block is done, the handlers are the ones there were before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        name = signal_name(signum)
        if interrupt.is_set() and signum != interrupt.signal:
            log.warning("%s as well: still finishing the writes in flight and the index", name)
            return
        if interrupt.is_set():
            log.error(
                "%s again: stopping now, without saving the ownership index; the next run "
                "still recognises the pages this one created and finishes the job",
                name,
            )
            _exit_now(128 + signum)
        interrupt.set(signum)
        log.warning(
            "%s: starting no new writes; waiting for the ones in flight, then saving what was "
            "done (%s again stops at once)",
            name,
            "Ctrl-C" if signum == signal.SIGINT else name,
        )

    previous = {}
    try:
        for signum in SIGNALS:
            previous[signum] = signal.signal(signum, stop)
    except ValueError:  # not the main interpreter: its host handles signals
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _exit_now(code: int) -> None:
    """End the process without waiting for the threads in flight (they are not daemons)."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
