"""Fixtures: MkDocs sites written into tmp_path and built for real."""

from __future__ import annotations

import logging

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .sites import BuiltSite, write_site


@pytest.fixture
def make_site(tmp_path):
    """Write and build a site: ``make_site(files, config, strict=False, notice=False)`` ->
    BuiltSite (*notice*: keep the source notice's default, on)."""

    count = 0

    def make(files, config=None, *, strict=False, notice=False, **overrides):
        nonlocal count
        count += 1
        root = tmp_path / f"site{count}"
        root.mkdir()
        config_file = write_site(root, files, config, notice=notice)
        mkdocs_config = load_config(str(config_file), strict=strict, **overrides)
        build(mkdocs_config)
        return BuiltSite(root)

    return make


@pytest.fixture
def convert(make_site):
    """Build a one-page site from Markdown and return the page body (parsed)."""

    def run(markdown, *, extensions=(), files=None, plugin=None, theme="mkdocs"):
        config = {
            "markdown_extensions": list(extensions),
            "plugins": [{"confluence": plugin or {}}],
            "theme": {"name": theme},
        }
        site = make_site({"index.md": markdown, **(files or {})}, config)
        return site.body("index.md")

    return run


@pytest.fixture
def logs(caplog):
    """Messages MkDocs shows (records under ``mkdocs.*``)."""
    caplog.set_level(logging.INFO)

    class Logs:
        def at_least(self, level: int) -> list[str]:
            return [
                r.getMessage()
                for r in caplog.records
                if r.name.startswith("mkdocs") and r.levelno >= level
            ]

        def warnings(self):
            return self.at_least(logging.WARNING)

        def errors(self):
            return self.at_least(logging.ERROR)

        @property
        def text(self):
            return caplog.text

    return Logs()


@pytest.fixture
def target(live_confluence, monkeypatch):
    """Plugin options publishing into the live sandbox, credentials in the environment."""
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    return {"url": live_confluence.base_url, "space": "DOC", "parent_page": "DOC Home"}
