"""Do pages look right to readers? Our output against confluencebuilder's and md2conf's, per
construct, on the shared corpora and the example sites (issue 11).

Usage::

    .venv/bin/python bench/fidelity.py [--corpora DIR] [--work DIR] [--no-peers] [-v] [NAME ...]

NAME is any of sphinx, flask, click, django, example-sphinx (Sphinx) and starlette,
pymdown-extensions, example-mkdocs (MkDocs); default: all. ``--corpora DIR`` holds the
``sphinx/`` and ``mkdocs/`` corpus folders (default ``bench/corpora``). Set up once::

    /work/shared/corpora/fetch.sh --build bench/corpora/sphinx sphinx flask click django
    /work/shared/corpora/fetch.sh --build bench/corpora/mkdocs starlette pymdown-extensions
    bench/corpora/sphinx/.venv/bin/pip install -e .
    bench/corpora/mkdocs/.venv/bin/pip install -e .
    # the peers, in benchmark venvs only (never project dependencies):
    python3 -m venv bench/.venvs/confluencebuilder && bench/.venvs/confluencebuilder/bin/pip \\
        install $(printf -- '-r %s ' bench/corpora/sphinx/*/requirements.txt) \\
        sphinxcontrib-confluencebuilder
    python3 -m venv bench/.venvs/md2conf && bench/.venvs/md2conf/bin/pip install \\
        markdown-to-confluence matplotlib
    # optional: LaTeX for confluencebuilder's math images, Mermaid CLI for the MkDocs diagrams
    apt-get install --no-install-recommends texlive-latex-base texlive-latex-extra dvipng chromium
    (mkdir -p bench/.venvs/mermaid-cli && cd bench/.venvs/mermaid-cli &&
        PUPPETEER_SKIP_DOWNLOAD=true npm install @mermaid-js/mermaid-cli)

Per corpus, in one run: our build (``sphinx-build -b confluence``, or ``mkdocs build`` with the
plugin added by a sibling config), a reference HTML build (the one fetch.sh made, or a fresh
one: ``-b djangohtml`` for django, whose console tabs only that builder writes; MkDocs: the
site our build writes), then the peer on the same source: confluencebuilder's ``-b
confluence`` with ``confluence_publish = False`` on a copy of the Sphinx sources whose
``conf.py`` adds its extension, or ``md2conf --local`` on a copy of the MkDocs ``docs_dir``
(one run over all files; a file md2conf cannot convert is recorded and the run resumes after
it; titles come from md2conf's own title rule, run in its venv).

Every count below is measured on the output of that run, per page (page = Sphinx docname or
MkDocs source path without ``.md``); nothing is carried over between runs:

* pages, our warnings (all / ours), unknown-node warnings, pages the sandbox's storage
  validator rejects (also for the peer's pages, for information);
* **titles with markup**: a ``<``, an HTML entity (``&amp;``…) or a zero-width character;
* **tab labels missing**: labels of the HTML build's tabs (sphinx-tabs, sphinx-design,
  Material/pymdownx tabbed, django's console tabs) that are not the whole text of some element
  (a panel title, heading, paragraph, cell…) of the page's storage;
* **standalone anchor macros**: an ``anchor`` macro that is a direct child of the body or alone
  in its paragraph; **duplicate anchor ids**: repeats of one anchor name on a page;
* **math / mermaid not as image**: math nodes (``.math``, ``.arithmatex``) and Mermaid
  diagrams (``.mermaid``, ``.diagram``) of the HTML build, minus the page's ``ac:image``\\s of
  that tool's rendered attachments (ours ``math-*``/``mermaid-*``, confluencebuilder's
  40-hex ``*.png`` from imgmath, md2conf's ``formula_*``/``embedded_*``; a file the page's HTML
  shows as an ``<img>`` of the docs, such as ``mermaid-diagram.png``, is no rendering);
* **table widths lost**: tables of the HTML build with column widths (``<col style="width…">``)
  minus storage tables whose ``<col>`` carries a width;
* **local tocs missing**: ``.. contents::`` / ``[TOC]`` blocks of the HTML build minus the
  page's ``toc`` macros and lists holding at least half of the toc's entries.

"ours worse" marks a construct where our count of problems is above the peer's. Exit status:
0, or 1 when a done-when criterion of issue 11 fails on some corpus (titles with markup,
standalone anchor macros, tab labels missing, unknown-node warnings, rejected pages).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import lxml.html
from corpus_tools import (
    MKDOCS_ARGS,
    SIBLING,
    SPHINX_SOURCES,
    BuildLog,
    mkdocs_command,
    mkdocs_env,
    offline,
    read_mkdocs_log,
    read_sphinx_log,
    rejected_pages,
    sphinx_command,
    write_sibling_config,
)
from lxml import etree

from docs_confluence import read_bundle
from docs_confluence.errors import StorageError
from docs_confluence.sandbox.errors import InvalidStorage
from docs_confluence.sandbox.xhtml import normalise
from docs_confluence.storage import AC, RI, parse_fragment

if TYPE_CHECKING:
    from lxml.etree import _Element
    from lxml.html import HtmlElement

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENVS = HERE / ".venvs"
CCB_BIN = VENVS / "confluencebuilder" / "bin"
MD2CONF_BIN = VENVS / "md2conf" / "bin"
MMDC = VENVS / "mermaid-cli" / "node_modules" / ".bin" / "mmdc"
PROJECT_BIN = Path(sys.executable).parent  # this repository's .venv: builds the example sites

Kind = Literal["sphinx", "mkdocs"]
SPHINX_NAMES = [*SPHINX_SOURCES, "example-sphinx"]
MKDOCS_NAMES = [*MKDOCS_ARGS, "example-mkdocs"]
NAMES = [*SPHINX_NAMES, *MKDOCS_NAMES]
HTML_BUILDER = {"django": "djangohtml"}  # its console tabs exist only with that builder

# Attachments a tool renders math / Mermaid into (how each names them).
MATH_IMAGE = {
    "ours": re.compile(r"^math-"),
    "confluencebuilder": re.compile(r"^[0-9a-f]{40}\.(png|svg)$"),
    "md2conf": re.compile(r"^formula_"),
}
MERMAID_IMAGE = {
    "ours": re.compile(r"^mermaid-"),
    "confluencebuilder": re.compile(r"^mermaid-"),
    "md2conf": re.compile(r"^embedded_.*\.(png|svg)$"),
}
_MARKUP = re.compile(r"<|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);|[\u200b-\u200d\u2060\ufeff]")
_TEXT_TAGS = frozenset(
    {"p", "strong", "b", "em", "i", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td", "li"}
    | {"span", "dt", "div", "summary", "label", "button", "code", "u", "a"}
)
_TITLE_PARAM = f"{{{AC}}}parameter"
_MACRO = f"{{{AC}}}structured-macro"
_MACRO_NAME = f"{{{AC}}}name"
_IMAGE = f"{{{AC}}}image"
_ATTACHMENT = f"{{{RI}}}attachment"
_FILENAME = f"{{{RI}}}filename"
_LINK_BODIES = (f"{{{AC}}}link-body", f"{{{AC}}}plain-text-link-body")

CONSTRUCTS = (
    ("titles", "titles with markup"),
    ("tabs", "tab labels missing"),
    ("anchors", "standalone anchor macros"),
    ("duplicate_anchors", "duplicate anchor ids"),
    ("math", "math not as image"),
    ("mermaid", "mermaid not as image"),
    ("table_widths", "table widths lost"),
    ("toc", "local tocs missing"),
)


@dataclass
class Corpus:
    """Where one corpus's sources are and which venv builds them."""

    name: str
    kind: Kind
    source: Path  # Sphinx: the folder with conf.py; MkDocs: the folder with mkdocs.yml
    bin: Path  # the venv's bin/ that builds it with our front end
    html: Path | None  # an existing HTML build of it, or None (then one is made)
    mkdocs_args: list[str] = field(default_factory=list)


