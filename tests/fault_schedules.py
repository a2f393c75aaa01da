"""Seeded fault schedules: a docs site, a few publishes through the real client into a sandbox over
HTTP with random faults armed, docs changes between runs, then a clean run and the checks.

Used by ``tests/engine/test_fault_schedules.py`` (``pytest -m faults``) and ``bench/fault_soak.py``.
One seed reproduces one schedule exactly: ``run_schedule(seed)`` returns the broken invariants.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docs_confluence.auth.credentials import Credentials
from docs_confluence.bundle import BundleBuilder
from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.publisher import publish_bundle
from docs_confluence.sender import RetryPolicy
from docs_confluence.testing import SandboxHarness

if TYPE_CHECKING:
    from collections.abc import Callable

    from docs_confluence.bundle import Bundle
    from docs_confluence.sandbox import Faults

RETRY = RetryPolicy(attempts=4, network_attempts=3, initial_backoff=0.005, max_backoff=0.02)
BOT = Credentials("token", "bot@example.com", "sandbox-api-token")
STATUSES = (500, 502, 503, 504)
PATHS = (None, r"/pages", r"/properties", r"/label", r"/attachment", r"/move/")


DocsPage = tuple[str, str, str, str | None, tuple[str, ...], tuple[tuple[str, bytes], ...]]


@dataclass
class Docs:
    """The docs as a writer edits them: (key, title, body, parent, labels, files)."""

    pages: list[DocsPage]
    generation: int = 0

    def bundle(self, root: Path) -> Bundle:
        self.generation += 1
        builder = BundleBuilder("soak", generator="fault-schedules")
        for key, title, body, parent, labels, files in self.pages:
            builder.add_page(key, title, body, parent=parent, labels=labels)
            for name, data in files:
                builder.attach(key, name, data)
        return builder.write(root / f"bundle-{self.generation}")


@dataclass
class Outcome:
    """What one schedule found: the broken invariants (empty when it held)."""

    seed: int
    problems: list[str] = field(default_factory=list)
    runs: int = 0
    failed_runs: int = 0

    @property
    def held(self) -> bool:
        return not self.problems


def starting_docs(rng: random.Random) -> Docs:
    pages: list[DocsPage] = [("index", "Home", "<p>Home</p>", None, ("docs",), ())]
    for n in range(rng.randint(2, 4)):
        pages.append((f"s{n}", f"Section {n}", f"<p>Section {n}</p>", "index", (), ()))
        for m in range(rng.randint(0, 2)):
            files = ((f"f{n}{m}.txt", f"file {n}{m}".encode()),) if rng.random() < 0.4 else ()
            labels = ("leaf",) if rng.random() < 0.3 else ()
            pages.append((f"s{n}/{m}", f"Page {n}.{m}", f"<p>{n}.{m}</p>", f"s{n}", labels, files))
    return Docs(pages)


def change_docs(docs: Docs, rng: random.Random, step: int) -> None:
    """One edit a writer might make: a body, a rename, a title swap, a new or removed page."""
    pages = docs.pages
    leaves = [i for i, p in enumerate(pages) if p[3] is not None and "/" in p[0]]
    kind = rng.choice(["body", "rename", "swap", "add", "remove", "none"])
    if kind == "body":
        i = rng.randrange(len(pages))
        key, title, _, parent, labels, files = pages[i]
        pages[i] = (key, title, f"<p>{key} edited in step {step}</p>", parent, labels, files)
    elif kind == "rename" and leaves:
        i = rng.choice(leaves)
        key, title, body, parent, labels, files = pages[i]
        pages[i] = (key, f"{title} v{step}", body, parent, labels, files)
    elif kind == "swap" and len(leaves) >= 2:
        i, j = rng.sample(leaves, 2)
        a, b = pages[i], pages[j]
        pages[i] = (a[0], b[1], a[2], a[3], a[4], a[5])
        pages[j] = (b[0], a[1], b[2], b[3], b[4], b[5])
    elif kind == "add":
        parent = rng.choice([p[0] for p in pages if "/" not in p[0]])
        pages.append((f"new{step}", f"Added {step}", f"<p>new {step}</p>", parent, (), ()))
    elif kind == "remove" and leaves:
        del pages[rng.choice(leaves)]


def arm_faults(faults: Faults, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 4)):
        path = rng.choice(PATHS)
        times = rng.randint(1, 2)
        pick = rng.randrange(6)
        if pick == 0:
            faults.rate_limit(times, path=path, retry_after=0.01)
        elif pick == 1:
            method = rng.choice([None, "POST", "PUT"])
            faults.server_error(times, status=rng.choice(STATUSES), method=method, path=path)
        elif pick == 2:
            method = rng.choice(["POST", "PUT", "DELETE"])
            status = rng.choice(STATUSES)
            faults.server_error(times, status=status, method=method, path=path, after_write=True)
        elif pick == 3:
            faults.drop(times, method=rng.choice(["POST", "PUT"]), path=path)
        elif pick == 4:
            faults.drop(times, method=rng.choice(["POST", "PUT"]), path=path, after_write=True)
        else:
            faults.conflict(times, method=rng.choice(["PUT", "POST"]), path=path)


def picture(live: SandboxHarness) -> dict[str, object]:
    """What readers see: the tree, and each page's body, labels and attachments."""
    store = live.store
    pages = {}
    for page in store.pages.all():
        if page.status != "current" or page.title == "DOC Home":
            continue
        snapshot = live.page_by_id(page.id)
        files = {a.title: store.attachments.data(a.id).data for a in store.attachments.of(page.id)}
        pages[page.title] = (snapshot.body, snapshot.labels, files)
    return {"outline": live.outline(), "pages": pages}


