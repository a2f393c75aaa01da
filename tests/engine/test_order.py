"""Sibling order: whatever order the pages are in, the planned moves give the bundle's order,
never move a page a person placed, and leave in place as many pages as can stay."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.publisher.matching import Owned
from docs_confluence.publisher.order import Placement, plan_order, settle_order
from docs_confluence.publisher.plan import Reorder
from docs_confluence.rest.models import RemotePage


def apply_moves(order: list[str], moves: list[Reorder]) -> list[str]:
    """What Confluence does with the moves, one after the other."""
    result = list(order)
    for move in moves:
        result.remove(move.key)
        at = result.index(move.sibling)
        result.insert(at if move.where == "before" else at + 1, move.key)
    return result


@st.composite
def siblings(draw):
    count = draw(st.integers(1, 9))
    desired = [f"p{n}" for n in range(count)]
    current = draw(st.permutations(desired))
    # A person placed some of them: those stay where they are, in an order the docs agree with.
    fixed_ranks = draw(st.sets(st.integers(0, count - 1)))
    fixed_in_current = [k for k in current if int(k[1:]) in fixed_ranks]
    fixed = {
        k
        for i, k in enumerate(fixed_in_current)
        if all(int(k[1:]) > int(j[1:]) for j in fixed_in_current[:i])
    }
    return desired, list(current), fixed


@given(siblings())
def test_moves_give_the_bundle_order_and_never_move_a_placed_page(tmp_path_factory, case):
    desired, current, fixed = case
    builder = BundleBuilder("order", generator="test")
    builder.add_page("root", "Root", "<p/>")
    for key in desired:
        builder.add_page(key, f"Title {key}", "<p/>", parent="root")
    bundle = builder.write(tmp_path_factory.mktemp("bundle") / "b")
    owned = {
        key: Owned(
            key,
            RemotePage(key, f"Title {key}", "root-id", current.index(key), 1, "", None),
            None,
            None,
            edited=False,
        )
        for key in desired
    }
    owned["root"] = Owned(
        "root", RemotePage("root-id", "Root", None, 0, 1, "", None), None, None, False
    )

    moves = [a for a in plan_order(bundle, owned, fixed, set(), set()) if isinstance(a, Reorder)]

    assert apply_moves(current, moves) == desired
    assert not {m.key for m in moves} & fixed
    assert len(moves) <= len(desired) - max(1, len(fixed))


def apply_placements(order: list[str], chains: list[list[Placement]]) -> list[str]:
    """What Confluence does with the moves: chains one after another, but taken in turns
    (they may run at the same time, so any interleaving must give the same order)."""
    result = list(order)
    queues = [list(chain) for chain in chains]
    while any(queues):
        for queue in queues[::-1]:
            if queue:
                move = queue.pop(0)
                result.remove(move.key)
                at = result.index(move.anchor)
                result.insert(at if move.where == "before" else at + 1, move.key)
    return result


@given(st.lists(st.integers(), min_size=1, max_size=40, unique=True), st.randoms())
def test_pages_created_side_by_side_are_put_in_order_with_one_move_each_out_of_place(numbers, rng):
    desired = [f"p{n}" for n in numbers]
    landed = list(desired)
    rng.shuffle(landed)

    chains = settle_order(landed, desired)

    assert apply_placements(landed, chains) == desired
    moved = [placement.key for chain in chains for placement in chain]
    assert len(moved) == len(set(moved))  # nobody moves twice
    longest_in_order = len(desired) - len(moved)
    ranks = [desired.index(key) for key in landed]
    assert longest_in_order == _longest_increasing_length(ranks)


def _longest_increasing_length(values):
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)
