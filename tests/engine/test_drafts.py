"""Drafts for review (the draft option): new pages go in as drafts readers do not see; a later
run without the option publishes them, one write each. Changes to published pages wait.
Cloud, over HTTP through the real client (Data Center refuses the option)."""

from __future__ import annotations

import json

import httpx
import pytest

from docs_confluence.cli import main
from docs_confluence.errors import ConfigError, ConfluencePublisherError

from .test_crashed_runs import DiesBeforeItsRecord


def reader_sees(harness) -> list[str]:
    """The titles a reader (alice) gets from the space's page listing, over HTTP."""
    space = harness.space("DOC")
    with httpx.Client(auth=(harness.human_email, harness.human_token)) as http:
        answer = http.get(
            f"{harness.base_url}/api/v2/spaces/{space.id}/pages", params={"limit": 250}
        )
    answer.raise_for_status()
    return sorted(item["title"] for item in answer.json()["results"])


def outcomes(report) -> dict[str, str]:
    return {page.title: page.outcome for page in report.pages}


def docs(site, guide="<p>Guide</p>", install="<p>Install</p>", *, new=False):
    site.pages.clear()
    site.page("guide", "Guide", guide)
    site.page("install", "Install", install, parent="guide")
    if new:
        site.page("new", "New page", "<p>New</p>", parent="guide")
    return site.bundle()


def status(harness, title):
    return harness.page("DOC", title).status


def test_new_pages_are_drafts_readers_do_not_see(site, live_confluence, publish):
    report = publish(docs(site), draft=True)

    assert outcomes(report) == {"Guide": "drafted", "Install": "drafted"}
    assert reader_sees(live_confluence) == ["DOC Home"]
    assert (status(live_confluence, "Guide"), status(live_confluence, "Install")) == (
        "draft",
        "draft",
    )
    install = live_confluence.page("DOC", "Install")
    assert install.parent_id == live_confluence.page("DOC", "Guide").id
    assert report.summary() == "Published to space DOC: 2 created as drafts"


def test_unchanged_drafts_are_found_again_and_nothing_is_written(site, live_confluence, publish):
    publish(docs(site), draft=True)
    live_confluence.stats.reset()

    report = publish(docs(site), draft=True)

    assert live_confluence.stats.writes == 0
    assert outcomes(report) == {"Guide": "unchanged", "Install": "unchanged"}
    space = live_confluence.space("DOC")
    assert len(live_confluence.store.pages.titled(space.id, "Install")) == 1


def test_a_changed_draft_stays_a_draft(site, live_confluence, publish):
    publish(docs(site), draft=True)
    live_confluence.stats.reset()

    report = publish(docs(site, install="<p>Install, reviewed</p>"), draft=True)

    assert live_confluence.stats.writes == 2  # the draft, and the index recording its body
    assert outcomes(report)["Install"] == "drafted"
    assert live_confluence.page("DOC", "Install").body == "<p>Install, reviewed</p>"
    assert status(live_confluence, "Install") == "draft"
    assert reader_sees(live_confluence) == ["DOC Home"]


def test_a_run_without_the_option_publishes_each_draft_with_one_write(
    site, live_confluence, publish
):
    publish(docs(site), draft=True)
    live_confluence.stats.reset()

    report = publish(docs(site, install="<p>Install, final</p>"))

    assert live_confluence.stats.writes == 3  # one per page, and the index recording them
    assert outcomes(report) == {"Guide": "published", "Install": "published"}
    assert reader_sees(live_confluence) == ["DOC Home", "Guide", "Install"]
    assert live_confluence.outline() == "DOC Home\n  Guide\n    Install"
    assert live_confluence.page("DOC", "Install").body == "<p>Install, final</p>"
    assert report.summary() == "Published to space DOC: 2 drafts published"
    live_confluence.stats.reset()
    assert publish(docs(site, install="<p>Install, final</p>")).plan.writes == 0
    assert live_confluence.stats.writes == 0


