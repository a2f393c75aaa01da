"""Ctrl-C during ``mkdocs build``'s publish: reported as MkDocs reports a plugin's error (no
traceback), the writes stop, and the next build publishes the rest, each page once."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from mkdocs.exceptions import Abort

PAGES = {"index.md": "# Home\n", **{f"p{n}.md": f"# Page {n}\n\nText {n}.\n" for n in range(16)}}


def test_ctrl_c_during_the_publish_stops_it_and_the_next_build_finishes(
    make_site, live_confluence, target, logs
):
    live_confluence.faults.latency = 0.1
    creates = "POST /api/v2/pages"

    def interrupt():
        deadline = time.monotonic() + 30
        while live_confluence.stats.count(creates) < 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        if live_confluence.stats.count(creates) >= 3:  # never into pytest itself
            os.kill(os.getpid(), signal.SIGINT)

    watcher = threading.Thread(target=interrupt, daemon=True)
    watcher.start()
    with pytest.raises(Abort):
        make_site(PAGES, {"plugins": [{"confluence": target}]})
    watcher.join()

    [error] = [e for e in logs.errors() if "interrupted" in e]
    assert "Publish interrupted (SIGINT):" in error
    assert "changes done, run again to finish" in error
    assert "Traceback" not in logs.text
    created = live_confluence.stats.count(creates)
    assert created < len(PAGES)  # stopped before the end
    live_confluence.faults.latency = 0
    make_site(PAGES, {"plugins": [{"confluence": target}]})
    assert live_confluence.stats.count(creates) == len(PAGES)  # each page once, in all
    assert live_confluence.page("DOC", "Page 15").version == 1
