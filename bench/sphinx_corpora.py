"""Build the four Sphinx corpora with ``-b confluence`` and check every page is accepted.

Usage (after ``/work/shared/corpora/fetch.sh --build bench/corpora/sphinx sphinx flask click
django`` and ``bench/corpora/sphinx/.venv/bin/pip install -e .``; ``example`` is this
repository's ``example-site/sphinx``)::

    .venv/bin/python bench/sphinx_corpora.py [--corpora DIR] [--no-publish] [NAME ...]

For each corpus: ``sphinx-build -b confluence -j auto`` offline (``unshare -n`` where it works),
then counts pages, warnings, errors and unknown-node warnings from the log, checks each page
body with the sandbox's storage validator, and publishes the bundle into an in-process sandbox
(every page, attachment and label goes through the sandbox's REST API). Prints one table.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from corpus_tools import (
    SPHINX_CORPORA,
    SPHINX_SOURCES,
    BuildLog,
    read_sphinx_log,
    rejected_pages,
    sphinx_command,
)

from docs_confluence import PublisherConfig, publish_bundle, read_bundle
from docs_confluence.auth.credentials import Credentials
from docs_confluence.testing import SandboxHarness

HERE = Path(__file__).parent
CORPORA = {**SPHINX_SOURCES, "example": ""}
EXAMPLE = HERE.parent / "example-site" / "sphinx"  # "example": this repository's example site


@dataclass
class Outcome:
    """What one corpus build produced."""

    name: str
    seconds: float = 0.0
    returncode: int = 0
    pages: int = 0
    attachments: int = 0
    warnings: int = 0
    confluence_warnings: int = 0
    errors: int = 0
    unknown_nodes: Counter[str] = field(default_factory=Counter)
    rejected: list[str] = field(default_factory=list)
    published: int | None = None
    publish_seconds: float = 0.0


def build(corpora: Path, name: str, out: Path) -> Outcome:
    outcome = Outcome(name)
    sphinx_build = corpora / ".venv" / "bin" / "sphinx-build"
    source = EXAMPLE if name == "example" else corpora / name / "src" / CORPORA[name]
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = sphinx_command(sphinx_build, "confluence", source, out)
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=out.parent)
    outcome.seconds = time.perf_counter() - start
    outcome.returncode = run.returncode
    log = run.stdout + run.stderr
    (out.parent / f"{name}.log").write_text(log, encoding="utf-8")
    counted = BuildLog()
    read_sphinx_log(log, counted)
    outcome.warnings = counted.warnings
    outcome.confluence_warnings = len(counted.confluence_warnings)
    outcome.errors = len(counted.errors)
    outcome.unknown_nodes = counted.unknown_nodes
    return outcome


def check(outcome: Outcome, bundle_dir: Path, publish: bool) -> None:
    bundle = read_bundle(bundle_dir)
    outcome.pages = len(bundle.pages)
    outcome.attachments = sum(len(page.attachments) for page in bundle.pages)
    outcome.rejected = rejected_pages(bundle)
    if not publish:
        return
    sandbox = SandboxHarness.create()
    config = PublisherConfig.from_mapping({"url": sandbox.base_url, "space": "DOC"})
    credentials = Credentials("token", sandbox.email, sandbox.api_token)
    start = time.perf_counter()
    publish_bundle(bundle, config, credentials=credentials, transport=sandbox.transport)
    outcome.publish_seconds = time.perf_counter() - start
    outcome.published = len(sandbox.outline().splitlines()) - 1  # minus the space homepage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(CORPORA))
    parser.add_argument("--corpora", type=Path, default=SPHINX_CORPORA)
    parser.add_argument("--out", type=Path, default=HERE / "corpora" / "confluence-out")
    parser.add_argument("--no-publish", action="store_true", help="validate only")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(CORPORA)
    if unknown:
        parser.error(f"unknown corpus {sorted(unknown)}; choose from {', '.join(CORPORA)}")
    outcomes = []
    for name in args.names or list(CORPORA):
        print(f"building {name} ...", flush=True)
        outcome = build(args.corpora, name, args.out / name)
        if outcome.returncode == 0:
            check(outcome, args.out / name, publish=not args.no_publish)
        outcomes.append(outcome)
    print()
    header = (
        "corpus",
        "rc",
        "build s",
        "pages",
        "attach",
        "warnings",
        "confluence",
        "errors",
        "unknown nodes",
        "rejected",
        "published",
        "publish s",
    )
    rows = [
        (
            o.name,
            str(o.returncode),
            f"{o.seconds:.1f}",
            str(o.pages),
            str(o.attachments),
            str(o.warnings),
            str(o.confluence_warnings),
            str(o.errors),
            ", ".join(f"{n} x{c}" for n, c in o.unknown_nodes.most_common()) or "-",
            str(len(o.rejected)),
            "-" if o.published is None else f"{o.published}/{o.pages}",
            f"{o.publish_seconds:.1f}",
        )
        for o in outcomes
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    for outcome in outcomes:
        for problem in outcome.rejected[:5]:
            print(f"{outcome.name}: rejected {problem}")
    print(f"\nlogs and bundles in {args.out}")
    failed = any(
        o.returncode or o.errors or o.rejected or (o.published not in (None, o.pages))
        for o in outcomes
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
