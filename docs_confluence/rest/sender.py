"""Sending one request well: retries with backoff, Retry-After, and Confluence errors as exceptions.

Policy (confluence-api.md sections 3 and 4):

* 429, 502, 503, 504 and transient 409/500 (``OptimisticLockException`` and friends) are retried
  after ``Retry-After`` (seconds or an HTTP date) or an exponential backoff with jitter. A 429
  pauses *every* thread of the client, not only the one that saw it, and slows the pace of all
  of them for the rest of the run (:mod:`docs_confluence.rest.throttle`: it speeds up again as clean
  answers come back). 429s do not use up the attempts: a request keeps waiting its turn until
  Confluence has asked it to wait ``max_rate_limited`` seconds in all, so rate limiting slows a
  publish down but does not fail it.
* A request that never got an answer (a dropped connection, a read timeout) is retried only when
  it is idempotent (GET, PUT, DELETE). For a POST the outcome is unknown: :class:`OutcomeUnknown`
  tells the caller to look before it tries again, because the page may well have been created.
  A 500/502/503/504 answer to a POST is the same: gateways give up while Confluence commits, so
  it is never resent blindly either (section 3). A 429 or a transient lock failure is a refusal
  before any work, so it is retried for every method. Callers whose POST is harmless to repeat
  (adding labels) say so with ``idempotent=True``.
* Every wait (a backoff, a ``Retry-After``, the throttle's pace) waits on the publish's
  :class:`~docs_confluence.interrupts.Interrupt`: Ctrl-C or SIGTERM cuts it short and the request
  is not sent again (:class:`~docs_confluence.errors.Interrupted`).
* Any other error status becomes an :class:`~docs_confluence.errors.APIError` subclass whose
  message carries Confluence's own words, the method, the path and a hint.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from ..errors import (
    APIError,
    NetworkError,
    NotFound,
    OutcomeUnknown,
    PermissionDenied,
    RateLimited,
    VersionConflict,
)
from ..interrupts import Interrupt
from .throttle import Throttle

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .in_flight import InFlight

__all__ = ["RetryPolicy", "Sender"]

log = logging.getLogger(__name__)

_RETRY_STATUSES = {429, 502, 503, 504}
_TRANSIENT_MARKERS = (
    "OptimisticLockException",
    "Transaction rolled back",
    "UnexpectedRollbackException",
    "unreconciled",
)
_IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}
_READS = {"GET", "HEAD", "OPTIONS"}
#: Answers that say the site is overloaded: fewer requests in flight.
_OVERLOADED = {429, 503}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry. ``sleep`` is injectable for tests."""

    attempts: int = 5
    network_attempts: int = 3
    initial_backoff: float = 1.0
    max_backoff: float = 30.0
    max_retry_after: float = 300.0
    #: The most one request waits on 429s in all before the publish gives it up.
    max_rate_limited: float = 900.0


