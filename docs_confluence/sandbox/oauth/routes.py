"""The OAuth endpoints and the gateway's token check: `OAuthServer` (see the package doc)."""

from __future__ import annotations

import base64
import binascii
import html
import json
import logging
import re
import secrets
import time
import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

from ..gateway import KNOWN_SCOPES, GatewayError, required_scopes
from ..messages import Response, RouteTable
from .records import (
    ACCESS_TOKEN_LIFETIME,
    CODE_LIFETIME,
    REUSE_WINDOW,
    AccessToken,
    AuthorizationCode,
    GrantRefused,
    OAuthClient,
    OAuthRecords,
    RefreshToken,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from ..messages import Request, Route
    from ..store import SandboxStore
    from ..store.records import User

log = logging.getLogger(__name__)

DEFAULT_CLOUD_ID = "6c1f5e2a-3d4b-4e8f-9a0b-1c2d3e4f5a6b"
_LOOPBACK = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\]):\d+(/.*)?$")


class OAuthServer:
    """The authorization server and gateway rules of one sandbox site (see the package doc)."""

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
        #: The registered apps, pending codes and issued tokens.
        self.records = OAuthRecords()
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
        self.records.add_client(client)
        return client

    def add_site(self, name: str, url: str, cloud_id: str | None = None) -> str:
        """List another site in accessible-resources (to test choosing among several)."""
        found = cloud_id or str(uuid.uuid4())
        self.other_sites.append({"id": found, "name": name, "url": url})
        return found

    def expire_access_tokens(self) -> None:
        """Expire every access token issued so far (refresh tokens stay valid)."""
        self.records.expire_access_tokens(self.clock())

    def revoke_grants(self) -> None:
        """Revoke every token, as if the user removed the app under Connected apps."""
        self.records.revoke_all()

    def issued_tokens(self) -> list[str]:
        """Every access and refresh token issued so far (for tests that grep output for them)."""
        return self.records.issued_tokens()

    def access_token(self, value: str) -> AccessToken | None:
        """The record of an access token (None when unknown)."""
        return self.records.access_token(value)

    def issue_access_token(self, email: str, scopes: tuple[str, ...] | None = None) -> str:
        """An access token for a user without going through /authorize (for tests)."""
        user = self.store.user_by_email(email)
        if user is None:
            raise LookupError(f"No user {email} in the sandbox")
        granted = frozenset(KNOWN_SCOPES if scopes is None else scopes)
        with self.records.lock:
            return self._new_access(user.account_id, "sandbox-test", granted).value

    # -- the gateway ----------------------------------------------------------------------------

    def authenticate(self, token: str, method: str, template: str) -> User:
        """The user behind a bearer token on the gateway, once its scopes allow the route."""
        now = self.clock()
        record = self.records.access_token(token)
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
        client = self.records.client(arg("client_id") or "")
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
        code = AuthorizationCode(
            secrets.token_urlsafe(24),
            client.client_id,
            redirect_uri,
            user.account_id,
            scopes,
            self.clock() + CODE_LIFETIME,
            challenge,
            method,
        )
        self.records.add_code(code)
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
        with self.records.lock:
            try:
                if grant == "authorization_code":
                    answer = self._exchange_code(client, form)
                elif grant == "refresh_token":
                    answer = self._rotate(client, form.get("refresh_token") or "")
                elif grant == "client_credentials":
                    answer = self._client_credentials(client)
                else:
                    raise GrantRefused(400, "unsupported_grant_type", f"Unsupported grant: {grant}")
            except GrantRefused as refused:
                answer = _oauth_error(refused.status, refused.error, refused.description)
            if answer.status == 200 and grant is not None:
                self.grants[grant] += 1
        return answer

    def _resources(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        record = self.records.access_token(token.strip()) if scheme.lower() == "bearer" else None
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
        code = self.records.redeem_code(client, form, self.clock())
        return self._issue(code.account_id, client.client_id, code.scopes, family=None)

    def _rotate(self, client: OAuthClient, value: str) -> Response:
        record = self.records.rotate(client, value, self.clock(), self.reuse_window)
        return self._issue(record.account_id, client.client_id, record.scopes, family=record)

    def _client_credentials(self, client: OAuthClient) -> Response:
        if client.service_account is None:
            raise GrantRefused(403, "unauthorized_client", "Grant type not allowed for this client")
        scopes = frozenset(client.scopes) or KNOWN_SCOPES - {"offline_access"}
        token = self._new_access(client.service_account, client.client_id, scopes)
        return _token_response(token, self.access_token_lifetime, None)

    def _issue(
        self, account_id: str, client_id: str, scopes: frozenset[str], family: RefreshToken | None
    ) -> Response:
        access = self._new_access(account_id, client_id, scopes)
        refresh = None
        if "offline_access" in scopes:
            refresh = self.records.new_refresh(account_id, client_id, scopes, self.clock(), family)
        return _token_response(access, self.access_token_lifetime, refresh)

    def _new_access(self, account_id: str, client_id: str, scopes: frozenset[str]) -> AccessToken:
        expires_at = self.clock() + self.access_token_lifetime
        return self.records.new_access(account_id, client_id, scopes, expires_at)

    def _client(self, request: Request, form: Mapping[str, str]) -> OAuthClient | None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return None
            client_id, _, secret = decoded.partition(":")
        client = self.records.client(client_id or "")
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
