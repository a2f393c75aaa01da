"""Adopt: pages someone else made (a person, another tool) that hold our titles are taken over
with the adopt option, keeping their ids; without it the publish stops and says adopt exists.
Pages of another docs-confluence project, or outside the anchor's tree, are never adopted.
Over HTTP, on both flavors."""

from __future__ import annotations

import re

import pytest

from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.errors import PublishError
from docs_confluence.publisher.compare import plan
from docs_confluence.publisher.matching import RemoteState
from docs_confluence.publisher.ownership import (
    Claim,
    ForeignPages,
    IndexEntry,
    OwnershipIndex,
    read_foreign,
)
from docs_confluence.publisher.plan import Create, Update, format_plan
from docs_confluence.rest.models import RemotePage, RemoteProperty, Space

from .conftest import writes_nothing

HINT = "adopt (--adopt, `adopt: true` in mkdocs.yml, `confluence_adopt = True` in conf.py)"


def docs(site):
    site.page("index", "Home", "<p>Our home</p>")
    site.page("install", "Install", "<p>Our install</p>", parent="index", files=[("a.txt", b"A")])
    site.page("usage", "Usage", "<p>Our usage</p>", parent="index", labels=("guide",))
    return site.bundle()


def made_by_hand(server, titles, parent_id=None):
    """Pages alice made (as confluencebuilder or a person would), nested in order: each title
    under the one before it when *titles* is a chain. Returns their ids by title."""
    space = server.space("DOC")
    parent = parent_id or space.homepage_id
    ids: dict[str, str] = {}
    for title, under in titles:
        page = server.store.pages.create(
            space.id,
            title,
            f"<p>{title} by hand</p>",
            author_id=server.human.account_id,
            parent_id=ids.get(under, parent),
        )
        ids[title] = page.id
    return ids


def count_titled(server, title):
    return len(server.store.pages.titled(server.space("DOC").id, title))


def test_pages_made_by_hand_are_adopted_keeping_their_ids(site, server, publish_to):
    ids = made_by_hand(server, [("Home", None), ("Install", "Home"), ("Usage", "Home")])
    server.edit_as_human(ids["Install"], "<p>Install, edited by hand</p>")
    bundle = docs(site)

    report = publish_to(bundle, adopt=True)

    assert report.plan.count("update") == 3
    assert report.plan.count("create") == 0
    shown = format_plan(report.plan)
    assert re.search(
        rf"adopt +Install +page {ids['Install']} taken over \(keeps its history\)", shown
    )
    for title, body in [("Home", "Our home"), ("Install", "Our install"), ("Usage", "Our usage")]:
        page = server.page("DOC", title)
        assert page.id == ids[title]
        assert page.body == f"<p>{body}</p>"
        assert count_titled(server, title) == 1
    assert server.page("DOC", "Install").version == 3  # alice's two versions, then ours
    assert "guide" in server.page("DOC", "Usage").labels
    assert report.summary() == "Published to space DOC: 3 adopted"
    assert {page["outcome"] for page in report.to_json()["pages"]} == {"adopted"}
    assert writes_nothing(server, publish_to, bundle, adopt=True)
    assert writes_nothing(server, publish_to, bundle)  # ours now, with or without the option


def test_an_adopted_page_is_moved_where_the_docs_want_it(site, server, publish_to):
    ids = made_by_hand(server, [("Home", None), ("Deep", "Home"), ("Install", "Deep")])
    bundle = docs(site)

    report = publish_to(bundle, adopt=True)

    install = server.page("DOC", "Install")
    assert install.id == ids["Install"]
    assert install.parent_id == ids["Home"]
    assert "parent" in next(a for a in report.plan.actions if a.title == "Install").reasons
    assert server.page("DOC", "Deep").body == "<p>Deep by hand</p>"  # not ours: left alone
    assert writes_nothing(server, publish_to, bundle)


def test_a_person_editing_an_adopted_page_later_is_a_conflict(site, server, publish_to):
    made_by_hand(server, [("Home", None)])
    bundle = docs(site)
    publish_to(bundle, adopt=True)
    server.edit_as_human(server.page("DOC", "Home").id, "<p>Alice again</p>")

    report = publish_to(bundle)

    assert [c.title for c in report.conflicts] == ["Home"]
    assert server.page("DOC", "Home").body == "<p>Alice again</p>"


def test_without_adopt_the_error_says_adopt_exists(site, server, publish_to):
    made_by_hand(server, [("Install", None)])
    bundle = docs(site)
    server.stats.reset()

    with pytest.raises(PublishError, match="that docs-confluence does not own") as caught:
        publish_to(bundle)

    assert HINT in str(caught.value)
    # the options are named as each front end spells them
    assert "`title_prefix` in mkdocs.yml, `confluence_title_prefix` in conf.py" in str(caught.value)
    assert server.stats.writes == 0


