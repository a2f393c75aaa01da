"""How many pages of one parent go side by side: wide while they land in the order sent, one
at a time where they do not, and never many misses (each costs a move, a write)."""

from __future__ import annotations

import random
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from docs_confluence.publisher.siblings import (
    FIRST_SPREAD,
    MISS_ALLOWANCE,
    MISS_BUDGET,
    ROUND,
    Spread,
    create_side_by_side,
)


def clean(spread: Spread, answers: int) -> None:
    for _ in range(answers):
        spread.answered(False, spread.epoch)


def test_clean_answers_double_the_spread_until_the_first_misses():
    spread = Spread(16)
    assert spread.value == FIRST_SPREAD == 1
    clean(spread, 4)  # a round trip or two
    assert spread.value == 2
    clean(spread, 4)
    assert spread.value == 4
    clean(spread, 8 + 16)
    assert spread.value == 16  # never above the ceiling


def test_one_miss_in_a_round_is_chance_a_second_halves_the_spread():
    spread = Spread(16)
    clean(spread, 16)
    assert spread.value == 8
    spread.answered(True, spread.epoch)
    assert spread.value == 8
    spread.answered(True, spread.epoch)
    assert spread.value == 4


def test_after_a_narrowing_the_spread_widens_one_at_a_time_after_clean_rounds():
    spread = Spread(16)
    clean(spread, 16)
    spread.answered(True, spread.epoch)
    spread.answered(True, spread.epoch)
    clean(spread, ROUND)
    assert spread.value == 4  # a narrowing makes the next widening wait (two rounds)
    clean(spread, ROUND)
    assert spread.value == 5
    clean(spread, 40 * ROUND)
    assert spread.value == 16


def test_answers_to_pages_sent_before_a_narrowing_do_not_narrow_it_again():
    spread = Spread(16)
    clean(spread, 16)
    sent_wide = spread.epoch
    for _ in range(7):
        spread.answered(True, sent_wide)
    assert spread.value == 4
    assert spread.misses == 7  # all counted: each costs a move


def test_a_site_that_scrambles_every_widening_gets_few_tries():
    spread = Spread(16)
    for _ in range(2000):
        spread.answered(spread.value > 1, spread.epoch)
    assert spread.misses <= MISS_BUDGET * 2000 + MISS_ALLOWANCE + 2  # a try costs two


def test_the_spread_never_widens_past_what_the_connections_can_use():
    spread = Spread(16)
    spread.useful = 2  # ten parents on sixteen connections: two each keep them all busy
    clean(spread, 10 * ROUND)
    assert spread.value == 2
    spread.useful = 16  # the last parent left: now it may use them all
    clean(spread, 3 * ROUND)
    assert spread.value == 16


def page_group(parent: int, count: int) -> list[str]:
    return [f"{parent}/{n}" for n in range(count)]


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 30), min_size=1, max_size=6),
    concurrency=st.integers(1, 8),
    seed=st.integers(0, 1000),
)
def test_every_page_is_created_once_and_a_parent_never_has_more_than_the_spread_in_flight(
    sizes, concurrency, seed
):
    groups = [page_group(parent, size) for parent, size in enumerate(sizes)]
    spread = Spread(concurrency)
    lock = threading.Lock()
    in_flight: dict[str, int] = {}
    landed: dict[str, list[str]] = {}
    created: list[str] = []
    jitter = random.Random(seed)

    def create(key: str) -> int:
        parent = key.split("/")[0]
        with lock:
            in_flight[parent] = in_flight.get(parent, 0) + 1
            assert in_flight[parent] <= max(spread.value, 1) * 2  # a narrowing may lag a round
            pause = jitter.random() / 2000
        threading.Event().wait(pause)
        with lock:
            in_flight[parent] -= 1
            created.append(key)
            landed.setdefault(parent, []).append(key)
            return len(landed[parent]) - 1

    create_side_by_side(groups, create, concurrency=concurrency, spread=spread)  # type: ignore[arg-type]

    assert sorted(created) == sorted(key for group in groups for key in group)
    for group in groups:  # a parent's pages were sent in order: one at a time, they land so
        parent = group[0].split("/")[0]
        if spread.misses == 0:
            assert landed[parent] == group
