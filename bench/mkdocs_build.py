"""What the Confluence plugin costs a build: the largest MkDocs corpus built with and without it.

    .venv/bin/python bench/mkdocs_build.py [--rounds 5] [--corpus pymdown-extensions]

Builds alternate (plain, plugin, plain, plugin…), each in a fresh process of the corpora's
virtualenv, publishing off (the plugin converts every page and writes the bundle, as a build
without a target does). Prints the median build time (``load_config`` + ``build``, timed inside
the process) and the median wall time of the whole ``mkdocs build`` process, and their ratios;
exits 1 when the build-time ratio is above ``--limit`` (1.3). See mkdocs_corpora.py for how to
get the corpora.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus_tools import MKDOCS_CORPORA as DEFAULT_CORPORA
from corpus_tools import SIBLING, write_sibling_config

# Runs inside the corpora's venv: one timed build; prints its duration in seconds.
TIMED_BUILD = """
import sys, time
sys.path.insert(0, ".")
from mkdocs.commands.build import build
from mkdocs.config import load_config
start = time.perf_counter()
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
print(time.perf_counter() - start)
"""


def run_build(corpora: Path, src: Path, config: str, site: Path) -> tuple[float, float]:
    """One build in a fresh process: (build seconds, process wall seconds)."""
    python = str(corpora / ".venv" / "bin" / "python")
    command = [python, "-c", TIMED_BUILD, config, str(site)]
    if shutil.which("unshare"):
        probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            command = ["unshare", "-rn", *command]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=src, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1]), wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--corpus", default="pymdown-extensions")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=float, default=1.3)
    args = parser.parse_args(argv)
    src = args.corpora / args.corpus / "src"
    if not (src / "mkdocs.yml").is_file():
        print(f"{args.corpus}: not found under {args.corpora}; see mkdocs_corpora.py")
        return 2
    times: dict[str, list[tuple[float, float]]] = {"plain": [], "plugin": []}
    with tempfile.TemporaryDirectory(prefix="mkdocs-bench-") as tmp:
        write_sibling_config(src, {"publish": False, "bundle_dir": f"{tmp}/bundle"})
        configs = {"plain": "mkdocs.yml", "plugin": SIBLING}
        run_build(args.corpora, src, SIBLING, Path(tmp) / "warm")  # warm the file cache
        for round_number in range(args.rounds):
            for name, config in configs.items():
                times[name].append(run_build(args.corpora, src, config, Path(tmp) / name))
            print(
                f"round {round_number + 1}: plain {times['plain'][-1][0]:.2f} s, "
                f"plugin {times['plugin'][-1][0]:.2f} s",
                flush=True,
            )
        pages = len(list((Path(tmp) / "bundle" / "pages").rglob("*.xhtml")))
    build = {name: statistics.median(t[0] for t in runs) for name, runs in times.items()}
    wall = {name: statistics.median(t[1] for t in runs) for name, runs in times.items()}
    ratio = build["plugin"] / build["plain"]
    print(f"corpus {args.corpus}: {pages} pages converted, median of {args.rounds} rounds")
    print(
        f"  build    plain {build['plain']:.2f} s   plugin {build['plugin']:.2f} s   x{ratio:.2f}"
    )
    print(
        f"  process  plain {wall['plain']:.2f} s   plugin {wall['plugin']:.2f} s   "
        f"x{wall['plugin'] / wall['plain']:.2f}"
    )
    if ratio > args.limit:
        print(f"  over the limit of x{args.limit}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
