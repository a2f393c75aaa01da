"""Soak: run many seeded fault schedules and print how many held.

    python bench/fault_soak.py --schedules 500 [--seed-start 1000] [--repeat 1] [--legacy]
        [--classes all|on|none|projects,moves,...] [--seeds 12,40,97]

Each failure prints its seed, the classes of step it drew, the broken invariants (which page,
which field, got and wanted) and what the schedule did; ``run_schedule(seed, classes=...)``
reproduces it. A timing-dependent failure (a kill landing mid-publish) may need
``--seeds SEED --repeat 20``. ``--legacy`` leaves out the read timeouts and the people, as the
schedules were before them. ``--classes`` picks the classes of step of tests/fault_classes.py
(default: all, those this checkout can run; ``on``: those CI runs, tests/fault_schedules.ON);
``--force`` has every schedule draw each of them (to soak one class).
The last lines count the failures by class and broken invariant.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fault_classes import CLASSES, WAITS_FOR, available
from tests.fault_schedules import ON, Outcome, run_schedule


def classes_of(choice: str) -> frozenset[str]:
    if choice == "all":
        return frozenset(CLASSES)
    if choice == "on":
        return ON
    if choice == "none":
        return frozenset()
    picked = frozenset(c.strip() for c in choice.split(",") if c.strip())
    unknown = picked - set(CLASSES)
    if unknown:
        raise SystemExit(f"unknown classes {sorted(unknown)}; known: {', '.join(CLASSES)}")
    return picked


def invariants(outcome: Outcome) -> list[str]:
    """The broken invariants of a failed schedule: ``class: invariant`` for the new classes'
    checks, a short name for the older ones."""
    found = []
    for text in outcome.problems:
        tagged = re.match(r"\[([a-z]+): ([^\]]+)\]", text)
        if tagged:
            found.append(f"{tagged.group(1)}: {tagged.group(2)}")
        elif "alice inside a run" in text:
            found.append("racing: a change made inside a run is undone or not reported")
        elif text.startswith("run "):
            found.append("a run that succeeded left a space that differs")
        elif text.startswith("the clean run failed"):
            found.append("the clean run failed")
        elif text.startswith("after the clean run"):
            found.append("the clean run left a space that differs")
        elif text.startswith("a republish wrote"):
            found.append("an unchanged republish wrote")
        elif text.startswith("crashed"):
            found.append("the schedule crashed")
        elif not text.startswith("tree:"):
            found.append(text.split(":")[0][:60])
    return sorted(set(found))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=500)
    parser.add_argument("--seed-start", type=int, default=1000)
    parser.add_argument("--seeds", help="these seeds only, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="run each seed this many times")
    parser.add_argument("--legacy", action="store_true", help="no read timeouts, no people")
    parser.add_argument("--classes", default="all", help="all, on, none, or a comma list")
    parser.add_argument(
        "--force", action="store_true", help="every schedule draws each of --classes"
    )
    args = parser.parse_args()
    classes = classes_of(args.classes)
    missing = sorted(c for c in classes if not available(c))
    if missing:
        print(
            f"not in this checkout (they need {', '.join(WAITS_FOR[c] for c in missing)}): "
            f"{', '.join(missing)}"
        )
    logging.disable(logging.CRITICAL)
    started = time.monotonic()
    failures: list[Outcome] = []
    drawn: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    runs = failed_runs = stalled_runs = people = total = 0
    if args.seeds:
        seeds = [int(s) for s in args.seeds.split(",")]
    else:
        seeds = list(range(args.seed_start, args.seed_start + args.schedules))
    for seed in seeds:
        for _ in range(args.repeat):
            extras = not args.legacy
            try:
                outcome = run_schedule(
                    seed, stalls=extras, people=extras, classes=classes, force=args.force
                )
            except Exception:
                outcome = Outcome(seed, problems=["crashed: " + traceback.format_exc()])
            total += 1
            runs += outcome.runs
            failed_runs += outcome.failed_runs
            stalled_runs += outcome.stalled_runs
            people += outcome.people
            drawn.update(outcome.classes)
            if not outcome.held:
                failures.append(outcome)
                found = invariants(outcome)
                broken.update(found)
                print(
                    f"seed {seed} [classes: {', '.join(outcome.classes) or 'none'}] broke: "
                    + "; ".join(found),
                    flush=True,
                )
                again = ",".join(outcome.classes) or "none"
                print(
                    f"  reproduce: python bench/fault_soak.py --seeds {seed} --classes {again}"
                    + (" --legacy" if args.legacy else "")
                    + (" --force" if outcome.classes else ""),
                    flush=True,
                )
                print("  " + "\n  ".join(outcome.problems), flush=True)
                print("  what it did:\n    " + "\n    ".join(outcome.trace), flush=True)
    held = total - len(failures)
    elapsed = time.monotonic() - started
    print(
        f"{held} of {total} schedules held ({runs} faulty runs, {failed_runs} of them "
        f"reported failure or were killed, then healed; {stalled_runs} with read timeouts; "
        f"{people} changes by people) in {elapsed:.0f} s"
    )
    print(
        "schedules by class: " + (", ".join(f"{c} {n}" for c, n in sorted(drawn.items())) or "none")
    )
    for outcome in failures:
        print(
            f"  failed: seed {outcome.seed} [{', '.join(outcome.classes) or 'none'}]: "
            + "; ".join(invariants(outcome))
        )
    for invariant, count in broken.most_common():
        print(f"  {count:4d} x {invariant}")
    return 0 if not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
