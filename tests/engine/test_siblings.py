"""How many pages of one parent go side by side: wide while they land in the order sent, one
at a time where they do not, and never many misses (each costs a move, a write)."""

from __future__ import annotations

import itertools
import random
import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from docs_confluence.publisher.plan import Create
from docs_confluence.publisher.siblings import (
    FIRST_SPREAD,
    MISS_ALLOWANCE,
    MISS_BUDGET,
    ROUND,
    Spread,
    create_tree,
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


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 30), min_size=1, max_size=6),
    concurrency=st.integers(1, 8),
    seed=st.integers(0, 1000),
    failing=st.sets(st.integers(0, 5), max_size=2),
)
def test_every_page_is_created_once_after_its_parent_and_orphans_are_returned(
    sizes, concurrency, seed, failing
):
    sections = [Create(f"s{n}", f"S{n}", None) for n in range(len(sizes))]
    pages = [
        Create(f"s{n}/{p}", f"P{n}.{p}", f"s{n}")
        for n, size in enumerate(sizes)
        for p in range(size)
    ]
    creates = [*sections, *pages]
    spread = Spread(concurrency)
    lock = threading.Lock()
    in_flight: dict[str | None, int] = {}
    landed: dict[str | None, list[str]] = {}
    created: set[str] = set()
    jitter = random.Random(seed)

    def create(action: Create) -> tuple[bool, int | None]:
        with lock:
            assert action.parent is None or action.parent in created  # parents first
            in_flight[action.parent] = in_flight.get(action.parent, 0) + 1
            pause = jitter.random() / 2000
        threading.Event().wait(pause)
        with lock:
            in_flight[action.parent] -= 1
            if action.key in {f"s{n}" for n in failing}:
                return False, None
            created.add(action.key)
            landed.setdefault(action.parent, []).append(action.key)
            return True, len(landed[action.parent]) - 1

    orphans = create_tree(
        creates,
        create,
        concurrency=concurrency,
        spread=spread,
        exists=lambda parent: parent is None,
        ordered=lambda: True,
    )

    lost = {f"s{n}" for n in failing if n < len(sizes)}
    assert created == {c.key for c in creates} - lost - {c.key for c in orphans}
    assert {c.key for c in orphans} == {c.key for c in pages if c.parent in lost}
    if spread.misses == 0:  # a parent's pages were sent in order: unscrambled, they land so
        for parent, keys in landed.items():
            assert keys == [c.key for c in creates if c.parent == parent and c.key in created]


def test_a_site_that_does_not_say_where_pages_land_gets_one_page_per_parent_at_a_time():
    creates = [Create(f"p{n}", f"P{n}", None) for n in range(40)]
    lock = threading.Lock()
    now = [0, 0]

    def create(action: Create) -> tuple[bool, int | None]:
        with lock:
            now[0] += 1
            now[1] = max(now[1], now[0])
        threading.Event().wait(0.001)
        with lock:
            now[0] -= 1
        return True, None

    create_tree(
        creates,
        create,
        concurrency=8,
        spread=Spread(8),
        exists=lambda parent: True,
        ordered=lambda: False,
    )
    assert now[1] == 1


def test_pages_that_others_wait_for_go_first():
    """Section pages are created before the pages of sections already going, so no section
    starts late and is left to finish alone (one page at a time) at the end."""
    sections = [Create(f"s{n}", f"S{n}", None) for n in range(6)]
    pages = [Create(f"s{n}/{p}", f"P{n}.{p}", f"s{n}") for n in range(6) for p in range(30)]
    order: list[str] = []
    lock = threading.Lock()

    def create(action: Create) -> tuple[bool, int | None]:
        threading.Event().wait(0.0005)
        with lock:
            order.append(action.key)
            return True, len(order)

    spread = Spread(4)
    create_tree(
        [*sections, *pages],
        create,
        concurrency=4,
        spread=spread,
        exists=lambda parent: parent is None,
        ordered=lambda: True,
    )
    last_section = max(order.index(s.key) for s in sections)
    assert last_section < len(order) // 4


def test_pages_of_one_parent_are_not_sent_back_to_back():
    """Answers that come back together must not send the next pages of their parent at the
    same instant: such pages land in any order. Sends are spaced by a share of a create's
    time."""
    creates = [Create(f"p{n}", f"P{n}", None) for n in range(60)]
    lock = threading.Lock()
    sent: list[float] = []

    def create(action: Create) -> tuple[bool, int | None]:
        with lock:
            sent.append(time.monotonic())
            position = len(sent)
        threading.Event().wait(0.01)
        return True, position

    create_tree(
        creates,
        create,
        concurrency=4,
        spread=Spread(4),
        exists=lambda parent: True,
        ordered=lambda: True,
    )
    gaps = [later - earlier for earlier, later in itertools.pairwise(sent[2:])]
    assert min(gaps) >= 0.01 / (2 * 4) * 0.9
