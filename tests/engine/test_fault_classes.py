"""The fault suite's own steps (tests/fault_classes.py), without a sandbox: a nav reorganisation
moves pages and leaves docs a bundle can hold; a trap armed after a move fires at the write it
names and nowhere else."""

from __future__ import annotations

import random

import pytest

from tests.fault_classes import MoveTrap, reorganise
from tests.fault_schedules import starting_docs


def parents_and_order(pages):
    return {
        key: (parent, [p[0] for p in pages if p[3] == parent].index(key))
        for key, _, _, parent, _, _ in pages
    }


@pytest.mark.parametrize("seed", range(40))
def test_a_reorganisation_moves_what_it_says_and_keeps_every_page(seed):
    docs = starting_docs(random.Random(seed))
    before = parents_and_order(docs.pages)
    moved = reorganise(docs, random.Random(f"{seed}:moves"), frozen=set())
    after = parents_and_order(docs.pages)

    assert sorted(before) == sorted(after)  # no page lost or added
    keys = {p[0] for p in docs.pages}
    assert all(parent is None or parent in keys for parent, _ in after.values())
    assert set(moved) <= keys
    changed = {key for key in before if before[key] != after[key]}
    assert bool(moved) == bool(changed)  # it says it moved pages when readers would see it


def test_a_reorganisation_leaves_pages_people_touched_in_place():
    for seed in range(40):
        docs = starting_docs(random.Random(seed))
        frozen = {p[0] for p in docs.pages}
        assert reorganise(docs, random.Random(seed), frozen) == []


@pytest.mark.parametrize("after", [-1, 0, 1, 2])
def test_a_trap_fires_once_at_the_named_write_after_the_first_move(after):
    trap = MoveTrap({"42"}, after, 503, applied=True)
    requests = [
        ("PUT", "/wiki/api/v2/pages/7"),  # before any move: never
        ("GET", "/wiki/api/v2/pages/42"),  # a read: never
        ("PUT", "/wiki/rest/api/content/42/move/append/9"),  # write 0: the move
        ("POST", "/wiki/api/v2/pages"),  # write 1
        ("PUT", "/wiki/api/v2/pages/98305/properties/98307"),  # write 2: the index
        ("PUT", "/wiki/api/v2/pages/8"),  # write 3
    ]
    answers = [trap(method, path) for method, path in requests]

    fired = [i for i, fault in enumerate(answers) if fault is not None]
    assert fired == [4 if after == -1 else 2 + after]
    fault = answers[fired[0]]
    assert fault is not None
    assert (fault.status, fault.after_write) == (503, True)
    assert trap.fired == " ".join(requests[fired[0]])


def test_a_kill_trap_drops_the_request_it_fires_at():
    trap = MoveTrap({"42"}, 0, "kill", applied=False)
    fault = trap("PUT", "/wiki/api/v2/pages/42")
    assert fault is not None
    assert (fault.kind, fault.after_write) == ("drop", False)
