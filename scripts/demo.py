"""The main job on the embedded default: build both example sites and publish them into a
local sandbox, then print where to look.

Run through ``scripts/demo`` (which makes the virtualenv first). The sandbox keeps its state in
``.sandbox/demo.sqlite``, so running the demo again shows an unchanged republish writing nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from docs_confluence.sandbox import Sandbox, SandboxStore, seed, serve

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_BUNDLE = ".confluence-bundle"
SPHINX_OUT = "example-site/sphinx/_build/confluence"
EMAIL, TOKEN = "sandbox@example.com", "sandbox-api-token"
SITES = {
    # space key: (what, command)
    "MKDOCS": (
        "MkDocs example",
        [sys.executable, "-m", "mkdocs", "build", "-f", "example-site/mkdocs/mkdocs.yml"],
    ),
    "SPHINX": (
        "Sphinx example",
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "confluence",
            "example-site/sphinx",
            SPHINX_OUT,
        ],
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090, help="sandbox port (0: any free one)")
    parser.add_argument(
        "--serve",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="keep the sandbox running afterwards (default: when interactive)",
    )
    args = parser.parse_args()
    data = ROOT / ".sandbox" / "demo.sqlite"
    data.parent.mkdir(exist_ok=True)
    store = SandboxStore.open(data)
    seed(store, space_keys=tuple(SITES), email=EMAIL, api_token=TOKEN)
    app = Sandbox(store)
    try:
        with serve(app, port=args.port) as origin:
            base_url = origin + app.context_path
            print(f"Sandbox Confluence running at {base_url} (state in {data.relative_to(ROOT)})")
            failures = 0
            for space, (what, command) in SITES.items():
                failures += publish_site(space, what, command, base_url)
            print()
            print(f"Look at the published pages: {origin}/  (spaces {', '.join(SITES)})")
            print(f"Bundles written: example-site/mkdocs/{MKDOCS_BUNDLE}, {SPHINX_OUT}")
            keep = sys.stdin.isatty() if args.serve is None else args.serve
            if keep:
                print("Sandbox still running; press Ctrl-C to stop.")
                try:
                    while True:
                        time.sleep(1)
                except KeyboardInterrupt:
                    print()
            return 1 if failures else 0
    finally:
        store.close()


def publish_site(space: str, what: str, command: list[str], base_url: str) -> int:
    env = {
        **os.environ,
        "CONFLUENCE_URL": base_url,
        "CONFLUENCE_SPACE": space,
        "CONFLUENCE_USER": EMAIL,
        "CONFLUENCE_API_TOKEN": TOKEN,
        "NO_MKDOCS_2_WARNING": "1",
    }
    print(f"\n== {what}: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}")
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    took = time.perf_counter() - started
    if result.returncode:
        print(f"!! {what} failed (exit {result.returncode}) after {took:.1f} s")
        return 1
    print(f"== {what}: built and published into space {space} in {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
