"""OAuth 2.0 on Atlassian Cloud, the protocol side: 3LO (authorization code) and client
credentials (service accounts).

The authorization server is ``ATLASSIAN_AUTH_URL`` (default ``https://auth.atlassian.com``) and
the API gateway ``ATLASSIAN_API_URL`` (default ``https://api.atlassian.com``); point both at the
sandbox, or at one of Atlassian's isolated environments. Requests go to
``{gateway}/ex/confluence/{cloudId}/wiki/...``: 3LO tokens are refused on the site's own domain.

authlib builds the authorization URL (with PKCE, harmless per the reference), checks the
``state`` of the redirect and reads token expiry; token requests are POSTed as JSON, the shape
Atlassian documents. (authlib's httpx integration is not used: it now wants ``httpx2`` and warns
on plain httpx.) Using the tokens, and renewing them, is :mod:`docs_confluence.auth.grant`'s job.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from authlib.oauth2.rfc6749 import OAuth2Token
from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oauth2.rfc6749.parameters import parse_authorization_code_response, prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from ..config import (
    API_URL_VARIABLE,
    AUTH_URL_VARIABLE,
    OAUTH_CLIENT_ID_VARIABLE,
    OAUTH_CLIENT_SECRET_VARIABLE,
    environment_value,
)
from ..errors import AuthError, NetworkError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_AUTH_URL",
    "SCOPES",
    "Endpoints",
    "OAuthApp",
    "Resource",
    "TokenEndpoint",
    "TokenSet",
    "accessible_resources",
    "authorization_url",
    "check_redirect",
    "matching_resource",
]

log = logging.getLogger(__name__)

DEFAULT_AUTH_URL = "https://auth.atlassian.com"
DEFAULT_API_URL = "https://api.atlassian.com"
AUDIENCE = "api.atlassian.com"

#: What ``login --oauth`` asks for: what the publisher calls on Cloud (reference 5.5), the
#: identity check of ``login``/``status`` (``read:content-details``), and ``offline_access`` for
#: a refresh token. The v1 label and attachment writes are documented with their read scope too.
SCOPES: tuple[str, ...] = (
    "read:space:confluence",
    "read:page:confluence",
    "write:page:confluence",
    "delete:page:confluence",
    "read:label:confluence",
    "write:label:confluence",
    "read:attachment:confluence",
    "write:attachment:confluence",
    "delete:attachment:confluence",
    "read:content-details:confluence",
    "offline_access",
)

#: Renew an access token this many seconds before it expires.
EXPIRY_LEEWAY = 60.0

#: How often a refresh or client-credentials request is sent when no usable answer comes back
#: (a transport error or a 5xx), and the pause before the first retry (doubling after).
TOKEN_ATTEMPTS = 3
TOKEN_RETRY_BACKOFF = 0.5


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the authorization server and the API gateway are."""

    auth_url: str = DEFAULT_AUTH_URL
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Endpoints:
        """``ATLASSIAN_AUTH_URL`` and ``ATLASSIAN_API_URL``, or Atlassian's own."""
        return cls(
            (environment_value(AUTH_URL_VARIABLE, environ) or DEFAULT_AUTH_URL).rstrip("/"),
            (environment_value(API_URL_VARIABLE, environ) or DEFAULT_API_URL).rstrip("/"),
        )

    @property
    def authorize_url(self) -> str:
        return f"{self.auth_url}/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.auth_url}/oauth/token"

    @property
    def resources_url(self) -> str:
        return f"{self.api_url}/oauth/token/accessible-resources"

    def gateway(self, cloud_id: str) -> str:
        """The base URL a client uses for the site with this cloud id."""
        return f"{self.api_url}/ex/confluence/{cloud_id}/wiki"


@dataclass(frozen=True, slots=True)
class OAuthApp:
    """The client id and secret of an OAuth 2.0 app (3LO) or service-account credential."""

    client_id: str
    client_secret: str = field(repr=False)

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> OAuthApp | None:
        """From the arguments, else ``CONFLUENCE_OAUTH_CLIENT_ID``/``..._SECRET``; None when
        neither is set. Raises :class:`AuthError` naming the missing one when only one is."""
        found_id = client_id or environment_value(OAUTH_CLIENT_ID_VARIABLE, environ)
        secret = client_secret or environment_value(OAUTH_CLIENT_SECRET_VARIABLE, environ)
        if found_id and secret:
            return cls(found_id, secret)
        if found_id or secret:
            present, missing = (
                (OAUTH_CLIENT_ID_VARIABLE, OAUTH_CLIENT_SECRET_VARIABLE)
                if found_id
                else (OAUTH_CLIENT_SECRET_VARIABLE, OAUTH_CLIENT_ID_VARIABLE)
            )
            raise AuthError(
                f"{present} is set but {missing} is not: set both to use the OAuth app (or a "
                f"service account), or unset {present}"
            )
        return None


