"""How a person's reorder is seen (pure, no server): against the ranks the index recorded,
one drag is one page reported, and any order of ours that is still in rank order is none,
whatever pages of others sit between ours."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docs_confluence.publisher.matching import Owned
from docs_confluence.publisher.ownership import IndexEntry
from docs_confluence.publisher.reorders import find_reorders
from docs_confluence.rest.models import RemotePage


def owned(order: list[int], positions: list[int]) -> dict[str, Owned]:
    """Our pages under one parent: page *n* recorded with rank *n*, now at *positions[n]*."""
    pages = {}
    for rank, position in zip(order, positions, strict=True):
        page = RemotePage(f"{100 + rank}", f"Page {rank}", "9", position, 1, "", None)
        entry = IndexEntry(page.id, "0" * 16, 1, parent="9", order=rank)
        pages[f"k{rank}"] = Owned(f"k{rank}", page, entry, "0" * 16, edited=False)
    return pages


@given(
    st.integers(2, 30).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, n - 1), st.integers(0, n - 1))
    )
)
def test_one_drag_is_one_page_reported(case):
    count, source, target = case
    ranks = list(range(count))
    dragged = ranks.pop(source)
    ranks.insert(target, dragged)
    positions = [ranks.index(rank) * 3 for rank in range(count)]

    found = find_reorders(owned(list(range(count)), positions))

    if source == target:
        assert found == {}
    else:
        [(key, reason)] = found.items()
        assert reason.startswith("reordered in Confluence (now ")
        if abs(source - target) > 1:  # an adjacent swap could be either page
            assert key == f"k{dragged}"


@given(st.lists(st.integers(0, 5), min_size=1, max_size=30))
def test_our_order_with_gaps_of_other_pages_is_no_reorder(gaps):
    positions = []
    at = 0
    for gap in gaps:
        at += gap + 1
        positions.append(at)

    assert find_reorders(owned(list(range(len(gaps))), positions)) == {}
