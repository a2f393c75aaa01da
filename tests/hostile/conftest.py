"""Building hostile sources for real: MkDocs sites and Sphinx projects in a fresh directory
per generated example (hypothesis runs many examples inside one test)."""

from __future__ import annotations

import logging
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from hypothesis import HealthCheck, settings
from mkdocs.commands.build import build
from mkdocs.config import load_config
from sphinx.testing.util import SphinxTestApp

from docs_confluence import Bundle, read_bundle

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

settings.register_profile(
    "hostile",
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HOSTILE = settings.get_profile("hostile")


@contextmanager
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def build_mkdocs(
    root: Path, files: Mapping[str, str | bytes], nav: Any = None, *, quiet: bool = True
) -> Bundle:
    """Write and build a MkDocs site with the confluence plugin; its bundle. *quiet* hides
    MkDocs' warnings (generated pages cause thousands)."""
    config: dict[str, Any] = {
        "site_name": "Hostile",
        "theme": {"name": "mkdocs"},
        "plugins": [{"confluence": {"source_notice": False}}],  # about content, not the notice
    }
    if nav is not None:
        config["nav"] = nav
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for name, content in files.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
    logging.getLogger("mkdocs").setLevel(logging.ERROR if quiet else logging.NOTSET)
    try:
        build(load_config(str(root / "mkdocs.yml")))
    finally:
        logging.getLogger("mkdocs").setLevel(logging.NOTSET)
    return read_bundle(root / ".confluence-bundle")


def build_sphinx(root: Path, files: Mapping[str, str | bytes]) -> tuple[Bundle, str]:
    """Write and build a Sphinx project with the confluence builder; its bundle and warnings."""
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'project = "Hostile"\nconfluence_source_notice = False\n', encoding="utf-8"
    )
    for name, content in files.items():
        path = src / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    app = SphinxTestApp("confluence", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    return read_bundle(app.outdir), app.warning.getvalue()
