"""The fault suite: seeded random schedules of faults, read timeouts, kills, concurrent
publishes, docs edits and people's changes in Confluence, each ending in a clean run that must
leave what a fault-free publish leaves, people's changes kept (tests/fault_schedules.py has the
schedule and the checks; bench/fault_soak.py runs hundreds).

The classes of step of tests/fault_classes.py (several projects on one parent, interrupted
moves, people acting inside a run, mangled answers, homepage changes, listing drift) run here
once they are switched on in ``tests.fault_schedules.ON``: the 50 schedules then draw them,
and each class gets schedules of its own below."""

from __future__ import annotations

import pytest

from tests.fault_classes import CLASSES, WAITS_FOR, available
from tests.fault_schedules import ON, run_schedule

pytestmark = pytest.mark.faults


@pytest.mark.parametrize("seed", range(50))
def test_a_fault_schedule_heals_and_matches_a_clean_publish(seed):
    outcome = run_schedule(seed)
    assert outcome.held, f"seed {seed}: " + "\n".join([*outcome.problems, *outcome.trace])


@pytest.mark.parametrize("kind", CLASSES)
@pytest.mark.parametrize("seed", range(1000, 1004))
def test_a_class_of_step_heals(kind, seed):
    if kind not in ON:
        pytest.skip(f"{kind}: switched on in tests.fault_schedules.ON after {WAITS_FOR[kind]}")
    if not available(kind):
        pytest.skip(f"{kind}: this sandbox lacks its switch ({WAITS_FOR[kind]})")
    outcome = run_schedule(seed, classes={kind}, force=True)
    assert outcome.held, f"seed {seed} [{kind}]: " + "\n".join([*outcome.problems, *outcome.trace])
