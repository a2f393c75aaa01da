"""An OAuth grant as credentials: the tokens of a login, and the ``httpx.Auth`` that keeps them
fresh.

:class:`OAuthAuth` sends the access token, renews it shortly before it expires, and renews it
once more if Confluence answers 401 anyway (not for a missing scope: a new token would not
help). Threads share one instance: one renews, the others use its result. What a renewal does is
pluggable: a stored login renews under the credential store's lock, re-reading the store first
(another process may have renewed already) and saving the rotated refresh token before the new
access token is used; client credentials from the environment simply ask for a new token.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import httpx

from ..config import CLOUD_ID_VARIABLE, OAUTH_CLIENT_SECRET_VARIABLE
from ..errors import AuthError
from .oauth import (
    DEFAULT_API_URL,
    DEFAULT_AUTH_URL,
    EXPIRY_LEEWAY,
    Endpoints,
    OAuthApp,
    TokenEndpoint,
    TokenSet,
    accessible_resources,
    matching_resource,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

    from .credential_store import CredentialStore, StoredLogin

__all__ = ["OAuthAuth", "OAuthCredentials"]

log = logging.getLogger(__name__)


class OAuthAuth(httpx.Auth):
    """``Authorization: Bearer <access token>``, renewed before expiry and after a 401.

    *renew* gets the stale :class:`TokenSet` (None at first use without one) and returns fresh
    tokens. Threads share one instance: one renews, the others wait and use its result.
    """

    def __init__(
        self,
        tokens: TokenSet | None,
        renew: Callable[[TokenSet | None], TokenSet],
        *,
        clock: Callable[[], float] = time.time,
        leeway: float = EXPIRY_LEEWAY,
        on_renewed: Callable[[TokenSet], None] | None = None,
    ) -> None:
        self._tokens = tokens
        self._renew = renew
        self._clock = clock
        self._leeway = leeway
        self._on_renewed = on_renewed
        self._lock = threading.Lock()
        self._obtained_at: float | None = None

    def __repr__(self) -> str:
        return "OAuthAuth([secure])"

    def current(self) -> TokenSet:
        """Tokens good for at least *leeway* seconds (renewing first when needed)."""
        tokens = self._tokens
        if tokens is None or tokens.expiring(self._clock(), self._leeway_for(tokens)):
            return self._renewed(tokens)
        return tokens

    def _leeway_for(self, tokens: TokenSet) -> float:
        # A token this instance just obtained is never "expiring" at once, however short-lived.
        if self._obtained_at is not None and tokens is self._tokens:
            return min(self._leeway, (tokens.expires_at - self._obtained_at) / 2)
        return self._leeway

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        tokens = self.current()
        request.headers["Authorization"] = f"Bearer {tokens.access_token}"
        response = yield request
        if _token_rejected(response):
            log.debug("Access token refused (%d); renewing it once", response.status_code)
            tokens = self._renewed(tokens, force=True)
            request.headers["Authorization"] = f"Bearer {tokens.access_token}"
            yield request

    def _renewed(self, stale: TokenSet | None, *, force: bool = False) -> TokenSet:
        with self._lock:
            current = self._tokens
            if current is not None and not current.expiring(
                self._clock(), self._leeway_for(current)
            ):
                renewed_meanwhile = stale is None or current.access_token != stale.access_token
                if not force or renewed_meanwhile:
                    return current
            obtained_at = self._clock()
            tokens = self._renew(current)
            self._tokens, self._obtained_at = tokens, obtained_at
            if self._on_renewed is not None:
                self._on_renewed(tokens)
            return tokens


def _token_rejected(response: httpx.Response) -> bool:
    """A 401 that a new access token could fix (not a missing scope), or a 403 that says the
    token is invalid (expired tokens surface as 403 on some v1 paths)."""
    if response.headers.get("X-Failure-Category") == "FAILURE_CLIENT_SCOPE_CHECK":
        return False
    challenge = response.headers.get("WWW-Authenticate", "")
    if response.status_code == 401:
        return True
    return response.status_code == 403 and "invalid_token" in challenge


# -- credentials --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OAuthCredentials:
    """An OAuth identity to publish as: a stored 3LO login, or a service-account credential
    (stored, or from the environment). ``connect`` gives the gateway base URL and the auth."""

    mode: Literal["oauth", "client_credentials"]
    site: str
    app: OAuthApp
    endpoints: Endpoints
    cloud_id: str | None = None
    tokens: TokenSet | None = None
    identity: str | None = None
    origin: Literal["environment", "store"] = "store"
    store: CredentialStore | None = field(default=None, repr=False, compare=False)

    @property
    def user(self) -> str | None:
        return self.identity

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for masking."""
        return (self.app.client_secret, *(self.tokens.secrets if self.tokens else ()))

    @classmethod
    def from_login(
        cls, login: StoredLogin, store: CredentialStore, *, app: OAuthApp | None = None
    ) -> OAuthCredentials:
        """The credentials of a stored OAuth login (*app* overrides the stored secret)."""
        if login.method not in ("oauth", "client_credentials") or not login.client_id:
            raise AuthError(
                f"The stored login for {login.site} is not an OAuth login; run "
                f"docs-confluence login --oauth {login.site} again"
            )
        secret = app.client_secret if app else login.client_secret
        if not secret:
            raise AuthError(
                f"The OAuth login for {login.site} has no client secret: set "
                f"{OAUTH_CLIENT_SECRET_VARIABLE} or run docs-confluence login again"
            )
        tokens = None
        if login.access_token:
            tokens = TokenSet(
                login.access_token, login.expires_at or 0.0, login.refresh_token, login.scopes
            )
        return cls(
            mode="oauth" if login.method == "oauth" else "client_credentials",
            site=login.site,
            app=OAuthApp(login.client_id, secret),
            endpoints=Endpoints(
                login.auth_url or DEFAULT_AUTH_URL, login.api_url or DEFAULT_API_URL
            ),
            cloud_id=login.cloud_id,
            tokens=tokens,
            identity=login.identity,
            origin="store",
            store=store,
        )

    def token_endpoint(self, transport: httpx.BaseTransport | None = None) -> TokenEndpoint:
        return TokenEndpoint(self.endpoints, self.app, transport=transport, site=self.site)

    def auth(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        on_renewed: Callable[[TokenSet], None] | None = None,
    ) -> OAuthAuth:
        """The refreshing ``httpx.Auth`` (renewals persist to the store when there is one)."""
        endpoint = self.token_endpoint(transport)
        renew: Callable[[TokenSet | None], TokenSet]
        if self.store is not None:
            renew = _StoredRenewal(self.store, self.site, endpoint, self.mode, clock)
        elif self.mode == "client_credentials":

            def renew(stale: TokenSet | None) -> TokenSet:
                return endpoint.client_credentials()

        else:
            raise AuthError("An OAuth 3LO login needs the credential store to refresh its tokens")
        return OAuthAuth(self.tokens, renew, clock=clock, on_renewed=on_renewed)

    def connect(
        self,
        site_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        on_renewed: Callable[[TokenSet], None] | None = None,
    ) -> tuple[str, httpx.Auth]:
        """The gateway base URL for the site and the auth to send (looking up the cloud id
        through accessible-resources when it is not known yet)."""
        auth = self.auth(transport=transport, on_renewed=on_renewed)
        cloud_id = self.cloud_id or self.resolve_cloud_id(site_url, auth, transport=transport)
        return self.endpoints.gateway(cloud_id), auth

    def resolve_cloud_id(
        self, site_url: str, auth: OAuthAuth, *, transport: httpx.BaseTransport | None = None
    ) -> str:
        """The cloud id of *site_url* among the sites the grant reaches."""
        resources = accessible_resources(
            self.endpoints, auth.current().access_token, transport=transport
        )
        found = matching_resource(resources, site_url)
        if found is None:
            names = ", ".join(r.url for r in resources) or "none"
            raise AuthError(
                f"The OAuth grant does not reach {site_url} (it reaches: {names}); check the URL, "
                f"or set {CLOUD_ID_VARIABLE}"
            )
        return found.id