def reference(docs_bundle: Bundle) -> dict[str, object]:
    """A fault-free publish of the same bundle into a fresh sandbox, plus the foreign page."""
    with SandboxHarness.create().served() as live:
        _seed_foreign(live)
        _publish(live, docs_bundle)
        return picture(live)


def run_schedule(seed: int, *, runs: int = 3) -> Outcome:
    rng = random.Random(seed)
    outcome = Outcome(seed)
    docs = starting_docs(rng)
    with tempfile.TemporaryDirectory() as tmp, SandboxHarness.create().served() as live:
        root = Path(tmp)
        foreign = _seed_foreign(live)
        for step in range(runs):
            if step:
                change_docs(docs, rng, step)
            bundle = docs.bundle(root)
            arm_faults(live.faults, rng)
            outcome.runs += 1
            how = rng.random()
            try:
                if how < 0.15:
                    _killed_publish(live, bundle, rng.uniform(0.2, 1.2))
                    outcome.failed_runs += 1
                    continue
                if how < 0.3:
                    _two_publishes_at_once(live, bundle)
                else:
                    _publish(live, bundle)
            except ConfluencePublisherError:
                outcome.failed_runs += 1
                continue
            finally:
                live.faults.clear()
            # A run that said it succeeded must have left what a clean publish leaves.
            if picture(live) != reference(bundle):
                outcome.problems.append(f"run {step + 1} reported success but the space differs")
        bundle = docs.bundle(root)
        try:
            _publish(live, bundle)
        except ConfluencePublisherError as exc:
            outcome.problems.append(f"the clean run failed: {exc}")
            return outcome
        got, want = picture(live), reference(bundle)
        if got["outline"] != want["outline"]:
            outcome.problems.append(f"tree differs:\n{got['outline']}\n!=\n{want['outline']}")
        elif got != want:
            outcome.problems.append("bodies, labels or attachments differ")
        after = live.page_by_id(foreign)
        if (after.version, after.body) != (1, "<p>not ours</p>"):
            outcome.problems.append("a page we do not own was touched")
        live.stats.reset()
        _publish(live, bundle)
        if live.stats.writes:
            outcome.problems.append(f"a republish wrote {live.stats.writes} times")
    return outcome


def _seed_foreign(live: SandboxHarness) -> str:
    space = live.space()
    page = live.store.pages.create(
        space.id,
        "Team notes",
        "<p>not ours</p>",
        author_id=live.human.account_id,
        parent_id=space.homepage_id,
    )
    return page.id


def _publish(live: SandboxHarness, bundle: Bundle, **options: object) -> None:
    values = {"url": live.base_url, "space": "DOC", "concurrency": 2, "cleanup": True, **options}
    config = PublisherConfig.from_mapping(values)
    publish_bundle(bundle, config, credentials=BOT, retry=RETRY)


def _two_publishes_at_once(live: SandboxHarness, bundle: Bundle) -> None:
    """Two publishes of the same docs at once; raises if either reported a failure."""
    errors: list[ConfluencePublisherError] = []

    def one() -> None:
        try:
            _publish(live, bundle)
        except ConfluencePublisherError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _killed_publish(live: SandboxHarness, bundle: Bundle, after: float) -> None:
    """The CLI publishing *bundle*, killed with SIGKILL *after* seconds (if still running)."""
    env = {
        **os.environ,
        "CONFLUENCE_URL": live.base_url,
        "CONFLUENCE_SPACE": "DOC",
        "CONFLUENCE_USER": BOT.user or "",
        "CONFLUENCE_API_TOKEN": BOT.secret,
    }
    command = [sys.executable, "-m", "docs_confluence", "publish", str(bundle.root), "--cleanup"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(after)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()


def run_many(seeds: range, report: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    outcomes = []
    for seed in seeds:
        outcome = run_schedule(seed)
        outcomes.append(outcome)
        if report is not None:
            report(outcome)
    return outcomes