class Sender:
    """Sends requests through an ``httpx.Client`` with the retry policy above. ``sleep`` is
    injectable for tests; by default waits end early when :attr:`interrupt` is set."""

    def __init__(
        self,
        http: httpx.Client,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
        throttle: Throttle | None = None,
        in_flight: InFlight | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = http
        self.policy = policy or RetryPolicy()
        self._sleeper = sleep
        self._clock = clock
        #: The publish's cancellation token (the publish replaces it with its own).
        self.interrupt = Interrupt()
        #: The pace all threads share; its stats say what rate limits cost the run.
        self.throttle = throttle or Throttle(sleep=self._sleep)
        #: How many requests may be in flight (None: as many as the callers send).
        self.in_flight = in_flight

    def send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        json: Any = None,
        files: Any = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (),
        idempotent: bool | None = None,
        hints: Mapping[int, str] | None = None,
    ) -> httpx.Response:
        """Send and return the response, or raise. *what* says what this request is for
        ("update page 'Install'"), so errors can name it. Statuses in *ok* are returned
        instead of raised. *idempotent* overrides what the method says (repeating a POST that
        adds labels is harmless). *hints* replace the usual advice for some statuses. Open
        files in *files* are rewound before each attempt, so a retry sends them whole."""
        repeatable = method.upper() in _IDEMPOTENT if idempotent is None else idempotent
        attempt = 0
        refusals = 0
        limited = 0.0  # seconds 429s have asked this request to wait
        while True:
            attempt += 1
            try:
                ticket, response = self._exchange(
                    method, url, params=params, json=json, files=files, data=data, headers=headers
                )
            except httpx.TransportError as exc:
                if not repeatable:
                    raise OutcomeUnknown(
                        f"{what}: no answer from {_where(url)} ({type(exc).__name__}); "
                        "the request may or may not have been carried out"
                    ) from exc
                if _untrusted_certificate(exc) or attempt >= min(
                    self.policy.attempts, self.policy.network_attempts
                ):
                    raise NetworkError(_network_message(what, url, exc)) from exc
                delay = self._backoff(attempt)
                log.warning("%s: %s, retrying in %.1f s", what, type(exc).__name__, delay)
                self._sleep(delay)
                continue
            log.debug("%s %s -> %d", method, _where(url), response.status_code)
            if response.status_code == 429:
                refusals += 1
                delay = self._retry_delay(response, refusals)
                if limited + delay <= self.policy.max_rate_limited:
                    limited += delay
                    attempt -= 1  # a refusal before any work: it costs time, not an attempt
                    cut = self.throttle.refused(ticket, delay)
                    # Not a warning: waiting is the answer, nothing for anyone to fix (and
                    # mkdocs --strict / sphinx -W must not fail a build over it).
                    log.log(
                        logging.INFO if cut else logging.DEBUG,
                        "Confluence is rate limiting (%s): every request waits %.1f s, then "
                        "goes on at %.1f requests/s",
                        what,
                        delay,
                        self.throttle.rate or 0.0,
                    )
                    continue
                raise api_error(response, what, hints)
            self.throttle.answered()
            if response.is_success or response.status_code in ok:
                return response
            if not repeatable and _maybe_applied(response):
                raise OutcomeUnknown(
                    f"{what}: Confluence answered {response.status_code} "
                    f"({_where(url)}); the request may or may not have been carried out"
                )
            if self._should_retry(response) and attempt < self.policy.attempts:
                delay = self._retry_delay(response, attempt)
                log.warning(
                    "%s: Confluence answered %d, retrying in %.1f s (attempt %d of %d)",
                    what,
                    response.status_code,
                    delay,
                    attempt + 1,
                    self.policy.attempts,
                )
                self._sleep(delay)
                continue
            raise api_error(response, what, hints)

    def _sleep(self, seconds: float) -> None:
        """Wait *seconds*; an interrupt ends the wait (raises
        :class:`~docs_confluence.errors.Interrupted`)."""
        if self._sleeper is None:
            self.interrupt.sleep(seconds)
            return
        self.interrupt.check()
        self._sleeper(seconds)
        self.interrupt.check()

    def _exchange(
        self, method: str, url: str, *, files: Any, **request: Any
    ) -> tuple[int, httpx.Response]:
        """One attempt: wait for a slot in flight and for the pace, send, and tell the in-flight
        limit what came back. Returns the throttle's ticket and the answer."""
        if self.in_flight is None:
            ticket = self.throttle.before()
            _rewind(files)
            return ticket, self.http.request(method, url, files=files, **request)
        slot = self.in_flight.acquire()
        kind: str | None = None
        seconds: float | None = None
        overloaded = False
        try:
            ticket = self.throttle.before()
            _rewind(files)
            sent = self._clock()
            response = self.http.request(method, url, files=files, **request)
            overloaded = response.status_code in _OVERLOADED
            if not files:  # an upload's time is its file's size, not the site's load
                kind = "read" if method.upper() in _READS else "write"
                seconds = self._clock() - sent
            return ticket, response
        finally:
            self.in_flight.release(slot, kind, seconds, overloaded=overloaded)

    def _should_retry(self, response: httpx.Response) -> bool:
        if response.status_code in _RETRY_STATUSES:
            return True
        if response.status_code in {409, 500}:
            return any(marker in response.text for marker in _TRANSIENT_MARKERS)
        return False

    def _retry_delay(self, response: httpx.Response, attempt: int) -> float:
        header = response.headers.get("Retry-After")
        if header:
            seconds = _parse_retry_after(header)
            if seconds is not None:
                return min(seconds, self.policy.max_retry_after)
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        base: float = min(
            self.policy.initial_backoff * 2.0 ** (attempt - 1), self.policy.max_backoff
        )
        return base * random.uniform(0.7, 1.3)