class _StoredRenewal:
    """Renew the tokens of a stored login under the store's lock, re-reading it first (another
    process may have renewed already) and saving the result before returning it.

    The lock stays held while :meth:`TokenEndpoint.refresh` retries a refresh whose answer was
    lost: the server may have rotated the refresh token already, and only the same token sent
    again within the reuse window gets a valid pair, so no other process may use it meanwhile."""

    def __init__(
        self,
        store: CredentialStore,
        site: str,
        endpoint: TokenEndpoint,
        mode: Literal["oauth", "client_credentials"],
        clock: Callable[[], float],
    ) -> None:
        self.store = store
        self.site = site
        self.endpoint = endpoint
        self.mode = mode
        self.clock = clock

    def __call__(self, stale: TokenSet | None) -> TokenSet:
        flag = "--oauth" if self.mode == "oauth" else "--client-credentials"
        relogin = f"run docs-confluence login {flag} {self.site}"
        with self.store.locked():
            login = self.store.get(self.site)
            if login is None:
                raise AuthError(f"No stored login for {self.site} any more; {relogin}")
            if login.access_token and (stale is None or login.access_token != stale.access_token):
                stored = TokenSet(
                    login.access_token, login.expires_at or 0.0, login.refresh_token, login.scopes
                )
                if not stored.expiring(self.clock()):
                    log.debug("Using the access token another process renewed for %s", self.site)
                    return stored
            if self.mode == "client_credentials":
                tokens = self.endpoint.client_credentials()
            else:
                if not login.refresh_token:
                    raise AuthError(
                        f"The OAuth access token for {self.site} expired and there is no refresh "
                        f"token (was offline_access granted?); {relogin}"
                    )
                tokens = self.endpoint.refresh(login.refresh_token)
            self.store.put(
                replace(
                    login,
                    access_token=tokens.access_token,
                    refresh_token=tokens.refresh_token,
                    expires_at=tokens.expires_at,
                    scopes=tokens.scopes or login.scopes,
                    updated_at=time.time(),
                )
            )
        log.info("Renewed the OAuth access token for %s", self.site)
        return tokens
