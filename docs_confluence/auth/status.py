"""``docs-confluence status``: which credentials a publish would use, and whether they work.

:func:`check_status` resolves the credentials exactly as a publish does (environment, then the
store), then checks them step by step: who they belong to, when the token expires, which
OAuth scopes are missing, whether the space can be read and its parent page edited. Every
step becomes a :class:`Check` line; a failed step fails the report, not the call. No line
holds a secret.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..config import environment_headers
from ..errors import ConfluencePublisherError
from ..rest.client import ConfluenceClient
from ..rest.responses import decode, json_object
from .credentials import Credentials, connect, find_credentials
from .grant import OAuthAuth, OAuthCredentials
from .oauth import SCOPES

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import httpx

    from ..rest.models import Space
    from .credential_store import CredentialStore
    from .credentials import AnyCredentials

__all__ = ["Check", "Status", "check_status"]


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the report: what was checked, what was found, and whether that is fine."""

    label: str
    value: str
    ok: bool = True


@dataclass(frozen=True, slots=True)
class Status:
    """Everything ``status`` found out about one site."""

    site: str
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def lines(self) -> list[str]:
        """The report as aligned text lines."""
        rows = [Check("Site", self.site), *self.checks]
        width = max(len(row.label) for row in rows) + 1
        return [f"{row.label + ':':<{width}} {row.value}" for row in rows]


def check_status(
    url: str,
    *,
    space: str | None = None,
    parent: str | None = None,
    cloud: bool = True,
    environ: Mapping[str, str] | None = None,
    store: CredentialStore | None = None,
    transport: httpx.BaseTransport | None = None,
    clock: Callable[[], float] = time.time,
) -> Status:
    """Check the credentials for *url* and, when *space* is given, the space and the page we
    would publish under (*parent*, else the space homepage)."""
    checks: list[Check] = []
    try:
        credentials = find_credentials(url, environ=environ, store=store)
    except ConfluencePublisherError as exc:
        return Status(url, (Check("Credentials", str(exc), ok=False),))
    checks.append(Check("Method", _method(credentials, store)))
    try:
        base_url, auth = connect(credentials, url, transport=transport)
        if isinstance(auth, OAuthAuth):
            checks.extend(_token_checks(credentials, auth, clock))
    except ConfluencePublisherError as exc:
        checks.append(Check("Credentials", str(exc), ok=False))
        return Status(url, tuple(checks))
    cloud = cloud or isinstance(credentials, OAuthCredentials)
    with ConfluenceClient(
        base_url, auth=auth, cloud=cloud, transport=transport, headers=environment_headers()
    ) as client:
        try:
            user = client.current_user()
            checks.append(Check("Identity", f"{user.display_name} ({user.account_id})"))
        except ConfluencePublisherError as exc:
            checks.append(Check("Identity", f"not confirmed: {exc}", ok=False))
            return Status(url, tuple(checks))
        if space is not None:
            checks.extend(_space_checks(client, space, parent))
    return Status(url, tuple(checks))


def _method(credentials: AnyCredentials, store: CredentialStore | None) -> str:
    where = (
        "from the environment"
        if credentials.origin == "environment"
        else "stored by docs-confluence login"
        + (f" ({store.path})" if store is not None and credentials.origin == "store" else "")
    )
    if isinstance(credentials, OAuthCredentials):
        kind = (
            "OAuth 2.0 (3LO)"
            if credentials.mode == "oauth"
            else "OAuth 2.0 client credentials (service account)"
        )
        return f"{kind}, app {credentials.app.client_id}, {where}"
    assert isinstance(credentials, Credentials)
    if credentials.mode == "token":
        return f"API token for {credentials.user} (Basic auth), {where}"
    if credentials.mode == "pat":
        return f"personal access token (Bearer), {where}"
    return f"OAuth access token (Bearer), {where}"


def _token_checks(
    credentials: AnyCredentials, auth: OAuthAuth, clock: Callable[[], float]
) -> list[Check]:
    tokens = auth.current()
    left = max(0, int(tokens.expires_at - clock()))
    moment = datetime.fromtimestamp(tokens.expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    renewal = (
        "refreshed automatically"
        if tokens.refresh_token
        else "renewed from the client credentials"
        if isinstance(credentials, OAuthCredentials) and credentials.mode == "client_credentials"
        else "no refresh token: run docs-confluence login --oauth again after that"
    )
    checks = [Check("Expires", f"access token at {moment} (in {left // 60} min); {renewal}")]
    if tokens.scopes:
        wanted = [s for s in SCOPES if s != "offline_access" or credentials.mode == "oauth"]
        missing = [s for s in wanted if s not in tokens.scopes]
        checks.append(
            Check(
                "Scopes",
                f"missing {' '.join(missing)}: add them to the app (the README lists them), then "
                "run docs-confluence login again",
                ok=False,
            )
            if missing
            else Check("Scopes", "all the publisher needs")
        )
    return checks


def _space_checks(client: ConfluenceClient, key: str, parent: str | None) -> list[Check]:
    label = f"Space {key}"
    where = "the space homepage" if parent is None else f"parent page {parent!r}"
    try:
        found: Space = client.get_space(key)
        page_id = found.homepage_id
        if parent is not None:
            page = (
                client.get_page(parent)
                if parent.isdigit()
                else client.find_page_by_title(found, parent)
            )
            page_id = page.id if page is not None else None
    except ConfluencePublisherError as exc:
        return [Check(label, f"not reachable: {exc}", ok=False)]
    if page_id is None:
        return [Check(label, f"reachable, but {where} was not found", ok=False)]
    what = f"read the permissions on {where}"
    try:
        response = client.sender.send(
            "GET", f"{client.v1}/content/{page_id}", params={"expand": "operations"}, what=what
        )
        operations = decode(response, what, json_object).get("operations")
    except ConfluencePublisherError as exc:
        return [Check(label, f"reachable; cannot tell whether it is writable: {exc}", ok=False)]
    if not isinstance(operations, list):
        return [Check(label, f"reachable ({found.name}); Confluence did not say if writable")]
    allowed = {str(op.get("operation")) for op in operations if isinstance(op, dict)}
    if "update" not in allowed:
        problem = f"reachable ({found.name}) but not writable: {where} cannot be edited"
        return [Check(label, problem, ok=False)]
    return [Check(label, f"reachable ({found.name}) and writable ({where} can be edited)")]
