"""Rate limits: a site that allows R requests per second is published into with no failed
action, few requests refused, and a run that says how long it waited."""

from __future__ import annotations

import itertools
import threading

from docs_confluence.rest.throttle import DECREASE, Throttle

from .sites import expected_outline, wide_site


def test_a_rate_limited_site_gets_everything_published_and_few_requests_refused(
    site, server, publish_to
):
    bucket = server.faults.limit_rate(40, burst=10)

    report = publish_to(wide_site(site).bundle(), concurrency=8)

    assert report.ok
    assert server.outline() == expected_outline()
    assert bucket.refused > 0  # the site did push back...
    assert report.rate_limits.refusals == bucket.refused  # ...every 429 was seen and resent...
    assert bucket.refused * 5 < bucket.admitted  # ...and the pace adapted: few were wasted
    assert report.rate_limits.waited > 0
    assert "waited" in report.summary()
    assert f"{bucket.refused} request(s) refused" in report.summary()
    json = report.to_json()["rate_limits"]
    assert json["refused"] == bucket.refused
    assert json["slowest_rate"] < 40  # it slowed down to what the site allows


def test_an_unlimited_site_reports_no_waiting(site, server, publish_to):
    report = publish_to(wide_site(site, sections=1, pages=3).bundle(), concurrency=4)

    assert report.rate_limits.refusals == 0
    assert report.to_json()["rate_limits"] == {
        "waited_seconds": 0.0,
        "refused": 0,
        "slowest_rate": None,
    }
    assert "waited" not in report.summary()


class Clock:
    """Time that passes only when a thread sleeps (or the test says so)."""

    def __init__(self):
        self.now = 0.0
        self.lock = threading.Lock()
        self.during_next_sleep = None

    def time(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0  # as time.sleep, which refuses negative waits
        hook, self.during_next_sleep = self.during_next_sleep, None
        with self.lock:
            self.now += seconds / 2
        if hook is not None:
            hook()
        with self.lock:
            self.now += seconds / 2

    def advance(self, seconds):
        self.now += seconds


def test_one_429_slows_every_later_request_not_only_the_refused_one():
    clock = Clock()
    throttle = Throttle(clock=clock.time, sleep=clock.sleep)
    tickets = []
    for _ in range(20):  # 100 requests per second, unpaced
        tickets.append(throttle.before())
        clock.advance(0.01)
    assert throttle.stats().slowest is None  # not paced yet

    throttle.refused(tickets[-1], retry_after=0.5)
    refused_at = clock.now
    throttle.refused(tickets[-2], retry_after=0.5)  # sent at the same pace: no second cut

    pace = throttle.rate
    assert pace is not None
    assert pace < 100 * DECREASE * 1.1
    starts = []
    for _ in range(5):  # any thread's next requests
        throttle.before()
        starts.append(clock.now)
    assert starts[0] >= refused_at + 0.5  # the Retry-After holds everyone
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap >= 1 / pace - 1e-9 for gap in gaps)
    assert throttle.stats().refusals == 2
    assert throttle.stats().waited == 0.5  # the pause, counted once


def test_clean_answers_raise_the_pace_until_it_holds_nothing_back():
    clock = Clock()
    throttle = Throttle(clock=clock.time, sleep=clock.sleep)
    ticket = 0
    for _ in range(20):
        ticket = throttle.before()
        clock.advance(0.01)
    throttle.refused(ticket, retry_after=0.1)
    cut = throttle.rate
    assert cut is not None

    paces = []
    for _ in range(2000):  # one worker, each answer taking 50 ms: 20 requests a second at most
        throttle.before()
        clock.advance(0.05)
        throttle.answered()
        paces.append(throttle.rate)
        if throttle.rate is None:
            break
    assert paces[0] is not None
    assert paces[0] > cut
    assert paces[-1] is None  # no longer paced: the workers cannot go that fast
    assert throttle.stats().slowest == cut


def test_a_request_waiting_for_its_turn_when_the_pace_is_cut_takes_a_turn_at_the_new_pace():
    clock = Clock()
    throttle = Throttle(clock=clock.time, sleep=clock.sleep)
    for _ in range(10):
        ticket = throttle.before()
        clock.advance(0.01)
    throttle.refused(ticket, retry_after=0.0)  # paced from now on
    first = throttle.before()  # goes at once; the next one waits for its slot

    def meanwhile():  # another thread's request, sent at this pace, is refused
        throttle.refused(first, retry_after=0.0)

    clock.during_next_sleep = meanwhile
    throttle.before()  # wakes to a cut pace: takes a new turn, never a negative wait

    assert throttle.stats().refusals == 2
    assert throttle.stats().waited == 0.0