@dataclass(frozen=True, slots=True)
class TokenSet:
    """An access token, when it expires (seconds since the epoch), and its refresh token."""

    access_token: str = field(repr=False)
    expires_at: float
    refresh_token: str | None = field(default=None, repr=False)
    scopes: tuple[str, ...] = ()

    @classmethod
    def from_response(cls, body: Mapping[str, Any]) -> TokenSet:
        """From a token endpoint answer (``expires_in`` counted from now)."""
        token = OAuth2Token.from_dict(dict(body))
        return cls(
            access_token=str(token["access_token"]),
            expires_at=float(token.get("expires_at") or time.time() + 3600),
            refresh_token=token.get("refresh_token") or None,
            scopes=tuple(str(token.get("scope") or "").split()),
        )

    def expiring(self, now: float, leeway: float = EXPIRY_LEEWAY) -> bool:
        """True when the access token is expired or will be within *leeway* seconds."""
        return now >= self.expires_at - leeway

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(v for v in (self.access_token, self.refresh_token) if v)


@dataclass(frozen=True, slots=True)
class Resource:
    """A site the grant reaches (an accessible-resources entry)."""

    id: str
    name: str
    url: str
    scopes: tuple[str, ...] = ()


def authorization_url(
    endpoints: Endpoints,
    app: OAuthApp,
    *,
    redirect_uri: str,
    state: str,
    code_verifier: str,
    scopes: Sequence[str] = SCOPES,
) -> str:
    """The address the user opens to grant access (``prompt=consent`` as Atlassian asks)."""
    return str(
        prepare_grant_uri(
            endpoints.authorize_url,
            client_id=app.client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope=list(scopes),
            state=state,
            audience=AUDIENCE,
            prompt="consent",
            code_challenge=create_s256_code_challenge(code_verifier),
            code_challenge_method="S256",
        )
    )


def check_redirect(callback_url: str, state: str) -> str:
    """The authorization code in the redirect to *callback_url*, after checking its state."""
    query = dict(httpx.URL(callback_url).params)
    if "error" in query:
        if query.get("state") != state:
            raise AuthError(
                "The sign-in was answered for another request (state mismatch); close other "
                "sign-in tabs and run docs-confluence login again"
            )
        reason = query.get("error_description") or query["error"]
        if query["error"] == "access_denied":
            raise AuthError(f"Access was not granted ({reason}); run docs-confluence login again")
        raise AuthError(f"The sign-in failed: {reason}; run docs-confluence login again")
    try:
        params = parse_authorization_code_response(callback_url, state=state)
    except OAuth2Error as exc:
        raise AuthError(
            f"The redirect did not complete the sign-in ({exc.error}); it may belong to another "
            "login attempt. Run docs-confluence login again"
        ) from exc
    return str(params["code"])


