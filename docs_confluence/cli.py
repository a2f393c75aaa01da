"""The ``docs-confluence`` command: plan, publish, login, logout, status, sandbox.

``main(argv)`` returns the exit code: 0 done, 1 failed (including pages left alone because people
edited them), 2 usage error (argparse). It is the only module that prints.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import __version__
from .auth import CredentialStore, Endpoints, OAuthApp
from .auth import login as flows
from .bundle import read_bundle
from .ci import redact
from .config import (
    API_TOKEN_VARIABLE,
    API_URL_VARIABLE,
    AUTH_URL_VARIABLE,
    OAUTH_CLIENT_ID_VARIABLE,
    OAUTH_CLIENT_SECRET_VARIABLE,
    PARENT_VARIABLE,
    SPACE_VARIABLE,
    URL_VARIABLE,
    USER_VARIABLE,
    PublisherConfig,
    config_from_environment,
    environment_value,
)
from .errors import AuthError, ConfluencePublisherError
from .publisher import format_plan, open_client, plan_bundle, publish_bundle
from .publisher.report import PublishIncomplete, PublishReport, page_results

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from .auth import Resource, StoredLogin
    from .config import Deployment

__all__ = ["main"]

log = logging.getLogger("docs_confluence")

_URL_HELP = f"the site's base URL, with /wiki on Cloud [{URL_VARIABLE}]"
_METHODS = {
    "token": "API token",
    "pat": "personal access token",
    "oauth": "OAuth 2.0 (3LO)",
    "client_credentials": "OAuth 2.0 client credentials",
}


def main(argv: Sequence[str] | None = None, prog: str = "docs-confluence") -> int:
    """Run the command line; returns the exit code."""
    parser = _parser(prog)
    args = parser.parse_args(argv)
    if args.command in {"plan", "publish"}:
        if not (args.url or environment_value(URL_VARIABLE)):
            parser.error(f"no Confluence URL: pass --url or set {URL_VARIABLE}")
        if not (args.space or environment_value(SPACE_VARIABLE)):
            parser.error(f"no space: pass --space or set {SPACE_VARIABLE}")
    if args.command in {"login", "logout", "status"}:
        args.url = args.url or environment_value(URL_VARIABLE)
        if not args.url:
            parser.error(f"no Confluence URL: pass the site's URL or set {URL_VARIABLE}")
        if not _is_site_url(args.url):
            parser.error(
                f"{args.url!r} is not a site URL; expected e.g. https://example.atlassian.net/wiki"
            )
    saved = _configure_logging(args.verbose - args.quiet)
    try:
        with _handle_errors() as outcome:
            outcome.code = args.run(args)
    finally:
        _restore_logging(saved)
    return outcome.code


class _Outcome:
    code = 1


@contextmanager
def _handle_errors() -> Iterator[_Outcome]:
    outcome = _Outcome()
    try:
        yield outcome
    except ConfluencePublisherError as exc:
        print(f"error: {_redact(str(exc))}", file=sys.stderr)
        outcome.code = 1
    except KeyboardInterrupt:
        print("error: interrupted; run the same command again to finish", file=sys.stderr)
        outcome.code = 1


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Publish MkDocs and Sphinx documentation bundles into Confluence.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more output")
    parser.add_argument("-q", "--quiet", action="count", default=0, help="less output")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    plan = commands.add_parser("plan", help="show what a publish would change, write nothing")
    _target_options(plan)
    plan.add_argument(
        "--json",
        action="store_true",
        help="print the plan as JSON, with each page's planned outcome and URL",
    )
    plan.set_defaults(run=_run_plan)

    publish = commands.add_parser("publish", help="make the Confluence space match a bundle")
    _target_options(publish)
    publish.add_argument("--dry-run", action="store_true", help="plan only, write nothing")
    publish.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON: each page's outcome, id and URL",
    )
    publish.set_defaults(run=_run_publish)

    login = commands.add_parser(
        "login", help="sign in to a site once and store the credentials (see README)"
    )
    login.add_argument("url", nargs="?", metavar="URL", help=_URL_HELP)
    methods = login.add_mutually_exclusive_group(required=True)
    for flag, method, text in (
        ("--oauth", "oauth", "OAuth 2.0 (3LO) in the browser, with your own OAuth app (Cloud)"),
        ("--token", "token", "e-mail and API token, prompted without echo (Cloud)"),
        ("--pat", "pat", "personal access token, prompted without echo (Data Center)"),
        (
            "--client-credentials",
            "client_credentials",
            "a service account's OAuth 2.0 client id and secret (Cloud)",
        ),
    ):
        methods.add_argument(flag, dest="method", action="store_const", const=method, help=text)
    login.add_argument("--email", help=f"--token: the account's e-mail [{USER_VARIABLE}]")
    login.add_argument(
        "--stdin", action="store_true", help="read the token or client secret from stdin"
    )
    login.add_argument("--client-id", help=f"OAuth app client id [{OAUTH_CLIENT_ID_VARIABLE}]")
    login.add_argument(
        "--client-secret",
        help=f"OAuth app client secret [{OAUTH_CLIENT_SECRET_VARIABLE}]; prompted when missing "
        "(prefer the variable or the prompt: options show up in process lists)",
    )
    login.add_argument(
        "--no-browser", action="store_true", help="--oauth: print the sign-in address only"
    )
    login.add_argument(
        "--callback",
        default=flows.DEFAULT_CALLBACK,
        help="--oauth: the loopback callback URL registered for the app (default: %(default)s)",
    )
    login.add_argument(
        "--timeout", type=float, default=300.0, help="--oauth: seconds to wait for the browser"
    )
    login.set_defaults(run=_run_login)

    logout = commands.add_parser("logout", help="forget the stored credentials for a site")
    logout.add_argument("url", nargs="?", metavar="URL", help=_URL_HELP)
    logout.set_defaults(run=_run_logout)

    status = commands.add_parser(
        "status", help="which credentials a publish would use, and whether they work"
    )
    status.add_argument("url", nargs="?", metavar="URL", help=_URL_HELP)
    status.add_argument("--space", help=f"space key to check [{SPACE_VARIABLE}]")
    status.add_argument("--parent", help=f"parent page id or title [{PARENT_VARIABLE}]")
    status.add_argument(
        "--deployment", choices=("auto", "cloud", "datacenter"), help="default: from the URL"
    )
    status.set_defaults(run=_run_status)

    sandbox = commands.add_parser("sandbox", help="run a local Confluence-compatible server")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    sandbox.add_argument("--port", type=int, default=8090, help="port (0: any free port)")
    sandbox.add_argument("--data", metavar="FILE", help="keep the sandbox's state in FILE")
    sandbox.add_argument(
        "--flavor", choices=("cloud", "datacenter"), default="cloud", help="API layout"
    )
    sandbox.set_defaults(run=_run_sandbox)
    return parser


def _target_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("bundle", metavar="BUNDLE", help="bundle directory (has manifest.json)")
    command.add_argument("--url", help=f"base URL, with /wiki on Cloud [{URL_VARIABLE}]")
    command.add_argument("--space", help=f"space key [{SPACE_VARIABLE}]")
    command.add_argument("--parent", help=f"parent page id or title [{PARENT_VARIABLE}]")
    command.add_argument("--cleanup", action="store_true", help="trash our pages that left")
    command.add_argument(
        "--adopt",
        action="store_true",
        help="take over pages under the parent that hold our titles (made by hand or another tool)",
    )
    command.add_argument(
        "--draft",
        action="store_true",
        help="create new pages as drafts readers do not see (Cloud); a later run publishes them",
    )
    command.add_argument(
        "--on-conflict",
        choices=("keep", "overwrite", "fail"),
        help="pages edited in Confluence: keep them (default), overwrite, or fail first",
    )
    command.add_argument(
        "--deployment", choices=("auto", "cloud", "datacenter"), help="default: from the URL"
    )
    command.add_argument("--project", help="ownership id (default: the bundle's project)")
    command.add_argument("--concurrency", type=int, help="parallel requests (default 4)")
    command.add_argument(
        "--max-attachment-mb",
        type=float,
        help="the site's attachment size maximum in MB (default 100)",
    )


def _config(args: argparse.Namespace, **extra: object) -> PublisherConfig:
    values = config_from_environment(
        {
            "url": args.url,
            "space": args.space,
            "parent_page": args.parent,
            "cleanup": args.cleanup or None,
            "adopt": args.adopt or None,
            "draft": args.draft or None,
            "on_conflict": args.on_conflict,
            "deployment": args.deployment,
            "project": args.project,
            "concurrency": args.concurrency,
            "max_attachment_mb": args.max_attachment_mb,
            **extra,
        }
    )
    names = {"url": "--url", "space": "--space", "parent_page": "--parent"}
    names.update(
        {k: "--" + k.replace("_", "-") for k in ("on_conflict", "project", "max_attachment_mb")}
    )
    return PublisherConfig.from_mapping(values, origin="docs-confluence", names=names)


def _run_plan(args: argparse.Namespace) -> int:
    bundle = read_bundle(args.bundle)
    config = _config(args)
    with open_client(config) as client:
        planned, _ = plan_bundle(bundle, config, client)
        urls = client.page_url_by_id
    if args.json:
        pages = page_results(planned, None, bundle, urls)
        report = PublishReport(planned, None, planned.space_key, True, pages, planned.errors)
        _print_json({**planned.to_json(), **report.to_json()})
    else:
        print(format_plan(planned))
    return 1 if planned.errors else 0


def _run_publish(args: argparse.Namespace) -> int:
    bundle = read_bundle(args.bundle)
    config = _config(args, dry_run=args.dry_run or None)
    try:
        report = publish_bundle(bundle, config)
    except PublishIncomplete as exc:
        if args.json:
            _print_json(exc.report.to_json())
        raise
    if args.json:
        _print_json(report.to_json())
    else:
        print(report.summary())
    if report.conflicts:
        titles = ", ".join(repr(c.title) for c in report.conflicts)
        print(
            f"error: {len(report.conflicts)} page(s) were edited in Confluence and left alone: "
            f"{titles}. Re-run with --on-conflict overwrite to replace them.",
            file=sys.stderr,
        )
        return 1
    return 0


def _print_json(data: dict[str, object]) -> None:
    print(_redact(json.dumps(data, indent=2)))


def _run_login(args: argparse.Namespace) -> int:
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


def _run_logout(args: argparse.Namespace) -> int:
    store = CredentialStore()
    removed = flows.logout(args.url, store=store)
    if removed is None:
        print(f"No stored login for {args.url}; nothing to do")
        return 0
    print(
        f"Logged out of {removed.site}: removed the {_METHODS[removed.method]} login "
        f"from {store.path}; {flows.revocation_hint(removed)}"
    )
    return 0


def _run_status(args: argparse.Namespace) -> int:
    from .auth.status import check_status

    deployment: Deployment = args.deployment or "auto"
    report = check_status(
        args.url,
        space=args.space or environment_value(SPACE_VARIABLE),
        parent=args.parent or environment_value(PARENT_VARIABLE),
        cloud=PublisherConfig(url=args.url, deployment=deployment).is_cloud,
        store=CredentialStore(),
    )
    for line in report.lines():
        print(_redact(line))
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
        f"Logged in to {login.site}{who} with {_METHODS[login.method]}; "
        f"stored in {store.path} (check it with docs-confluence status)"
    )


def _is_site_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and not parts.username


def _run_sandbox(args: argparse.Namespace) -> int:
    from .sandbox import serve_forever

    def ready(base_url: str) -> None:
        origin = base_url.rsplit("/", 1)[0]
        print(f"Confluence sandbox ({args.flavor}) at {base_url}", flush=True)
        print(f"  browse it:   {origin.rstrip('/')}/", flush=True)
        print(
            f"  publish to it with {URL_VARIABLE}={base_url} {SPACE_VARIABLE}=DOC "
            f"{USER_VARIABLE}=sandbox@example.com {API_TOKEN_VARIABLE}=sandbox-api-token",
            flush=True,
        )
        if args.flavor == "cloud":
            print(
                f"  or sign in with OAuth: {AUTH_URL_VARIABLE}={origin} "
                f"{API_URL_VARIABLE}={origin} {OAUTH_CLIENT_ID_VARIABLE}=sandbox-oauth-app "
                f"{OAUTH_CLIENT_SECRET_VARIABLE}=sandbox-oauth-secret "
                f"docs-confluence login --oauth {base_url}",
                flush=True,
            )
        print("Press Ctrl-C to stop.", flush=True)

    data = None if args.data is None else Path(args.data)
    try:
        serve_forever(args.host, args.port, data, args.flavor, on_ready=ready)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"error: port {args.port} on {args.host} is in use (another sandbox?); "
            "pick another with --port N, or --port 0 for any free port",
            file=sys.stderr,
        )
        return 1
    return 0


# -- logging ------------------------------------------------------------------------------------


class _RedactingFormatter(logging.Formatter):
    """Replaces any secret from the environment that slipped into a message."""

    def format(self, record: logging.LogRecord) -> str:
        return _redact(super().format(record))


def _redact(text: str) -> str:
    return redact(text)


_Saved = list[tuple[logging.Logger, list[logging.Handler], bool, int]]


def _configure_logging(level: int) -> _Saved:
    """Send our records (and with -vv httpx's) to stderr; returns what to restore."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter("%(message)s"))
    loggers = [log] + ([logging.getLogger("httpx")] if level > 1 else [])
    saved = [(x, list(x.handlers), x.propagate, x.level) for x in loggers]
    log.setLevel(logging.DEBUG if level > 0 else logging.WARNING if level < 0 else logging.INFO)
    for logger in loggers[1:]:
        logger.setLevel(logging.INFO)
    for logger in loggers:
        logger.handlers[:] = [handler]
        logger.propagate = False
    return saved


def _restore_logging(saved: _Saved) -> None:
    """Leave logging as we found it (main() may be called from tests or other programs)."""
    for logger, handlers, propagate, level in saved:
        logger.handlers[:] = handlers
        logger.propagate = propagate
        logger.setLevel(level)
