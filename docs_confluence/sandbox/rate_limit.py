"""A site-wide rate limit for the sandbox: a token bucket, answered with 429 and Retry-After.

Data Center's own rate limiting is a token bucket an admin configures (so many requests per
interval, up to a maximum kept in reserve), and Cloud's burst limits behave alike from outside:
go faster than the site allows and some requests are refused with 429 and a ``Retry-After``
(docs/reliability.md, "Rate limits"). Switch it on with ``sandbox.faults.limit_rate(20)``
(20 requests per second, a burst of as many) and off with ``sandbox.faults.clear()``.

``Retry-After`` is the time until the next token, in seconds with millisecond precision (real
sites answer whole seconds; tests need the sandbox to be quick).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["TokenBucket"]


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request the bucket turned away: how long until it would be let in."""

    retry_after: float


class TokenBucket:
    """*rate* requests per second on average, with up to *burst* in a row after a quiet spell.
    Counts what it let in and what it refused."""

    def __init__(
        self, rate: float, burst: int | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be > 0 requests per second, got {rate}")
        self.rate = rate
        self.burst = burst if burst is not None else max(1, math.ceil(rate))
        if self.burst < 1:
            raise ValueError(f"burst must be >= 1, got {burst}")
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = float(self.burst)
        self._last = clock()
        self.admitted = 0
        self.refused = 0

    def take(self) -> Refusal | None:
        """Let one request in (None), or refuse it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1:
                self._tokens -= 1
                self.admitted += 1
                return None
            self.refused += 1
            wait = (1 - self._tokens) / self.rate
            return Refusal(math.ceil(wait * 1000) / 1000)
