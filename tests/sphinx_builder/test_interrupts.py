"""SIGTERM during ``sphinx-build``'s publish: reported as the builder reports a failed publish
(an error, exit status 1, no traceback), the writes stop, and the next build publishes the
rest, each page once."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time

from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS, plain

CREATES = "POST /api/v2/pages"


def build(srcdir, outdir, live):
    overrides = {"confluence_url": live.base_url, "confluence_space": "DOC"}
    app = SphinxTestApp("confluence", srcdir=srcdir, builddir=outdir, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_sigterm_during_the_publish_stops_it_and_the_next_build_finishes(
    tmp_path, monkeypatch, live_confluence
):
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    for name in ("CONFLUENCE_URL", "CONFLUENCE_SPACE", "CONFLUENCE_PARENT", "CONFLUENCE_PAT"):
        monkeypatch.delenv(name, raising=False)
    srcdir = tmp_path / "tree"
    shutil.copytree(ROOTS / "test-tree", srcdir)
    live_confluence.faults.latency = 0.1

    def interrupt():
        deadline = time.monotonic() + 60
        while live_confluence.stats.count(CREATES) < 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        if live_confluence.stats.count(CREATES) >= 3:  # never into pytest itself
            os.kill(os.getpid(), signal.SIGTERM)

    watcher = threading.Thread(target=interrupt, daemon=True)
    watcher.start()
    stopped = build(srcdir, tmp_path / "out", live_confluence)
    watcher.join()

    assert stopped.statuscode == 1
    warnings = plain(stopped.warning.getvalue())
    assert "ERROR: Publish interrupted (SIGTERM):" in warnings
    assert "changes done, run again to finish" in warnings
    assert "Traceback" not in warnings + plain(stopped.status.getvalue())
    created = live_confluence.stats.count(CREATES)
    live_confluence.faults.latency = 0
    again = build(srcdir, tmp_path / "out", live_confluence)
    assert again.statuscode == 0
    pages = live_confluence.store.pages.all(space_id=live_confluence.space("DOC").id)
    ours = [page for page in pages if page.title != "DOC Home"]
    assert created < len(ours)
    assert live_confluence.stats.count(CREATES) == len(ours)  # each page once, in all
    assert {live_confluence.page("DOC", page.title).version for page in ours} == {1}
