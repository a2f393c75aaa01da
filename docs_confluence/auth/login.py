"""The flows behind ``docs-confluence login`` and ``logout``: check the credentials, then store.

Every flow proves the credentials work (an API call, or a completed OAuth grant) before they
reach the store, so a typo is reported at once rather than at the next publish. Nothing here
prints: secrets are prompted with ``getpass`` (or read from stdin), and what the user must see
(the authorization URL, a choice of sites) goes through callbacks the CLI supplies.

The OAuth 2.0 (3LO) flow listens on a loopback address (:mod:`.loopback`), sends the user to
the authorization server, checks the ``state`` of the redirect, exchanges the code, finds the
site's cloud id through accessible-resources and stores the tokens.
"""

from __future__ import annotations

import getpass
import logging
import os
import secrets
import sys
import time
import webbrowser
from typing import TYPE_CHECKING, Literal, TextIO

import httpx

from ..config import environment_headers
from ..errors import AuthError, PermissionDenied
from ..masking import remember_secrets
from ..rest.client import ConfluenceClient
from .credential_store import StoredLogin, site_key
from .credentials import BearerAuth, warn_if_plain_http, warn_oauth_endpoints
from .loopback import DEFAULT_CALLBACK, LoopbackRedirect
from .oauth import (
    SCOPES,
    TokenEndpoint,
    accessible_resources,
    authorization_url,
    check_redirect,
    matching_resource,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..rest.models import User
    from .credential_store import CredentialStore
    from .oauth import Endpoints, OAuthApp, Resource, TokenSet

__all__ = [
    "DEFAULT_CALLBACK",
    "login_with_client_credentials",
    "login_with_oauth",
    "login_with_pat",
    "login_with_token",
    "logout",
    "open_browser",
    "read_secret",
    "revocation_hint",
]

log = logging.getLogger(__name__)


# -- prompts ------------------------------------------------------------------------------------


def read_secret(prompt: str, *, from_stdin: bool = False, stdin: TextIO | None = None) -> str:
    """A secret typed without echo, or the first line of stdin (``--stdin``, for scripts)."""
    if from_stdin:
        value = (stdin or sys.stdin).readline().strip()
    else:
        value = getpass.getpass(prompt).strip()
    if not value:
        raise AuthError("Nothing was entered; run the command again and paste the secret")
    return value


def open_browser(url: str) -> bool:
    """Open *url* in the user's browser; False when there is none (a server, an SSH session)."""
    graphical = (
        sys.platform in ("darwin", "win32")
        or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        or bool(os.environ.get("BROWSER"))
    )
    if not graphical:
        return False
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False


# -- API tokens and PATs ------------------------------------------------------------------------


def login_with_token(
    site_url: str,
    email: str,
    api_token: str,
    *,
    store: CredentialStore,
    transport: httpx.BaseTransport | None = None,
) -> StoredLogin:
    """Check an e-mail + API token against the site (Basic auth), then store it."""
    remember_secrets([api_token])
    warn_if_plain_http(site_url, "the API token")
    user = _verify(site_url, httpx.BasicAuth(email, api_token), transport, "the API token")
    login = StoredLogin(
        site=site_key(site_url),
        method="token",
        email=email,
        identity=_identity(user, email),
        secret=api_token,
        updated_at=time.time(),
    )
    store.put(login)
    return login


def login_with_pat(
    site_url: str,
    pat: str,
    *,
    store: CredentialStore,
    transport: httpx.BaseTransport | None = None,
) -> StoredLogin:
    """Check a Data Center personal access token (Bearer), then store it."""
    remember_secrets([pat])
    warn_if_plain_http(site_url, "the personal access token")
    user = _verify(site_url, BearerAuth(pat), transport, "the personal access token")
    login = StoredLogin(
        site=site_key(site_url),
        method="pat",
        identity=_identity(user),
        secret=pat,
        updated_at=time.time(),
    )
    store.put(login)
    return login


# -- OAuth 2.0 ----------------------------------------------------------------------------------


def login_with_oauth(
    site_url: str,
    app: OAuthApp,
    *,
    store: CredentialStore,
    endpoints: Endpoints,
    show: Callable[[str], None],
    choose: Callable[[Sequence[Resource]], Resource],
    callback: str = DEFAULT_CALLBACK,
    timeout: float = 300.0,
    scopes: Sequence[str] = SCOPES,
    transport: httpx.BaseTransport | None = None,
) -> StoredLogin:
    """Run the authorization-code flow and store the tokens.

    *show* receives the authorization URL (the CLI opens a browser and prints it); the user's
    browser then comes back to *callback*, a loopback address this function listens on.
    *choose* picks the site when the grant reaches several and none is *site_url*.
    """
    remember_secrets([app.client_secret])
    warn_oauth_endpoints(endpoints)
    state = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    with LoopbackRedirect(callback, state) as redirect:
        show(
            authorization_url(
                endpoints,
                app,
                redirect_uri=redirect.uri,
                state=state,
                code_verifier=verifier,
                scopes=scopes,
            )
        )
        answer = redirect.wait(timeout)
    code = check_redirect(answer, state)
    endpoint = TokenEndpoint(endpoints, app, transport=transport, site=site_key(site_url))
    tokens = endpoint.exchange_code(code, redirect.uri, verifier)
    remember_secrets(tokens.secrets)
    if tokens.refresh_token is None:
        log.warning(
            "The grant has no refresh token (offline_access was not granted): this login "
            "works for about an hour, then docs-confluence login must run again"
        )
    return _store_grant(site_url, "oauth", app, tokens, store, endpoints, choose, transport)


def login_with_client_credentials(
    site_url: str,
    app: OAuthApp,
    *,
    store: CredentialStore,
    endpoints: Endpoints,
    choose: Callable[[Sequence[Resource]], Resource],
    transport: httpx.BaseTransport | None = None,
) -> StoredLogin:
    """Check a service account's OAuth 2.0 client credentials and store them."""
    remember_secrets([app.client_secret])
    warn_oauth_endpoints(endpoints)
    endpoint = TokenEndpoint(endpoints, app, transport=transport, site=site_key(site_url))
    tokens = endpoint.client_credentials()
    remember_secrets(tokens.secrets)
    return _store_grant(
        site_url, "client_credentials", app, tokens, store, endpoints, choose, transport
    )


def _store_grant(
    site_url: str,
    method: Literal["oauth", "client_credentials"],
    app: OAuthApp,
    tokens: TokenSet,
    store: CredentialStore,
    endpoints: Endpoints,
    choose: Callable[[Sequence[Resource]], Resource],
    transport: httpx.BaseTransport | None,
) -> StoredLogin:
    """Find the grant's site and identity through the gateway, then store the login."""
    resource = _site_of_grant(site_url, endpoints, tokens, choose, transport)
    identity = _gateway_identity(endpoints.gateway(resource.id), tokens, transport)
    login = StoredLogin(
        site=site_key(site_url),
        method=method,
        identity=identity,
        client_id=app.client_id,
        client_secret=app.client_secret,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=tokens.expires_at,
        scopes=tokens.scopes,
        cloud_id=resource.id,
        auth_url=endpoints.auth_url,
        api_url=endpoints.api_url,
        updated_at=time.time(),
    )
    store.put(login)
    return login


def logout(site_url: str, *, store: CredentialStore) -> StoredLogin | None:
    """Forget the stored login for a site; returns it (None when there was none).

    Atlassian documents no endpoint to revoke a token with itself, so revoking is left to the
    user: :func:`revocation_hint` says where.
    """
    return store.remove(site_url)


def revocation_hint(login: StoredLogin) -> str:
    """Where to revoke what a removed login used."""
    if login.method == "oauth":
        return (
            "to revoke the app's access too, remove it under Connected apps at "
            "https://id.atlassian.com/manage-profile/apps"
        )
    if login.method == "token":
        return (
            "to revoke the API token too, delete it at "
            "https://id.atlassian.com/manage-profile/security/api-tokens"
        )
    if login.method == "pat":
        return "to revoke the token too, delete it under Profile > Personal Access Tokens"
    return "the service account's credential stays valid until an admin deletes it"


def _site_of_grant(
    site_url: str,
    endpoints: Endpoints,
    tokens: TokenSet,
    choose: Callable[[Sequence[Resource]], Resource],
    transport: httpx.BaseTransport | None,
) -> Resource:
    resources = accessible_resources(endpoints, tokens.access_token, transport=transport)
    if not resources:
        raise AuthError(
            "The grant reaches no Confluence site: the account may lack access to the site, or "
            "the app has no Confluence scopes"
        )
    found = matching_resource(resources, site_url)
    return found if found is not None else choose(resources)


def _gateway_identity(
    gateway: str, tokens: TokenSet, transport: httpx.BaseTransport | None
) -> str | None:
    try:
        user = _verify(gateway, BearerAuth(tokens.access_token), transport, "the access token")
    except AuthError as exc:
        log.warning("Signed in, but could not read who as: %s", exc)
        return None
    return _identity(user)


def _verify(
    base_url: str, auth: httpx.Auth, transport: httpx.BaseTransport | None, what: str
) -> User:
    with ConfluenceClient(
        base_url, auth=auth, transport=transport, headers=environment_headers()
    ) as client:
        try:
            return client.current_user()
        except PermissionDenied as exc:
            raise AuthError(
                f"Confluence at {base_url} refused {what} ({exc.status}); check it and the URL, "
                "then run docs-confluence login again"
            ) from exc


def _identity(user: User, email: str | None = None) -> str:
    name = user.display_name or user.account_id
    return f"{name} <{email}>" if email and email != name else f"{name} ({user.account_id})"
