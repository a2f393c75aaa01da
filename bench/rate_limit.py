"""Rate-limit benchmark: a sandbox that allows R requests per second, and a first publish into it.

The sandbox answers requests over R per second with 429 and Retry-After (a token bucket holding one
second's worth). The publisher paces itself (docs_confluence/rest/throttle.py); this prints, for
each allowed rate, the rate it achieved (requests let in / wall time) next to the allowed one, the
429s it met, how long it says it waited, and whether any action failed.

    .venv/bin/python bench/rate_limit.py [--pages 300] [--rates 10 25 50] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

from docs_confluence.auth.credentials import Credentials
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.publisher import publish_bundle
from docs_confluence.testing import SandboxHarness

BOT = Credentials("token", "bot@example.com", "sandbox-api-token")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rates", type=float, nargs="+", default=[10, 25, 50])
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(
        f"{args.pages} pages in 10 sections, latency {args.latency * 1000:.0f} ms, "
        f"concurrency {args.concurrency}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        builder = BundleBuilder("bench", generator="bench")
        builder.add_page("index", "Home", "<p>Home</p>")
        for n in range(args.pages - 1):
            parent = "index" if n % 30 == 0 else f"p{n - n % 30}"
            builder.add_page(f"p{n}", f"Page {n}", f"<p>{n}</p>", parent=parent, labels=["x"])
        bundle = builder.write(Path(tmp) / "bundle")
        for rate in args.rates:
            with SandboxHarness.create().served() as live:
                live.faults.latency = args.latency
                bucket = live.faults.limit_rate(rate)
                config = PublisherConfig.from_mapping(
                    {"url": live.base_url, "space": "DOC", "concurrency": args.concurrency}
                )
                start = time.perf_counter()
                failed = "none"
                try:
                    report = publish_bundle(bundle, config, credentials=BOT)
                    limits = report.rate_limits
                    waited = f"{limits.waited:6.1f} s"
                except ConfluencePublisherError as exc:
                    failed = str(exc).splitlines()[0]
                    waited = "   -"
                elapsed = time.perf_counter() - start
                achieved = bucket.admitted / elapsed
                print(
                    f"  allowed {rate:5.1f}/s   achieved {achieved:5.1f}/s "
                    f"({achieved / rate:4.0%})   {elapsed:6.1f} s   let in {bucket.admitted:5d}   "
                    f"429s {bucket.refused:4d}   waited {waited}   failed: {failed}"
                )


if __name__ == "__main__":
    main()
