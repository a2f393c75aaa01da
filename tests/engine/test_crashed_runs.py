"""Runs that died before they recorded what they did: whatever they created and wrote is still
recognised as ours by the next run, never blamed on a person and never left behind. Cloud and
Data Center, over HTTP. (Each run first claims the titles it will create in the ownership index;
what such a run loses is the record written after its creates.)"""

from __future__ import annotations

import re

import httpx
import pytest

from docs_confluence.errors import ConfluencePublisherError

INDEX_WRITE = re.compile(r"/propert(y|ies)(/|$)")


class DiesBeforeItsRecord(httpx.HTTPTransport):
    """Lets a run's first *allowed* index writes (its title claim) through, then fails every
    later one before it reaches Confluence: the run's creates and updates land, their record
    does not."""

    def __init__(self, allowed: int) -> None:
        super().__init__()
        self.allowed = allowed

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method in ("PUT", "POST") and INDEX_WRITE.search(request.url.path):
            self.allowed -= 1
            if self.allowed < 0:
                return httpx.Response(500, json={"message": "Internal Server Error"})
        return super().handle_request(request)


def dies(publish_to, bundle, *, claims: int = 1, **options):
    with pytest.raises(ConfluencePublisherError, match="ownership index"):
        publish_to(bundle, transport=DiesBeforeItsRecord(claims), **options)


def home_and(site, body):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    site.page("a", "Page A", body, parent="index")
    return site.bundle()


def test_a_page_two_dead_runs_created_then_rewrote_is_ours_not_a_persons_edit(
    site, server, publish_to
):
    dies(publish_to, home_and(site, "<p>A</p>"))
    dies(publish_to, home_and(site, "<p>A, second</p>"), claims=0)  # nothing new to claim
    assert server.page("DOC", "Page A").version == 2

    report = publish_to(home_and(site, "<p>A, third</p>"))

    assert report.conflicts == ()
    assert server.page("DOC", "Page A").body == "<p>A, third</p>"
    server.stats.reset()
    assert publish_to(home_and(site, "<p>A, third</p>")).plan.writes == 0
    assert server.stats.writes == 0


def test_a_page_a_dead_run_created_whose_source_then_left_is_cleaned_up(site, server, publish_to):
    dies(publish_to, home_and(site, "<p>A</p>"))
    site.pages.pop()
    bundle = site.bundle()

    report = publish_to(bundle, cleanup=True)

    assert ("trash", "Page A") in [(a.kind, a.title) for a in report.plan.actions]
    assert server.outline() == "DOC Home\n  Home"
    server.stats.reset()
    assert publish_to(bundle, cleanup=True).plan.writes == 0
    assert server.stats.writes == 0
    assert server.stats.reads <= 4  # the claim is settled: no listing of the space any more


def test_without_cleanup_it_is_reported_as_no_longer_in_the_docs(site, server, publish_to):
    dies(publish_to, home_and(site, "<p>A</p>"))
    site.pages.pop()

    report = publish_to(site.bundle())

    assert ("orphan", "Page A") in [(a.kind, a.title) for a in report.plan.actions]
    assert "1 no longer in the docs" in report.summary()


def test_a_page_a_person_moved_does_not_drag_its_siblings_along(site, server, publish_to):
    site.page("index", "Home", "<p>Home</p>")
    site.page("s", "Section", "<p>S</p>", parent="index")
    for n in range(3):
        site.page(f"s/{n}", f"Page {n}", f"<p>{n}</p>", parent="s")
    publish_to(site.bundle())
    moved = server.page("DOC", "Page 0")
    server.store.pages.move(moved.id, "append", server.page("DOC", "Home").id)
    # Meanwhile the docs add a page right after the one the person moved away.
    site.pages.insert(3, ("s/0b", "Page 0b", "<p>0b</p>", "s", (), ()))
    bundle = site.bundle()

    report = publish_to(bundle)

    assert [c.title for c in report.conflicts] == ["Page 0"]
    assert server.outline() == (
        "DOC Home\n  Home\n    Section\n      Page 0b\n      Page 1\n      Page 2\n    Page 0"
    )
    server.stats.reset()
    publish_to(bundle)
    assert server.stats.writes == 0
