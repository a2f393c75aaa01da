"""Fault injection: latency, rate limits, server errors, conflicts and lost connections.

Switch faults on at run time through ``sandbox.faults``::

    sandbox.faults.latency = 0.05                          # every request sleeps 50 ms
    sandbox.faults.rate_limit(2, method="GET", path=r"/pages", retry_after=1)
    sandbox.faults.server_error(status=503, retry_after=2)
    sandbox.faults.conflict(path=r"/pages/\\d+$")          # transient OptimisticLockException
    sandbox.faults.drop(method="POST")                     # no response at all
    sandbox.faults.drop(method="POST", after_write=True)   # the write happens, the answer is lost
    sandbox.faults.server_error(status=502, method="POST", after_write=True)  # applied, then 502
    sandbox.faults.stall(seconds=5, method="PUT")          # answer late (a client read timeout)
    sandbox.faults.stall(seconds=5, after_write=True)      # apply, then answer late
    sandbox.faults.limit_rate(20, burst=20)                # a site allowing 20 requests/s
    sandbox.faults.workers = 4                             # 4 handled at once, the rest queue
    sandbox.faults.limit_in_flight(8)                      # 429 beyond 8 requests at once
    sandbox.faults.mangle(kind="html", method="GET")       # 200 with a login page, not JSON
    sandbox.faults.mangle(kind="truncated", method="POST", after_write=True)  # applied, cut short
    sandbox.faults.drift(kind="remove", path=r"/content$") # a listing's offsets shift under it
    sandbox.faults.interpose(move_it, method="PUT")        # a person acts just before a write
    sandbox.faults.clear()

Each call arms one rule for the next ``times`` matching requests. A rule matches when the
method is equal (any method when None) and the ``path`` regular expression is found
(`re.search`) in the full request path, context path included (for example
``/wiki/api/v2/pages/98310``). A request triggers at most one rule: the first armed one that
matches, in the order the rules were added. Faulted requests still count in ``sandbox.stats``.

``after_write`` rules carry the request out first and then misbehave: answer their status (a
gateway that timed out while Confluence committed), drop the connection or stall. A stall
sleeps before (or after) handling, so a client with a shorter read timeout gives up.

``mangle`` answers 200 with a body that is not the JSON the route gives: ``"html"`` a single
sign-on proxy's login page (``text/html``), ``"truncated"`` the JSON cut in half, ``"empty"``
no body at all, ``"shape"`` JSON of another shape (the route's answer inside a list). Without
``after_write`` the request never reaches the site (a proxy answered it; nothing is written,
and the body is made up: ``{"results": [{"id": ...`` cut short, ``[]``); with it, the request is
carried out and its real answer is mangled.

``drift`` makes a page of an offset-paged v1 listing (``start`` > 0) answer as if a page earlier
in the listing had been removed (``"remove"``: the list shifts up, one item is never shown) or
inserted (``"insert"``: the item before ``start`` shows again) since the previous page was read,
as on a Data Center space where people delete and create pages during a publish.

A dropped connection ends the exchange without a response: the app raises `ConnectionDropped`.
Over real HTTP the server then closes the socket; in process the test transport
(`docs_confluence.testing.SandboxTransport`) raises what an HTTP client raises when a real
server hangs up, so clients see the same thing both ways.
"""

from __future__ import annotations

import contextlib
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from .errors import error_body, reason_phrase
from .rate_limit import TokenBucket

if TYPE_CHECKING:
    from collections.abc import Callable

    from .errors import Api

FaultKind = Literal["respond", "drop", "stall", "mangle", "drift", "act"]
MangleKind = Literal["html", "truncated", "empty", "shape"]
DriftKind = Literal["remove", "insert"]

LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in - Example SSO</title></head>\n<body><form "
    b'method="post" action="/sso/login"><input name="username"><input name="password" '
    b'type="password"><button>Sign in</button></form></body></html>\n'
)

OPTIMISTIC_LOCK_MESSAGE = (
    "com.atlassian.confluence.api.service.exceptions.ConflictException: "
    "javax.persistence.OptimisticLockException: Row was updated or deleted by another "
    "transaction (or unsaved-value mapping was incorrect)"
)


