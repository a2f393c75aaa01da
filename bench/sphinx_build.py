"""Time ``-b html``, ``-b confluence`` (ours, publishing off) and sphinxcontrib-confluencebuilder
on one Sphinx corpus (django, the largest, by default), each a clean build, in one run.

Usage (after ``fetch.sh --build bench/corpora/sphinx django`` and, in that venv,
``pip install -e . sphinxcontrib-confluencebuilder``)::

    .venv/bin/python bench/sphinx_build.py [--corpus django] [--repeat 1] [--jobs auto]

sphinxcontrib-confluencebuilder registers a builder named ``confluence`` too, so it runs on a
copy of the sources whose ``conf.py`` lists its extension (an extension's builder wins over an
entry point); ours runs on the sources as they are. Builds run offline (``unshare -n``) where
that works. Prints wall times (best of ``--repeat``) and ratios to ``-b html``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from corpus_tools import SPHINX_SOURCES, offline

HERE = Path(__file__).parent
SOURCES = SPHINX_SOURCES


def timed(command: list[str], out: Path, log: Path) -> tuple[float, float]:
    """Wall and CPU (user + system, all processes) seconds of one clean build."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log.write_text(run.stdout + run.stderr, encoding="utf-8")
    if run.returncode:
        sys.exit(f"{' '.join(command)} failed ({run.returncode}); see {log}")
    return seconds, cpu


def copy_for_confluencebuilder(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    conf = target / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + "\nextensions = [*extensions, 'sphinxcontrib.confluencebuilder']\n"
        + "confluence_publish = False\n",
        encoding="utf-8",
    )
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="django", choices=sorted(SOURCES))
    parser.add_argument("--corpora", type=Path, default=HERE / "corpora" / "sphinx")
    parser.add_argument("--out", type=Path, default=HERE / "corpora" / "bench-out")
    parser.add_argument("--repeat", type=int, default=1, help="runs per builder (best is kept)")
    parser.add_argument("--jobs", default="auto", help="sphinx-build -j (default auto)")
    args = parser.parse_args(argv)

    sphinx_build = str(args.corpora / ".venv" / "bin" / "sphinx-build")
    source = args.corpora / args.corpus / "src" / SOURCES[args.corpus]
    out = args.out / args.corpus
    out.mkdir(parents=True, exist_ok=True)
    ccb_source = copy_for_confluencebuilder(source, out / "ccb-src")
    prefix = [*offline(), sphinx_build, "-q", "-j", args.jobs]
    runs = {
        "html": [*prefix, "-b", "html", str(source), str(out / "html")],
        "confluence (ours)": [*prefix, "-b", "confluence", str(source), str(out / "ours")],
        "confluencebuilder": [*prefix, "-b", "confluence", str(ccb_source), str(out / "ccb")],
    }
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for round_ in range(args.repeat):
        for name, command in runs.items():
            target = Path(command[-1])
            log = out / f"{target.name}.log"
            seconds, used = timed(command, target, log)
            print(
                f"round {round_ + 1}: {name:<18} {seconds:6.1f} s wall {used:6.1f} s CPU",
                flush=True,
            )
            wall[name] = min(wall.get(name, seconds), seconds)
            cpu[name] = min(cpu.get(name, used), used)
    print(f"\n{args.corpus}, sphinx-build -j {args.jobs}, best of {args.repeat}:")
    print(f"  {'':<18} {'wall':>7}  {'x html':>6}  {'CPU':>7}  {'x html':>6}")
    for name in runs:
        print(
            f"  {name:<18} {wall[name]:6.1f}s  {wall[name] / wall['html']:6.2f}"
            f"  {cpu[name]:6.1f}s  {cpu[name] / cpu['html']:6.2f}"
        )
    ours, theirs = wall["confluence (ours)"], wall["confluencebuilder"]
    print(f"  ours / confluencebuilder: {ours / theirs:.2f} wall, ", end="")
    print(f"{cpu['confluence (ours)'] / cpu['confluencebuilder']:.2f} CPU")
    return 0 if ours <= 1.2 * wall["html"] and ours < theirs else 1


if __name__ == "__main__":
    sys.exit(main())
