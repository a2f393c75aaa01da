"""`Sandbox`: the WSGI app. Routing, authentication, faults, counting and error shapes."""

from __future__ import annotations

import base64
import binascii
import logging
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qs

from . import v1, v2, viewer
from .errors import (
    ApiError,
    MethodNotAllowed,
    NotFound,
    TooLarge,
    Unauthorized,
    error_body,
    reason_phrase,
)
from .faults import ConnectionDropped, Fault, Faults
from .gateway import GatewayError, gateway_split
from .messages import Request, Response
from .oauth import OAuthServer
from .stats import RequestStats
from .store import SandboxStore
from .store.pages import MAX_BODY_BYTES

if TYPE_CHECKING:
    from collections.abc import Iterable
    from wsgiref.types import StartResponse, WSGIEnvironment

    from .errors import Api
    from .messages import Route
    from .store.records import Flavor, User

log = logging.getLogger(__name__)

DEFAULT_CONTEXT_PATH: Final[dict[Flavor, str]] = {"cloud": "/wiki", "datacenter": "/confluence"}
UNAUTHORIZED_MESSAGE = "Client must be authenticated to access this resource."
RATE_LIMITED = "Rate limit exceeded"


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def _native_path(path: str) -> str:
    """PEP 3333 paths are latin-1 strings of the raw bytes; recover UTF-8 names."""
    try:
        return path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return path


@dataclass(frozen=True, slots=True)
class _Match:
    route: Route | None
    params: dict[str, str]
    template: str
    known_path: bool


