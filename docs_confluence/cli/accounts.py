"""``docs-confluence login``, ``logout`` and ``status``: credentials stored once per site."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..auth import CredentialStore, Endpoints, OAuthApp
from ..auth import login as flows
from ..config import (
    OAUTH_CLIENT_ID_VARIABLE,
    OAUTH_CLIENT_SECRET_VARIABLE,
    PARENT_VARIABLE,
    SPACE_VARIABLE,
    USER_VARIABLE,
    environment_value,
    is_cloud_site,
)
from ..errors import AuthError
from .output import redact

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from ..auth import Resource, StoredLogin
    from ..config import Deployment

__all__ = ["is_site_url", "run_login", "run_logout", "run_status"]

METHODS = {
    "token": "API token",
    "pat": "personal access token",
    "oauth": "OAuth 2.0 (3LO)",
    "client_credentials": "OAuth 2.0 client credentials",
}


def run_login(args: argparse.Namespace) -> int:
    store = CredentialStore()
    method = args.method
    if method == "token":
        email = args.email or environment_value(USER_VARIABLE) or _ask("E-mail address: ", args)
        token = flows.read_secret("API token: ", from_stdin=args.stdin)
        done = flows.login_with_token(args.url, email, token, store=store)
    elif method == "pat":
        pat = flows.read_secret("Personal access token: ", from_stdin=args.stdin)
        done = flows.login_with_pat(args.url, pat, store=store)
    else:
        app = _oauth_app(args)
        endpoints = Endpoints.from_environment()
        if method == "oauth":

            def show(address: str) -> None:
                opened = not args.no_browser and flows.open_browser(address)
                print(
                    "Opened a browser to sign in to Atlassian; if it did not open, visit:"
                    if opened
                    else "Open this address in a browser to sign in to Atlassian:",
                    flush=True,
                )
                print(address, flush=True)
                print("Waiting for the browser to come back...", flush=True)

            done = flows.login_with_oauth(
                args.url,
                app,
                store=store,
                endpoints=endpoints,
                show=show,
                choose=lambda found: _choose_site(args.url, found),
                callback=args.callback,
                timeout=args.timeout,
            )
        else:
            done = flows.login_with_client_credentials(
                args.url,
                app,
                store=store,
                endpoints=endpoints,
                choose=lambda found: _choose_site(args.url, found),
            )
    print(_logged_in(done, store))
    return 0


def run_logout(args: argparse.Namespace) -> int:
    store = CredentialStore()
    removed = flows.logout(args.url, store=store)
    if removed is None:
        print(f"No stored login for {args.url}; nothing to do")
        return 0
    print(
        f"Logged out of {removed.site}: removed the {METHODS[removed.method]} login "
        f"from {store.path}; {flows.revocation_hint(removed)}"
    )
    return 0


def run_status(args: argparse.Namespace) -> int:
    from ..auth.status import check_status

    deployment: Deployment = args.deployment or "auto"
    report = check_status(
        args.url,
        space=args.space or environment_value(SPACE_VARIABLE),
        parent=args.parent or environment_value(PARENT_VARIABLE),
        cloud=is_cloud_site(args.url, deployment),
        store=CredentialStore(),
    )
    for line in report.lines():
        print(redact(line))
    return 0 if report.ok else 1


def _oauth_app(args: argparse.Namespace) -> OAuthApp:
    client_id = args.client_id or environment_value(OAUTH_CLIENT_ID_VARIABLE)
    if not client_id:
        raise AuthError(
            f"No OAuth client id: pass --client-id or set {OAUTH_CLIENT_ID_VARIABLE} (the app's "
            "Client ID from https://developer.atlassian.com/console/myapps/, see the README)"
        )
    secret = args.client_secret or environment_value(OAUTH_CLIENT_SECRET_VARIABLE)
    if not secret:
        secret = flows.read_secret("OAuth client secret: ", from_stdin=args.stdin)
    app = OAuthApp.from_environment({}, client_id=client_id, client_secret=secret)
    assert app is not None
    return app


def _ask(prompt: str, args: argparse.Namespace) -> str:
    if args.stdin or not sys.stdin.isatty():
        raise AuthError(f"No e-mail address: pass --email or set {USER_VARIABLE}")
    answer = input(prompt).strip()
    if not answer:
        raise AuthError(f"No e-mail address given: pass --email or set {USER_VARIABLE}")
    return answer


def _choose_site(url: str, resources: Sequence[Resource]) -> Resource:
    listed = "".join(f"\n  {n}. {r.name}: {r.url}" for n, r in enumerate(resources, 1))
    if not sys.stdin.isatty():
        raise AuthError(
            f"The grant does not reach {url}; it reaches:{listed}\nRun docs-confluence login "
            "again with one of these URLs"
        )
    print(f"The grant does not reach {url}; which site do you mean?{listed}")
    answer = input("Site number: ").strip()
    if not answer.isdigit() or not 1 <= int(answer) <= len(resources):
        raise AuthError(f"No site chosen ({answer!r}); run docs-confluence login again")
    return resources[int(answer) - 1]


def _logged_in(login: StoredLogin, store: CredentialStore) -> str:
    who = f" as {login.identity}" if login.identity else ""
    return (
        f"Logged in to {login.site}{who} with {METHODS[login.method]}; "
        f"stored in {store.path} (check it with docs-confluence status)"
    )


def is_site_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and not parts.username
