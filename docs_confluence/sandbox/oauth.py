"""Atlassian's OAuth 2.0 side, in the sandbox: the authorization server and the API gateway.

One origin plays every host (point ``ATLASSIAN_AUTH_URL`` and ``ATLASSIAN_API_URL`` at it)::

    auth.atlassian.com   GET  /authorize                          consent as the sandbox user,
                                                                  302 to redirect_uri?code&state
                         POST /oauth/token                        authorization_code,
                                                                  refresh_token, client_credentials
    api.atlassian.com    GET  /oauth/token/accessible-resources   the sites the token reaches
                         *    /ex/confluence/{cloudId}/wiki/...   the gateway: the site's routes
    the site             GET  /_edge/tenant_info                  {"cloudId": ...}

Rules, as confluence-api.md section 5 describes them: an authorization request that carried a
PKCE ``code_challenge`` is redeemed only with its ``code_verifier`` (RFC 7636); access tokens
last an hour and are only accepted on the gateway (401 on the site's own paths); refresh tokens
rotate, and the previous
one stays usable for a 10-minute reuse window, after which presenting it again revokes the
whole family (breach detection); a family dies after 90 days unused or 365 days in all; token
errors are ``{"error", "error_description"}`` with the statuses a maintained client measured.
Scopes are checked per route on the gateway: a missing one gives the gateway's 401
``{"code":401,"message":"Unauthorized; scope does not match"}`` with ``X-Failure-Category:
FAILURE_CLIENT_SCOPE_CHECK``. ``clock`` (seconds) can be replaced, and
``expire_access_tokens()`` expires every token at once, so tests can expire tokens mid-publish.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import logging
import re
import secrets
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

from .gateway import KNOWN_SCOPES, GatewayError, required_scopes
from .messages import Response, RouteTable

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .messages import Request, Route
    from .store import SandboxStore
    from .store.records import User

log = logging.getLogger(__name__)

DEFAULT_CLOUD_ID = "6c1f5e2a-3d4b-4e8f-9a0b-1c2d3e4f5a6b"
ACCESS_TOKEN_LIFETIME = 3600.0
CODE_LIFETIME = 600.0
REUSE_WINDOW = 600.0
INACTIVITY_LIMIT = 90 * 86400.0
ABSOLUTE_LIFETIME = 365 * 86400.0
_LOOPBACK = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\]):\d+(/.*)?$")


@dataclass(frozen=True, slots=True)
class OAuthClient:
    """A registered app: a 3LO app from the developer console, or a service account's OAuth
    credential (``service_account`` is then the account id its tokens act as).

    ``redirect_uris`` empty accepts any loopback callback; ``scopes`` empty allows every scope
    the sandbox knows (for a service account: what its tokens get).
    """

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uris: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    service_account: str | None = None


@dataclass(frozen=True, slots=True)
class AccessToken:
    """An issued access token."""

    value: str = field(repr=False)
    account_id: str
    client_id: str
    scopes: frozenset[str]
    expires_at: float


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """An issued refresh token; ``rotated_at`` is set once it has been exchanged."""

    value: str = field(repr=False)
    family: str
    account_id: str
    client_id: str
    scopes: frozenset[str]
    issued_at: float
    family_started: float
    rotated_at: float | None = None


@dataclass(frozen=True, slots=True)
class _Code:
    value: str = field(repr=False)
    client_id: str
    redirect_uri: str
    account_id: str
    scopes: frozenset[str]
    expires_at: float
    challenge: str | None
    challenge_method: str = "S256"

    def verifies(self, verifier: str) -> bool:
        """Whether *verifier* answers the PKCE challenge of the authorization request."""
        assert self.challenge is not None
        derived = _s256(verifier) if self.challenge_method == "S256" else verifier
        return secrets.compare_digest(derived.encode(), self.challenge.encode())


class OAuthServer:
    """The authorization server and gateway rules of one sandbox site (see the module doc)."""

    def __init__(
        self,
        store: SandboxStore,
        *,
        cloud_id: str = DEFAULT_CLOUD_ID,
        site_name: str = "sandbox",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.cloud_id = cloud_id
        self.site_name = site_name
        self.clock = clock
        self.access_token_lifetime = ACCESS_TOKEN_LIFETIME
        self.reuse_window = REUSE_WINDOW
        #: Seconds /oauth/token waits before it answers (a slow authorization server: lets
        #: concurrent token requests overlap).
        self.token_delay = 0.0
        #: ``deny`` makes /authorize answer ``error=access_denied`` as if the user declined.
        self.consent: Literal["grant", "deny"] = "grant"
        #: Whose consent /authorize gives (an e-mail); None: the first user of the site.
        self.consent_as: str | None = None
        #: Token requests that were granted, by grant type.
        self.grants: Counter[str] = Counter()
        #: Gateway requests refused, by reason: ``invalid_token`` (unknown or expired), ``scope``.
        self.refusals: Counter[str] = Counter()
        self.other_sites: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._clients: dict[str, OAuthClient] = {}
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, AccessToken] = {}
        self._refresh: dict[str, RefreshToken] = {}
        self._revoked_families: set[str] = set()
        table = RouteTable("v1")
        table("GET", "/authorize", auth=False)(self._authorize)
        table("POST", "/oauth/token", auth=False)(self._token)
        table("GET", "/oauth/token/accessible-resources", auth=False)(self._resources)
        table("GET", "/_edge/tenant_info", auth=False)(self._tenant_info)
        self.routes: list[Route] = table.routes

    # -- set-up and inspection ------------------------------------------------------------------

    def register_client(
        self,
        client_id: str,
        client_secret: str,
        *,
        redirect_uris: tuple[str, ...] = (),
        scopes: tuple[str, ...] = (),
        service_account: str | None = None,
    ) -> OAuthClient:
        """Register an app; ``service_account`` (an e-mail) makes it a client-credentials one
        (the account is created when missing)."""
        account_id = None
        if service_account is not None:
            user = self.store.user_by_email(service_account)
            if user is None:
                name = service_account.split("@")[0]
                user = self.store.add_user(service_account, secrets.token_urlsafe(16), name)
            account_id = user.account_id
        client = OAuthClient(client_id, client_secret, redirect_uris, scopes, account_id)
        with self._lock:
            self._clients[client_id] = client
        return client

    def add_site(self, name: str, url: str, cloud_id: str | None = None) -> str:
        """List another site in accessible-resources (to test choosing among several)."""
        found = cloud_id or str(uuid.uuid4())
        self.other_sites.append({"id": found, "name": name, "url": url})
        return found

    def expire_access_tokens(self) -> None:
        """Expire every access token issued so far (refresh tokens stay valid)."""
        now = self.clock()
        with self._lock:
            self._access = {k: replace(t, expires_at=now) for k, t in self._access.items()}

    def revoke_grants(self) -> None:
        """Revoke every token, as if the user removed the app under Connected apps."""
        with self._lock:
            self._revoked_families.update(t.family for t in self._refresh.values())
            self._access.clear()

    def issued_tokens(self) -> list[str]:
        """Every access and refresh token issued so far (for tests that grep output for them)."""
        with self._lock:
            return [*self._access, *self._refresh]

    def access_token(self, value: str) -> AccessToken | None:
        """The record of an access token (None when unknown)."""
        with self._lock:
            return self._access.get(value)

    def issue_access_token(self, email: str, scopes: tuple[str, ...] | None = None) -> str:
        """An access token for a user without going through /authorize (for tests)."""
        user = self.store.user_by_email(email)
        if user is None:
            raise LookupError(f"No user {email} in the sandbox")
        granted = frozenset(KNOWN_SCOPES if scopes is None else scopes)
        with self._lock:
            return self._new_access(user.account_id, "sandbox-test", granted).value

    # -- the gateway ----------------------------------------------------------------------------

    def authenticate(self, token: str, method: str, template: str) -> User:
        """The user behind a bearer token on the gateway, once its scopes allow the route."""
        now = self.clock()
        with self._lock:
            record = self._access.get(token)
        if record is None or record.expires_at <= now:
            self.refusals["invalid_token"] += 1
            challenge = ("WWW-Authenticate", 'Bearer error="invalid_token"')
            raise GatewayError(401, "Unauthorized", (challenge,))
        needed = required_scopes(method, template)
        if needed and not record.scopes.intersection(needed):
            self.refusals["scope"] += 1
            raise GatewayError(
                401,
                "Unauthorized; scope does not match",
                (("X-Failure-Category", "FAILURE_CLIENT_SCOPE_CHECK"),),
            )
        user = self.store.user(record.account_id)
        if user is None:
            raise GatewayError(401, "Unauthorized")
        return user

    # -- handlers -------------------------------------------------------------------------------

    def _authorize(self, request: Request) -> Response:
        arg = request.arg
        client = self._clients.get(arg("client_id") or "")
        redirect_uri = arg("redirect_uri") or ""
        if client is None:
            return _page(400, "Unknown client_id: the app is not registered")
        if not self._redirect_allowed(client, redirect_uri):
            return _page(400, f"redirect_uri {redirect_uri!r} is not a callback URL of the app")
        state = arg("state")
        if arg("response_type") != "code" or arg("audience") != "api.atlassian.com":
            return _redirect(
                redirect_uri,
                state,
                error="invalid_request",
                error_description="response_type=code and audience=api.atlassian.com are required",
            )
        scopes = frozenset((arg("scope") or "").split())
        allowed = frozenset(client.scopes) or KNOWN_SCOPES
        if not scopes or not scopes <= allowed:
            unknown = " ".join(sorted(scopes - allowed)) or "(none)"
            return _redirect(
                redirect_uri,
                state,
                error="invalid_scope",
                error_description=f"Scope not allowed: {unknown}",
            )
        if self.consent == "deny":
            return _redirect(
                redirect_uri,
                state,
                error="access_denied",
                error_description="User did not authorize the request",
            )
        user = self._consenting_user()
        if user is None:
            return _page(400, "The sandbox has no user to sign in as")
        challenge = arg("code_challenge") or None
        method = arg("code_challenge_method") or "plain"  # RFC 7636's default
        if challenge is not None and method not in ("S256", "plain"):
            return _redirect(
                redirect_uri,
                state,
                error="invalid_request",
                error_description="code_challenge_method must be S256 or plain",
            )
        code = _Code(
            secrets.token_urlsafe(24),
            client.client_id,
            redirect_uri,
            user.account_id,
            scopes,
            self.clock() + CODE_LIFETIME,
            challenge,
            method,
        )
        with self._lock:
            self._codes[code.value] = code
        log.debug("Authorized %s for %s", client.client_id, user.email)
        return _redirect(redirect_uri, state, code=code.value)

    def _token(self, request: Request) -> Response:
        if self.token_delay:
            time.sleep(self.token_delay)
        form = _form(request)
        client = self._client(request, form)
        if client is None:
            return _oauth_error(401, "access_denied", "Unauthorized")
        grant = form.get("grant_type")
        with self._lock:
            if grant == "authorization_code":
                answer = self._exchange_code(client, form)
            elif grant == "refresh_token":
                answer = self._rotate(client, form.get("refresh_token") or "")
            elif grant == "client_credentials":
                answer = self._client_credentials(client)
            else:
                answer = _oauth_error(400, "unsupported_grant_type", f"Unsupported grant: {grant}")
            if answer.status == 200 and grant is not None:
                self.grants[grant] += 1
        return answer

    def _resources(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        with self._lock:
            record = self._access.get(token.strip()) if scheme.lower() == "bearer" else None
        if record is None or record.expires_at <= self.clock():
            return GatewayError(401, "Unauthorized").response()
        scopes = sorted(record.scopes - {"offline_access"})
        sites = [
            {
                "id": self.cloud_id,
                "name": self.site_name,
                "url": request.origin,
                "scopes": scopes,
                "avatarUrl": f"{request.origin}/favicon.ico",
            },
            *({**site, "scopes": scopes, "avatarUrl": ""} for site in self.other_sites),
        ]
        return Response.json(sites)

    def _tenant_info(self, request: Request) -> Response:
        return Response.json({"cloudId": self.cloud_id})

    # -- grants (called with the lock held) -------------------------------------------------------

    def _exchange_code(self, client: OAuthClient, form: Mapping[str, str]) -> Response:
        code = self._codes.pop(form.get("code") or "", None)
        now = self.clock()
        if code is None or code.client_id != client.client_id or code.expires_at <= now:
            return _oauth_error(403, "invalid_grant", "Invalid authorization code")
        if form.get("redirect_uri") != code.redirect_uri:
            return _oauth_error(
                403, "invalid_grant", "redirect_uri does not match the authorization request"
            )
        verifier = form.get("code_verifier")
        if code.challenge is not None and verifier is None:
            return _oauth_error(
                403, "invalid_grant", "code_verifier is required: the authorization used PKCE"
            )
        if code.challenge is not None and not code.verifies(verifier or ""):
            return _oauth_error(
                403, "invalid_grant", "code_verifier does not match the code_challenge"
            )
        return self._issue(code.account_id, client.client_id, code.scopes, family=None)

    def _rotate(self, client: OAuthClient, value: str) -> Response:
        now = self.clock()
        record = self._refresh.get(value)
        if record is None or record.client_id != client.client_id:
            return _oauth_error(403, "unauthorized_client", "refresh_token is invalid")
        expired = (
            now - record.issued_at > INACTIVITY_LIMIT
            or now - record.family_started > ABSOLUTE_LIFETIME
        )
        if record.family in self._revoked_families or expired:
            return _oauth_error(403, "invalid_grant", "Unknown or invalid refresh token.")
        if record.rotated_at is not None and now - record.rotated_at > self.reuse_window:
            self._revoked_families.add(record.family)  # reuse after the window: breach detection
            log.info("Refresh token reused after rotation: revoked its family")
            return _oauth_error(403, "unauthorized_client", "refresh_token is invalid")
        if record.rotated_at is None:
            self._refresh[value] = replace(record, rotated_at=now)
        return self._issue(record.account_id, client.client_id, record.scopes, family=record)

    def _client_credentials(self, client: OAuthClient) -> Response:
        if client.service_account is None:
            return _oauth_error(
                403, "unauthorized_client", "Grant type not allowed for this client"
            )
        scopes = frozenset(client.scopes) or KNOWN_SCOPES - {"offline_access"}
        token = self._new_access(client.service_account, client.client_id, scopes)
        return _token_response(token, self.access_token_lifetime, None)

    def _issue(
        self, account_id: str, client_id: str, scopes: frozenset[str], family: RefreshToken | None
    ) -> Response:
        access = self._new_access(account_id, client_id, scopes)
        refresh = None
        if "offline_access" in scopes:
            now = self.clock()
            refresh = RefreshToken(
                "v1." + secrets.token_urlsafe(32),
                family.family if family else secrets.token_hex(8),
                account_id,
                client_id,
                scopes,
                now,
                family.family_started if family else now,
            )
            self._refresh[refresh.value] = refresh
        return _token_response(access, self.access_token_lifetime, refresh)

    def _new_access(self, account_id: str, client_id: str, scopes: frozenset[str]) -> AccessToken:
        token = AccessToken(
            "sbx." + secrets.token_urlsafe(32),
            account_id,
            client_id,
            scopes,
            self.clock() + self.access_token_lifetime,
        )
        self._access[token.value] = token
        return token

    def _client(self, request: Request, form: Mapping[str, str]) -> OAuthClient | None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return None
            client_id, _, secret = decoded.partition(":")
        client = self._clients.get(client_id or "")
        if client is None or not secret or not secrets.compare_digest(client.client_secret, secret):
            return None
        return client

    def _consenting_user(self) -> User | None:
        if self.consent_as is not None:
            return self.store.user_by_email(self.consent_as)
        users = [u for u in self.store.users() if u.api_token is not None]
        return users[0] if users else None

    def _redirect_allowed(self, client: OAuthClient, uri: str) -> bool:
        if client.redirect_uris:
            return uri in client.redirect_uris
        return _LOOPBACK.match(uri) is not None


def _form(request: Request) -> dict[str, str]:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    parsed = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


def _token_response(access: AccessToken, lifetime: float, refresh: RefreshToken | None) -> Response:
    body: dict[str, Any] = {
        "access_token": access.value,
        "expires_in": int(lifetime),
        "token_type": "Bearer",
        "scope": " ".join(sorted(access.scopes)),
    }
    if refresh is not None:
        body["refresh_token"] = refresh.value
    return Response.json(body, headers=(("Cache-Control", "no-store"),))


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response.json({"error": error, "error_description": description}, status)


def _redirect(uri: str, state: str | None, **params: str) -> Response:
    if state is not None:
        params["state"] = state
    separator = "&" if urlsplit(uri).query else "?"
    return Response(302, b"", "", (("Location", f"{uri}{separator}{urlencode(params)}"),))


def _page(status: int, message: str) -> Response:
    body = f"<!DOCTYPE html><html><body><p>{html.escape(message)}</p></body></html>".encode()
    return Response(status, body, "text/html; charset=utf-8")


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
