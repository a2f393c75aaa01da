"""The ``docs-confluence`` command: plan, publish, sandbox.

``main(argv)`` returns the exit code: 0 done, 1 failed (including pages left alone because people
edited them), 2 usage error (argparse). It is the only module that prints.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .bundle import read_bundle
from .config import PublisherConfig, config_from_environment
from .credentials import credentials_from_environment
from .errors import ConfluencePublisherError
from .publishing import format_plan, open_client, plan_bundle, publish_bundle

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["main"]

log = logging.getLogger("docs_confluence")

_SECRET_VARIABLES = (
    "CONFLUENCE_API_TOKEN",
    "CONFLUENCE_PAT",
    "CONFLUENCE_OAUTH_CLIENT_SECRET",
)


def main(argv: Sequence[str] | None = None, prog: str = "docs-confluence") -> int:
    """Run the command line; returns the exit code."""
    parser = _parser(prog)
    args = parser.parse_args(argv)
    if args.command in {"plan", "publish"}:
        if not (args.url or os.environ.get("CONFLUENCE_URL")):
            parser.error("no Confluence URL: pass --url or set CONFLUENCE_URL")
        if not (args.space or os.environ.get("CONFLUENCE_SPACE")):
            parser.error("no space: pass --space or set CONFLUENCE_SPACE")
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
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.set_defaults(run=_run_plan)

    publish = commands.add_parser("publish", help="make the Confluence space match a bundle")
    _target_options(publish)
    publish.add_argument("--dry-run", action="store_true", help="plan only, write nothing")
    publish.set_defaults(run=_run_publish)

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
    command.add_argument("--url", help="base URL, with /wiki on Cloud [CONFLUENCE_URL]")
    command.add_argument("--space", help="space key [CONFLUENCE_SPACE]")
    command.add_argument("--parent", help="parent page id or title [CONFLUENCE_PARENT]")
    command.add_argument("--cleanup", action="store_true", help="trash our pages that left")
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


def _config(args: argparse.Namespace, **extra: object) -> PublisherConfig:
    values = config_from_environment(
        {
            "url": args.url,
            "space": args.space,
            "parent_page": args.parent,
            "cleanup": args.cleanup or None,
            "on_conflict": args.on_conflict,
            "deployment": args.deployment,
            "project": args.project,
            "concurrency": args.concurrency,
            **extra,
        }
    )
    names = {"url": "--url", "space": "--space", "parent_page": "--parent"}
    names.update({k: "--" + k.replace("_", "-") for k in ("on_conflict", "project")})
    return PublisherConfig.from_mapping(values, origin="docs-confluence", names=names)


def _run_plan(args: argparse.Namespace) -> int:
    bundle = read_bundle(args.bundle)
    config = _config(args)
    with open_client(config, credentials_from_environment()) as client:
        planned, _ = plan_bundle(bundle, config, client)
    if args.json:
        print(json.dumps(planned.to_json(), indent=2))
    else:
        print(format_plan(planned))
    return 1 if planned.errors else 0


def _run_publish(args: argparse.Namespace) -> int:
    bundle = read_bundle(args.bundle)
    config = _config(args, dry_run=args.dry_run or None)
    report = publish_bundle(bundle, config, credentials=credentials_from_environment())
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


def _run_sandbox(args: argparse.Namespace) -> int:
    from .sandbox import serve_forever

    def ready(base_url: str) -> None:
        origin = base_url.rsplit("/", 1)[0]
        print(f"Confluence sandbox ({args.flavor}) at {base_url}", flush=True)
        print(f"  browse it:   {origin.rstrip('/')}/", flush=True)
        print(
            "  publish to it with CONFLUENCE_URL="
            f"{base_url} CONFLUENCE_SPACE=DOC CONFLUENCE_USER=sandbox@example.com "
            "CONFLUENCE_API_TOKEN=sandbox-api-token",
            flush=True,
        )
        print("Press Ctrl-C to stop.", flush=True)

    data = None if args.data is None else Path(args.data)
    serve_forever(args.host, args.port, data, args.flavor, on_ready=ready)
    return 0


# -- logging ------------------------------------------------------------------------------------


class _RedactingFormatter(logging.Formatter):
    """Replaces any secret from the environment that slipped into a message."""

    def format(self, record: logging.LogRecord) -> str:
        return _redact(super().format(record))


def _redact(text: str) -> str:
    for name in _SECRET_VARIABLES:
        value = os.environ.get(name)
        if value and len(value) >= 4:
            text = text.replace(value, "[secure]")
    return text


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
