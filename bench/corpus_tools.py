"""What the corpus benches share: building a corpus with our front ends, offline, and checking
each page body with the sandbox's storage validator.

Used by ``sphinx_corpora.py``, ``mkdocs_corpora.py``, ``mkdocs_build.py``, ``sphinx_build.py``
and ``fidelity.py``. The corpora come from ``/work/shared/corpora/fetch.sh`` (see those scripts'
docstrings); ``bench/corpora`` is git-ignored.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from docs_confluence.sandbox.errors import InvalidStorage
from docs_confluence.sandbox.xhtml import normalise

if TYPE_CHECKING:
    from docs_confluence import Bundle

HERE = Path(__file__).resolve().parent
SPHINX_CORPORA = HERE / "corpora" / "sphinx"
MKDOCS_CORPORA = HERE / "corpora" / "mkdocs"
# Sphinx corpus -> the folder of its sdist holding conf.py.
SPHINX_SOURCES = {"sphinx": "doc", "flask": "docs", "click": "docs", "django": "docs"}
# MkDocs corpus -> extra ``mkdocs build`` arguments (see ../shared/corpora/README.md).
MKDOCS_ARGS: dict[str, list[str]] = {
    "starlette": ["--no-strict"],  # its offline mkdocstrings inventory is an ERROR
    "pymdown-extensions": [],
}
SIBLING = "mkdocs.confluence.yml"
UNKNOWN_NODE = re.compile(r"no Confluence rendering for node '([^']+)'")
_MKDOCS_PLUGIN_LINE = re.compile(r"^(WARNING|ERROR)\s+-\s+(?:confluence:|Confluence:)\s*(.*)$")
_SPHINX_ERROR = re.compile(r"\b(ERROR|CRITICAL|SEVERE)\b")


@functools.cache
def offline() -> tuple[str, ...]:
    """``unshare -rn`` (no network) when this machine allows it, as fetch.sh builds."""
    unshare = shutil.which("unshare")
    if unshare:
        for flags in ("-rn", "-n"):
            probe = subprocess.run([unshare, flags, "true"], capture_output=True, check=False)
            if probe.returncode == 0:
                return (unshare, flags)
    return ()


@dataclass
class BuildLog:
    """What a build printed, counted."""

    returncode: int = 0
    seconds: float = 0.0
    warnings: int = 0
    confluence_warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unknown_nodes: Counter[str] = field(default_factory=Counter)


def read_sphinx_log(text: str, log: BuildLog) -> None:
    """Sphinx: every ``WARNING:`` line; ours are those typed ``[confluence…]``."""
    for line in text.splitlines():
        if "WARNING:" in line:
            log.warnings += 1
            if "[confluence" in line:
                log.confluence_warnings.append(line)
            if match := UNKNOWN_NODE.search(line):
                log.unknown_nodes[match.group(1)] += 1
        elif _SPHINX_ERROR.search(line):
            log.errors.append(line)


def read_mkdocs_log(text: str, log: BuildLog) -> None:
    """MkDocs: every ``WARNING -`` line; ours are those of the confluence plugin."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("WARNING"):
            log.warnings += 1
        if found := _MKDOCS_PLUGIN_LINE.match(stripped):
            if found.group(1) == "WARNING":
                log.confluence_warnings.append(found.group(2))
            else:
                log.errors.append(found.group(2))
            if match := UNKNOWN_NODE.search(stripped):
                log.unknown_nodes[match.group(1)] += 1


def rejected_pages(bundle: Bundle) -> list[str]:
    """Pages whose body the sandbox's storage validator refuses, with the reason."""
    rejected = []
    for page in bundle.pages:
        try:
            normalise(bundle.read_body(page))
        except InvalidStorage as exc:
            rejected.append(f"{page.source or page.key}: {exc}")
    return rejected


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (``!!python/name``, ``!ENV``)."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def write_sibling_config(src: Path, options: dict[str, Any], config: str = "mkdocs.yml") -> Path:
    """``src/mkdocs.confluence.yml``: the upstream config plus the confluence plugin (an
    upstream ``confluence`` entry, as in the example site, is replaced by *options*)."""
    upstream = yaml.load((src / config).read_text(encoding="utf-8"), _LenientLoader)
    plugins = [
        plugin
        for plugin in list(upstream.get("plugins") or ["search"])
        if plugin != "confluence" and not (isinstance(plugin, dict) and "confluence" in plugin)
    ]
    settings = {"INHERIT": config, "plugins": [*plugins, {"confluence": options}]}
    path = src / SIBLING
    path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_command(python: Path, config: str, site: Path, extra: list[str]) -> list[str]:
    """``python -m mkdocs build`` (``-m`` puts the config's folder on sys.path), offline."""
    return [
        *offline(),
        str(python),
        "-m",
        "mkdocs",
        "build",
        "-f",
        config,
        "-d",
        str(site),
        *extra,
    ]


def mkdocs_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def sphinx_command(sphinx_build: Path, builder: str, source: Path, out: Path) -> list[str]:
    """``sphinx-build -b BUILDER -j auto``, offline."""
    return [*offline(), str(sphinx_build), "-b", builder, "-j", "auto", str(source), str(out)]