def test_a_page_of_another_docs_confluence_project_is_never_adopted(site, server, publish_to):
    site.page("theirs", "Install", "<p>Theirs</p>")
    publish_to(site.bundle(project="other"))
    theirs = server.page("DOC", "Install")
    site.pages.clear()
    bundle = docs(site)
    server.stats.reset()

    with pytest.raises(PublishError, match="docs-confluence project 'other'") as caught:
        publish_to(bundle, adopt=True)

    assert "adopt cannot take it over" in str(caught.value)
    assert server.stats.writes == 0
    assert server.page("DOC", "Install").body == "<p>Theirs</p>"
    assert server.page("DOC", "Install").id == theirs.id


def test_a_page_outside_the_parent_pages_tree_is_not_adopted(site, server, publish_to):
    ids = made_by_hand(server, [("Docs root", None), ("Install", None)])
    bundle = docs(site)
    server.stats.reset()

    with pytest.raises(PublishError, match="not under the parent page") as caught:
        publish_to(bundle, adopt=True, parent_page=ids["Docs root"])

    assert f"(id {ids['Install']})" in str(caught.value)
    assert server.stats.writes == 0


def test_a_dry_run_shows_the_adoptions_and_writes_nothing(site, server, publish_to):
    ids = made_by_hand(server, [("Usage", None)])
    bundle = docs(site)
    server.stats.reset()

    report = publish_to(bundle, adopt=True, dry_run=True)

    assert server.stats.writes == 0
    assert [a.kind for a in report.plan.actions if a.title == "Usage"] == ["update", "relabel"]
    assert report.plan.to_json()["adopted"] == {"usage": {"id": ids["Usage"], "sha": None, "v": 1}}
    assert re.search(rf"adopt +Usage +page {ids['Usage']} taken over", format_plan(report.plan))


# -- the planner alone ----------------------------------------------------------------------------

SPACE = Space("1", "DOC", "Docs", "100")


def one_page(tmp_path, title="A"):
    builder = BundleBuilder("demo", generator="test")
    builder.add_page("a", title, "<p>a</p>")
    return builder.write(tmp_path / "bundle")


NO_OTHERS = ForeignPages()


def held(page, foreign=NO_OTHERS, *others):
    titles = {p.title.casefold(): p for p in (page, *others)}
    return RemoteState(SPACE, "100", OwnershipIndex("demo"), {}, titles, foreign=foreign)


def test_a_title_differing_in_case_is_adopted_and_renamed(tmp_path):
    alices = RemotePage("500", "a", "100", 0, 4, "", "alice")
    result = plan(one_page(tmp_path), held(alices), adopt=True)
    assert result.errors == ()
    assert result.actions == (Update("a", "A", "500", 5, None, ("adopt", "title")),)
    assert result.adopted == (("a", IndexEntry("500", None, 4)),)


def test_a_page_deeper_under_the_anchor_is_adopted(tmp_path):
    folder = RemotePage("300", "Folder", "100", 0, 1, "", "alice")
    alices = RemotePage("500", "A", "300", 0, 1, "", "alice")
    result = plan(one_page(tmp_path), held(alices, NO_OTHERS, folder), adopt=True)
    assert result.actions == (Update("a", "A", "500", 2, None, ("adopt", "parent")),)


def test_an_archived_page_is_not_adopted(tmp_path):
    archived = RemotePage("500", "A", "100", 0, 1, "", "alice", status="archived")
    result = plan(one_page(tmp_path), held(archived), adopt=True)
    assert result.actions == (Create("a", "A", None),)
    assert "adopt cannot take it over: it is archived" in result.errors[0]


def test_a_title_another_project_recorded_as_pending_is_not_adopted(tmp_path):
    alices = RemotePage("500", "A", "100", 0, 1, "", "bot")
    result = plan(one_page(tmp_path), held(alices, ForeignPages({}, {"a": "other"})), adopt=True)
    assert "docs-confluence project 'other' claims its title" in result.errors[0]


def test_without_adopt_a_page_that_could_not_be_adopted_gets_no_hint(tmp_path):
    outside = RemotePage("500", "A", None, 0, 1, "", "alice")
    result = plan(one_page(tmp_path), held(outside))
    assert "it cannot be adopted: it is not under the parent page (id 100)" in result.errors[0]
    assert "--adopt" not in result.errors[0]


def test_other_projects_indexes_are_told_from_ours():
    def prop(key, value):
        return RemoteProperty("1", key, value, 1)

    shard = {"format": 1, "pages": {"x": {"id": "7", "v": 1}}, "pending": {"y": "Why"}}
    properties = {
        key: prop(key, shard)
        for key in ("docs-confluence.demo.0", "docs-confluence.demo.internal.0", "other.0")
    }
    found = read_foreign("demo", properties)
    old_claim = Claim()  # a plain pending title, as indexes written before claims hold
    assert found == ForeignPages(
        {"7": "demo.internal"}, {"why": "demo.internal"}, {"why": (("demo.internal", old_claim),)}
    )
    assert read_foreign("demo.internal", properties) == ForeignPages(
        {"7": "demo"}, {"why": "demo"}, {"why": (("demo", old_claim),)}
    )
