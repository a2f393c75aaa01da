"""Creating pages of the same parent side by side while keeping the moves afterwards few.

Confluence appends a new page as its parent's last child, in the order the creates are carried
out. With several creates of one parent in flight, one that finishes out of turn lands out of
order and costs a move afterwards: a write, and a slow one on a real site. How often that
happens depends on the site's timing, so it is measured as the run goes. A parent's pages are
sent in the bundle's order with at most ``spread`` of them in flight at once (and never more
than the connections can use: 16 connections and 10 parents need 2 each), and each answer says
where the page landed: a page that landed before one sent earlier is a miss. Rounds of answers
without a miss widen the spread (doubling it until the first misses, then by one); two misses in
a round halve it (one may be chance), down to one at a time (no miss possible), and make the
next widening wait twice as many clean rounds as the last (a widening that holds halves the wait
again); and nothing widens while misses exceed 2 % of the answers so far (plus a few for the
first, least orderly answers) or past what the connections can use. So a site whose answers keep
their order gets wide spreads, and one that scrambles them gets few tries. The usual cause of a
scramble is two pages of one parent sent at the same instant (answers that came back together
free two slots at once), so a parent's sends are spaced by a share of the quickest create's time
(the quickest over twice the spread): its pages still go as fast as the spread allows, one after
another in time, and land in that order. Pages of different parents never disturb each other's
order, so they share the connections freely.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .plan import Create

__all__ = ["Spread", "create_tree"]

#: Answers per round: clean rounds widen the spread.
ROUND = 16
#: A round with more misses than this halves the spread (one may be chance: a slow answer).
MISSES_KEPT = 1
#: The most clean rounds waited for before trying a wider spread again.
MAX_PATIENCE = 4
#: No widening while more than this share of the answers so far were misses (each costs a
#: move, a write: a first publish should write little more than once per page).
MISS_BUDGET = 0.02
#: ... beyond a few: the first answers of a run are the least orderly (connections opening).
MISS_ALLOWANCE = 4
#: Pages of one parent in flight at first.
FIRST_SPREAD = 1
#: Answers of one parent kept to tell a miss (far more than can be in flight beside a page).
LANDED_WINDOW = 256


class Spread:
    """How many pages of one parent may be in flight at once: learnt from the misses (see the
    module docstring), shared by the levels of one run."""

    def __init__(self, ceiling: int, *, first: int = FIRST_SPREAD) -> None:
        self.ceiling = max(1, ceiling)
        self.value = max(1, min(first, self.ceiling))
        #: The widest spread the connections can use now (the level sets it): never wider.
        self.useful = self.ceiling
        #: Bumped by each narrowing: a page sent before it cannot narrow the spread again.
        self.epoch = 0
        self.misses = 0  # in all: about what the settling moves will fix
        self.answers = 0
        self._answers = 0
        self._narrowed = False
        self._patience = 1  # clean rounds before widening, doubled by each narrowing
        self._clean = 0
        self._widened = False
        self._round_misses = 0

    def answered(self, missed: bool, epoch: int) -> None:
        """One answer came back for a page sent in *epoch*; *missed*: it landed before one
        sent earlier (or after one sent later)."""
        self.answers += 1
        self.misses += missed
        if epoch != self.epoch:
            return  # sent at a spread already narrowed: that narrowing answered it
        self._round_misses += missed
        if self._round_misses > MISSES_KEPT:
            self.value = max(1, self.value // 2)
            self.epoch += 1
            self._patience = min(MAX_PATIENCE, self._patience * 2)
            self._narrowed = True
            self._widened = False
            self._answers = self._clean = self._round_misses = 0
            return
        self._answers += 1
        if self._answers < (ROUND if self._narrowed else max(4, 2 * self.value)):
            return  # (until the first narrowing, rounds are short: a round trip or two)
        clean = not self._round_misses
        self._answers = self._round_misses = 0
        if not clean:
            return  # one miss in a round: hold
        self._clean += 1
        widest = min(self.ceiling, self.useful)
        if not self._narrowed:  # doubling until the first miss
            self.value = max(self.value, min(widest, self.value * 2))
        elif (
            self._clean >= self._patience
            and self.value < widest
            and self.misses <= MISS_BUDGET * self.answers + MISS_ALLOWANCE
        ):
            if self._widened:  # the last widening held as long: be readier to widen
                self._patience = max(1, self._patience // 2)
            self.value += 1
            self._widened = True
            self._clean = 0


class _Tree:
    """The creates of a run, handed out to workers parent by parent in the bundle's order; a
    page's children become ready the moment it is created (a level need not wait for the
    slowest page of the one above)."""

    def __init__(
        self,
        creates: Sequence[Create],
        spread: Spread,
        concurrency: int,
        exists: Callable[[str | None], bool],
        ordered: Callable[[], bool],
    ) -> None:
        self.spread = spread
        self.concurrency = concurrency
        self.ordered = ordered
        #: Pages whose parent exists, by parent, in order; and pages whose parent is to come.
        ready: dict[str | None, list[Create]] = {}
        self.blocked: dict[str | None, list[Create]] = {}
        for action in creates:
            (ready if exists(action.parent) else self.blocked).setdefault(action.parent, []).append(
                action
            )
        self.waiting = {parent: deque(group) for parent, group in ready.items()}
        self.in_flight: dict[str | None, int] = {}
        self.sent: dict[str | None, int] = {}
        #: Per parent: (the order a page was sent in, where it landed) of the latest answers.
        #: A page can only land out of turn with pages in flight beside it, and those answered
        #: within its own round trip: a window keeps each answer's check short on any section.
        self.landed: dict[str | None, deque[tuple[int, int]]] = {}
        self.busy = 0
        #: When each parent may send its next page, and the quickest create so far (seconds).
        self.next_send: dict[str | None, float] = {}
        self.quickest = 0.0
        self.ready = threading.Condition()

    def take(self) -> tuple[int, int, Create] | None:
        """The next create a worker may send (its turn among its parent's pages, the spread's
        epoch, itself); None when none is left and none in flight can bring more."""
        with self.ready:
            while True:
                left = [parent for parent, queue in self.waiting.items() if queue]
                if not left and not self.busy:
                    return None
                if left:
                    # Wider than the connections can use would only scramble more pages; a
                    # site that does not say where pages land gets one at a time.
                    self.spread.useful = -(-self.concurrency // len(left))
                    wide = min(self.spread.value, self.spread.useful) if self.ordered() else 1
                    now = time.monotonic()
                    open_ = [p for p in left if self.in_flight.get(p, 0) < wide]
                    free = [p for p in open_ if self.next_send.get(p, 0.0) <= now]
                    if free:
                        parent = max(free, key=self._urgency)
                        # Sends of one parent spaced out: answers that come back together must
                        # not send the next pages back to back, to land in any order.
                        self.next_send[parent] = now + self.quickest / (2 * wide)
                        self.in_flight[parent] = self.in_flight.get(parent, 0) + 1
                        self.sent[parent] = turn = self.sent.get(parent, 0) + 1
                        self.busy += 1
                        return turn, self.spread.epoch, self.waiting[parent].popleft()
                    if open_:
                        soonest = min(self.next_send[p] for p in open_)
                        self.ready.wait(max(0.0, soonest - now))
                        continue
                self.ready.wait()

    def _urgency(self, parent: str | None) -> tuple[bool, int]:
        """Which parent's next page goes first: one that others wait for (its children are
        to be created: a section page before the pages of sections already going), then the
        parent with the most pages left (so no parent is left to finish alone at the end)."""
        queue = self.waiting[parent]
        return queue[0].key in self.blocked, len(queue)

    def done(
        self,
        action: Create,
        turn: int,
        epoch: int,
        created: bool,
        position: int | None,
        seconds: float,
    ) -> None:
        """The create handed out as (*turn*, *epoch*) finished after *seconds*; *created*: the
        page exists now (its children may go); *position*: where it landed (None: not said)."""
        with self.ready:
            if created:
                self.quickest = min(self.quickest, seconds) if self.quickest else seconds
            parent = action.parent
            self.in_flight[parent] -= 1
            self.busy -= 1
            if created and action.key in self.blocked:
                self.waiting[action.key] = deque(self.blocked.pop(action.key))
            if position is not None:
                landed = self.landed.setdefault(parent, deque(maxlen=LANDED_WINDOW))
                missed = any(p > position for t, p in landed if t < turn)
                missed = missed or any(p < position for t, p in landed if t > turn)
                landed.append((turn, position))
                self.spread.answered(missed, epoch)
            self.ready.notify_all()


def create_tree(
    creates: Sequence[Create],
    create: Callable[[Create], tuple[bool, int | None]],
    *,
    concurrency: int,
    spread: Spread,
    exists: Callable[[str | None], bool],
    ordered: Callable[[], bool],
) -> list[Create]:
    """Run *create* for *creates* (in the bundle's order; a page's parent before it), up to
    *concurrency* at once, a page as soon as its parent exists (*exists* says which do before
    any create), and at most ``spread.value`` pages of one parent at once while *ordered* says
    the site tells where pages land (else one). *create* returns whether the page exists now
    and where it landed. Pages whose parent was never created are left alone (the caller
    reports them)."""
    tree = _Tree(creates, spread, concurrency, exists, ordered)

    def work() -> None:
        while (taken := tree.take()) is not None:
            turn, epoch, action = taken
            created, position = False, None
            sent = time.monotonic()
            try:
                created, position = create(action)
            finally:
                tree.done(action, turn, epoch, created, position, time.monotonic() - sent)

    with ThreadPoolExecutor(concurrency, thread_name_prefix="create") as pool:
        for future in [pool.submit(work) for _ in range(concurrency)]:
            future.result()
    return [action for group in tree.blocked.values() for action in group]