class ConnectionDropped(Exception):
    """The sandbox dropped the connection on purpose (fault injection)."""

    def __init__(self, message: str = "Server disconnected without sending a response.") -> None:
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Fault:
    """One armed fault rule (see the module docstring)."""

    kind: FaultKind
    method: str | None = None
    path: str | None = None
    status: int = 0
    message: str = ""
    retry_after: float | None = None
    reason: str | None = None
    after_write: bool = False
    seconds: float = 0.0
    #: ``mangle``: what the body becomes; ``drift``: "remove" or "insert".
    variant: str = ""
    act: Callable[[], object] | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with this method and full path triggers the rule."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None

    def mangled(self, body: bytes) -> tuple[bytes, str]:
        """A ``mangle`` fault's body and content type, from the route's real *body* (or, when
        the request was never carried out, none)."""
        if self.variant == "html":
            return LOGIN_PAGE, "text/html;charset=UTF-8"
        if self.variant == "empty":
            return b"", "application/json"
        if self.variant == "truncated":
            whole = body or b'{"results": [{"id": "98305", "title": "Home", "version": {"n'
            return whole[: max(1, len(whole) // 2)], "application/json"
        return b"[" + (body or b"") + b"]", "application/json"

    def response(self, api: Api, now: datetime) -> tuple[int, list[tuple[str, str]], bytes]:
        """Status, extra headers and JSON body of a ``respond`` fault, shaped for ``api``."""
        headers: list[tuple[str, str]] = []
        if self.retry_after is not None:
            headers.append(("Retry-After", f"{self.retry_after:g}"))
        if self.status == 429:
            reset = now.astimezone(UTC) + timedelta(seconds=self.retry_after or 0)
            headers += [
                ("X-RateLimit-Limit", "100"),
                ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", reset.strftime("%Y-%m-%dT%H:%M:%SZ")),
                ("X-RateLimit-NearLimit", "true"),
            ]
            if self.reason:
                headers.append(("RateLimit-Reason", self.reason))
        return self.status, headers, error_body(api, self.status, self.message)


@dataclass(slots=True)
class _Armed:
    fault: Fault
    left: int


class Faults:
    """The fault rules of one sandbox app; safe to change while requests run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_Armed] = []
        self._latency = 0.0
        self._bucket: TokenBucket | None = None
        self._workers: int | None = None
        self._free_workers: threading.Semaphore | None = None
        self._most_in_flight: int | None = None
        self._in_flight_retry_after = 0.0

    @property
    def workers(self) -> int | None:
        """How many requests the site handles at once, as a server with that many threads
        (None: no limit). The others wait for a free one, so answers come later as more
        requests are in flight; the latency is spent inside a worker."""
        return self._workers

    @workers.setter
    def workers(self, count: int | None) -> None:
        if count is not None and count < 1:
            raise ValueError(f"workers must be >= 1, got {count}")
        self._workers = count
        self._free_workers = threading.Semaphore(count) if count is not None else None

    def worker(self) -> contextlib.AbstractContextManager[object]:
        """Hold one of the site's workers while a request is handled (see :attr:`workers`)."""
        free = self._free_workers
        return free if free is not None else contextlib.nullcontext()

    def limit_in_flight(self, most: int, *, retry_after: float = 0.1) -> None:
        """Answer 429 (with *retry_after*) to a request that arrives while *most* are already
        being handled: a site whose limit is on concurrency, as Cloud describes its own."""
        if most < 1:
            raise ValueError(f"most must be >= 1, got {most}")
        self._most_in_flight = most
        self._in_flight_retry_after = retry_after

    def too_many(self, in_flight: int) -> float | None:
        """The ``Retry-After`` of the 429 for a request that arrived with *in_flight* requests
        being handled (itself included), when that is over :meth:`limit_in_flight`'s limit;
        None when it may go on."""
        most = self._most_in_flight
        if most is None or in_flight <= most:
            return None
        return self._in_flight_retry_after

    @property
    def bucket(self) -> TokenBucket | None:
        """The site's rate limit, if one is on (see :meth:`limit_rate`)."""
        return self._bucket

    def limit_rate(self, rate: float, *, burst: int | None = None) -> TokenBucket:
        """Allow *rate* requests per second (a token bucket holding *burst*, by default one
        second's worth); the rest are answered 429 with ``Retry-After`` until a token is free.
        Applies to every request, before any other fault; returns the bucket (its counts)."""
        self._bucket = TokenBucket(rate, burst)
        return self._bucket

    @property
    def latency(self) -> float:
        """Seconds every request sleeps before it is handled (0 by default)."""
        return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"latency must be >= 0 seconds, got {seconds}")
        self._latency = seconds

    def rate_limit(
        self,
        times: int = 1,
        *,
        method: str | None = None,
        path: str | None = None,
        retry_after: float = 1,
        reason: str | None = None,
    ) -> Fault:
        """Answer 429 with ``Retry-After`` and ``X-RateLimit-*`` (and ``RateLimit-Reason``)."""
        fault = Fault(
            "respond", method, path, 429, "Rate limit exceeded", retry_after, reason=reason
        )
        return self.add(fault, times)

    def server_error(
        self,
        times: int = 1,
        *,
        status: int = 503,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | None = None,
        optimistic_lock: bool = False,
        after_write: bool = False,
    ) -> Fault:
        """Answer a 5xx; ``optimistic_lock`` puts an OptimisticLockException in the message;
        ``after_write`` carries the request out first (the error hides a success)."""
        if not 500 <= status <= 599:
            raise ValueError(f"server_error needs a 5xx status, got {status}")
        message = OPTIMISTIC_LOCK_MESSAGE if optimistic_lock else reason_phrase(status)
        fault = Fault(
            "respond", method, path, status, message, retry_after, after_write=after_write
        )
        return self.add(fault, times)

    def conflict(
        self, times: int = 1, *, method: str | None = None, path: str | None = None
    ) -> Fault:
        """Answer a transient 409 whose message names OptimisticLockException."""
        return self.add(Fault("respond", method, path, 409, OPTIMISTIC_LOCK_MESSAGE), times)

    def stall(
        self,
        times: int = 1,
        *,
        seconds: float,
        method: str | None = None,
        path: str | None = None,
        after_write: bool = False,
    ) -> Fault:
        """Sleep *seconds* before handling the request (or, ``after_write``, after handling
        it and before answering): a client whose read timeout is shorter gives up."""
        if seconds <= 0:
            raise ValueError(f"stall needs seconds > 0, got {seconds}")
        return self.add(
            Fault("stall", method, path, after_write=after_write, seconds=seconds), times
        )

    def drop(
        self,
        times: int = 1,
        *,
        method: str | None = None,
        path: str | None = None,
        after_write: bool = False,
    ) -> Fault:
        """Drop the connection; with ``after_write`` the request is applied first."""
        return self.add(Fault("drop", method, path, after_write=after_write), times)

    def mangle(
        self,
        times: int = 1,
        *,
        kind: MangleKind = "html",
        method: str | None = None,
        path: str | None = None,
        after_write: bool = False,
    ) -> Fault:
        """Answer 200 with a body that is not the JSON expected: ``kind`` "html" (a login
        page), "truncated", "empty" or "shape" (a list where an object belongs); with
        ``after_write`` the request is carried out first (see the module docstring)."""
        if kind not in ("html", "truncated", "empty", "shape"):
            raise ValueError(f"mangle kind must be html, truncated, empty or shape, got {kind!r}")
        fault = Fault("mangle", method, path, 200, after_write=after_write, variant=kind)
        return self.add(fault, times)

    def drift(
        self,
        times: int = 1,
        *,
        kind: DriftKind = "remove",
        method: str | None = "GET",
        path: str | None = None,
    ) -> Fault:
        """Shift the next ``times`` later pages (``start`` > 0) of matching v1 listings, as if
        a page before them was removed or inserted meanwhile (see the module docstring)."""
        if kind not in ("remove", "insert"):
            raise ValueError(f"drift kind must be remove or insert, got {kind!r}")
        return self.add(Fault("drift", method, path, variant=kind), times)

    def interpose(
        self,
        act: Callable[[], object],
        times: int = 1,
        *,
        method: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Call *act* just before handling the request, which then goes on as usual: a person
        changing Confluence between a client's read and its write (a move, an edit)."""
        return self.add(Fault("act", method, path, act=act), times)

    def add(self, fault: Fault, times: int = 1) -> Fault:
        """Arm ``fault`` for the next ``times`` matching requests."""
        if times < 1:
            raise ValueError(f"times must be >= 1, got {times}")
        with self._lock:
            self._rules.append(_Armed(fault, times))
        return fault

    def pending(self) -> list[tuple[Fault, int]]:
        """Armed rules with how many requests each will still hit."""
        with self._lock:
            return [(armed.fault, armed.left) for armed in self._rules]

    def clear(self) -> None:
        """Disarm every rule, remove the latency, the rate limit and the concurrency limits."""
        with self._lock:
            self._rules.clear()
            self._latency = 0.0
            self._bucket = None
            self.workers = None
            self._most_in_flight = None

    def take(self, method: str, path: str) -> Fault | None:
        """The rule this request triggers, if any, consuming one of its uses (``drift`` rules
        aside: :meth:`take_drift`)."""
        return self._take(method, path, drift=False)

    def take_drift(self, method: str, path: str) -> Fault | None:
        """The ``drift`` rule a later page of a listing (``start`` > 0) triggers, if any."""
        return self._take(method, path, drift=True)

    def _take(self, method: str, path: str, *, drift: bool) -> Fault | None:
        with self._lock:
            for armed in self._rules:
                if (armed.fault.kind == "drift") != drift:
                    continue
                if armed.fault.matches(method, path):
                    armed.left -= 1
                    if armed.left == 0:
                        self._rules.remove(armed)
                    return armed.fault
        return None
