"""Side by side with sphinxcontrib-confluencebuilder: the same Sphinx projects built and
published by it and by us, each into a fresh sandbox space with the same injected latency.

Usage::

    .venv/bin/python bench/compare_confluencebuilder.py [--pages 1000] [--latency 0.05]
        [--corpus django] [--skip-corpus] [--work DIR]

Projects: a generated one of ``--pages`` pages (10 sections; headings, lists, a code block and
links on every page), and a real corpus (django, the largest of ``/work/shared/corpora``, got
with ``fetch.sh bench/corpora/sphinx django``). confluencebuilder runs from its own venv
(``confluencebuilder_peer.py`` makes it with pip when missing; never a project dependency), we
run from this repository's ``.venv``; both with the same Sphinx. For each tool it measures:

* build: ``sphinx-build -E -b confluence`` with publishing off;
* first publish: the whole ``sphinx-build`` with publishing on, into an empty space;
* unchanged republish: the same, from a clean output directory;
* one change: one source page edited, from a clean output directory.

Wall times, and the requests the sandbox saw (reads / writes). The sandbox is a Data Center
one (v1 REST API under ``/confluence``): a server URL on 127.0.0.1 is not ``*.atlassian.net``,
so confluencebuilder's default for it is its v1 API mode. confluencebuilder keeps every other
default (its output says which matter) except ``confluence_watch = True``: the sandbox has no
watch API, which its default (unwatch each page) would call.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from confluencebuilder_peer import ensure_venv, peer_version, sphinx
from corpus_tools import SPHINX_CORPORA, SPHINX_SOURCES

from docs_confluence.config import DEFAULT_CONCURRENCY
from docs_confluence.testing import SandboxHarness

OURS = Path(sys.executable)


#: Where confluencebuilder writes storage Confluence cannot parse, the copies both tools build
#: are reworded (the same for both): corpus -> (file, text, replacement).
PEER_WORKAROUNDS = {
    # An admonition title with "<" goes unescaped into an ac:parameter: Confluence (and the
    # sandbox) answer 400 "Error parsing xhtml" and confluencebuilder stops.
    "django": [
        ("ref/models/constraints.txt", "admonition:: Oracle < 23c", "admonition:: Oracle 19c")
    ]
}


@dataclass(frozen=True, slots=True)
class Run:
    """One sphinx-build: wall seconds and the sandbox's request counts (or why it failed)."""

    seconds: float
    reads: int = 0
    writes: int = 0
    failed: str | None = None

    def cells(self, requests: bool = True) -> str:
        if self.failed:
            return "failed"
        if not requests:
            return f"{self.seconds:8.1f} s"
        return f"{self.seconds:8.1f} s {self.reads:6d} r {self.writes:6d} w"


@dataclass(frozen=True, slots=True)
class Project:
    """A Sphinx project: its source folder, and the page to edit for the one-change run."""

    name: str
    source: Path
    changed: Path