@dataclass
class SourcePage:
    """Constructs of one page of the HTML build."""

    tab_labels: Counter[str] = field(default_factory=Counter)
    math: int = 0
    mermaid: int = 0
    table_widths: int = 0
    tocs: list[list[str]] = field(default_factory=list)  # each local toc's entry texts
    images: set[str] = field(default_factory=set)  # file names of the page's own <img>s


@dataclass
class ToolPage:
    """One page as a tool wrote it."""

    title: str
    body: str


@dataclass
class ToolRun:
    """One tool's output for a corpus, and the counts measured on it."""

    tool: str
    pages: dict[str, ToolPage] = field(default_factory=dict)
    log: BuildLog = field(default_factory=BuildLog)
    failure: str = ""  # why there is no output at all
    notes: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def count(self, construct: str, page: str, n: int) -> None:
        if n > 0:
            self.counts[construct] += n
            self.examples.setdefault(construct, []).append(f"{page} ({n})" if n > 1 else page)


@dataclass
class Report:
    """Everything measured for one corpus."""

    corpus: Corpus
    sources: dict[str, SourcePage] = field(default_factory=dict)
    ours: ToolRun = field(default_factory=lambda: ToolRun("ours"))
    peer: ToolRun | None = None
    html_seconds: float = 0.0


