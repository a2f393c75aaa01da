"""Request counting: how many reads and writes reached the sandbox, per route, and the most
handled at once.

Every request that reaches the app counts, including the ones a fault answered or dropped, the
401s and the viewer pages. Reads are GET and HEAD; everything else is a write. Routes are keyed
``"METHOD template"`` with the template below the context path, for example
``"GET /api/v2/pages/{id}"`` or ``"POST /rest/api/content/{id}/child/attachment"``; the viewer's
are ``"GET /"`` and ``"GET /view/pages/{id}"``, and paths that match no route count under
``"METHOD (unmatched)"``.
"""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

READ_METHODS = frozenset({"GET", "HEAD"})


class RequestStats:
    """Counters of one sandbox app; ``reset()`` starts over."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: Counter[str] = Counter()
        self._reads = 0
        self._writes = 0
        self._in_flight = 0
        self._peak = 0

    @contextmanager
    def handling(self) -> Iterator[int]:
        """Count a request as in flight while it is handled; yields how many are (itself
        included)."""
        with self._lock:
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            now = self._in_flight
        try:
            yield now
        finally:
            with self._lock:
                self._in_flight -= 1

    @property
    def peak_in_flight(self) -> int:
        """The most requests handled at once."""
        return self._peak

    def record(self, method: str, template: str) -> None:
        """Count one request."""
        with self._lock:
            self._routes[f"{method} {template}"] += 1
            if method in READ_METHODS:
                self._reads += 1
            else:
                self._writes += 1

    @property
    def reads(self) -> int:
        """GET and HEAD requests."""
        return self._reads

    @property
    def writes(self) -> int:
        """Requests with any other method."""
        return self._writes

    @property
    def total(self) -> int:
        """All requests."""
        return self._reads + self._writes

    @property
    def routes(self) -> dict[str, int]:
        """A copy of the per-route counts, keyed ``"METHOD template"``."""
        with self._lock:
            return dict(self._routes)

    def count(self, route: str) -> int:
        """The count of one ``"METHOD template"`` key (0 if never seen)."""
        with self._lock:
            return self._routes[route]

    def reset(self) -> None:
        """Forget all counts."""
        with self._lock:
            self._routes.clear()
            self._reads = 0
            self._writes = 0
            self._peak = self._in_flight
