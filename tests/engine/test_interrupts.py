"""Ctrl-C and SIGTERM during a publish: no new write after the signal (the ones in flight
finish), the index is saved, the exit code and message say so, and the next run writes only
what is left (no page gets a second version, no file is uploaded twice). The publish runs as
``python -m docs_confluence publish`` in a subprocess against the sandbox over HTTP, slowed
down so that the signal lands in the middle of the creates, the updates or the uploads."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from docs_confluence.ci import with_ci_report
from docs_confluence.config import PublisherConfig
from docs_confluence.errors import Interrupted
from docs_confluence.publisher import publish_bundle
from docs_confluence.testing import SandboxHarness

from .conftest import BOT, FAST_RETRY, PAT
from .test_crashed_runs import DiesBeforeItsRecord

#: The most requests in flight (--concurrency): no more writes than this after the signal.
CEILING = 4
SECTIONS = 3
PER_SECTION = 8
PAGES = 1 + SECTIONS * (1 + PER_SECTION)

#: A body Confluence rewrites as it saves it (``<b>`` to ``<strong>``, a macro id added).
REWRITTEN = (
    '<p><b>Page {n}</b></p><ac:structured-macro ac:name="code">'
    "<ac:plain-text-body><![CDATA[x = {n}]]></ac:plain-text-body></ac:structured-macro>"
)

CREATE = "POST /api/v2/pages"
UPDATE = "PUT /api/v2/pages/{id}"
UPLOAD = "PUT /rest/api/content/{id}/child/attachment"


@pytest.fixture
def server(request):
    """A Cloud sandbox over HTTP (Data Center where a test asks for it)."""
    with SandboxHarness.create(flavor=getattr(request, "param", "cloud")).served() as live:
        yield live


def creates_in(server):
    """Create requests the sandbox received."""
    return server.stats.count(CREATE) + server.stats.count("POST /rest/api/content")


def write_site(site, *, body="<p>{n}</p>", files=False):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    for s in range(SECTIONS):
        site.page(f"s{s}", f"Section {s}", f"<p>Section {s}</p>", parent="index")
        for n in range(PER_SECTION):
            attached = [(f"f{s}-{n}.txt", f"file {s} {n}".encode())] if files else []
            site.page(
                f"s{s}/p{n}",
                f"Page {s}.{n}",
                body.format(n=f"{s}.{n}"),
                parent=f"s{s}",
                files=attached,
            )
    return site.bundle()


def publish_here(server, bundle):
    """Publish in this process as a front end does (CI output included, under GitHub Actions)."""
    config = PublisherConfig.from_mapping({"url": server.base_url, "space": "DOC"})
    credentials = BOT if server.app.flavor == "cloud" else PAT
    return with_ci_report(
        lambda: publish_bundle(bundle, config, credentials=credentials, retry=FAST_RETRY)
    )


def start_publish(server, bundle):
    env = {
        **os.environ,
        "CONFLUENCE_URL": server.base_url,
        "CONFLUENCE_SPACE": "DOC",
    }
    for name in ("CONFLUENCE_PAT", "CONFLUENCE_PARENT", "GITHUB_ACTIONS"):
        env.pop(name, None)
    if server.app.flavor == "cloud":
        env.update(CONFLUENCE_USER=server.email, CONFLUENCE_API_TOKEN=server.api_token)
    else:
        env["CONFLUENCE_PAT"] = server.pat
    command = [sys.executable, "-m", "docs_confluence", "publish", str(bundle.root)]
    return subprocess.Popen(
        [*command, "--json", "--concurrency", str(CEILING)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def interrupt_after(server, process, route, writes, signals):
    """Send each of *signals* once *writes* requests of *route* (a route, or a function that
    counts them) reached the sandbox; returns
    how many had when the first signal went, and the process's exit code, stdout and stderr."""
    count = route if callable(route) else lambda server: server.stats.count(route)
    deadline = time.monotonic() + 60
    while count(server) < writes:
        if process.poll() is not None or time.monotonic() > deadline:
            out, err = process.communicate()
            pytest.fail(f"the publish ended before {writes} x {route}:\n{err}")
        time.sleep(0.005)
    at_signal = count(server)
    for sig in signals:
        process.send_signal(sig)
        time.sleep(0.05)
    out, err = process.communicate(timeout=60)
    return at_signal, process.returncode, out, err


