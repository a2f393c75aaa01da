"""Throttle: one pace for every thread of a client, slowed by 429s and raised by clean answers.

Confluence Cloud does not publish its limits for API-token traffic (burst limits, counted per
site, endpoint and method), Data Center's are whatever its admin set (a token bucket), and both
say "too many" with a 429 and a ``Retry-After`` (docs/reliability.md, "Rate limits"). So the
publisher finds the rate by asking, the way TCP finds a network's capacity (AIMD):

* At first requests are not paced at all: the in-flight limit (:mod:`.in_flight`, at most
  ``concurrency``) is the only one.
* A 429 pauses *every* thread until its ``Retry-After`` has passed, and cuts the pace to 70 % of
  the rate requests were going out at (multiplicative decrease). Only the first 429 among the
  requests sent at one pace counts: the others were sent too fast for the same reason.
* Each clean answer raises the pace a little, by 1 request/s (or 5 % of the pace when that is
  more) per second's worth of answers (additive increase), until pacing no longer holds anything
  back and is dropped.

The throttle also measures what it cost: the seconds during which requests were held back by a
``Retry-After`` (the union of those pauses, not their sum over threads), how many 429s came back,
and the slowest pace it chose.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Throttle", "ThrottleStats"]

#: The pace after a 429 is this share of the rate requests were going out at.
DECREASE = 0.7
#: The slowest pace the throttle chooses itself (Retry-After can still ask for longer waits).
MIN_RATE = 0.5
#: How far back the sending rate is measured, in seconds.
WINDOW = 2.0
#: A pace this many times faster than the measured sending rate holds nothing back: dropped.
UNBINDING = 4.0


@dataclass(frozen=True, slots=True)
class ThrottleStats:
    """What rate limiting cost a run."""

    #: Seconds during which requests waited out a Retry-After (the union of the pauses).
    waited: float = 0.0
    #: 429 answers received.
    refusals: int = 0
    #: The slowest pace chosen, in requests per second (None: never paced).
    slowest: float | None = None


class Throttle:
    """The shared pace of one client's requests (see the module docstring). ``clock`` and
    ``sleep`` are injectable for tests."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._rate: float | None = None  # requests per second; None: not paced
        self._next_slot = 0.0  # the earliest start of the next paced request
        self._paused_until = 0.0  # nothing starts before this (Retry-After)
        self._cuts = 0  # how many times the pace was cut: a request's ticket
        self._starts: deque[float] = deque()
        self._held_until = float("-inf")
        self._waited = 0.0
        self._refusals = 0
        self._slowest: float | None = None

    @property
    def rate(self) -> float | None:
        """The current pace in requests per second (None: not paced)."""
        return self._rate

    def stats(self) -> ThrottleStats:
        """What rate limiting has cost so far."""
        with self._lock:
            return ThrottleStats(self._waited, self._refusals, self._slowest)

    def before(self) -> int:
        """Wait until a request may start; returns its ticket (give it to :meth:`refused`):
        the pace it was sent at."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._paused_until)
            if self._rate is not None:
                slot = max(slot, self._next_slot)
                self._next_slot = slot + 1.0 / self._rate
            self._hold(now, min(slot, self._paused_until))
            self._starts.append(slot)
            while self._starts and self._starts[0] < now - WINDOW:
                self._starts.popleft()
            ticket = self._cuts
        if slot > now:
            self._sleep(slot - now)
            with self._lock:  # a 429 may have paused everyone, or cut the pace, meanwhile
                now = self._clock()
                if self._paused_until <= now and ticket == self._cuts:
                    return ticket
                slot = max(self._paused_until, self._next_slot)
                if self._rate is not None:
                    self._next_slot = slot + 1.0 / self._rate
                self._hold(now, self._paused_until)
                ticket = self._cuts
            if slot > now:
                self._sleep(slot - now)
        return ticket

    def refused(self, ticket: int, retry_after: float) -> bool:
        """A request (:meth:`before` gave it *ticket*) got a 429 asking to wait *retry_after*
        seconds. Returns whether that cut the pace (False: an earlier cut already did)."""
        with self._lock:
            self._refusals += 1
            now = self._clock()
            self._paused_until = max(self._paused_until, now + retry_after)
            if ticket != self._cuts:  # sent at a pace already cut: that cut answered it
                self._next_slot = max(self._next_slot, self._paused_until)
                return False
            # Requests waiting for a slot at the old pace take a new one (see before()).
            self._next_slot = self._paused_until
            current = self._sending_rate(now) if self._rate is None else self._rate
            self._rate = max(MIN_RATE, current * DECREASE)
            self._slowest = self._rate if self._slowest is None else min(self._slowest, self._rate)
            self._cuts += 1
            return True

    def answered(self) -> None:
        """A request got an answer that was not a 429."""
        with self._lock:
            if self._rate is None:
                return
            self._rate += max(1.0, self._rate * 0.05) / self._rate
            if self._rate > UNBINDING * self._sending_rate(self._clock()):
                self._rate = None  # the workers cannot go that fast anyway

    def _sending_rate(self, now: float) -> float:
        """Requests started per second lately."""
        recent = [start for start in self._starts if start >= now - WINDOW]
        if not recent:
            return MIN_RATE
        span = max(now - recent[0], 0.25)
        return max(MIN_RATE, len(recent) / span)

    def _hold(self, now: float, until: float) -> None:
        """Count [now, until] into the time requests were held back (union of the waits)."""
        if until <= now or until <= self._held_until:
            return
        self._waited += until - max(now, self._held_until)
        self._held_until = until
