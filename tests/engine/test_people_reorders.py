"""A person reordering our pages among their siblings (a drag in the page tree, same parent):
seen by the next publish against the order the index recorded, and handled like any human edit
under ``on_conflict``: ``keep`` leaves their order and reports it, ``overwrite`` puts ours back,
``fail`` stops before any write. A plain rerun is stable. Over HTTP, Cloud and Data Center."""

from __future__ import annotations

import pytest

from docs_confluence.errors import ConfluencePublisherError

from .conftest import writes_nothing

OURS = ["Page a", "Page b", "Page c", "Page d"]

#: Drags a person can make: (page, where, next to), and the order they leave.
DRAGS = {
    "last-to-first": (("Page d", "before", "Page a"), ["Page d", "Page a", "Page b", "Page c"]),
    "first-to-last": (("Page a", "after", "Page d"), ["Page b", "Page c", "Page d", "Page a"]),
    "swap-middle": (("Page b", "after", "Page c"), ["Page a", "Page c", "Page b", "Page d"]),
    "to-the-middle": (("Page d", "after", "Page a"), ["Page a", "Page d", "Page b", "Page c"]),
}


def docs(site, extra=()):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    site.page("s", "Section", "<p>Section</p>", parent="index")
    for title in [*OURS, *extra]:
        site.page(f"s/{title[-1]}", title, f"<p>{title}</p>", parent="s")
    site.page("t", "Other section", "<p>Other</p>", parent="index")
    return site.bundle()


def titles_under(server, title):
    return [p.title for p in server.children(server.page("DOC", title).id)]


def drag(server, name):
    (page, where, target), expected = DRAGS[name]
    server.store.pages.move(server.page("DOC", page).id, where, server.page("DOC", target).id)
    assert titles_under(server, "Section") == expected
    return expected


@pytest.fixture(params=sorted(DRAGS))
def dragged(request, site, server, publish_to):
    """The docs published, then reordered by a person: (bundle, the order they left)."""
    bundle = docs(site)
    publish_to(bundle)
    assert titles_under(server, "Section") == OURS
    assert writes_nothing(server, publish_to, bundle)  # a plain rerun sees no reorder
    return bundle, drag(server, request.param)


def test_keep_leaves_a_persons_order_and_reports_it(site, server, publish_to, dragged):
    bundle, theirs = dragged

    report = publish_to(bundle)

    [conflict] = report.conflicts
    assert conflict.reason.startswith("reordered in Confluence (now ")
    assert titles_under(server, "Section") == theirs
    assert report.plan.writes == 0
    # Stable: reported again, nothing written; a page the docs add goes after its neighbour.
    assert writes_nothing(server, publish_to, bundle)
    assert [c.title for c in publish_to(bundle).conflicts] == [conflict.title]
    publish_to(docs(site, extra=["Page e"]))
    assert titles_under(server, "Section") == [*theirs, "Page e"]


def test_overwrite_puts_our_order_back(server, publish_to, dragged):
    bundle, _ = dragged

    report = publish_to(bundle, on_conflict="overwrite")

    assert report.conflicts == ()
    assert titles_under(server, "Section") == OURS
    assert writes_nothing(server, publish_to, bundle)
    assert publish_to(bundle).conflicts == ()


def test_fail_stops_before_any_write(server, publish_to, dragged):
    bundle, theirs = dragged
    server.stats.reset()

    with pytest.raises(ConfluencePublisherError, match=r"was reordered in Confluence"):
        publish_to(bundle, on_conflict="fail")

    assert server.stats.writes == 0
    assert titles_under(server, "Section") == theirs


def test_pages_a_person_adds_among_ours_are_no_reorder(site, server, publish_to):
    bundle = docs(site)
    publish_to(bundle)
    section = server.page("DOC", "Section")
    mine = server.store.pages.create(
        server.space().id,
        "Alice",
        "<p>hi</p>",
        parent_id=section.id,
        author_id=server.human.account_id,
    )
    server.store.pages.move(mine.id, "after", server.page("DOC", "Page a").id)

    report = publish_to(bundle)

    assert report.conflicts == ()
    assert titles_under(server, "Section") == ["Page a", "Alice", "Page b", "Page c", "Page d"]
    assert writes_nothing(server, publish_to, bundle)


def test_a_run_that_stops_half_way_through_our_reorder_is_no_persons_reorder(
    site, server, publish_to
):
    publish_to(docs(site))
    site.pages[2:6] = site.pages[2:6][::-1]  # the docs now list the pages the other way round
    bundle = site.bundle()

    def refuse_the_rest():  # the first move goes through, every later one is refused
        server.faults.server_error(50, status=500, path=r"/move/")

    server.faults.interpose(refuse_the_rest, method="PUT", path=r"/move/")
    with pytest.raises(ConfluencePublisherError):
        publish_to(bundle)
    server.faults.clear()
    assert titles_under(server, "Section") not in (OURS, OURS[::-1])  # half done

    report = publish_to(bundle)

    assert report.conflicts == ()
    assert titles_under(server, "Section") == OURS[::-1]
    assert writes_nothing(server, publish_to, bundle)


def test_an_index_written_before_ranks_were_recorded_still_writes_nothing(site, server, publish_to):
    bundle = docs(site)
    publish_to(bundle)
    anchor = server.space().homepage_id  # the index lives on the space homepage
    [prop] = [p for p in server.store.properties.of(anchor) if p.key.startswith("docs-confluence.")]
    pages = {
        key: {k: v for k, v in e.items() if k != "o"} for key, e in prop.value["pages"].items()
    }
    assert pages != prop.value["pages"]
    server.store.properties.update(
        anchor,
        prop.id,
        {**prop.value, "pages": pages},
        version=prop.version + 1,
        author_id=server.bot.account_id,
    )

    assert writes_nothing(server, publish_to, bundle)
    assert publish_to(bundle).conflicts == ()
