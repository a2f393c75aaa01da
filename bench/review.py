"""Review benchmark: readable diffs of big pages, and what ``--diff`` and ``edits`` cost.

Prints (1) how long turning a large page into reader lines and diffing two versions of it
takes, (2) the wall time and requests of a dry-run plan with and without ``diff`` for N pages of
which K changed, over real HTTP with injected latency, and (3) the same for ``edits`` with K
pages a person edited.

    .venv/bin/python bench/review.py [--latency 0.05] [--pages 300] [--changed 1 30]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from docs_confluence.auth.credentials import Credentials
from docs_confluence.bundle import read_bundle
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.config import PublisherConfig
from docs_confluence.publisher import open_client, publish_bundle
from docs_confluence.publisher.edits import find_edits
from docs_confluence.readable import readable_diff, reader_lines
from docs_confluence.testing import SandboxHarness

if TYPE_CHECKING:
    from collections.abc import Callable

BOT = Credentials("token", "bot@example.com", "sandbox-api-token")
NOTE = (
    '<ac:structured-macro ac:name="note"><ac:parameter ac:name="title">Note {n}</ac:parameter>'
    "<ac:rich-text-body><p>Careful with step {n}.</p></ac:rich-text-body></ac:structured-macro>"
)
CODE = (
    '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter>'
    "<ac:plain-text-body><![CDATA[run step {n}\ncheck step {n}]]></ac:plain-text-body>"
    "</ac:structured-macro>"
)


def big_page(sections: int, changed: int | None = None) -> str:
    parts = []
    for n in range(sections):
        text = "changed" if n == changed else "original"
        parts.append(
            f"<h2>Section {n}</h2><p>The {text} <strong>text</strong> of section {n}.</p>"
            f"<ul><li>item {n}.1</li><li>item {n}.2</li></ul>{NOTE.format(n=n)}"
            f"{CODE.format(n=n)}<table><tbody><tr><td>a{n}</td><td>b{n}</td></tr></tbody></table>"
        )
    return "".join(parts)


def bench_diff(sections: int) -> None:
    old, new = big_page(sections), big_page(sections, changed=sections // 2)
    start = time.perf_counter()
    lines = reader_lines(old)
    read = time.perf_counter() - start
    start = time.perf_counter()
    diff = readable_diff(old, new)
    diffed = time.perf_counter() - start
    print(
        f"  page of {len(old) / 1024:7.0f} KiB ({len(lines)} reader lines): reader_lines "
        f"{read * 1000:6.1f} ms, readable_diff {diffed * 1000:6.1f} ms "
        f"({sum(1 for x in diff.lines if x.kind != 'context')} changed or gap lines)"
    )


def make_bundle(root: Path, pages: int, changed: int = 0) -> Path:
    builder = BundleBuilder("bench", generator="bench")
    builder.add_page("index", "Home", "<p>Home</p>")
    for n in range(1, pages):
        text = "changed" if n <= changed else "original"
        builder.add_page(f"p{n}", f"Page {n}", f"<p>{text} page {n}</p>" * 20, parent="index")
    return builder.write(root).root


def timed(label: str, live: SandboxHarness, action: Callable[[], object]) -> None:
    live.stats.reset()
    start = time.perf_counter()
    action()
    elapsed = time.perf_counter() - start
    print(
        f"  {label:<34} {elapsed:6.2f} s   reads {live.stats.reads:4d}   "
        f"writes {live.stats.writes:3d}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--changed", type=int, nargs="+", default=[1, 30])
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print("Readable diffs of one large page:")
    for sections in (50, 500):
        bench_diff(sections)
    with tempfile.TemporaryDirectory() as tmp:
        for changed in args.changed:
            bench_site(Path(tmp), args.pages, changed, args.latency, args.concurrency)


def bench_site(tmp: Path, pages: int, changed: int, latency: float, concurrency: int) -> None:
    with SandboxHarness.create().served() as live:
        values = {"url": live.base_url, "space": "DOC", "concurrency": concurrency}
        config = PublisherConfig.from_mapping(values)
        publish_bundle(make_bundle(tmp / f"a{changed}", pages), config, credentials=BOT)
        live.faults.latency = latency
        bundle = make_bundle(tmp / f"b{changed}", pages, changed)
        print(
            f"N = {pages} pages, {changed} changed, latency {latency * 1000:.0f} ms, "
            f"concurrency {concurrency}:"
        )
        dry = PublisherConfig.from_mapping({**values, "dry_run": True})
        with_diff = PublisherConfig.from_mapping({**values, "dry_run": True, "diff": True})
        timed("dry run", live, lambda: publish_bundle(bundle, dry, credentials=BOT))
        timed("dry run --diff", live, lambda: publish_bundle(bundle, with_diff, credentials=BOT))
        for n in range(1, changed + 1):
            live.edit_as_human(live.page("DOC", f"Page {n}").id, "<p>By hand.</p>")
        source = read_bundle(bundle)

        def edits() -> None:
            with open_client(config, BOT) as client:
                assert len(find_edits(source, config, client).edits) == changed

        timed(f"edits ({changed} edited)", live, edits)


if __name__ == "__main__":
    main()
