"""Credentials: where they come from, and how they become an ``httpx.Auth``.

Lookup order for a site (the same for the CLI, MkDocs and Sphinx), first match wins:

1. the environment, for CI: ``CONFLUENCE_USER`` + ``CONFLUENCE_API_TOKEN`` (Basic auth),
   ``CONFLUENCE_PAT`` (Data Center personal access token, sent as Bearer), or
   ``CONFLUENCE_OAUTH_CLIENT_ID`` + ``CONFLUENCE_OAUTH_CLIENT_SECRET`` (a service account's
   OAuth 2.0 client credentials; the same app id as a stored 3LO login selects that login);
2. the credential store that ``docs-confluence login`` fills (:mod:`.credential_store`).

API tokens and PATs are :class:`Credentials`; OAuth logins are
:class:`~docs_confluence.auth.grant.OAuthCredentials`, which send requests through the API gateway.
Secrets live in ``repr=False`` fields and are never logged or put into messages; every secret
seen is also remembered (:func:`docs_confluence.masking.remember_secrets`), so every output
masks one that slips through.
Credentials about to go over plain ``http://`` to another machine get one warning per address
(:func:`warn_if_plain_http`).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeAlias

import httpx

from ..config import (
    API_TOKEN_VARIABLE,
    API_URL_VARIABLE,
    AUTH_URL_VARIABLE,
    CLOUD_ID_VARIABLE,
    PAT_VARIABLE,
    USER_VARIABLE,
    environment_value,
)
from ..errors import AuthError
from ..masking import remember_secrets
from .credential_store import CredentialStore, config_dir, site_key
from .grant import OAuthCredentials
from .oauth import Endpoints, OAuthApp

if TYPE_CHECKING:
    from collections.abc import Generator, Mapping

__all__ = [
    "AnyCredentials",
    "AuthMode",
    "BearerAuth",
    "Credentials",
    "connect",
    "credentials_from_environment",
    "find_credentials",
    "warn_if_plain_http",
    "warn_oauth_endpoints",
]

log = logging.getLogger(__name__)

AuthMode = Literal["token", "pat", "oauth"]

_warned_lock = threading.Lock()
_warned_origins: set[str] = set()


def warn_if_plain_http(url: str, what: str = "credentials", setting: str = "the URL") -> None:
    """Log a warning (once per address) when *what* is about to be sent over plain ``http://``
    to a host that is not a loopback address (``127.0.0.1``, ``::1``, ``localhost``);
    *setting* names where the address comes from."""
    parts = httpx.URL(url)
    if parts.scheme != "http" or _is_loopback(parts.host):
        return
    origin = f"http://{parts.netloc.decode('ascii')}"
    with _warned_lock:
        if origin in _warned_origins:
            return
        _warned_origins.add(origin)
    log.warning(
        "Sending %s over plain http:// to %s: anyone on the network between can read them. "
        "Use an https:// address for %s",
        what,
        origin,
        setting,
    )


def warn_oauth_endpoints(endpoints: Endpoints) -> None:
    """:func:`warn_if_plain_http` for the authorization server and the API gateway."""
    warn_if_plain_http(endpoints.auth_url, "the OAuth client secret and tokens", AUTH_URL_VARIABLE)
    warn_if_plain_http(endpoints.api_url, "OAuth access tokens", API_URL_VARIABLE)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>`` on every request."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "BearerAuth([secure])"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


@dataclass(frozen=True, slots=True)
class Credentials:
    """An identity to publish as with a fixed secret (API token, PAT, or a bare OAuth access
    token). ``secret`` never appears in ``repr``; ``origin`` says where it came from."""

    mode: AuthMode
    user: str | None
    secret: str = field(repr=False)
    origin: Literal["environment", "store", "explicit"] = "explicit"

    def auth(self) -> httpx.Auth:
        """The ``httpx.Auth`` that sends these credentials."""
        if self.mode == "token":
            assert self.user is not None
            return httpx.BasicAuth(self.user, self.secret)
        return BearerAuth(self.secret)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for masking."""
        return (self.secret,)


AnyCredentials: TypeAlias = Credentials | OAuthCredentials


def connect(
    credentials: AnyCredentials, site_url: str, *, transport: httpx.BaseTransport | None = None
) -> tuple[str, httpx.Auth]:
    """The base URL to send requests to (the site, or the API gateway for OAuth) and the auth.

    Warns when the credentials would travel over plain ``http://`` to another machine."""
    remember_secrets(credentials.secrets)
    if isinstance(credentials, OAuthCredentials):
        warn_oauth_endpoints(credentials.endpoints)
        return credentials.connect(
            site_url, transport=transport, on_renewed=lambda t: remember_secrets(t.secrets)
        )
    warn_if_plain_http(site_url)
    return site_url, credentials.auth()


def credentials_from_environment(environ: Mapping[str, str] | None = None) -> Credentials:
    """Credentials from ``CONFLUENCE_USER``/``CONFLUENCE_API_TOKEN`` or ``CONFLUENCE_PAT``.

    Raises :class:`AuthError` saying which variables to set when none (or half) are set.
    """
    found = _static_from_environment(os.environ if environ is None else environ)
    if found is None:
        raise AuthError(_NO_CREDENTIALS)
    return found


def find_credentials(
    url: str,
    *,
    environ: Mapping[str, str] | None = None,
    store: CredentialStore | None = None,
) -> AnyCredentials:
    """The credentials for the site at *url*: the environment first, then the store.

    Raises :class:`AuthError` naming what to set or run when there are none.
    """
    env = os.environ if environ is None else environ
    static = _static_from_environment(env)
    if static is not None:
        return static
    store = store if store is not None else CredentialStore(config_dir(env))
    login = store.get(url)
    app = OAuthApp.from_environment(env)
    if app is not None:
        if login is not None and login.method == "oauth" and login.client_id == app.client_id:
            return OAuthCredentials.from_login(login, store, app=app)
        return OAuthCredentials(
            "client_credentials",
            site_key(url),
            app,
            Endpoints.from_environment(env),
            cloud_id=environment_value(CLOUD_ID_VARIABLE, env),
            origin="environment",
        )
    if login is None:
        raise AuthError(
            f"No Confluence credentials for {site_key(url)}: run docs-confluence login "
            f"{site_key(url)} (with --oauth, --token or --pat), or {_SET_VARIABLES}"
        )
    if login.method in ("oauth", "client_credentials"):
        return OAuthCredentials.from_login(login, store)
    if not login.secret or (login.method == "token" and not login.email):
        raise AuthError(
            f"The stored login for {login.site} is incomplete; run docs-confluence login"
        )
    mode: AuthMode = "token" if login.method == "token" else "pat"
    return Credentials(mode, login.email, login.secret, origin="store")


_SET_VARIABLES = (
    f"set {USER_VARIABLE} and {API_TOKEN_VARIABLE} (Cloud API token), or {PAT_VARIABLE} (Data "
    "Center personal access token)."
)
_NO_CREDENTIALS = f"No Confluence credentials: {_SET_VARIABLES}"


def _static_from_environment(env: Mapping[str, str]) -> Credentials | None:
    user = environment_value(USER_VARIABLE, env)
    token = environment_value(API_TOKEN_VARIABLE, env)
    pat = environment_value(PAT_VARIABLE, env)
    if token and user:
        return Credentials("token", user, token, origin="environment")
    if pat:
        return Credentials("pat", None, pat, origin="environment")
    if token and not user:
        raise AuthError(
            f"{API_TOKEN_VARIABLE} is set but {USER_VARIABLE} is not: set {USER_VARIABLE} to the "
            "e-mail address the API token belongs to."
        )
    return None