SCENARIOS = {
    # what the interrupted run does: the route it writes, and how the site changes before it
    "creates": CREATE,
    "updates": UPDATE,
    "uploads": UPLOAD,
}


def prepare(site, server, where):
    """Publish what comes before *where*, and return the bundle whose publish is interrupted
    there, and how many writes of its route that publish wants."""
    if where == "creates":
        return write_site(site), PAGES
    publish_here(server, write_site(site))
    if where == "updates":
        return write_site(site, body="<p>{n}, second edition</p>"), SECTIONS * PER_SECTION
    return write_site(site, files=True), SECTIONS * PER_SECTION


#: A person's Ctrl-C, what a cancelled job gets on most CI services and from ``kill``, and
#: GitHub Actions' cancel (SIGINT, then SIGTERM 7.5 s later: the run goes on finishing).
SIGNALS = {
    "SIGINT": [signal.SIGINT],
    "SIGTERM": [signal.SIGTERM],
    "SIGINT then SIGTERM": [signal.SIGINT, signal.SIGTERM],
}


@pytest.mark.parametrize(
    ("where", "signals"),
    [
        *((where, name) for where in SCENARIOS for name in ("SIGINT", "SIGTERM")),
        ("creates", "SIGINT then SIGTERM"),
    ],
)
def test_an_interrupt_stops_writes_at_once_and_the_next_run_writes_only_what_is_left(
    site, server, where, signals
):
    bundle, wanted = prepare(site, server, where)
    route = SCENARIOS[where]
    server.stats.reset()
    server.faults.latency = 0.1
    sig = SIGNALS[signals][0]

    at_signal, code, out, err = interrupt_after(
        server, start_publish(server, bundle), route, CEILING + 2, SIGNALS[signals]
    )

    # No new write after the signal: only those already on their way (one per connection).
    sent = server.stats.count(route)
    assert sent - at_signal <= CEILING, err
    assert sent < wanted
    name = signal.Signals(sig).name
    assert code == 128 + sig
    assert "Traceback" not in err
    assert f"{name}: starting no new writes" in err
    if len(SIGNALS[signals]) > 1:
        assert "SIGTERM as well: still finishing" in err
    report = json.loads(out)
    interrupted = report["interrupted"]
    assert interrupted["signal"] == name
    done, total = interrupted["done"], interrupted["total"]
    assert interrupted["message"] == (
        f"interrupted ({name}): {done} of {total} changes done, run again to finish"
    )
    assert report["ok"] is False
    assert report["summary"].startswith(f"Interrupted ({name}): {done} of {total} changes done")
    assert f"error: Publish interrupted ({name}): {done} of {total} changes done" in err
    assert "interrupted" in report["counts"]
    assert sent == done  # each write it sent finished, and was counted

    # The next run writes what is left, and only that: the index had every finished write.
    server.faults.latency = 0
    again = publish_here(server, bundle)
    assert again.plan.adopted == ()  # nothing found only by a claimed title
    assert server.stats.count(route) == wanted  # in both runs together: each one once
    assert again.plan.writes == total - done
    edition = 2 if where == "updates" else 1
    for page in bundle.pages:
        snapshot = server.page("DOC", page.title)
        assert snapshot.version == (edition if "/" in page.key else 1), page.title
    if where == "uploads":
        attachments = server.store.attachments.on_pages([server.page("DOC", "Page 0.0").id])
        assert [a.version for a in attachments] == [1]
    server.stats.reset()
    assert publish_here(server, bundle).plan.writes == 0
    assert server.stats.writes == 0