def test_new_pages_under_published_ones_are_drafts_and_their_changes_wait(
    site, live_confluence, publish
):
    publish(docs(site))
    version = live_confluence.page("DOC", "Install").version

    report = publish(docs(site, install="<p>Install v2</p>", new=True), draft=True)

    assert outcomes(report) == {"Guide": "unchanged", "Install": "held back", "New page": "drafted"}
    assert live_confluence.page("DOC", "Install").version == version
    assert reader_sees(live_confluence) == ["DOC Home", "Guide", "Install"]
    assert (
        live_confluence.page("DOC", "New page").parent_id == live_confluence.page("DOC", "Guide").id
    )

    report = publish(docs(site, install="<p>Install v2</p>", new=True))

    assert outcomes(report) == {"Guide": "unchanged", "Install": "updated", "New page": "published"}
    assert live_confluence.outline() == "DOC Home\n  Guide\n    Install\n    New page"


def test_a_published_pages_body_change_waits_for_a_run_without_the_option(
    site, live_confluence, publish, caplog
):
    publish(docs(site))
    installed = live_confluence.page("DOC", "Install")

    report = publish(docs(site, install="<p>Install v2</p>"), draft=True)

    assert outcomes(report)["Install"] == "held back"
    [held] = [a for a in report.plan.actions if a.kind == "held"]
    assert held.reasons == ("body",)
    assert live_confluence.page("DOC", "Install").body == installed.body
    assert report.summary() == "Published to space DOC: 1 unchanged, 1 held back (draft mode)"
    assert report.conflicts == ()
    assert (
        "Page 'Install' (install) is published; its changes (body) are held back while draft "
        "is on" in caplog.messages
    )

    report = publish(docs(site, install="<p>Install v2</p>"))

    assert outcomes(report)["Install"] == "updated"
    assert live_confluence.page("DOC", "Install").body == "<p>Install v2</p>"


def test_a_person_editing_our_draft_is_seen_as_for_any_page(site, live_confluence, publish):
    publish(docs(site), draft=True)
    install = live_confluence.page("DOC", "Install")
    live_confluence.store.pages.update(
        install.id,
        version=install.version + 1,
        author_id=live_confluence.human.account_id,
        body="<p>Reviewer's fix</p>",
        status="draft",
    )

    report = publish(docs(site, install="<p>Install, changed</p>"), draft=True)

    assert outcomes(report)["Install"] == "conflict"
    assert live_confluence.page("DOC", "Install").body == "<p>Reviewer's fix</p>"


def test_a_run_that_died_after_creating_drafts_is_healed(site, live_confluence, publish):
    with pytest.raises(ConfluencePublisherError, match="ownership index"):
        publish(docs(site), draft=True, transport=DiesBeforeItsRecord(1))
    space = live_confluence.space("DOC")

    report = publish(docs(site), draft=True)

    assert [a.kind for a in report.plan.actions if a.kind == "create"] == []
    assert len(live_confluence.store.pages.titled(space.id, "Install")) == 1
    live_confluence.stats.reset()
    publish(docs(site), draft=True)
    assert live_confluence.stats.writes == 0


@pytest.mark.parametrize("flavor", ["datacenter"])
def test_data_center_refuses_the_option_naming_it(site, server, publish_to):
    server.stats.reset()
    with pytest.raises(ConfigError, match=r"draft = True: drafts need Confluence Cloud"):
        publish_to(docs(site), draft=True)
    assert server.stats.writes == 0


