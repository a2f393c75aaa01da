"""Publish benchmark: the sandbox over real HTTP with injected latency.

For N pages (10 sections of N/10 pages, each with a small attachment on every 10th page; or,
with ``--flat``, one section holding all N) it measures a first publish, an unchanged republish
and a republish with one page changed, and prints wall time, the requests the sandbox saw (reads,
writes) and, next to the time, the physical limit of that run: writes x latency / concurrency
+ reads x latency (the writes spread over every connection, the reads taken one after another).
With ``--memory`` each publish runs in a child process (the CLI) and its peak RSS is printed too
(``child_publish.py``).

    .venv/bin/python bench/publish.py [--latency 0.05] [--sizes 100 1000] [--concurrency 16]
        [--flat] [--draft] [--files-every 10] [--no-labels]
    .venv/bin/python bench/publish.py --sizes 20000 --latency 0 --memory

With ``--draft`` the first publish creates drafts (the draft option), an unchanged republish
with the option follows (drafts are read one by one: no listing returns them), then a publish
without it publishes them, and an unchanged republish.
"""

from __future__ import annotations

import argparse
import logging
import math
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from child_publish import publish_in_child

from docs_confluence.auth.credentials import Credentials
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.config import DEFAULT_CONCURRENCY, PublisherConfig
from docs_confluence.publisher import publish_bundle
from docs_confluence.testing import SandboxHarness

if TYPE_CHECKING:
    from docs_confluence.bundle import Bundle

BOT = Credentials("token", "bot@example.com", "sandbox-api-token")


def make_bundle(
    root: Path,
    pages: int,
    changed: int | None = None,
    *,
    sections: int = 10,
    files_every: int = 10,
    labels: bool = True,
) -> Bundle:
    builder = BundleBuilder("bench", generator="bench")
    builder.add_page("index", "Home", "<p>Home</p>")
    per_section = max(1, math.ceil((pages - 1 - sections) / sections))
    count = 1
    for s in range(sections):
        builder.add_page(f"s{s}", f"Section {s}", f"<p>Section {s}</p>", parent="index")
        count += 1
        for p in range(per_section):
            if count >= pages:
                break
            key = f"s{s}/p{p}"
            text = "changed" if changed == count else "original"
            body = f"<h2>Page {s}.{p}</h2><p>{text} <strong>content</strong> for {key}</p>"
            tags = ["bench"] if labels else []
            builder.add_page(key, f"Page {s}.{p}", body * 5, parent=f"s{s}", labels=tags)
            if files_every and p % files_every == 0:
                builder.attach(key, "diagram.png", f"png {key}".encode())
            count += 1
    return builder.write(root)


def run(
    label: str,
    live: SandboxHarness,
    bundle: Bundle,
    config: PublisherConfig,
    latency: float,
    memory: bool = False,
) -> None:
    live.stats.reset()
    if memory:
        child = publish_in_child(
            bundle.root,
            live.base_url,
            user=BOT.user or "",
            token=BOT.secret,
            concurrency=config.concurrency,
        )
        elapsed, summary = child.seconds, f"peak {child.peak_mb:.0f} MB; {child.summary}"
    else:
        start = time.perf_counter()
        report = publish_bundle(bundle, config, credentials=BOT)
        elapsed, summary = time.perf_counter() - start, report.summary()
    reads, writes = live.stats.reads, live.stats.writes
    limit = writes * latency / config.concurrency + reads * latency
    ratio = f"{elapsed / limit:4.2f}x" if limit else "  -  "
    moves = live.stats.count("PUT /rest/api/content/{id}/move/{position}/{target}")
    print(
        f"  {label:<24} {elapsed:7.2f} s   limit {limit:6.2f} s ({ratio})   "
        f"reads {reads:5d}   writes {writes:5d} (moves {moves})   ({summary})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument(
        "--files-every", type=int, default=10, help="a file on every Kth page (0: none)"
    )
    parser.add_argument("--no-labels", action="store_true", help="no label on the pages")
    parser.add_argument("--draft", action="store_true", help="first publish as drafts")
    parser.add_argument(
        "--flat", action="store_true", help="one section holding every page (default: 10)"
    )
    parser.add_argument("--memory", action="store_true", help="publish in a child; peak RSS")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            harness = SandboxHarness.create()
            with harness.served() as live:
                live.faults.latency = args.latency
                config = PublisherConfig.from_mapping(
                    {"url": live.base_url, "space": "DOC", "concurrency": args.concurrency}
                )
                sections = 1 if args.flat else 10
                shape = {
                    "sections": sections,
                    "files_every": args.files_every,
                    "labels": not args.no_labels,
                }
                bundle = make_bundle(Path(tmp) / f"b{size}", size, **shape)
                n = len(bundle.pages)
                carrying = sum(1 for page in bundle.pages if page.attachments)
                budget = math.ceil(n / 250) + 5
                print(
                    f"N = {n} pages ({carrying} with attachments), latency "
                    f"{args.latency * 1000:.0f} ms, concurrency {args.concurrency}, "
                    f"{sections} section(s) "
                    f"(unchanged-republish read budget ceil(N/250)+5 = {budget}; first-publish "
                    f"write budget 1.05 N + files = {math.floor(1.05 * n) + carrying})"
                )
                latency, memory = args.latency, args.memory
                if args.draft:
                    drafts = PublisherConfig.from_mapping(
                        {
                            "url": live.base_url,
                            "space": "DOC",
                            "concurrency": args.concurrency,
                            "draft": True,
                        }
                    )
                    run("first publish, drafts", live, bundle, drafts, latency, memory)
                    run("unchanged, drafts", live, bundle, drafts, latency, memory)
                    run("drafts published", live, bundle, config, latency, memory)
                else:
                    run("first publish", live, bundle, config, latency, memory)
                run("unchanged republish", live, bundle, config, latency, memory)
                changed = make_bundle(Path(tmp) / f"c{size}", size, changed=n // 2, **shape)
                run("one page changed", live, changed, config, latency, memory)


if __name__ == "__main__":
    main()
