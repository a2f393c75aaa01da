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
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from .. import __version__
from ..auth import login as flows
from ..bundle import read_bundle
from ..ci import with_ci_report
from ..config import (
    OAUTH_CLIENT_ID_VARIABLE,
    OAUTH_CLIENT_SECRET_VARIABLE,
    PARENT_VARIABLE,
    SPACE_VARIABLE,
    URL_VARIABLE,
    USER_VARIABLE,
    PublisherConfig,
    config_from_environment,
    environment_value,
    space_problem,
)
from ..errors import ConfigError, ConfluencePublisherError, Interrupted
from ..masking import remember_secrets
from ..publisher import format_plan, publish_bundle
from ..publisher.report import PublishIncomplete, PublishReport, failure_json
from ..settings.options import OPTIONS, Option, option
from .accounts import is_site_url, run_login, run_logout, run_status
from .output import configure_logging, print_json, redact, restore_logging
from .review import print_diffs, run_edits
from .serve import run_sandbox

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ..readable import ReadableDiff
    from ..settings.options import Command

__all__ = ["main"]

log = logging.getLogger("docs_confluence")

_URL_HELP = f"the site's base URL, with /wiki on Cloud [{URL_VARIABLE}]"
#: The options of PublisherConfig, by name: the CLI's values for them go to the engine.
_ENGINE = {f.name for f in fields(PublisherConfig)}


def main(argv: Sequence[str] | None = None, prog: str = "docs-confluence") -> int:
    """Run the command line; returns the exit code."""
    parser = _parser(prog)
    args = parser.parse_args(argv)
    if args.command in {"plan", "publish", "edits"}:
        url = args.url or environment_value(URL_VARIABLE)
        if not url:
            parser.error(f"no Confluence URL: pass --url or set {URL_VARIABLE}")
        space = args.space or environment_value(SPACE_VARIABLE)
        missing = space_problem(url, space, url_name="the URL", space_name="--space")
        if missing is not None:
            parser.error(f"{missing}; pass --space or set {SPACE_VARIABLE}")
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
    _target_options(plan, "plan")
    plan.add_argument(
        "--json",
        action="store_true",
        help="print the plan as JSON, with each page's planned outcome and URL",
    )
    plan.set_defaults(run=_run_plan)

    publish = commands.add_parser("publish", help="make the Confluence space match a bundle")
    _target_options(publish, "publish")
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
    _target_options(edits, "edits")
    edits.add_argument("--json", action="store_true", help="print the edits as JSON")
    edits.set_defaults(run=lambda args: run_edits(args, _config(args)))

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
        "--deployment", choices=option("deployment").choices, help="default: from the URL"
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


def _target_options(command: argparse.ArgumentParser, name: Command) -> None:
    """The declared options (:mod:`docs_confluence.settings.options`) that *name* takes."""
    for each in OPTIONS:
        if each.cli is not None and name in each.cli.commands:
            _add_option(command, each, hidden=name in each.cli.hidden)
    # The headers option's second CLI form (docs/options.md lists it with --header).
    command.add_argument(
        "--header-env",
        dest="header_env",
        action="append",
        metavar="'NAME: VARIABLE'",
        help="send header NAME with the value of environment variable VARIABLE (repeatable): "
        "the secret stays out of the command line and the process list",
    )


def _add_option(command: argparse.ArgumentParser, declared: Option, *, hidden: bool) -> None:
    assert declared.cli is not None
    cli = declared.cli
    text = argparse.SUPPRESS if hidden else cli.help  # accepted (the same command line works)
    if not cli.flag.startswith("-"):
        command.add_argument(declared.name, metavar=cli.flag, help=text)
    elif declared.kind == "flag":
        command.add_argument(cli.flag, dest=declared.name, action="store_true", help=text)
    elif cli.repeatable:
        command.add_argument(
            cli.flag, dest=declared.name, action="append", metavar=cli.metavar, help=text
        )
    else:
        kind = {"whole": int, "number": float}.get(declared.kind, str)
        choices = declared.choices or None
        metavar = cli.metavar or (None if choices else cli.flag[2:].replace("-", "_").upper())
        command.add_argument(
            cli.flag, dest=declared.name, type=kind, choices=choices, metavar=metavar, help=text
        )


