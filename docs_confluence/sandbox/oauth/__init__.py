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

```
records.py  OAuthRecords: registered apps, authorization codes, access and refresh tokens,
            and the rules a grant must pass (PKCE, rotation, reuse window, families)
routes.py   OAuthServer: /authorize, /oauth/token, accessible-resources, tenant_info,
            and the gateway's bearer check (`OAuthServer.authenticate`)
```
"""

from __future__ import annotations

from .records import (
    ABSOLUTE_LIFETIME,
    ACCESS_TOKEN_LIFETIME,
    CODE_LIFETIME,
    INACTIVITY_LIMIT,
    REUSE_WINDOW,
    AccessToken,
    AuthorizationCode,
    GrantRefused,
    OAuthClient,
    OAuthRecords,
    RefreshToken,
)
from .routes import DEFAULT_CLOUD_ID, OAuthServer

__all__ = [
    "ABSOLUTE_LIFETIME",
    "ACCESS_TOKEN_LIFETIME",
    "CODE_LIFETIME",
    "DEFAULT_CLOUD_ID",
    "INACTIVITY_LIMIT",
    "REUSE_WINDOW",
    "AccessToken",
    "AuthorizationCode",
    "GrantRefused",
    "OAuthClient",
    "OAuthRecords",
    "OAuthServer",
    "RefreshToken",
]
