"""The example site builds without a warning and every page is accepted by the sandbox."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from docs_confluence import read_bundle, storage
from docs_confluence.sandbox.xhtml import normalise
from docs_confluence.storage.macros import CATALOGUE

from .conftest import plain
from .pages import NS

EXAMPLE = Path(__file__).parents[2] / "example-site" / "sphinx"


def test_example_site_builds_cleanly_into_pages_confluence_accepts(tmp_path):
    srcdir = tmp_path / "sphinx"
    shutil.copytree(EXAMPLE, srcdir, ignore=shutil.ignore_patterns("_build", "out"))
    app = SphinxTestApp("confluence", srcdir=srcdir, builddir=tmp_path / "build")
    try:
        app.build()
    finally:
        app.cleanup()
    assert plain(app.warning.getvalue()) == ""
    bundle = read_bundle(app.outdir)
    assert len(bundle.pages) == 18
    emitted: set[str] = set()
    for page in bundle.pages:
        normalise(bundle.read_body(page))  # raises InvalidStorage as Confluence would refuse
        body = storage.parse_fragment(bundle.read_body(page))
        emitted.update(body.xpath("//ac:structured-macro/@ac:name", namespaces=NS))
    assert emitted <= set(CATALOGUE), emitted - set(CATALOGUE)
    assert {"info", "note", "tip", "warning", "code", "anchor"} <= emitted
    assert {a.filename for a in bundle.page("guide/media").attachments} == {
        "logo.png",
        "architecture.svg",
        "widgets.toml",
    }
    quickstart = storage.parse_fragment(bundle.read_body(bundle.page("getting-started/quickstart")))
    [sentence] = quickstart.xpath("string(p[contains(., 'prints one widget')])").split(". ")[:1]
    assert re.fullmatch(r"Listing \d+ prints one widget", sentence)
