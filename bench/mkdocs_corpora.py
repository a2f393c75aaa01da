"""Convert every page of the MkDocs corpora and check that Confluence (the sandbox) accepts them.

    .venv/bin/python bench/mkdocs_corpora.py [--corpora DIR] [NAME ...]

Each corpus is built with the ``confluence`` plugin added through a sibling config
(``INHERIT: mkdocs.yml`` plus the upstream plugins, repeated because lists are replaced), with
the corpus's own virtualenv. Then every page body of the bundle goes through the sandbox's
storage-format validator, and the whole bundle is published into an in-process sandbox.
Prints pages, attachments, the plugin's warnings and errors per corpus; exits 1 on any error.

Get the corpora first (the directory is gitignored)::

    /work/shared/corpora/fetch.sh --build bench/corpora/mkdocs starlette pymdown-extensions
    bench/corpora/mkdocs/.venv/bin/pip install -e .
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from corpus_tools import (
    MKDOCS_ARGS,
    MKDOCS_CORPORA,
    SIBLING,
    BuildLog,
    mkdocs_command,
    mkdocs_env,
    read_mkdocs_log,
    rejected_pages,
    write_sibling_config,
)

from docs_confluence import PublisherConfig, publish_bundle, read_bundle
from docs_confluence.auth.credentials import Credentials
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.sandbox import Sandbox, SandboxStore, seed

DEFAULT_CORPORA = MKDOCS_CORPORA
CORPORA = MKDOCS_ARGS
EMAIL, TOKEN = "bench@example.com", "bench-token"


@dataclass
class Result:
    """What one corpus gave."""

    name: str
    pages: int = 0
    attachments: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    published: str = ""


def build_corpus(corpora: Path, name: str, work: Path) -> tuple[Result, Path]:
    """Build one corpus with the plugin; the result so far and the bundle directory."""
    src = corpora / name / "src"
    bundle_dir = work / name / "bundle"
    write_sibling_config(src, {"bundle_dir": str(bundle_dir)})
    python = corpora / ".venv" / "bin" / "python"
    command = mkdocs_command(python, SIBLING, work / name / "site", CORPORA[name])
    done = subprocess.run(
        command, cwd=src, env=mkdocs_env(), capture_output=True, text=True, check=False
    )
    result = Result(name)
    counted = BuildLog()
    read_mkdocs_log(done.stdout + done.stderr, counted)
    result.warnings, result.errors = counted.confluence_warnings, counted.errors
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
        result.errors.append(f"mkdocs build exited with {done.returncode}:\n{tail}")
    return result, bundle_dir


def check_bundle(result: Result, bundle_dir: Path) -> None:
    """Every body through the sandbox's validator, then a publish into a fresh sandbox."""
    if not (bundle_dir / "manifest.json").is_file():
        result.errors.append("no bundle was written")
        return
    bundle = read_bundle(bundle_dir)
    result.pages = len(bundle.pages)
    result.attachments = sum(len(page.attachments) for page in bundle.pages)
    result.errors.extend(f"rejected: {problem}" for problem in rejected_pages(bundle))
    store = SandboxStore()
    seed(store, space_keys=("DOC",), email=EMAIL, api_token=TOKEN)
    transport = httpx.WSGITransport(app=Sandbox(store))
    config = PublisherConfig.from_mapping({"url": "http://sandbox.test/wiki", "space": "DOC"})
    try:
        report = publish_bundle(
            bundle, config, credentials=Credentials("token", EMAIL, TOKEN), transport=transport
        )
    except ConfluencePublisherError as exc:
        result.errors.append(f"publish failed: {exc}")
        return
    result.published = report.summary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", default=list(CORPORA), metavar="NAME")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every warning")
    args = parser.parse_args(argv)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="mkdocs-corpora-") as tmp:
        for name in args.names:
            if not (args.corpora / name / "src" / "mkdocs.yml").is_file():
                print(f"{name}: not found under {args.corpora}; see this script's docstring")
                return 2
            result, bundle_dir = build_corpus(args.corpora, name, Path(tmp))
            check_bundle(result, bundle_dir)
            results.append(result)
    print(f"{'corpus':<20} {'pages':>5} {'attach':>6} {'warnings':>8} {'errors':>6}  publish")
    for r in results:
        print(
            f"{r.name:<20} {r.pages:>5} {r.attachments:>6} {len(r.warnings):>8} "
            f"{len(r.errors):>6}  {r.published}"
        )
    for r in results:
        shown = r.warnings if args.verbose else r.warnings[:5]
        for line in shown:
            print(f"  {r.name}: warning: {line}")
        if len(shown) < len(r.warnings):
            print(f"  {r.name}: ... {len(r.warnings) - len(shown)} more warnings (-v)")
        for line in r.errors:
            print(f"  {r.name}: error: {line}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