class TokenEndpoint:
    """The authorization server's token endpoint, for one app.

    Refresh and client-credentials requests are sent again, with the same refresh token, when
    no usable answer comes back (a transport error or a 5xx): a refresh whose answer was lost
    may already have rotated the token on the server, and only a prompt retry, inside the
    reuse window, gets a valid pair for it. The caller holds the credential store's lock
    meanwhile, so nothing else presents the old token. An authorization code is single-use:
    its exchange is sent once.
    """

    def __init__(
        self,
        endpoints: Endpoints,
        app: OAuthApp,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        site: str | None = None,
        attempts: int = TOKEN_ATTEMPTS,
        backoff: float = TOKEN_RETRY_BACKOFF,
    ) -> None:
        self.endpoints = endpoints
        self.app = app
        self.site = site
        self._transport = transport
        self._timeout = timeout
        self._attempts = max(attempts, 1)
        self._backoff = backoff

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> TokenSet:
        """Tokens for the authorization code of a redirect."""
        payload = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        return self._post(payload, "exchange the authorization code", attempts=1)

    def refresh(self, refresh_token: str) -> TokenSet:
        """New tokens for a refresh token (the refresh token rotates: keep the new one)."""
        tokens = self._post(
            {"grant_type": "refresh_token", "refresh_token": refresh_token},
            "refresh the OAuth access token",
            attempts=self._attempts,
        )
        if tokens.refresh_token is None:  # no rotation: the old one stays valid
            tokens = replace(tokens, refresh_token=refresh_token)
        return tokens

    def client_credentials(self) -> TokenSet:
        """A new access token for a service-account credential (there is no refresh token)."""
        payload = {"grant_type": "client_credentials", "audience": AUDIENCE}
        return self._post(
            payload, "get an access token with the client credentials", attempts=self._attempts
        )

    def _post(self, payload: dict[str, str], what: str, *, attempts: int) -> TokenSet:
        body = {**payload, "client_id": self.app.client_id, "client_secret": self.app.client_secret}
        url = self.endpoints.token_url
        grant = payload["grant_type"]
        with httpx.Client(transport=self._transport, timeout=self._timeout) as http:
            for attempt in range(1, attempts + 1):
                if attempt > 1:
                    time.sleep(self._backoff * 2 ** (attempt - 2))
                try:
                    response = http.post(url, json=body, headers={"Accept": "application/json"})
                except httpx.TransportError as exc:
                    log.debug("POST %s (%s) -> %s", url, grant, type(exc).__name__)
                    if attempt < attempts:
                        continue
                    raise self._unanswered(exc, url, what, attempts) from exc
                log.debug("POST %s (%s) -> %d", url, grant, response.status_code)
                if response.is_server_error and attempt < attempts:
                    continue
                break
        data = _json_object(response)
        if response.is_success and data.get("access_token"):
            return TokenSet.from_response(data)
        raise self._failure(response.status_code, str(data.get("error") or ""), what)

    @staticmethod
    def _unanswered(exc: httpx.TransportError, url: str, what: str, attempts: int) -> NetworkError:
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        # A connection that never opened did not reach the server; any other error may have
        # come after the server acted on the request.
        never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
        problem = "cannot reach" if never_sent else "no answer from"
        return NetworkError(
            f"{what}: {problem} {url}{tried} ({type(exc).__name__}); check {AUTH_URL_VARIABLE}, "
            "your network and any proxy settings"
        )

    def _failure(self, status: int, error: str, what: str) -> AuthError:
        relogin = "run docs-confluence login --oauth" + (f" {self.site}" if self.site else "")
        if status == 401 or error in {"access_denied", "invalid_client"}:
            return AuthError(
                f"{what}: the authorization server refused the app's client id or secret "
                f"({status} {error or 'Unauthorized'}); check {OAUTH_CLIENT_ID_VARIABLE} and "
                f"{OAUTH_CLIENT_SECRET_VARIABLE} (or --client-id/--client-secret)"
            )
        if error in {"invalid_grant", "unauthorized_client"}:
            return AuthError(f"{what}: the sign-in has expired or was revoked ({error}); {relogin}")
        answer = f"{status} {error}".rstrip()
        return AuthError(
            f"{what}: the authorization server answered {answer}; check {AUTH_URL_VARIABLE} "
            "(unset: Atlassian's own) and the OAuth app's settings, then run docs-confluence "
            "login again"
        )


def accessible_resources(
    endpoints: Endpoints, access_token: str, *, transport: httpx.BaseTransport | None = None
) -> list[Resource]:
    """The sites the grant of *access_token* reaches."""
    url = endpoints.resources_url
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    try:
        with httpx.Client(transport=transport, timeout=30.0) as http:
            response = http.get(url, headers=headers)
    except httpx.TransportError as exc:
        raise NetworkError(
            f"list the sites of the grant: cannot reach {url} ({type(exc).__name__}); check "
            f"{API_URL_VARIABLE}, your network and any proxy settings"
        ) from exc
    log.debug("GET %s -> %d", url, response.status_code)
    if not response.is_success:
        raise AuthError(
            f"list the sites of the grant: {url} answered {response.status_code}; check "
            f"{API_URL_VARIABLE} (unset: Atlassian's own) and the app's scopes, then run "
            "docs-confluence login again"
        )
    try:
        items = response.json()
    except ValueError:
        items = None
    if not isinstance(items, list):
        raise AuthError(
            f"list the sites of the grant: {url} did not answer a list; check {API_URL_VARIABLE} "
            "(unset: Atlassian's own)"
        )
    return [
        Resource(
            str(item.get("id", "")),
            str(item.get("name", "")),
            str(item.get("url", "")),
            tuple(item.get("scopes") or ()),
        )
        for item in items
        if isinstance(item, dict) and item.get("id")
    ]


def matching_resource(resources: Sequence[Resource], site_url: str) -> Resource | None:
    """The resource whose URL has the scheme, host and port of *site_url*."""
    wanted = _origin(site_url)
    found = [r for r in resources if _origin(r.url) == wanted]
    return found[0] if len(found) == 1 else None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