def generate(root: Path, pages: int) -> Project:
    """A project of *pages* pages: index, 10 sections, the rest spread over them."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    sections = 10
    per_section = max(1, math.ceil((pages - 1 - sections) / sections))
    (root / "conf.py").write_text('project = "Generated"\nextensions: list[str] = []\n')
    toc = "\n".join(f"   s{s}/index" for s in range(sections))
    (root / "index.rst").write_text(f"Generated\n=========\n\n.. toctree::\n\n{toc}\n")
    count = 1 + sections
    for s in range(sections):
        folder = root / f"s{s}"
        folder.mkdir()
        names = []
        for p in range(per_section):
            if count >= pages:
                break
            names.append(f"p{p}")
            title = f"Page {s}.{p}"
            other = f"/s{(s + 1) % sections}/p{p}" if p else "/index"
            (folder / f"p{p}.rst").write_text(
                f"{title}\n{'=' * len(title)}\n\nSome text for page {s}.{p}, with a link to "
                f":doc:`{other}` and ``inline code``.\n\nDetails\n-------\n\n"
                "* one point\n* another point\n\n.. code-block:: python\n\n"
                f"   def page_{s}_{p}():\n       return {p}\n\nMore text.\n",
                encoding="utf-8",
            )
            count += 1
        listed = "\n".join(f"   {name}" for name in names)
        (folder / "index.rst").write_text(
            f"Section {s}\n=========={'=' * len(str(s))}\n\n.. toctree::\n\n{listed}\n",
            encoding="utf-8",
        )
    return Project(f"generated, {count} pages", root, root / "s0" / "p1.rst")


def corpus(name: str, work: Path) -> Project | None:
    """A copy of a fetched corpus's docs folder (None when it has not been fetched)."""
    source = SPHINX_CORPORA / name / "src" / SPHINX_SOURCES[name]
    if not source.exists():
        return None
    copy = work / "sources" / name
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(source, copy)
    for relative, text, replacement in PEER_WORKAROUNDS.get(name, []):
        path = copy / relative
        path.write_text(path.read_text(encoding="utf-8").replace(text, replacement), "utf-8")
        print(f"{name}: {relative}: {text!r} reworded to {replacement!r} for confluencebuilder")
    pages = sorted(copy.rglob("*.txt")) or sorted(copy.rglob("*.rst"))
    return Project(f"{name} corpus, {len(pages)} source files", copy, pages[len(pages) // 2])


def configure(project: Path, target: Path, tail: str) -> Path:
    """A copy of *project* whose conf.py ends with *tail*."""
    if not target.exists():
        shutil.copytree(project, target)
    conf = target / "conf.py"
    original = target / "conf.py.original"
    if not original.exists():
        shutil.copy(conf, original)
    conf.write_text(original.read_text(encoding="utf-8") + "\n" + tail, encoding="utf-8")
    return target


def theirs_tail(server: SandboxHarness | None) -> str:
    tail = "extensions = [*extensions, 'sphinxcontrib.confluencebuilder']\n"
    if server is None:
        return tail + "confluence_publish = False\n"
    return tail + (
        "confluence_publish = True\n"
        f"confluence_server_url = {server.base_url + '/'!r}\n"
        "confluence_space_key = 'DOC'\n"
        f"confluence_server_user = {server.email!r}\n"
        f"confluence_server_pass = {server.api_token!r}\n"
        "confluence_watch = True  # the sandbox has no watch API\n"
    )


def build(python: Path, source: Path, out: Path, env: dict[str, str]) -> tuple[float, str | None]:
    """Wall seconds of one clean sphinx-build, and the end of its output when it failed."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    run = sphinx(python, source, out, env)
    seconds = time.perf_counter() - start
    if run.returncode:
        said = (run.stdout + run.stderr).strip().splitlines()
        return seconds, "\n".join(said[-40:])
    return seconds, None


def measure(
    tool: str, project: Project, work: Path, latency: float, concurrency: int = DEFAULT_CONCURRENCY
) -> dict[str, Run]:
    """Build, first publish, unchanged republish and one change, for one tool."""
    python = OURS if tool == "ours" else ensure_venv()
    source = work / tool / project.source.name
    shutil.rmtree(source, ignore_errors=True)
    out = work / tool / "out"
    runs: dict[str, Run] = {}
    if tool == "ours":
        configure(project.source, source, "confluence_publish = False\n")
    else:
        configure(project.source, source, theirs_tail(None))
    seconds, failed = build(python, source, out, {})
    runs["build"] = Run(seconds, failed=failed)
    with SandboxHarness.create(flavor="datacenter").served() as server:
        server.faults.latency = latency
        env: dict[str, str] = {}
        if tool == "ours":
            configure(
                project.source,
                source,
                f"confluence_publish = True\nconfluence_concurrency = {concurrency}\n",
            )
            env = {
                "CONFLUENCE_URL": server.base_url,
                "CONFLUENCE_SPACE": "DOC",
                "CONFLUENCE_USER": server.email,
                "CONFLUENCE_API_TOKEN": server.api_token,
            }
        else:
            configure(project.source, source, theirs_tail(server))
        changed = source / project.changed.relative_to(project.source)
        for label in ("first publish", "unchanged republish", "one change"):
            if label == "one change":
                text = changed.read_text(encoding="utf-8")
                changed.write_text(text + "\n\nOne more paragraph.\n", encoding="utf-8")
            server.stats.reset()
            seconds, failed = build(python, source, out, env)
            runs[label] = Run(seconds, server.stats.reads, server.stats.writes, failed)
            print(f"  [{tool}] {label}: {runs[label].cells()}", flush=True)
            if failed:
                print(failed, flush=True)
    return runs


def report(project: Project, ours: dict[str, Run], theirs: dict[str, Run]) -> None:
    print(f"\n{project.name}")
    print(f"  {'':22} {'docs-confluence':>32}   {'confluencebuilder':>32}   ratio")
    for label in ours:
        mine, peer = ours[label], theirs[label]
        requests = label != "build"
        failed = bool(mine.failed or peer.failed)
        ratio = "" if failed else f"{peer.seconds / mine.seconds:6.1f}x time"
        if requests and mine.reads + mine.writes and not failed:
            ratio += f", {(peer.reads + peer.writes) / (mine.reads + mine.writes):6.1f}x requests"
        print(f"  {label:22} {mine.cells(requests):>32}   {peer.cells(requests):>32}   {ratio}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--corpus", default="django", choices=sorted(SPHINX_SOURCES))
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-generated", action="store_true")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"ours: the most requests in flight (default {DEFAULT_CONCURRENCY}, our default)",
    )
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="compare-ccb-"))
    ensure_venv()
    print(
        f"sphinxcontrib-confluencebuilder {peer_version()} (its venv) vs docs-confluence (this "
        f"repository); sandbox: Data Center flavour, {args.latency * 1000:.0f} ms injected "
        "latency per request, a fresh space per tool and project."
    )
    print(
        "confluencebuilder's defaults for this target: v1 REST API (the URL is not "
        "*.atlassian.net), pages at the space's root (no confluence_parent_page), page "
        "hierarchy on, one request at a time; confluence_watch = True is set (the sandbox "
        f"has no watch API). Ours: defaults (under the space homepage), at most "
        f"{args.concurrency} requests in flight (a run starts at 4 and takes more while answers "
        "stay quick)."
    )
    projects: list[Project] = []
    if not args.skip_generated:
        projects.append(generate(work / "sources" / "generated", args.pages))
    if not args.skip_corpus:
        found = corpus(args.corpus, work)
        if found is None:
            print(
                f"\n{args.corpus}: not fetched; run /work/shared/corpora/fetch.sh "
                f"bench/corpora/sphinx {args.corpus}"
            )
        else:
            projects.append(found)
    for project in projects:
        name = project.source.name
        ours = measure("ours", project, work / name, args.latency, args.concurrency)
        theirs = measure("confluencebuilder", project, work / name, args.latency)
        report(project, ours, theirs)
    print(f"\nwork: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
