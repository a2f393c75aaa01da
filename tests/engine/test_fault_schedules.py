"""The fault suite: seeded random schedules of faults, kills, concurrent publishes and docs
edits, each ending in a clean run that must leave what a fault-free publish leaves
(tests/fault_schedules.py has the schedule and the checks; bench/fault_soak.py runs hundreds)."""

from __future__ import annotations

import pytest

from tests.fault_schedules import run_schedule

pytestmark = pytest.mark.faults


@pytest.mark.parametrize("seed", range(50))
def test_a_fault_schedule_heals_and_matches_a_clean_publish(seed):
    outcome = run_schedule(seed)
    assert outcome.held, f"seed {seed}: " + "; ".join(outcome.problems)
