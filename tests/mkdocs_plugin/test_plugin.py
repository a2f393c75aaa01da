"""The plugin in a MkDocs build: when it runs, where the bundle goes, how it reports."""

from __future__ import annotations

import logging

import mkdocs
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from docs_confluence.version import generator

from .sites import write_site

PAGES = {"index.md": "# Home\n\nHello.\n"}


def test_build_writes_the_bundle_beside_mkdocs_yml_not_into_the_site(make_site):
    site = make_site(PAGES)
    assert site.tree() == [("index.md", "Home", None)]
    assert site.bundle.project == "Test-Site"
    assert site.bundle.generator == generator("MkDocs", mkdocs.__version__)
    assert not any((site.root / "site").rglob("manifest.json"))


def test_bundle_dir_is_relative_to_mkdocs_yml(make_site):
    site = make_site(PAGES, {"plugins": [{"confluence": {"bundle_dir": "build/confluence"}}]})
    assert (site.root / "build" / "confluence" / "manifest.json").is_file()
    assert not site.bundle_dir.exists()


def test_disabled_plugin_does_nothing(make_site):
    site = make_site(PAGES, {"plugins": [{"confluence": {"enabled": False}}]})
    assert (site.root / "site" / "index.html").is_file()
    assert not site.bundle_dir.exists()


def test_serve_never_converts_nor_publishes(tmp_path, monkeypatch):
    monkeypatch.delenv("CONFLUENCE_API_TOKEN", raising=False)
    path = write_site(
        tmp_path,
        PAGES,
        {"plugins": [{"confluence": {"url": "http://127.0.0.1:9/wiki", "space": "DOC"}}]},
    )
    config = load_config(str(path))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        config.plugins.on_shutdown()
    assert not (tmp_path / ".confluence-bundle").exists()


def test_publish_off_writes_the_bundle_without_calling_confluence(make_site, monkeypatch):
    monkeypatch.delenv("CONFLUENCE_API_TOKEN", raising=False)
    monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    options = {"url": "http://127.0.0.1:9/wiki", "space": "DOC", "publish": False}
    site = make_site(PAGES, {"plugins": [{"confluence": options}]})
    assert site.tree() == [("index.md", "Home", None)]


def test_failed_publish_fails_the_build_but_the_site_is_built(tmp_path, monkeypatch, logs):
    for name in ("CONFLUENCE_USER", "CONFLUENCE_API_TOKEN", "CONFLUENCE_PAT"):
        monkeypatch.delenv(name, raising=False)
    options = {"url": "http://127.0.0.1:9/wiki", "space": "DOC"}
    path = write_site(tmp_path, PAGES, {"plugins": [{"confluence": options}]})
    with pytest.raises(Abort):
        build(load_config(str(path)))
    [error] = logs.errors()
    assert error.startswith("confluence: No Confluence credentials")
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / ".confluence-bundle" / "manifest.json").is_file()


HOOK = """
import logging

def on_page_content(html, page, **kwargs):
    logging.getLogger("docs_confluence.bundle").warning("engine says: look at %s", page.title)
    return html
"""


def test_engine_warnings_are_mkdocs_warnings_and_fail_strict_builds(tmp_path, logs):
    (tmp_path / "hooks.py").write_text(HOOK, encoding="utf-8")
    path = write_site(tmp_path, PAGES, {"hooks": ["hooks.py"]})
    engine = logging.getLogger("docs_confluence")
    before = (list(engine.handlers), engine.propagate, engine.level)
    with pytest.raises(Abort, match="1 warnings"):
        build(load_config(str(path), strict=True))
    assert "confluence: engine says: look at Home" in logs.warnings()
    assert (list(engine.handlers), engine.propagate, engine.level) == before  # restored


def test_conversion_warnings_fail_strict_builds(make_site, logs):
    with pytest.raises(Abort, match="in strict mode"):
        make_site({"index.md": "# Home\n\n<iframe src='x'></iframe>\n"}, strict=True)
    assert logs.warnings() == ["confluence: Page index.md: <iframe> shown as escaped HTML"]


def test_the_bundle_knows_where_the_docs_are_in_the_repository(make_site, tmp_path):
    outside = make_site(PAGES)
    assert outside.bundle.source_dir is None
    (tmp_path / ".git").mkdir()
    site = make_site(PAGES)
    assert site.bundle.source_dir == f"{site.root.name}/docs"
    [page] = site.bundle.pages
    assert site.bundle.source_in_repository(page) == f"{site.root.name}/docs/index.md"
