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
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docs_confluence import PublisherConfig, publish_bundle, read_bundle
from docs_confluence.auth.credentials import Credentials
from docs_confluence.sandbox.errors import InvalidStorage
from docs_confluence.sandbox.xhtml import normalise
from docs_confluence.testing import SandboxHarness

HERE = Path(__file__).parent
CORPORA = {"sphinx": "doc", "flask": "docs", "click": "docs", "django": "docs", "example": ""}
EXAMPLE = HERE.parent / "example-site" / "sphinx"  # "example": this repository's example site
_UNKNOWN = re.compile(r"no Confluence rendering for node '([^']+)'")


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


def offline() -> list[str]:
    """``unshare -n`` when this machine allows it (intersphinx fails fast, as in fetch.sh)."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], check=False).returncode == 0:
        return [unshare, "-n"]
    return []


def build(corpora: Path, name: str, out: Path) -> Outcome:
    outcome = Outcome(name)
    sphinx_build = corpora / ".venv" / "bin" / "sphinx-build"
    source = EXAMPLE if name == "example" else corpora / name / "src" / CORPORA[name]
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [
        *offline(),
        str(sphinx_build),
        "-b",
        "confluence",
        "-j",
        "auto",
        str(source),
        str(out),
    ]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=out.parent)
    outcome.seconds = time.perf_counter() - start
    outcome.returncode = run.returncode
    log = run.stdout + run.stderr
    (out.parent / f"{name}.log").write_text(log, encoding="utf-8")
    for line in log.splitlines():
        if "WARNING:" in line:
            outcome.warnings += 1
            outcome.confluence_warnings += "[confluence" in line
            if match := _UNKNOWN.search(line):
                outcome.unknown_nodes[match.group(1)] += 1
        elif re.search(r"\b(ERROR|CRITICAL|SEVERE)\b", line):
            outcome.errors += 1
    return outcome


def check(outcome: Outcome, bundle_dir: Path, publish: bool) -> None:
    bundle = read_bundle(bundle_dir)
    outcome.pages = len(bundle.pages)
    outcome.attachments = sum(len(page.attachments) for page in bundle.pages)
    for page in bundle.pages:
        try:
            normalise(bundle.read_body(page))
        except InvalidStorage as exc:
            outcome.rejected.append(f"{page.key}: {exc}")
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
    parser.add_argument("--corpora", type=Path, default=HERE / "corpora" / "sphinx")
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