def test_the_cli_plans_and_publishes_drafts(site, live_confluence, monkeypatch, capsys):
    monkeypatch.setenv("CONFLUENCE_URL", live_confluence.base_url)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    for name in ("CONFLUENCE_PAT", "CONFLUENCE_PARENT"):
        monkeypatch.delenv(name, raising=False)
    bundle = docs(site)

    assert main(["plan", "--draft", str(bundle.root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Plan for space DOC: 2 writes, 0 pages unchanged"
    assert [line.split()[:2] for line in lines[1:]] == [["create", "draft"]] * 2

    assert main(["publish", "--draft", "--json", str(bundle.root)]) == 0
    drafted = json.loads(capsys.readouterr().out)
    assert [(p["title"], p["outcome"]) for p in drafted["pages"]] == [
        ("Guide", "drafted"),
        ("Install", "drafted"),
    ]
    assert main(["publish", "--json", str(bundle.root)]) == 0
    published = json.loads(capsys.readouterr().out)
    assert published["counts"] == {"published": 2}
    assert reader_sees(live_confluence) == ["DOC Home", "Guide", "Install"]


def test_a_draft_carries_its_files_and_keeps_them_when_published(site, live_confluence, publish):
    site.pages.clear()
    site.page("guide", "Guide", "<p>Guide</p>", files=[("logo.png", b"\x89PNG fake")])
    bundle = site.bundle()

    publish(bundle, draft=True)
    guide = live_confluence.page("DOC", "Guide")
    assert guide.status == "draft"
    assert [a.title for a in live_confluence.store.attachments.of(guide.id)] == ["logo.png"]

    report = publish(bundle)

    assert outcomes(report) == {"Guide": "published"}
    assert [a.title for a in live_confluence.store.attachments.of(guide.id)] == ["logo.png"]
    live_confluence.stats.reset()
    publish(bundle)
    assert live_confluence.stats.writes == 0


def test_a_draft_whose_source_left_is_deleted_with_cleanup(site, live_confluence, publish):
    publish(docs(site), draft=True)
    install = live_confluence.page("DOC", "Install")
    site.pages.pop()

    report = publish(site.bundle(), draft=True, cleanup=True)

    assert [(a.kind, a.title, a.draft) for a in report.plan.actions if a.kind == "trash"] == [
        ("trash", "Install", True)
    ]
    assert live_confluence.store.pages.find(install.id) is None  # drafts are never trashed
    live_confluence.stats.reset()
    assert publish(site.bundle(), draft=True, cleanup=True).plan.writes == 0


def test_a_draft_create_answered_503_after_it_landed_is_found_not_made_twice(
    site, live_confluence, publish
):
    live_confluence.faults.server_error(
        status=503, method="POST", path=r"/api/v2/pages$", after_write=True
    )

    report = publish(docs(site), draft=True)

    assert outcomes(report) == {"Guide": "drafted", "Install": "drafted"}
    space = live_confluence.space("DOC")
    assert [p.status for p in live_confluence.store.pages.titled(space.id, "Guide")] == ["draft"]
    live_confluence.stats.reset()
    publish(docs(site), draft=True)
    assert live_confluence.stats.writes == 0


def test_a_new_draft_between_published_siblings_takes_its_place_when_published(
    site, live_confluence, publish
):
    def pages(*titles):
        site.pages.clear()
        site.page("guide", "Guide", "<p>Guide</p>")
        for title in titles:
            site.page(title.lower(), title, f"<p>{title}</p>", parent="guide")
        return site.bundle()

    publish(pages("Alpha", "Gamma"))

    report = publish(pages("Alpha", "Beta", "Gamma"), draft=True)

    assert outcomes(report)["Beta"] == "drafted"
    assert report.result is not None
    assert report.result.failed == []
    assert reader_sees(live_confluence) == ["Alpha", "DOC Home", "Gamma", "Guide"]

    publish(pages("Alpha", "Beta", "Gamma"))

    assert live_confluence.outline() == "DOC Home\n  Guide\n    Alpha\n    Beta\n    Gamma"


def test_titles_swapped_between_published_pages_wait_whole(site, live_confluence, publish):
    def pages(first, second):
        site.pages.clear()
        site.page("a", first, "<p>a</p>")
        site.page("b", second, "<p>b</p>")
        return site.bundle()

    publish(pages("One", "Two"))

    report = publish(pages("Two", "One"), draft=True)

    assert outcomes(report) == {"Two": "held back", "One": "held back"}
    assert live_confluence.outline() == "DOC Home\n  One\n  Two"

    publish(pages("Two", "One"))

    assert live_confluence.outline() == "DOC Home\n  Two\n  One"


def test_many_drafts_are_found_and_one_a_person_deleted_comes_back(site, live_confluence, publish):
    site.pages.clear()
    site.page("guide", "Guide", "<p>Guide</p>")
    for n in range(6):
        site.page(f"p{n}", f"Part {n}", f"<p>{n}</p>", parent="guide")
    bundle = site.bundle()
    publish(bundle, draft=True)
    gone = live_confluence.page("DOC", "Part 3")
    live_confluence.store.pages.trash(gone.id)  # a draft deleted in Confluence

    report = publish(bundle, draft=True)

    assert outcomes(report)["Part 3"] == "drafted"
    assert {t: o for t, o in outcomes(report).items() if t != "Part 3"} == dict.fromkeys(
        ["Guide", *(f"Part {n}" for n in (0, 1, 2, 4, 5))], "unchanged"
    )
    live_confluence.stats.reset()
    publish(bundle, draft=True)
    assert live_confluence.stats.writes == 0