# -- corpora -----------------------------------------------------------------------------------


def corpus(root: Path, name: str) -> Corpus:
    if name == "example-sphinx":
        return Corpus(name, "sphinx", REPO / "example-site" / "sphinx", PROJECT_BIN, None)
    if name == "example-mkdocs":
        return Corpus(name, "mkdocs", REPO / "example-site" / "mkdocs", PROJECT_BIN, None)
    if name in SPHINX_SOURCES:
        folder = root / "sphinx"
        html = folder / name / "site" if name not in HTML_BUILDER else None
        source = folder / name / "src" / SPHINX_SOURCES[name]
        return Corpus(name, "sphinx", source, folder / ".venv" / "bin", html)
    folder = root / "mkdocs"
    return Corpus(
        name, "mkdocs", folder / name / "src", folder / ".venv" / "bin", None, MKDOCS_ARGS[name]
    )


def run(command: list[str], log: BuildLog, **kwargs: object) -> str:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    log.seconds += time.perf_counter() - start
    log.returncode = done.returncode
    return str(done.stdout) + str(done.stderr)


def tail(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


def mermaid_command(work: Path) -> str | None:
    """The Mermaid CLI of the benchmark venvs with the system's Chromium, as a command line
    (``mmdc -p puppeteer.json``), or ``None`` when either is missing. Puppeteer talks to
    Chromium over a pipe: under ``unshare -rn`` (our builds) there is no loopback network."""
    chromium = shutil.which("chromium")
    if not MMDC.exists() or not chromium:
        return None
    puppeteer = work / "puppeteer.json"
    settings = {"executablePath": chromium, "args": ["--no-sandbox"], "pipe": True}
    puppeteer.write_text(json.dumps(settings), encoding="utf-8")
    return f"{MMDC} -p {puppeteer}"


# -- our builds --------------------------------------------------------------------------------


def build_ours(corpus: Corpus, work: Path, report: Report) -> None:
    ours = report.ours
    out = work / "ours"
    shutil.rmtree(out, ignore_errors=True)
    if corpus.kind == "sphinx":
        command = sphinx_command(corpus.bin / "sphinx-build", "confluence", corpus.source, out)
        text = run(command, ours.log)
        read_sphinx_log(text, ours.log)
        bundle_dir = out
    else:
        bundle_dir = out / "bundle"
        options = {"bundle_dir": str(bundle_dir)}
        if mermaid := mermaid_command(work):
            options["mermaid_cli"] = mermaid
        else:
            ours.notes.append("Mermaid CLI (mmdc + chromium) missing: diagrams stay code")
        write_sibling_config(corpus.source, options)
        try:
            command = mkdocs_command(
                corpus.bin / "python", SIBLING, out / "site", corpus.mkdocs_args
            )
            text = run(command, ours.log, cwd=corpus.source, env=mkdocs_env())
        finally:
            (corpus.source / SIBLING).unlink(missing_ok=True)
        read_mkdocs_log(text, ours.log)
    (work / "ours.log").write_text(text, encoding="utf-8")
    if ours.log.returncode or not (bundle_dir / "manifest.json").is_file():
        ours.failure = f"build exited with {ours.log.returncode}: {tail(text)}"
        return
    bundle = read_bundle(bundle_dir)
    ours.rejected = rejected_pages(bundle)
    for page in bundle.pages:
        key = page.key.removesuffix(".md") if corpus.kind == "mkdocs" else page.key
        ours.pages[key] = ToolPage(page.title, bundle.read_body(page))


def html_root(corpus: Corpus, work: Path, report: Report) -> Path:
    """The HTML build the source constructs are counted on."""
    if corpus.kind == "mkdocs":
        return work / "ours" / "site"
    if corpus.html is not None and corpus.html.is_dir():
        return corpus.html
    out = work / "html"
    shutil.rmtree(out, ignore_errors=True)
    builder = HTML_BUILDER.get(corpus.name, "html")
    log = BuildLog()
    text = run(sphinx_command(corpus.bin / "sphinx-build", builder, corpus.source, out), log)
    report.html_seconds = log.seconds
    if log.returncode:
        report.ours.notes.append(f"HTML build failed: {tail(text)}")
    return out


# -- peers -------------------------------------------------------------------------------------


def build_confluencebuilder(corpus: Corpus, work: Path) -> ToolRun:
    peer = ToolRun("confluencebuilder")
    if not (CCB_BIN / "sphinx-build").exists():
        peer.failure = f"no {CCB_BIN / 'sphinx-build'} (see this script's docstring)"
        return peer
    # A sibling copy, so that conf.py's relative paths (``..``, ``_ext``) still resolve.
    copy = corpus.source.with_name(corpus.source.name + ".ccb")
    if corpus.name.startswith("example"):
        copy = work / "ccb-src"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(corpus.source, copy, ignore=shutil.ignore_patterns("out", "_build"))
    conf = copy / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + "\nextensions = [*extensions, 'sphinxcontrib.confluencebuilder']\n"
        + "confluence_publish = False\n",
        encoding="utf-8",
    )
    out = work / "confluencebuilder"
    shutil.rmtree(out, ignore_errors=True)
    # Serial: with -j, its scb-manifest.json (the titles) lists only some pages.
    command = [*offline(), str(CCB_BIN / "sphinx-build"), "-b", "confluence", str(copy), str(out)]
    text = run(command, peer.log)
    (work / "confluencebuilder.log").write_text(text, encoding="utf-8")
    read_sphinx_log(text, peer.log)
    shutil.rmtree(copy, ignore_errors=True)
    manifest = out / "scb-manifest.json"
    if peer.log.returncode or not manifest.is_file():
        peer.failure = f"sphinx-build exited with {peer.log.returncode}: {tail(text)}"
        return peer
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["pages"]:
        body = (out / entry["path"]).read_text(encoding="utf-8")
        peer.pages[entry["id"]] = ToolPage(entry["title"], body)
    return peer


