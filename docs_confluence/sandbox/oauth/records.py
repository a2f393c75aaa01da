"""The authorization server's records: registered apps, authorization codes and tokens.

`OAuthRecords` keeps them in memory (OAuth state is never written to the site's file) behind one
lock and applies the token rules: a code is redeemed once, by its app, with its redirect URI and
the ``code_verifier`` of its PKCE challenge; a refresh token rotates, stays usable for the reuse
window after that, and presenting it later revokes its whole family. A refused grant raises
`GrantRefused`, which the token endpoint (`.routes`) answers as an OAuth error.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

log = logging.getLogger(__name__)

ACCESS_TOKEN_LIFETIME = 3600.0
CODE_LIFETIME = 600.0
REUSE_WINDOW = 600.0
INACTIVITY_LIMIT = 90 * 86400.0
ABSOLUTE_LIFETIME = 365 * 86400.0


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
class AuthorizationCode:
    """A code /authorize handed out, waiting to be redeemed at /oauth/token."""

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


class GrantRefused(Exception):
    """A token request the rules refuse: the status and OAuth ``error`` to answer it with."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


class OAuthRecords:
    """The apps, codes and tokens of one authorization server, behind one lock.

    The set-up and lookup methods take the lock themselves; the grant methods (`redeem_code`,
    `rotate`, `new_access`, `new_refresh`) expect the caller to hold `lock`, so one token
    request is one transaction.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._clients: dict[str, OAuthClient] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        self._access: dict[str, AccessToken] = {}
        self._refresh: dict[str, RefreshToken] = {}
        self._revoked_families: set[str] = set()

    # -- set-up and lookups (these take the lock) -----------------------------------------------

    def add_client(self, client: OAuthClient) -> None:
        """Register an app (replacing one with the same client id)."""
        with self.lock:
            self._clients[client.client_id] = client

    def client(self, client_id: str) -> OAuthClient | None:
        """The registered app with this client id, or None."""
        return self._clients.get(client_id)

    def add_code(self, code: AuthorizationCode) -> None:
        """Keep a code /authorize handed out until it is redeemed."""
        with self.lock:
            self._codes[code.value] = code

    def access_token(self, value: str) -> AccessToken | None:
        """The record of an access token (None when unknown)."""
        with self.lock:
            return self._access.get(value)

    def expire_access_tokens(self, now: float) -> None:
        """Make every access token issued so far expire at *now*."""
        with self.lock:
            self._access = {k: replace(t, expires_at=now) for k, t in self._access.items()}

    def revoke_all(self) -> None:
        """Revoke every refresh token family and forget every access token."""
        with self.lock:
            self._revoked_families.update(t.family for t in self._refresh.values())
            self._access.clear()

    def issued_tokens(self) -> list[str]:
        """Every access and refresh token issued so far."""
        with self.lock:
            return [*self._access, *self._refresh]

    # -- grants (call with `lock` held) ---------------------------------------------------------

    def redeem_code(
        self, client: OAuthClient, form: Mapping[str, str], now: float
    ) -> AuthorizationCode:
        """Use up the code a token request presents; `GrantRefused` when it does not hold."""
        code = self._codes.pop(form.get("code") or "", None)
        if code is None or code.client_id != client.client_id or code.expires_at <= now:
            raise GrantRefused(403, "invalid_grant", "Invalid authorization code")
        if form.get("redirect_uri") != code.redirect_uri:
            raise GrantRefused(
                403, "invalid_grant", "redirect_uri does not match the authorization request"
            )
        verifier = form.get("code_verifier")
        if code.challenge is not None and verifier is None:
            raise GrantRefused(
                403, "invalid_grant", "code_verifier is required: the authorization used PKCE"
            )
        if code.challenge is not None and not code.verifies(verifier or ""):
            raise GrantRefused(
                403, "invalid_grant", "code_verifier does not match the code_challenge"
            )
        return code

    def rotate(
        self, client: OAuthClient, value: str, now: float, reuse_window: float
    ) -> RefreshToken:
        """Mark a presented refresh token rotated and return it; `GrantRefused` when dead."""
        record = self._refresh.get(value)
        if record is None or record.client_id != client.client_id:
            raise GrantRefused(403, "unauthorized_client", "refresh_token is invalid")
        expired = (
            now - record.issued_at > INACTIVITY_LIMIT
            or now - record.family_started > ABSOLUTE_LIFETIME
        )
        if record.family in self._revoked_families or expired:
            raise GrantRefused(403, "invalid_grant", "Unknown or invalid refresh token.")
        if record.rotated_at is not None and now - record.rotated_at > reuse_window:
            self._revoked_families.add(record.family)  # reuse after the window: breach detection
            log.info("Refresh token reused after rotation: revoked its family")
            raise GrantRefused(403, "unauthorized_client", "refresh_token is invalid")
        if record.rotated_at is None:
            self._refresh[value] = replace(record, rotated_at=now)
        return record

    def new_access(
        self, account_id: str, client_id: str, scopes: frozenset[str], expires_at: float
    ) -> AccessToken:
        """Issue an access token."""
        token = AccessToken(
            "sbx." + secrets.token_urlsafe(32), account_id, client_id, scopes, expires_at
        )
        self._access[token.value] = token
        return token

    def new_refresh(
        self,
        account_id: str,
        client_id: str,
        scopes: frozenset[str],
        now: float,
        family: RefreshToken | None,
    ) -> RefreshToken:
        """Issue a refresh token: in the family of *family* (a rotation) or a new family."""
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
        return refresh


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
