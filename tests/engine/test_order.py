"""Sibling order: whatever order the pages are in, the planned moves give the bundle's order,
never move a page a person placed, and leave in place as many pages as can stay."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.models import RemotePage
from docs_confluence.publisher.compare import Owned
from docs_confluence.publisher.order import plan_order
from docs_confluence.publisher.plan import Reorder


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
