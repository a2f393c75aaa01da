"""A section of ours that leaves the docs while it holds pages a person made under it: with
cleanup on it is not trashed (Confluence would move their pages up), it is kept and reported;
once they move their pages away, the next publish trashes it. Over HTTP, Cloud and Data
Center."""

from __future__ import annotations

import pytest

from .conftest import writes_nothing

HOLDS = (
    "kept: it holds 1 page(s) that are not ours ('Alice notes'), which Confluence would move "
    "up if it went to the trash; move them, then publish again"
)


def docs(site, *, with_section=True, guide="Guide"):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    if with_section:
        site.page("old", "Old section", "<p>Old</p>", parent="index")
        site.page("old/a", "Old page", "<p>a</p>", parent="old")
    site.page("guide", guide, "<p>Guide</p>", parent="index")
    return site.bundle()


@pytest.mark.parametrize(
    "title_wanted", [False, True], ids=["section-leaves", "a-page-of-ours-takes-its-title"]
)
def test_a_section_holding_a_persons_page_is_kept_when_it_leaves_the_docs(
    site, server, publish_to, title_wanted
):
    publish_to(docs(site))
    section = server.page("DOC", "Old section")
    theirs = server.store.pages.create(
        server.space().id,
        "Alice notes",
        "<p>mine</p>",
        parent_id=section.id,
        author_id=server.human.account_id,
    )
    guide = "Old section" if title_wanted else "Guide"
    bundle = docs(site, with_section=False, guide=guide)

    report = publish_to(bundle, cleanup=True)

    assert report.failed == ()
    [kept] = [a for a in report.plan.actions if a.key == "old" and a.kind == "orphan"]
    assert kept.reason == HOLDS
    assert server.page_by_id(section.id).status == "current"
    assert server.page_by_id(theirs.id).parent_id == section.id  # not moved
    assert server.page_by_id(server.page("DOC", "Old page").id).status == "trashed"
    if title_wanted:  # renamed out of the way, not trashed
        assert server.page_by_id(section.id).title == "Old section (no longer in the docs)"
        assert server.page("DOC", "Old section").body == "<p>Guide</p>"
    assert writes_nothing(server, publish_to, bundle, cleanup=True)

    # They move their page away: the section goes to the trash.
    home = server.page("DOC", "Home").id
    server.store.pages.move(theirs.id, "append", home)
    publish_to(bundle, cleanup=True)
    assert server.page_by_id(section.id).status == "trashed"
    assert server.page_by_id(theirs.id).parent_id == home
