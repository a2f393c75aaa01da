"""People moving, editing, archiving and trashing our pages in combination: their changes stay,
the side effects Confluence adds to them (children moved up when a parent goes to the trash)
are undone, and no page of ours is moved as a consequence of someone's else move. Over HTTP."""

from __future__ import annotations

import pytest

from docs_confluence.errors import ConfluencePublisherError

from .conftest import writes_nothing


def sections(site):
    site.page("index", "Home", "<p>Home</p>")
    for n in range(3):
        site.page(f"s{n}", f"Section {n}", f"<p>{n}</p>", parent="index")
        site.page(f"s{n}/a", f"Page {n}", f"<p>{n}a</p>", parent=f"s{n}")
    return site.bundle()


def test_children_a_trashed_parent_lost_come_back_even_when_people_changed_them(
    site, server, publish_to
):
    bundle = sections(site)
    publish_to(bundle)
    home = server.page("DOC", "Home")
    server.edit_as_human(server.page("DOC", "Section 0").id, "<p>Alice's words</p>")
    server.store.pages.set_status(server.page("DOC", "Section 1").id, "archived")
    server.store.pages.trash(home.id)  # Confluence moves the sections up

    report = publish_to(bundle)

    assert sorted(c.title for c in report.conflicts) == ["Section 0", "Section 1"]
    assert [p.title for p in server.children(home.id)] == ["Section 0", "Section 1", "Section 2"]
    assert server.page("DOC", "Section 0").body == "<p>Alice's words</p>"
    assert server.page_by_id(server.page("DOC", "Section 1").id).status == "archived"
    assert writes_nothing(server, publish_to, bundle)


def test_a_page_a_person_moved_stays_where_they_put_it_when_an_ancestor_is_trashed(
    site, server, publish_to
):
    bundle = sections(site)
    publish_to(bundle)
    section = server.page("DOC", "Section 2")
    target = server.page("DOC", "Page 1")
    server.store.pages.move(section.id, "append", target.id)
    server.store.pages.trash(server.page("DOC", "Home").id)

    report = publish_to(bundle)

    assert [c.title for c in report.conflicts] == ["Section 2"]
    assert server.page_by_id(section.id).parent_id == target.id


def test_siblings_are_ordered_around_pages_people_edited(site, server, publish_to):
    bundle = sections(site)
    publish_to(bundle)
    home = server.page("DOC", "Home")
    server.edit_as_human(server.page("DOC", "Section 1").id, "<p>Alice's words</p>")
    server.store.pages.trash(server.page("DOC", "Section 0").id)

    publish_to(bundle)

    assert [p.title for p in server.children(home.id)] == ["Section 0", "Section 1", "Section 2"]
    assert writes_nothing(server, publish_to, bundle)


def test_a_page_that_left_the_docs_but_holds_a_persons_page_is_kept(site, server, publish_to):
    publish_to(sections(site))
    section = server.page("DOC", "Section 2")
    holder = server.page("DOC", "Page 0")
    server.store.pages.move(section.id, "append", holder.id)
    site.pages = [p for p in site.pages if p[0] != "s0/a"]
    bundle = site.bundle()

    report = publish_to(bundle, cleanup=True)

    [kept] = [a for a in report.plan.actions if a.kind == "orphan"]
    assert (kept.title, kept.reason) == (
        "Page 0",
        "kept: pages a person placed under it would move if it went to the trash",
    )
    assert server.page_by_id(holder.id).status == "current"
    assert server.page_by_id(section.id).parent_id == holder.id
    assert writes_nothing(server, publish_to, bundle, cleanup=True)


def test_pages_come_back_under_a_parent_trashed_after_its_own_parent(site, server, publish_to):
    bundle = sections(site)
    publish_to(bundle)
    section = server.page("DOC", "Section 1")
    server.store.pages.trash(section.id)  # Page 1 goes up to Home
    server.store.pages.trash(server.page("DOC", "Home").id)  # then up to the space homepage

    report = publish_to(bundle)

    assert report.conflicts == ()
    assert [p.title for p in server.children(section.id)] == ["Page 1"]
    assert writes_nothing(server, publish_to, bundle)


def test_children_come_back_even_when_the_run_that_restored_their_parent_could_not_move_them(
    site, server, publish_to
):
    bundle = sections(site)
    publish_to(bundle)
    home = server.page("DOC", "Home")
    server.store.pages.trash(home.id)
    server.faults.server_error(50, status=500, path=r"/move/")  # every move refused, this run
    with pytest.raises(ConfluencePublisherError):
        publish_to(bundle)
    server.faults.clear()
    assert server.page_by_id(home.id).status == "current"  # restored, children still up

    report = publish_to(bundle)

    assert report.conflicts == ()
    assert [p.title for p in server.children(home.id)] == ["Section 0", "Section 1", "Section 2"]
    assert writes_nothing(server, publish_to, bundle)
