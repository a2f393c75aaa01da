"""Soak: run many seeded fault schedules and print how many held.

    python bench/fault_soak.py --schedules 500 [--seed-start 1000] [--repeat 1] [--legacy]

Each failure prints its seed, the broken invariants (which page, which field, got and wanted)
and what the schedule did; ``run_schedule(seed)`` reproduces it. A timing-dependent failure
(a kill landing mid-publish) may need ``--schedules 1 --seed-start SEED --repeat 20``.
``--legacy`` leaves out the read timeouts and the people, as the schedules were before them.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fault_schedules import Outcome, run_schedule


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=500)
    parser.add_argument("--seed-start", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="run each seed this many times")
    parser.add_argument("--legacy", action="store_true", help="no read timeouts, no people")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    started = time.monotonic()
    failures: list[Outcome] = []
    runs = failed_runs = stalled_runs = people = total = 0
    for seed in range(args.seed_start, args.seed_start + args.schedules):
        for _ in range(args.repeat):
            extras = not args.legacy
            outcome = run_schedule(seed, stalls=extras, people=extras)
            total += 1
            runs += outcome.runs
            failed_runs += outcome.failed_runs
            stalled_runs += outcome.stalled_runs
            people += outcome.people
            if not outcome.held:
                failures.append(outcome)
                print(f"seed {seed}: " + "\n  ".join(outcome.problems), flush=True)
                print("  what it did:\n    " + "\n    ".join(outcome.trace), flush=True)
    held = total - len(failures)
    elapsed = time.monotonic() - started
    print(
        f"{held} of {total} schedules held ({runs} faulty runs, {failed_runs} of them "
        f"reported failure or were killed, then healed; {stalled_runs} with read timeouts; "
        f"{people} changes by people) in {elapsed:.0f} s"
    )
    return 0 if not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