def _maybe_applied(response: httpx.Response) -> bool:
    """Whether an error answer leaves open that the server did the work (a 5xx that is not a
    rolled-back transaction)."""
    if response.status_code < 500:
        return False
    return not any(marker in response.text for marker in _TRANSIENT_MARKERS)


def _rewind(files: Any) -> None:
    """Seek the open files of a multipart body back to their start."""
    if not isinstance(files, dict):
        return
    for value in files.values():
        stream = value[1] if isinstance(value, tuple) else value
        if hasattr(stream, "seek"):
            stream.seek(0)


def api_error(
    response: httpx.Response, what: str, hints: Mapping[int, str] | None = None
) -> APIError:
    """The exception for an error *response* to the request described by *what*."""
    status = response.status_code
    detail = _error_detail(response)
    method = response.request.method
    url = _where(str(response.request.url))
    trace = response.headers.get("ATL-TraceId") or response.headers.get("atl-request-id")
    hint = {
        401: "check the credentials (CONFLUENCE_USER/CONFLUENCE_API_TOKEN or CONFLUENCE_PAT) "
        "and that the URL is the site's base URL",
        403: "the account lacks permission for this in the space; ask a space admin",
        404: "it does not exist or this account cannot see it",
        409: "someone changed it while we were publishing; run again to re-plan",
        413: "the page is larger than Confluence's 5 MB limit; split it",
        429: "Confluence kept rate-limiting this request for many minutes (a quota may be used "
        "up); try again later or lower the concurrency",
    }.get(status, "")
    if hints and status in hints:
        hint = hints[status]
    if response.headers.get("X-Failure-Category") == "FAILURE_CLIENT_SCOPE_CHECK":
        hint = (
            "the OAuth app lacks a scope this call needs; add the scopes the README lists to "
            "the app, then run docs-confluence login again"
        )
    message = f"{what} failed: {status} {detail or response.reason_phrase} ({method} {url})"
    if hint:
        message += f"; {hint}"
    if trace:
        message += f" [trace {trace}]"
    kind: type[APIError] = APIError
    if status in {401, 403}:
        kind = PermissionDenied
    elif status == 404:
        kind = NotFound
    elif status == 409:
        kind = VersionConflict
    elif status in _RETRY_STATUSES:
        kind = RateLimited
    return kind(message, status=status, method=method, url=url, detail=detail)


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return text.splitlines()[0][:200] if text and "<html" not in text.lower() else ""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            return str(first.get("title") or first.get("detail") or first.get("code") or "")
        for key in ("message", "error_description", "error"):
            if body.get(key):
                return str(body[key]).split("\n")[0]
    return ""


def _parse_retry_after(value: str) -> float | None:
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _where(url: str) -> str:
    """*url* without query string (which may carry cursors) and without userinfo."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(query=None, username=None, password=None))


def _untrusted_certificate(exc: httpx.TransportError) -> bool:
    """A TLS certificate this machine does not trust: retrying cannot help."""
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


def _network_message(what: str, url: str, exc: httpx.TransportError) -> str:
    hint = "check the URL, your network and any proxy settings (HTTPS_PROXY)"
    if isinstance(exc, httpx.TimeoutException):
        hint = "Confluence did not answer in time; try again or raise the timeout"
    elif _untrusted_certificate(exc):
        hint = (
            "the site's certificate is not trusted here; if it comes from a private CA, set "
            "SSL_CERT_FILE to a CA bundle (PEM) that holds that CA (certificates are always "
            "verified)"
        )
    return f"{what}: cannot reach {_where(url)} ({type(exc).__name__}: {exc}); {hint}"
