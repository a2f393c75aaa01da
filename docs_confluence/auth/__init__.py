"""Credentials: everything that decides who the publisher is and proves it to Confluence.

This package owns finding the credentials (the ``CONFLUENCE_*`` environment first, then the
credential store that ``docs-confluence login`` fills), the store itself, the OAuth 2.0 grants
(3LO and client credentials) with their token endpoint, renewal and loopback redirect, the
``login``/``logout`` flows and ``docs-confluence status``. The rest of the engine imports what
it needs from here; :mod:`.login` and :mod:`.status` stay submodules, imported only by the
command line.
"""

from __future__ import annotations

from .credential_store import CredentialStore, StoredLogin
from .credentials import AnyCredentials, Credentials, connect, find_credentials
from .grant import OAuthCredentials
from .oauth import Endpoints, OAuthApp, Resource

__all__ = [
    "AnyCredentials",
    "CredentialStore",
    "Credentials",
    "Endpoints",
    "OAuthApp",
    "OAuthCredentials",
    "Resource",
    "StoredLogin",
    "connect",
    "find_credentials",
]