_MD2CONF_TITLES = """
import json, sys
from pathlib import Path
from md2conf.scanner import Scanner
from md2conf.toc import unique_title
titles = {}
for name in sys.argv[1:]:
    document = Scanner().read(Path(name))
    titles[name] = document.properties.title or unique_title(document.text) or ""
print(json.dumps(titles))
"""


def _md2conf_error(text: str) -> str:
    """The root cause md2conf printed last (its final lines name only the file)."""
    causes = [
        line.strip().removeprefix("\x1b[95m").replace("\x1b[0m", "")
        for line in text.splitlines()
        if re.match(r"\s*(\x1b\[95m)?\w+(Error|Exception)\b", line)
        and "failed to convert Markdown file" not in line
    ]
    return causes[-1] if causes else tail(text, 1)


def build_md2conf(corpus: Corpus, work: Path) -> ToolRun:
    peer = ToolRun("md2conf")
    md2conf = MD2CONF_BIN / "md2conf"
    if not md2conf.exists():
        peer.failure = f"no {md2conf} (see this script's docstring)"
        return peer
    config = (corpus.source / "mkdocs.yml").read_text(encoding="utf-8")
    found = re.search(r"^docs_dir:\s*['\"]?([^'\"\n]+)", config, re.MULTILINE)
    docs = corpus.source / (found.group(1).strip() if found else "docs")
    copy = work / "md2conf-src"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(docs, copy)
    files = sorted(str(path.relative_to(copy)) for path in copy.rglob("*.md"))
    env = mkdocs_env()
    if mermaid := mermaid_command(work):
        env["MERMAID_CMD"] = mermaid
    else:
        peer.notes.append("Mermaid CLI (mmdc + chromium) missing: md2conf cannot render Mermaid")
    # Not under unshare: Chromium (for mmdc) does not start there; --local sends nothing.
    base = [
        str(md2conf),
        "--local",
        "-d",
        "example.atlassian.net",
        "-s",
        "DOC",
        "--no-generated-by",
        "--skip-update",
        "--no-force-valid-url",
        "-l",
        "warning",
    ]
    failed: dict[str, str] = {}
    remaining = list(files)
    texts = []
    single = False  # after a failure naming no file: one file per run
    while remaining:
        batch = remaining[:1] if single else remaining
        text = run([*base, *batch], peer.log, cwd=copy, env=env)
        texts.append(text)
        done = {name for name in batch if (copy / name).with_suffix(".csf").exists()}
        bad = re.search(r"failed to convert Markdown file: (\S+)", text)
        if bad:
            name = str(Path(bad.group(1)).relative_to(copy))
            failed[name] = _md2conf_error(text)
            done.add(name)
        elif peer.log.returncode and single:
            failed[batch[0]] = _md2conf_error(text)
            done.add(batch[0])
        elif peer.log.returncode:
            single = True
        elif not done:
            break
        remaining = [name for name in remaining if name not in done]
    (work / "md2conf.log").write_text("\n".join(texts), encoding="utf-8")
    peer.log.warnings = sum(
        line.count(" - WARNING - ") for text in texts for line in text.splitlines()
    )
    for name, reason in sorted(failed.items()):
        peer.notes.append(f"md2conf could not convert {name}: {reason}")
    titles_run = subprocess.run(
        [str(MD2CONF_BIN / "python"), "-c", _MD2CONF_TITLES, *files],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    titles: dict[str, str] = json.loads(titles_run.stdout) if titles_run.returncode == 0 else {}
    for name in files:
        csf = (copy / name).with_suffix(".csf")
        if csf.exists():
            body = csf.read_text(encoding="utf-8")
            peer.pages[name.removesuffix(".md")] = ToolPage(titles.get(name, ""), body)
    if not peer.pages:
        peer.failure = f"md2conf wrote nothing: {tail(texts[-1] if texts else '')}"
    return peer


# -- the HTML build's constructs ---------------------------------------------------------------


def _classes(node: HtmlElement) -> set[str]:
    return set((node.get("class") or "").split())


def _text(node: _Element | HtmlElement) -> str:
    return " ".join("".join(node.itertext()).split())


def html_file(root: Path, kind: Kind, key: str) -> Path:
    if kind == "sphinx":
        return root / f"{key}.html"
    folder, _, stem = key.rpartition("/")
    base = root / folder if folder else root
    if stem.lower() in {"index", "readme"}:
        return base / "index.html"
    pretty = base / stem / "index.html"
    return pretty if pretty.exists() else base / f"{stem}.html"


def source_page(path: Path) -> SourcePage:
    page = SourcePage()
    if not path.is_file():
        return page
    document = lxml.html.parse(str(path)).getroot()
    main = next(
        iter(
            document.xpath("//*[@role='main']")
            or document.xpath("//article")
            or document.xpath("//div[contains(concat(' ', @class, ' '), ' body ')]")
            or [document]
        )
    )
    for node in main.iter():
        if not isinstance(node.tag, str):
            continue
        classes = _classes(node)
        parent = node.getparent()
        parent_classes = _classes(parent) if parent is not None else set()
        label = ""
        if (
            ("sphinx-tabs-tab" in classes)
            or ("sd-tab-label" in classes)
            or (node.tag == "label" and parent_classes & {"tabbed-labels", "tabbed-set"})
        ):
            label = _text(node)
        elif node.tag == "label" and (node.get("for") or "").startswith("c-tab-"):
            label = node.get("title") or _text(node)  # django's console tabs
        if label:
            page.tab_labels[label] += 1
        if node.tag == "img" and node.get("src"):
            page.images.add(node.get("src", "").rpartition("/")[2])
        if classes & {"math", "arithmatex"} and not _inside(node, {"math", "arithmatex"}):
            page.math += 1
        diagram = node.tag in {"pre", "div"} and classes & {"mermaid", "diagram"}
        if diagram and not _inside(node, {"mermaid", "diagram"}):
            page.mermaid += 1
        if node.tag == "table" and any(_col_width(col) for col in node.iter("col")):
            page.table_widths += 1
        if (node.tag == "nav" and "contents" in classes) or (
            node.tag == "div" and classes & {"contents", "toc"} and "topic" not in parent_classes
        ):
            entries = [_text(link) for link in node.iter("a") if _text(link)]
            page.tocs.append(entries)
    return page


def _inside(node: HtmlElement, classes: set[str]) -> bool:
    return any(_classes(parent) & classes for parent in node.iterancestors())


def _col_width(col: _Element | HtmlElement) -> bool:
    return bool(col.get("width")) or "width" in (col.get("style") or "")


# -- the counts on a tool's pages --------------------------------------------------------------


def measure(run_: ToolRun, sources: dict[str, SourcePage]) -> None:
    """Count every construct on every page of *run_* (a page it did not write misses all)."""
    for key, page in run_.pages.items():
        if page.title and _MARKUP.search(page.title):
            run_.count("titles", f"{key}: {page.title!r}", 1)
        if run_.tool != "ours":
            try:
                normalise(page.body)
            except InvalidStorage as exc:
                run_.rejected.append(f"{key}: {exc}")
    for key, source in sources.items():
        written = run_.pages.get(key)
        root = None
        if written is not None:
            try:
                root = parse_fragment(written.body, where=key)
            except StorageError:
                root = None
        _measure_page(run_, key, source, root)


def _measure_page(run_: ToolRun, key: str, source: SourcePage, root: _Element | None) -> None:
    if root is None:
        for construct, n in (
            ("tabs", sum(source.tab_labels.values())),
            ("math", source.math),
            ("mermaid", source.mermaid),
            ("table_widths", source.table_widths),
            ("toc", len(source.tocs)),
        ):
            run_.count(construct, key, n)
        return
    units: Counter[str] = Counter()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        local = etree.QName(node).localname
        title = node.tag == _TITLE_PARAM and node.get(_MACRO_NAME) == "title"
        text = _text(node) if local in _TEXT_TAGS or title or node.tag in _LINK_BODIES else ""
        if text:
            units[text] += 1
    run_.count("tabs", key, sum(max(0, n - units[label]) for label, n in source.tab_labels.items()))
    anchors: Counter[str] = Counter()
    standalone = 0
    for macro in root.iter(_MACRO):
        if macro.get(_MACRO_NAME) != "anchor":
            continue
        param = macro.find(_TITLE_PARAM)
        anchors[(param.text or "") if param is not None else ""] += 1
        parent = macro.getparent()
        if parent is root or (
            parent is not None
            and etree.QName(parent).localname == "p"
            and not (parent.text or "").strip()
            and all(
                child.tag == _MACRO
                and child.get(_MACRO_NAME) == "anchor"
                and not (child.tail or "").strip()
                for child in parent
            )
        ):
            standalone += 1
    run_.count("anchors", key, standalone)
    run_.count("duplicate_anchors", key, sum(n - 1 for n in anchors.values() if n > 1))
    images = Counter[str]()
    for image in root.iter(_IMAGE):
        attachment = image.find(_ATTACHMENT)
        name = attachment.get(_FILENAME, "") if attachment is not None else ""
        if name in source.images:
            continue  # an image of the docs (``mermaid-diagram.png``), not a rendering
        for construct, patterns in (("math", MATH_IMAGE), ("mermaid", MERMAID_IMAGE)):
            if patterns[run_.tool].search(name):
                images[construct] += 1
    run_.count("math", key, max(0, source.math - images["math"]))
    run_.count("mermaid", key, max(0, source.mermaid - images["mermaid"]))
    widths = sum(
        1
        for table in root.iter("table")
        if any(_col_width(col) for col in table.iter("col", "{*}col"))
    )
    run_.count("table_widths", key, max(0, source.table_widths - widths))
    toc_macros = sum(1 for macro in root.iter(_MACRO) if macro.get(_MACRO_NAME) == "toc")
    listed = sum(
        1
        for entries in source.tocs
        if entries and sum(units[entry] > 0 for entry in entries) * 2 >= len(entries)
    )
    run_.count("toc", key, max(0, len(source.tocs) - toc_macros - listed))


# -- one corpus --------------------------------------------------------------------------------


def evaluate(corpus: Corpus, work: Path, peers: bool) -> Report:
    report = Report(corpus)
    work.mkdir(parents=True, exist_ok=True)
    print(f"{corpus.name}: our build ...", flush=True)
    build_ours(corpus, work, report)
    print(f"{corpus.name}: HTML build ...", flush=True)
    root = html_root(corpus, work, report)
    keys = set(report.ours.pages)
    if peers:
        print(f"{corpus.name}: peer ...", flush=True)
        if corpus.kind == "sphinx":
            report.peer = build_confluencebuilder(corpus, work)
        else:
            report.peer = build_md2conf(corpus, work)
        if not report.ours.pages:
            keys |= set(report.peer.pages)
    report.sources = {key: source_page(html_file(root, corpus.kind, key)) for key in sorted(keys)}
    measure(report.ours, report.sources)
    if report.peer is not None and not report.peer.failure:
        measure(report.peer, report.sources)
    return report


def print_report(report: Report, verbose: bool) -> bool:
    """The corpus's table; True when a done-when criterion fails."""
    ours, peer = report.ours, report.peer
    peer_name = peer.tool if peer else "no peer"
    kind = "Sphinx" if report.corpus.kind == "sphinx" else "MkDocs"
    print(f"\n== {report.corpus.name} ({kind}; peer: {peer_name})")
    if ours.failure:
        print(f"   our build failed: {ours.failure}")
    if peer is not None and peer.failure:
        print(f"   peer failed: {peer.failure}")
    peer_ok = peer is not None and not peer.failure
    rows = [
        ("pages", str(len(ours.pages)), str(len(peer.pages)) if peer_ok and peer else "-", ""),
        (
            "warnings (all)",
            str(ours.log.warnings),
            str(peer.log.warnings) if peer_ok and peer else "-",
            "",
        ),
        ("warnings (converter)", str(len(ours.log.confluence_warnings)), "", ""),
        ("unknown-node warnings", str(sum(ours.log.unknown_nodes.values())), "", ""),
        (
            "pages rejected by sandbox",
            str(len(ours.rejected)),
            str(len(peer.rejected)) if peer_ok and peer else "-",
            "",
        ),
        (
            "build seconds",
            f"{ours.log.seconds:.0f}",
            f"{peer.log.seconds:.0f}" if peer_ok and peer else "-",
            "",
        ),
    ]
    worse = 0
    for construct, label in CONSTRUCTS:
        source = _source_total(report, construct)
        mine = ours.counts[construct]
        theirs = peer.counts[construct] if peer_ok and peer else None
        flag = "WORSE" if theirs is not None and mine > theirs else ""
        worse += bool(flag)
        shown = f"{label} (of {source})" if source is not None else label
        rows.append((shown, str(mine), "-" if theirs is None else str(theirs), flag))
    header = ("", "ours", "peer", "ours worse")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        cells = [
            row[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
        ]
        print("   " + "  ".join(cells).rstrip())
    print(f"   ours worse than the peer on {worse} construct(s)")
    if ours.log.unknown_nodes:
        nodes = ", ".join(f"{n} x{c}" for n, c in ours.log.unknown_nodes.most_common())
        print(f"   unknown nodes: {nodes}")
    for note in [*ours.notes, *(peer.notes if peer else [])]:
        print(f"   note: {note}")
    limit = None if verbose else 3
    for construct, label in CONSTRUCTS:
        pages = ours.examples.get(construct, [])
        if pages:
            more = f" (+{len(pages) - 3} more, -v)" if limit and len(pages) > limit else ""
            print(f"   ours, {label}: {', '.join(pages[:limit])}{more}")
    for problem in ours.rejected[:limit]:
        print(f"   ours, rejected: {problem}")
    if verbose and peer is not None:
        for construct, label in CONSTRUCTS:
            if pages := peer.examples.get(construct, []):
                print(f"   peer, {label}: {', '.join(pages)}")
        for problem in peer.rejected:
            print(f"   peer, rejected: {problem}")
    return bool(
        ours.failure
        or ours.counts["titles"]
        or ours.counts["anchors"]
        or ours.counts["tabs"]
        or ours.log.unknown_nodes
        or ours.rejected
    )


def _source_total(report: Report, construct: str) -> int | None:
    sources = report.sources.values()
    totals = {
        "tabs": sum(sum(s.tab_labels.values()) for s in sources),
        "math": sum(s.math for s in sources),
        "mermaid": sum(s.mermaid for s in sources),
        "table_widths": sum(s.table_widths for s in sources),
        "toc": sum(len(s.tocs) for s in sources),
    }
    return totals.get(construct)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(NAMES))
    parser.add_argument("--corpora", type=Path, default=HERE / "corpora")
    parser.add_argument("--work", type=Path, default=HERE / "corpora" / "fidelity")
    parser.add_argument("--no-peers", action="store_true", help="measure our output only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every page")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(NAMES)
    if unknown:
        parser.error(f"unknown corpus {sorted(unknown)}; choose from {', '.join(NAMES)}")
    reports = []
    for name in args.names or NAMES:
        item = corpus(args.corpora.resolve(), name)
        if not item.source.is_dir():
            print(f"{name}: no sources at {item.source}; see this script's docstring")
            return 2
        reports.append(evaluate(item, args.work.resolve() / name, peers=not args.no_peers))
    failed = [r.corpus.name for r in reports if print_report(r, args.verbose)]
    print(f"\nlogs and outputs in {args.work}")
    if failed:
        print(f"issue 11 done-when not met on: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
