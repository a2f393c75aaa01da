"""A secret never reaches what ``sphinx-build -b confluence`` prints: a gateway header's value
that also turns up in a page title is shown as ``[secure]`` in the builder's lines and the
engine's forwarded ones. Publishing into the sandbox behind that gateway, over HTTP."""

from __future__ import annotations

from sphinx.testing.util import SphinxTestApp

from docs_confluence.masking import MASK
from docs_confluence.sandbox.server import serve
from docs_confluence.testing import SandboxHarness

from ..engine.network import gateway
from .conftest import plain

SECRET = "gw-9b4c2e7f1a"


def test_a_header_secret_is_masked_in_what_sphinx_prints(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("CONFLUENCE_USER", SandboxHarness.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", SandboxHarness.api_token)
    for name in ("CONFLUENCE_URL", "CONFLUENCE_SPACE", "CONFLUENCE_PAT", "CONFLUENCE_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('project = "Masked"\nconfluence_source_notice = False\n')
    (srcdir / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   rotate\n")
    heading = f"Rotating {SECRET}"
    (srcdir / "rotate.rst").write_text(f"{heading}\n{'=' * len(heading)}\n\nThe key.\n")
    harness = SandboxHarness.create()
    with serve(gateway(harness.app, "X-Gateway-Token", SECRET)) as origin:
        overrides = {
            "confluence_url": origin + harness.app.context_path,
            "confluence_space": "DOC",
            "confluence_headers": {"X-Gateway-Token": SECRET},
        }
        app = SphinxTestApp(
            "confluence", srcdir=srcdir, builddir=tmp_path / "out", confoverrides=overrides
        )
        try:
            app.build()
        finally:
            app.cleanup()
    titles = {p.title for p in harness.store.pages.all(space_id=harness.space().id)}
    assert heading in titles  # the header reached the gateway: it was published
    shown = plain(app.status.getvalue()) + plain(app.warning.getvalue())
    assert "Published to space DOC" in shown
    assert f"Rotating {MASK}" in shown
    assert SECRET not in shown + caplog.text


def test_a_header_secret_is_masked_in_the_error_that_fails_the_build(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_USER", SandboxHarness.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", SandboxHarness.api_token)
    for name in ("CONFLUENCE_URL", "CONFLUENCE_SPACE", "CONFLUENCE_PAT", "CONFLUENCE_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('project = "Masked"\nconfluence_source_notice = False\n')
    (srcdir / "index.rst").write_text("Home\n====\n\nStart here.\n")
    harness = SandboxHarness.create()
    with serve(gateway(harness.app, "X-Gateway-Token", SECRET)) as origin:
        overrides = {
            "confluence_url": origin + harness.app.context_path,
            "confluence_space": "DOC",
            "confluence_parent_page": f"Keys {SECRET}",  # no such page: the error names it
            "confluence_headers": {"X-Gateway-Token": SECRET},
        }
        app = SphinxTestApp(
            "confluence", srcdir=srcdir, builddir=tmp_path / "out", confoverrides=overrides
        )
        try:
            app.build()
        finally:
            app.cleanup()
    shown = plain(app.status.getvalue()) + plain(app.warning.getvalue())
    assert f"parent_page 'Keys {MASK}': no page with this exact title" in shown
    assert SECRET not in shown
