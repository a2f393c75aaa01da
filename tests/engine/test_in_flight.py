"""The in-flight limit: a modest start, more while the site answers quickly, fewer when it
queues or refuses. Units with made-up timings, then publishes over HTTP into sandboxes that are
quick, that queue requests behind a few workers, and that refuse more than a few at once."""

from __future__ import annotations

import threading
import time

import pytest

from docs_confluence.rest.in_flight import DECREASE, START, InFlight

from .sites import expected_outline, wide_site


def busy_answers(limit: InFlight, count: int, seconds: float, kind: str = "write") -> None:
    """*count* answers taking *seconds*, each while every slot was in use."""
    for _ in range(count):
        tickets = [limit.acquire() for _ in range(limit.limit)]
        limit.release(tickets[0], kind, seconds)
        for ticket in tickets[1:]:
            limit.release(ticket)


def test_a_run_starts_with_a_few_requests_in_flight():
    assert InFlight(16).limit == START == 4
    assert InFlight(2).limit == 2  # never above the ceiling


def test_quick_answers_while_every_slot_is_busy_raise_the_limit_up_to_the_ceiling():
    limit = InFlight(16)
    busy_answers(limit, 3, 0.05)
    assert limit.limit == 7  # one more per answer at first: doubling per round trip
    busy_answers(limit, 20, 0.05)
    assert limit.limit == 16


def test_after_the_first_slow_answer_the_limit_grows_by_one_per_round():
    limit = InFlight(32)
    busy_answers(limit, 4, 0.05)
    busy_answers(limit, 1, 0.5)  # ten times the quickest: the site queues us
    before = limit.limit
    busy_answers(limit, before, 0.05)
    assert limit.limit == before + 1


def test_answers_while_slots_are_free_teach_nothing():
    limit = InFlight(16)
    for _ in range(200):
        limit.release(
            limit.acquire(), "read", 0.01
        )  # one at a time: the limit is not what holds us back
    assert limit.limit == START


def test_slow_answers_bring_the_limit_down_but_never_below_the_start():
    limit = InFlight(16)
    busy_answers(limit, 300, 0.05)
    assert limit.limit == 16

    busy_answers(limit, 40, 0.5)  # ten times the quickest: the site queues us
    assert START < limit.limit < 16
    busy_answers(limit, 400, 0.5)
    assert limit.limit == START


def test_reads_and_writes_are_timed_apart():
    limit = InFlight(64)
    busy_answers(limit, 10, 0.02, kind="read")
    assert limit.limit == 14
    busy_answers(limit, 10, 0.2, kind="write")  # a save is slower than a read on any site
    assert limit.limit == 24  # quick for a write: still growing


def test_an_overloaded_answer_cuts_the_limit_once_per_round():
    limit = InFlight(16)
    busy_answers(limit, 300, 0.05)
    tickets = [limit.acquire() for _ in range(16)]
    for ticket in tickets:  # 429s to requests sent together: one cut
        limit.release(ticket, overloaded=True)
    assert limit.limit == int(16 * DECREASE)

    for _ in range(20):  # refusals round after round: down to one at a time
        tickets = [limit.acquire() for _ in range(limit.limit)]
        for ticket in tickets:
            limit.release(ticket, overloaded=True)
    assert limit.limit == 1


def test_no_more_than_the_limit_are_ever_in_flight():
    limit = InFlight(8)
    now = [0, 0]  # in flight, most seen
    lock = threading.Lock()

    def request() -> None:
        ticket = limit.acquire()
        with lock:
            now[0] += 1
            now[1] = max(now[1], now[0])
        time.sleep(0.002)
        with lock:
            now[0] -= 1
        limit.release(ticket, "read", 0.002)

    threads = [threading.Thread(target=request) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert START <= now[1] <= 8
    assert limit.stats().peak == now[1]


# -- over HTTP ------------------------------------------------------------------------------------


def test_a_quick_site_gets_more_than_the_start_in_flight_and_the_same_space(
    site, server, publish_to
):
    server.faults.latency = 0.02

    report = publish_to(wide_site(site, sections=8, pages=15).bundle(), concurrency=12)

    assert report.ok
    assert server.outline() == expected_outline(sections=8, pages=15)
    assert START < server.stats.peak_in_flight <= 12
    told = report.to_json()["in_flight"]  # what --json tells the user
    assert told["ceiling"] == 12
    assert server.stats.peak_in_flight <= told["most"] <= 12


def test_a_site_that_queues_requests_behind_few_workers_is_not_crowded(site, server, publish_to):
    server.faults.latency = 0.03
    server.faults.workers = 2  # beyond two at once, answers come later and later

    report = publish_to(wide_site(site, sections=8, pages=15).bundle(), concurrency=16)

    assert report.ok
    assert server.outline() == expected_outline(sections=8, pages=15)
    assert server.stats.peak_in_flight <= 10  # answers slowed down well short of the 16 allowed


@pytest.mark.parametrize("most", [2, 5])
def test_a_site_that_refuses_more_than_a_few_at_once_gets_everything_published(
    site, server, publish_to, most
):
    server.faults.latency = 0.01
    server.faults.limit_in_flight(most, retry_after=0.05)

    bundle = wide_site(site, sections=8, pages=15).bundle()
    report = publish_to(bundle, concurrency=16)

    assert report.ok
    assert server.outline() == expected_outline(sections=8, pages=15)
    assert report.rate_limits.refusals > 0  # the site did refuse, and nothing failed for it
    assert publish_to(bundle, concurrency=16).plan.writes == 0