def _config(args: argparse.Namespace) -> PublisherConfig:
    """The engine's settings from the declared options the command took and the environment;
    errors name the flags."""
    given: dict[str, object] = {}
    for each in OPTIONS:
        if each.name in _ENGINE and hasattr(args, each.name):
            value = getattr(args, each.name)
            given[each.name] = value or None if each.kind == "flag" else value  # off: the default
    if hasattr(args, "header_env"):
        given["headers"] = _headers(args)
    names = {
        each.name: each.cli.flag
        for each in OPTIONS
        if each.cli is not None and each.name in _ENGINE
    }
    values = config_from_environment(given)
    return PublisherConfig.from_mapping(values, origin="docs-confluence", names=names)


def _headers(args: argparse.Namespace) -> list[str] | None:
    """``--header`` lines, then ``--header-env`` ones with their values read from the
    environment (never from the command line, which every process on the machine can see)."""
    lines = list(args.headers or [])
    for given in args.header_env or []:
        name, colon, variable = given.partition(":")
        variable = variable.strip()
        if not colon or not name.strip() or not variable:
            raise ConfigError(
                f"--header-env {given!r}: expected 'Name: VARIABLE', the header's name and the "
                "environment variable that holds its value"
            )
        value = environment_value(variable)
        if value is None:
            raise ConfigError(
                f"--header-env {name.strip()}: the environment variable {variable} is not set "
                "(or is empty); set it to the header's value"
            )
        remember_secrets([value])  # masked in every message, however short
        lines.append(f"{name.strip()}: {value}")
    return lines or None


def _run_plan(args: argparse.Namespace) -> int:
    """A dry-run publish (one path: the same report, rate-limit figures, CI job summary and
    --json), shown as the plan table and, with --diff, what readers will see change; 1 when the
    plan has errors (the table lists them), 0 otherwise, even with pages left alone."""
    bundle = read_bundle(args.bundle_dir)
    config = replace(_config(args), dry_run=True)
    try:
        with _json_on_failure(args, config, dry_run=True):
            report = with_ci_report(lambda: publish_bundle(bundle, config, log_plan=False))
    except PublishIncomplete as exc:  # the plan's errors: shown with it
        report = exc.report
    if args.json:
        print_json(_report_json(report))
    else:
        print(format_plan(report.plan))
        print_diffs(bundle, _diffs(report))
    return 1 if report.plan.errors else 0


def _diffs(report: PublishReport) -> dict[str, ReadableDiff]:
    """The pages' diffs, in the order of the plan's actions."""
    found = {page.key: page.diff for page in report.pages if page.diff is not None}
    keys = dict.fromkeys(action.key for action in report.plan.actions if action.key in found)
    return {key: found[key] for key in keys}


def _report_json(report: PublishReport) -> dict[str, object]:
    """``--json`` of plan and publish: a dry run's also has the plan's own fields."""
    data = report.to_json()
    return {**report.plan.to_json(), **data} if report.dry_run else data


def _run_publish(args: argparse.Namespace) -> int:
    bundle = read_bundle(args.bundle_dir)
    config = _config(args)
    try:
        with _json_on_failure(args, config, dry_run=config.dry_run):
            report = with_ci_report(lambda: publish_bundle(bundle, config))
    except PublishIncomplete as exc:
        if args.json:
            print_json(_report_json(exc.report))
        raise
    if args.json:
        print_json(_report_json(report))
    else:
        print(report.summary())
    if report.conflicts:
        edited = [c for c in report.conflicts if c.overwrite]
        if edited:
            titles = ", ".join(repr(c.title) for c in edited)
            print(
                f"error: {len(edited)} page(s) were edited in Confluence and left alone: "
                f"{titles}. Re-run with --on-conflict overwrite to replace them.",
                file=sys.stderr,
            )
        for conflict in report.conflicts:  # overwrite would not change these: never advised
            if not conflict.overwrite:
                print(
                    f"error: page {conflict.title!r} was left alone: {conflict.reason}",
                    file=sys.stderr,
                )
        return 1  # the engine's log already said where to see what people changed
    return 0


@contextmanager
def _json_on_failure(
    args: argparse.Namespace, config: PublisherConfig, *, dry_run: bool
) -> Iterator[None]:
    """With ``--json``, a run that stops before it has a report still prints JSON (``ok``:
    false, the error), so a CI step that reads it is never left with an empty file."""
    try:
        yield
    except PublishIncomplete:
        raise  # it carries its report
    except ConfluencePublisherError as exc:
        if args.json:
            print_json(failure_json(config.space, dry_run, exc))
        raise