@pytest.mark.parametrize("server", ["cloud", "datacenter"], indirect=True)
def test_a_second_signal_stops_at_once_and_the_next_run_still_writes_each_page_once(site, server):
    """Without the index saved, the pages the stopped run created are found by the titles it
    claimed; those that hold the body the docs have (as Confluence saved it) are recorded, not
    written again."""
    bundle = write_site(site, body=REWRITTEN)
    server.faults.latency = 0.1

    _, code, out, err = interrupt_after(
        server, start_publish(server, bundle), creates_in, CEILING + 2, [signal.SIGINT] * 2
    )

    assert code == 130
    assert "SIGINT again: stopping now, without saving the ownership index" in err
    assert "Traceback" not in err
    assert out == ""
    created = creates_in(server)
    server.faults.latency = 0
    again = publish_here(server, bundle)
    assert len(again.plan.adopted) >= 1  # found by their claimed titles
    assert creates_in(server) == PAGES
    assert [server.page("DOC", page.title).version for page in bundle.pages] == [1] * PAGES
    assert again.plan.writes == PAGES - created + again.plan.count("reorder")
    server.stats.reset()
    assert publish_here(server, bundle).plan.writes == 0


def signal_when(condition, sig):
    """From another thread: send *sig* to this process once *condition()* holds."""

    def watch():
        deadline = time.monotonic() + 30
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.01)
        if condition():  # never into pytest itself, after the publish
            os.kill(os.getpid(), sig)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("refusal", ["429 Retry-After", "503 backoff"])
def test_an_interrupt_cuts_a_wait_for_a_retry_short(site, server, refusal, monkeypatch, tmp_path):
    """In process (the handlers are installed on the main thread for the publish only): a
    request told to come back in a minute is not sent again, the publish ends at once. Under
    GitHub Actions the job summary says it was interrupted."""
    if refusal == "429 Retry-After":
        bundle = write_site(site)
        fault = server.faults.rate_limit(1, method="POST", path=r"/pages$", retry_after=60)
    else:
        publish_here(server, write_site(site))
        bundle = write_site(site, body="<p>{n}, second edition</p>")
        fault = server.faults.server_error(1, status=503, method="PUT", retry_after=60)
    server.stats.reset()
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    watcher = signal_when(lambda: not server.faults.pending(), signal.SIGTERM)
    started = time.monotonic()
    previous = signal.getsignal(signal.SIGTERM)

    with pytest.raises(Interrupted, match=r"interrupted \(SIGTERM\)") as raised:
        publish_here(server, bundle)

    assert time.monotonic() - started < 20  # not the minute it was asked to wait
    watcher.join()
    assert raised.value.exit_code == 143
    head, _, line, *_ = summary.read_text().splitlines()
    assert head == "### Confluence: publish to space DOC interrupted"
    assert line.startswith("Interrupted (SIGTERM): ")
    assert "changes done, run again to finish" in line
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert signal.getsignal(signal.SIGTERM) is previous  # the handler is put back
    assert fault not in [f for f, _ in server.faults.pending()]
    wanted = server.stats.count(CREATE) + server.stats.count(UPDATE)
    again = publish_here(server, bundle)
    assert again.plan.adopted == ()
    assert server.stats.count(CREATE) + server.stats.count(UPDATE) == wanted + again.plan.writes
    edition = 2 if refusal == "503 backoff" else 1
    for page in bundle.pages:
        assert server.page("DOC", page.title).version == (edition if "/" in page.key else 1)


def test_an_interrupted_run_whose_index_cannot_be_saved_says_so_and_is_still_healed(site, server):
    """The claims were saved before the creates; the record after them is refused. The message
    does not claim a record it could not make, and the next run still writes each page once."""
    bundle = write_site(site, body=REWRITTEN)
    server.faults.latency = 0.1
    watcher = signal_when(lambda: server.stats.count(CREATE) >= CEILING, signal.SIGINT)
    config = PublisherConfig.from_mapping({"url": server.base_url, "space": "DOC"})

    with pytest.raises(Interrupted) as raised:
        publish_bundle(
            bundle, config, credentials=BOT, retry=FAST_RETRY, transport=DiesBeforeItsRecord(1)
        )

    watcher.join()
    message = str(raised.value)
    assert "Publish interrupted (SIGINT):" in message
    assert "the ownership index could not be saved" in message
    assert "recorded in the ownership index" not in message
    created = server.stats.count(CREATE)
    server.faults.latency = 0
    again = publish_here(server, bundle)
    assert len(again.plan.adopted) == created  # found by the titles claimed for them
    assert server.stats.count(CREATE) == PAGES
    assert [server.page("DOC", page.title).version for page in bundle.pages] == [1] * PAGES
