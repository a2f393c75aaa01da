"""How many requests a client keeps in flight: from a modest start, up to a ceiling, as the site
allows.

The ceiling is the ``concurrency`` setting (16 by default). A run starts with :data:`START`
requests in flight and finds out from the answers how many the site takes:

* An answer as quick as the quickest of its kind so far (within :data:`QUICK` times it, plus
  :data:`JITTER`) while every slot was in use raises the limit by ``1 / limit``: about one more
  slot per round of answers (additive increase), up to the ceiling. Until the first slow or
  overloaded answer it raises it by one, doubling it per round of answers (TCP's slow start), so
  a site with room is used fully within a few round trips. Quick answers mean the site serves
  us without queueing us behind others.
* A slow answer (beyond :data:`SLOW` times the quickest, plus :data:`JITTER`) lowers it by as
  much, but never below the start: requests queueing at the site are the sign that it is busy.
* A 429 or a 503 (the site says it is overloaded) cuts the limit to :data:`DECREASE` of what it
  was, down to one (multiplicative decrease): once for the requests in flight together, which
  were sent too many for the same reason. Quick answers raise it again afterwards. The throttle
  (:mod:`docs_confluence.rest.throttle`) cuts the pace on 429s too.

"Of its kind": reads and writes are timed apart (a page save takes longer than a read on any
site), and uploads are not timed at all (their time is the file's size). Why these numbers, with
Atlassian's facts: docs/reliability.md, "Rate limits".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["START", "InFlight", "InFlightStats"]

#: Requests in flight when a run starts (the ceiling, when that is lower).
START = 4
#: An answer within this many times the quickest of its kind (plus JITTER) is quick.
QUICK = 1.5
#: An answer beyond this many times the quickest of its kind (plus JITTER) is slow.
SLOW = 3.0
#: Seconds of timing noise forgiven in both comparisons.
JITTER = 0.01
#: The limit after an overload answer is this share of what it was.
DECREASE = 0.7


@dataclass(frozen=True, slots=True)
class InFlightStats:
    """What the limit did in a run."""

    #: The most requests that were in flight at once.
    peak: int = 0
    #: The ceiling (the ``concurrency`` setting).
    ceiling: int = 0


class InFlight:
    """The shared limit on requests in flight (see the module docstring). ``acquire`` before
    sending, ``release`` with what came back; safe to use from many threads."""

    def __init__(self, ceiling: int, *, start: int = START) -> None:
        if ceiling < 1:
            raise ValueError(f"ceiling must be >= 1, got {ceiling}")
        self.ceiling = ceiling
        self._floor = max(1, min(start, ceiling))
        self._limit = float(self._floor)
        self._in_flight = 0
        self._peak = 0
        self._quickest: dict[str, float] = {}
        self._cuts = 0  # a request's ticket: the cuts made before it was sent
        self._starting = True  # until the first slow or overloaded answer: grow faster
        self._ready = threading.Condition()

    @property
    def limit(self) -> int:
        """Requests allowed in flight now."""
        return int(self._limit)

    def stats(self) -> InFlightStats:
        """The most requests in flight at once so far, and the ceiling."""
        with self._ready:
            return InFlightStats(self._peak, self.ceiling)

    def acquire(self) -> int:
        """Wait for a free slot and take it; returns the request's ticket for :meth:`release`."""
        with self._ready:
            while self._in_flight >= int(self._limit):
                self._ready.wait()
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            return self._cuts

    def release(
        self,
        ticket: int,
        kind: str | None = None,
        seconds: float | None = None,
        *,
        overloaded: bool = False,
    ) -> None:
        """Give back the slot :meth:`acquire` gave with *ticket*. *kind* and *seconds*: a timed
        answer (``"read"`` or ``"write"`` and how long it took); *overloaded*: the site answered
        429 or 503. Neither: nothing learnt (a dropped connection, an upload)."""
        with self._ready:
            busy = self._in_flight >= int(self._limit)
            self._in_flight -= 1
            if overloaded:
                self._starting = False
                if ticket == self._cuts:  # sent before any cut answered the overload: cut
                    self._limit = max(1.0, self._limit * DECREASE)
                    self._cuts += 1
            elif kind is not None and seconds is not None:
                self._learn(kind, seconds, busy)
            self._ready.notify(max(1, int(self._limit) - self._in_flight))

    def _learn(self, kind: str, seconds: float, busy: bool) -> None:
        quickest = min(self._quickest.get(kind, seconds), seconds)
        self._quickest[kind] = quickest
        if seconds <= quickest * QUICK + JITTER:
            if busy:  # one more per answer at first (doubling), then per round of answers
                step = 1.0 if self._starting else 1.0 / self._limit
                self._limit = min(float(self.ceiling), self._limit + step)
        elif seconds > quickest * SLOW + JITTER:
            self._starting = False
            if self._limit > self._floor:
                self._limit = max(float(self._floor), self._limit - 1.0 / self._limit)
