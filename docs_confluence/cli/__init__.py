"""The ``docs-confluence`` command: plan, publish, edits, login, logout, status, sandbox.

``main(argv)`` returns the exit code: 0 done, 1 failed (including pages left alone because people
edited them), 2 usage error (argparse), 130 interrupted by Ctrl-C (SIGINT) and 143 by SIGTERM
(128 + the signal's number, as a shell reports it; what was done is recorded, run again to
finish). This package is the only place that prints: the parser
and plan/publish here, one module per other command group (:mod:`.review` for ``edits`` and
diffs, :mod:`.accounts`, :mod:`.serve`), and :mod:`.output` for what they share.
"""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .. import __version__
from ..auth import login as flows
from ..bundle import read_bundle
from ..config import (
    DEFAULT_CONCURRENCY,
    HEADERS_VARIABLE,
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
from ..errors import ConfluencePublisherError, Interrupted
from ..publisher import format_plan, open_client, plan_bundle, publish_bundle
from ..publisher.diffs import plan_diffs
from ..publisher.edits import conflict_hint
from ..publisher.report import PublishIncomplete, PublishReport, page_results
from .accounts import is_site_url, run_login, run_logout, run_status
from .output import configure_logging, print_json, redact, restore_logging
from .review import print_diffs, run_edits
from .serve import run_sandbox

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["main"]

log = logging.getLogger("docs_confluence")

_URL_HELP = f"the site's base URL, with /wiki on Cloud [{URL_VARIABLE}]"
_DIFF_HELP = "for each page whose body changes, show what a reader will see change"


def main(argv: Sequence[str] | None = None, prog: str = "docs-confluence") -> int:
    """Run the command line; returns the exit code."""
    parser = _parser(prog)
    args = parser.parse_args(argv)
    if args.command in {"plan", "publish", "edits"}:
        if not (args.url or environment_value(URL_VARIABLE)):
            parser.error(f"no Confluence URL: pass --url or set {URL_VARIABLE}")
        if not (args.space or environment_value(SPACE_VARIABLE)):
            parser.error(f"no space: pass --space or set {SPACE_VARIABLE}")
    if args.command in {"login", "logout", "status"}:
        args.url = args.url or environment_value(URL_VARIABLE)
        if not args.url:
            parser.error(f"no Confluence URL: pass the site's URL or set {URL_VARIABLE}")
        if not is_site_url(args.url):
            parser.error(
                f"{args.url!r} is not a site URL; expected e.g. https://example.atlassian.net/wiki"
            )
    saved = configure_logging(args.verbose - args.quiet)
    try:
        with _handle_errors() as outcome:
            outcome.code = args.run(args)
    finally:
        restore_logging(saved)
    return outcome.code


class _Outcome:
    code = 1


@contextmanager
def _handle_errors() -> Iterator[_Outcome]:
    outcome = _Outcome()
    try:
        yield outcome
    except Interrupted as exc:
        print(f"error: {redact(str(exc))}", file=sys.stderr)
        outcome.code = exc.exit_code
    except ConfluencePublisherError as exc:
        print(f"error: {redact(str(exc))}", file=sys.stderr)
        outcome.code = 1
    except KeyboardInterrupt:
        print("error: interrupted; run the same command again to finish", file=sys.stderr)
        outcome.code = 130


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
    plan.add_argument("--diff", action="store_true", help=_DIFF_HELP)
    plan.set_defaults(run=_run_plan)

    publish = commands.add_parser("publish", help="make the Confluence space match a bundle")
    _target_options(publish)
    publish.add_argument("--dry-run", action="store_true", help="plan only, write nothing")
    publish.add_argument("--diff", action="store_true", help=_DIFF_HELP)
    publish.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON: each page's outcome, id and URL",
    )
    publish.set_defaults(run=_run_publish)

    edits = commands.add_parser(
        "edits",
        help="pages of ours people changed in Confluence since our last publish: who, when, what",
    )
    _target_options(edits)
    for option in edits._actions:  # accepted (the same command line works), but no use here
        if option.dest in {"cleanup", "adopt", "on_conflict", "max_attachment_mb"}:
            option.help = argparse.SUPPRESS
    edits.add_argument("--json", action="store_true", help="print the edits as JSON")
    edits.set_defaults(run=run_edits)

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
    login.set_defaults(run=run_login)

    logout = commands.add_parser("logout", help="forget the stored credentials for a site")
    logout.add_argument("url", nargs="?", metavar="URL", help=_URL_HELP)
    logout.set_defaults(run=run_logout)

    status = commands.add_parser(
        "status", help="which credentials a publish would use, and whether they work"
    )
    status.add_argument("url", nargs="?", metavar="URL", help=_URL_HELP)
    status.add_argument("--space", help=f"space key to check [{SPACE_VARIABLE}]")
    status.add_argument("--parent", help=f"parent page id or title [{PARENT_VARIABLE}]")
    status.add_argument(
        "--deployment", choices=("auto", "cloud", "datacenter"), help="default: from the URL"
    )
    status.set_defaults(run=run_status)

    sandbox = commands.add_parser("sandbox", help="run a local Confluence-compatible server")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    sandbox.add_argument("--port", type=int, default=8090, help="port (0: any free port)")
    sandbox.add_argument("--data", metavar="FILE", help="keep the sandbox's state in FILE")
    sandbox.add_argument(
        "--flavor", choices=("cloud", "datacenter"), default="cloud", help="API layout"
    )
    sandbox.set_defaults(run=run_sandbox)
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
    command.add_argument(
        "--concurrency",
        type=int,
        help=f"the most requests in flight (default {DEFAULT_CONCURRENCY}; "
        "a run starts at 4 and rises while Confluence answers quickly)",
    )
    command.add_argument(
        "--max-attachment-mb",
        type=float,
        help="the site's attachment size maximum in MB (default 100)",
    )
    command.add_argument(
        "--header",
        action="append",
        metavar="'NAME: VALUE'",
        help=f"send this header with every request (repeatable) [{HEADERS_VARIABLE}, one per line]",
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
            "headers": args.header,
            **extra,
        }
    )
    names = {"url": "--url", "space": "--space", "parent_page": "--parent", "headers": "--header"}
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
        diffs = (
            plan_diffs(planned, bundle, client, concurrency=config.concurrency)
            if args.diff and not planned.errors
            else {}
        )
    if args.json:
        pages = page_results(planned, None, bundle, urls, diffs)
        report = PublishReport(planned, None, planned.space_key, True, pages, planned.errors)
        print_json({**planned.to_json(), **report.to_json()})
    else:
        print(format_plan(planned))
        print_diffs(bundle, diffs)
    if planned.conflicts and not args.json:
        print(conflict_hint(bundle.root, config), file=sys.stderr)
    return 1 if planned.errors else 0


def _run_publish(args: argparse.Namespace) -> int:
    bundle = read_bundle(args.bundle)
    config = _config(args, dry_run=args.dry_run or None, diff=args.diff or None)
    try:
        report = publish_bundle(bundle, config)
    except PublishIncomplete as exc:
        if args.json:
            print_json(exc.report.to_json())
        raise
    if args.json:
        print_json(report.to_json())
    else:
        print(report.summary())
    if report.conflicts:
        titles = ", ".join(repr(c.title) for c in report.conflicts)
        print(
            f"error: {len(report.conflicts)} page(s) were edited in Confluence and left alone: "
            f"{titles}. Re-run with --on-conflict overwrite to replace them.",
            file=sys.stderr,
        )
        return 1  # the engine's log already said where to see what people changed
    return 0
