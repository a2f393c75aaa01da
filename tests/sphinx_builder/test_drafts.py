"""``confluence_draft``: new pages go into Confluence as drafts; a later build publishes them."""

from __future__ import annotations

import shutil

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS, config_errors


@pytest.fixture
def live(monkeypatch, live_confluence):
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    for name in ("CONFLUENCE_URL", "CONFLUENCE_SPACE", "CONFLUENCE_PARENT", "CONFLUENCE_PAT"):
        monkeypatch.delenv(name, raising=False)
    return live_confluence


def build(tmp_path, name, **overrides):
    srcdir = tmp_path / name / "src"
    if not srcdir.exists():
        shutil.copytree(ROOTS / "test-titles", srcdir)
    app = SphinxTestApp("confluence", srcdir=srcdir, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_a_draft_build_then_a_normal_build_publishes(tmp_path, live):
    target = {"confluence_url": live.base_url, "confluence_space": "DOC"}

    build(tmp_path, "one", confluence_draft=True, **target)
    space = live.space("DOC")
    ours = [p for p in live.store.pages.all(space_id=space.id) if p.title != "DOC Home"]
    assert ours
    assert {p.status for p in ours} == {"draft"}
    assert live.outline() == "DOC Home"  # readers see none of them

    build(tmp_path, "one", **target)
    assert {live.store.pages.get(p.id).status for p in ours} == {"current"}
    assert live.outline().count("\n") == len(ours)


def test_data_center_refuses_it_naming_the_value(tmp_path):
    app = build(
        tmp_path,
        "dc",
        confluence_draft=True,
        confluence_url="https://wiki.example.com/confluence",
        confluence_space="DOC",
    )
    assert "conf.py: confluence_draft = True: drafts need Confluence Cloud" in config_errors(app)
