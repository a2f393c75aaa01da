"""Soak: run many seeded fault schedules and print how many held.

    python bench/fault_soak.py --schedules 500 [--seed-start 1000]

Each failure prints its seed and the broken invariant; ``run_schedule(seed)`` reproduces it.
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
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    started = time.monotonic()
    failures: list[Outcome] = []
    runs = failed_runs = 0
    for seed in range(args.seed_start, args.seed_start + args.schedules):
        outcome = run_schedule(seed)
        runs += outcome.runs
        failed_runs += outcome.failed_runs
        if not outcome.held:
            failures.append(outcome)
            print(f"seed {seed}: " + " | ".join(outcome.problems), flush=True)
    held = args.schedules - len(failures)
    elapsed = time.monotonic() - started
    print(
        f"{held} of {args.schedules} schedules held ({runs} faulty runs, {failed_runs} of them "
        f"reported failure or were killed, then healed) in {elapsed:.0f} s"
    )
    return 0 if not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