class Sandbox:
    """A Confluence-compatible WSGI app over a `SandboxStore`.

    Cloud serves v2 under ``{context}/api/v2`` and v1 under ``{context}/rest/api``; Data Center
    serves only v1. Both serve ``{context}/download/attachments/...`` and, outside the context
    path, a read-only HTML viewer at ``/``. Cloud also plays Atlassian's OAuth 2.0 side
    (``oauth``, see `docs_confluence.sandbox.oauth`): the authorization server, and the API
    gateway ``/ex/confluence/{cloudId}/wiki/...`` over the same routes, where OAuth access
    tokens are accepted. ``faults`` injects latency and errors, ``stats`` counts requests.
    """

    def __init__(
        self,
        store: SandboxStore | None = None,
        *,
        flavor: Flavor = "cloud",
        context_path: str | None = None,
    ) -> None:
        if flavor not in DEFAULT_CONTEXT_PATH:
            raise ValueError(f"flavor must be 'cloud' or 'datacenter', got {flavor!r}")
        self.store = store if store is not None else SandboxStore()
        self.flavor: Flavor = flavor
        context = DEFAULT_CONTEXT_PATH[flavor] if context_path is None else context_path
        self.context_path = "/" + context.strip("/") if context.strip("/") else ""
        self.faults = Faults()
        self.stats = RequestStats()
        self.oauth = OAuthServer(self.store)
        routes = [*v1.ROUTES, *(v2.ROUTES if flavor == "cloud" else [])]
        # Literal segments win over placeholders: /content/search before /content/{id}.
        self._routes = sorted(routes, key=lambda r: r.template.count("{"))
        self._viewer = [*viewer.routes.routes, *(self.oauth.routes if flavor == "cloud" else [])]

    def __repr__(self) -> str:
        return f"Sandbox(flavor={self.flavor!r}, context_path={self.context_path!r})"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = self._request(environ)
        response = self._handle(request)
        headers = list(response.headers)
        if response.content_type:
            headers.append(("Content-Type", response.content_type))
        headers.append(("Content-Length", str(len(response.body))))
        start_response(f"{response.status} {reason_phrase(response.status)}", headers)
        return [b"" if request.method == "HEAD" else response.body]

    def _handle(self, request: Request) -> Response:
        """Answer one request (raises `ConnectionDropped` when a fault says so)."""
        match = self._match(request)
        self.stats.record(request.method, match.template)
        with self.stats.handling() as in_flight:
            too_many = self.faults.too_many(in_flight) if match.route is not None else None
            if too_many is not None:
                limited = Fault("respond", status=429, message=RATE_LIMITED, retry_after=too_many)
                return self._fault_response(request, limited, self._api(request, match))
            with self.faults.worker():
                return self._handle_matched(request, match)

    def _api(self, request: Request, match: _Match) -> Api:
        v2_path = self.flavor == "cloud" and request.route.startswith("/api/v2")
        return match.route.api if match.route else ("v2" if v2_path else "v1")

    def _handle_matched(self, request: Request, match: _Match) -> Response:
        route = match.route
        latency = self.faults.latency
        if latency:
            time.sleep(latency)
        api = self._api(request, match)
        bucket = self.faults.bucket
        refusal = bucket.take() if bucket is not None and route is not None else None
        if refusal is not None:
            limited = Fault(
                "respond", status=429, message=RATE_LIMITED, retry_after=refusal.retry_after
            )
            return self._fault_response(request, limited, api)
        start = _int(request.query.get("start", ("0",))[0])
        drift = self.faults.take_drift(request.method, request.path) if start > 0 else None
        if drift is not None:  # the listing shifted since its previous page was read
            start += 1 if drift.variant == "remove" else -1
            request = replace(request, query={**request.query, "start": (str(start),)})
        fault = self.faults.take(request.method, request.path)
        if fault is not None and not fault.after_write:
            if fault.kind == "mangle":
                return self._mangled(request, fault, b"")
            if fault.kind == "drop":
                log.debug("%s %s -> dropped (fault)", request.method, request.path)
                raise ConnectionDropped
            if fault.kind == "respond":
                return self._fault_response(request, fault, api)
            if fault.act is not None:  # someone acts first; the request then goes on
                fault.act()
            time.sleep(fault.seconds)
        response = self._dispatch(request, match, api)
        log.debug("%s %s -> %d", request.method, request.path, response.status)
        if fault is not None and fault.after_write:  # the work is done; the answer goes wrong
            if fault.kind == "drop":
                raise ConnectionDropped
            if fault.kind == "respond":
                return self._fault_response(request, fault, api)
            if fault.kind == "mangle":
                return self._mangled(request, fault, response.body)
            time.sleep(fault.seconds)
        return response

    def _mangled(self, request: Request, fault: Fault, body: bytes) -> Response:
        mangled, content_type = fault.mangled(body)
        log.debug("%s %s -> 200 mangled %s (fault)", request.method, request.path, fault.variant)
        return Response(200, mangled, content_type)

    def _fault_response(self, request: Request, fault: Fault, api: Api) -> Response:
        status, headers, body = fault.response(api, datetime.now(UTC))
        log.debug("%s %s -> %d (fault)", request.method, request.path, status)
        return Response(status, body, "application/json", tuple(headers))

    def _request(self, environ: WSGIEnvironment) -> Request:
        path = _native_path(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = environ[key]
        length = int(headers.get("content-length") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        host = headers.get("host") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        ctx = self.context_path
        below = path[len(ctx) :] if ctx and (path == ctx or path.startswith(ctx + "/")) else path
        gateway = gateway_split(path) if self.flavor == "cloud" else None
        if gateway is not None:  # answer as the site would: same routes, site-relative links
            below = gateway[1]
            path = ctx + below
        return Request(
            method=environ["REQUEST_METHOD"].upper(),
            path=path,
            route=below,
            query={key: tuple(values) for key, values in query.items()},
            headers=headers,
            body=body,
            origin=f"{environ.get('wsgi.url_scheme', 'http')}://{host}",
            context_path=ctx,
            flavor=self.flavor,
            store=self.store,
            gateway=gateway[0] if gateway is not None else None,
        )

    def _match(self, request: Request) -> _Match:
        method = "GET" if request.method == "HEAD" else request.method
        under_context = request.route != request.path or not self.context_path
        candidates = [(r, request.route) for r in self._routes] if under_context else []
        if request.gateway is None:
            candidates += [(r, request.path) for r in self._viewer]
        known_path = False
        for route, path in candidates:
            params = route.match(path)
            if params is None:
                continue
            known_path = True
            if route.method == method:
                return _Match(route, params, route.template, known_path)
        return _Match(None, {}, "(unmatched)", known_path)

    def _dispatch(self, request: Request, match: _Match, api: Api) -> Response:
        route = match.route
        try:
            if request.gateway is not None and request.gateway != self.oauth.cloud_id:
                raise GatewayError(404, f"No site with cloud id {request.gateway}")
            if route is None:
                if match.known_path:
                    raise MethodNotAllowed(f"Method {request.method} is not allowed here")
                raise NotFound(f"No resource at {request.path}")
            user = self._authenticate(request, route) if route.auth else None
            if (
                request.method in ("POST", "PUT")
                and len(request.body) > MAX_BODY_BYTES
                and not request.headers.get("content-type", "").startswith("multipart/")
            ):
                raise TooLarge(f"The request body exceeds the limit of {MAX_BODY_BYTES} bytes")
            with self.store.transaction():
                return route.handler(replace(request, user=user, params=match.params))
        except GatewayError as exc:
            return exc.response()
        except ApiError as exc:
            headers: tuple[tuple[str, str], ...] = ()
            if exc.status == 401:
                headers = (("WWW-Authenticate", 'Basic realm="Confluence sandbox"'),)
            body = error_body(api, exc.status, exc.message_for(api))
            return Response(exc.status, body, "application/json", headers)
        except Exception:
            log.exception("Sandbox failed on %s %s", request.method, request.path)
            body = error_body(api, 500, "Internal server error in the sandbox")
            return Response(500, body, "application/json")

    def _authenticate(self, request: Request, route: Route) -> User:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        user: User | None = None
        if request.gateway is not None and scheme.lower() == "bearer":
            # OAuth access tokens are accepted here only (and PATs never).
            return self.oauth.authenticate(value.strip(), route.method, route.template)
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            username, _, secret = decoded.partition(":")
            user = self.store.authenticate_basic(username, secret)
        elif scheme.lower() == "bearer":
            user = self.store.authenticate_bearer(value.strip())
        if user is None:
            raise Unauthorized(UNAUTHORIZED_MESSAGE)
        return user
