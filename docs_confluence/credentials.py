"""Credentials: where they come from, and how they become an ``httpx.Auth``.

Lookup order (the same for the CLI, MkDocs and Sphinx): explicit values, then the environment
(``CONFLUENCE_USER`` + ``CONFLUENCE_API_TOKEN`` for Basic auth, ``CONFLUENCE_PAT`` for a Data
Center personal access token sent as Bearer). Secrets live in ``repr=False`` fields and are never
logged or put into messages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import httpx

from .errors import AuthError

if TYPE_CHECKING:
    from collections.abc import Generator, Mapping

__all__ = ["AuthMode", "BearerAuth", "Credentials", "credentials_from_environment"]

AuthMode = Literal["token", "pat", "oauth"]


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
    """An identity to publish as. ``secret`` never appears in ``repr``."""

    mode: AuthMode
    user: str | None
    secret: str = field(repr=False)

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


def credentials_from_environment(environ: Mapping[str, str] | None = None) -> Credentials:
    """Credentials from ``CONFLUENCE_USER``/``CONFLUENCE_API_TOKEN`` or ``CONFLUENCE_PAT``.

    Raises :class:`AuthError` saying which variables to set when none (or half) are set.
    """
    env = os.environ if environ is None else environ
    user = env.get("CONFLUENCE_USER") or None
    token = env.get("CONFLUENCE_API_TOKEN") or None
    pat = env.get("CONFLUENCE_PAT") or None
    if token and user:
        return Credentials("token", user, token)
    if pat:
        return Credentials("pat", None, pat)
    if token and not user:
        raise AuthError(
            "CONFLUENCE_API_TOKEN is set but CONFLUENCE_USER is not: set CONFLUENCE_USER to the "
            "e-mail address the API token belongs to."
        )
    raise AuthError(
        "No Confluence credentials: set CONFLUENCE_USER and CONFLUENCE_API_TOKEN (Cloud API "
        "token), or CONFLUENCE_PAT (Data Center personal access token)."
    )
