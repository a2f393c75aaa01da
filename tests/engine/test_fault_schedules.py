"""The fault suite: seeded random schedules of faults, read timeouts, kills, concurrent
publishes, docs edits and people's changes in Confluence, each ending in a clean run that must
leave what a fault-free publish leaves, people's changes kept (tests/fault_schedules.py has the
schedule and the checks; bench/fault_soak.py runs hundreds)."""

from __future__ import annotations

import pytest

from tests.fault_schedules import run_schedule

pytestmark = pytest.mark.faults


@pytest.mark.parametrize("seed", range(50))
def test_a_fault_schedule_heals_and_matches_a_clean_publish(seed):
    outcome = run_schedule(seed)
    assert outcome.held, f"seed {seed}: " + "\n".join([*outcome.problems, *outcome.trace])
