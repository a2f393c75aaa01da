"""Data Center lists a space's pages by offset (``start``), 200 at a time: a page removed or
added between two of those requests shifts the rest, so one page may never be listed. That is
seen (each request starts at the last page of the one before) and the listing is read again,
never taken for a page of ours that is gone or not ours. Data Center, over HTTP."""

from __future__ import annotations

import pytest

from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.publisher import publish_bundle
from docs_confluence.sandbox.paging import V1_MAX_LIMIT
from docs_confluence.testing import SandboxHarness

from .conftest import FAST_RETRY, PAT

LISTING = r"/rest/api/content$"


@pytest.fixture
def dc():
    with SandboxHarness.create(flavor="datacenter").served() as live:
        yield live


@pytest.fixture
def publish_dc(dc):
    def run(bundle):
        config = PublisherConfig.from_mapping({"url": dc.base_url, "space": "DOC"})
        return publish_bundle(bundle, config, credentials=PAT, retry=FAST_RETRY)

    return run


def fill_first_listing_page(dc):
    """Other people's pages, so that the space's first listing page is full and ours start
    the second."""
    space = dc.space()
    there = len(dc.store.pages.all(space_id=space.id))
    for n in range(V1_MAX_LIMIT - there):
        dc.store.pages.create(
            space.id,
            f"Meeting notes {n}",
            "<p>notes</p>",
            parent_id=space.homepage_id,
            author_id=dc.human.account_id,
        )


def docs(site, story="<p>one</p>"):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    site.page("news", "News", "<p>News</p>", parent="index")
    site.page("news/1", "First story", story, parent="news")
    return site.bundle()


@pytest.mark.parametrize("kind", ["remove", "insert"])
def test_a_listing_that_shifts_between_its_pages_is_read_again(site, dc, publish_dc, kind):
    fill_first_listing_page(dc)
    publish_dc(docs(site))
    ours = {p.title: p.id for p in dc.store.pages.all(space_id=dc.space().id)}
    dc.faults.drift(kind=kind, path=LISTING)

    report = publish_dc(docs(site, story="<p>one, again</p>"))

    assert report.ok
    assert report.counts() == {"updated": 1, "unchanged": 2}
    assert dc.faults.pending() == []  # the listing did shift under the publish
    assert dc.page("DOC", "First story").body == "<p>one, again</p>"
    after = {p.title: p.id for p in dc.store.pages.all(space_id=dc.space().id)}
    assert after == ours  # nothing created twice, nothing lost


def test_a_listing_that_keeps_shifting_is_named_not_blamed_on_ownership(site, dc, publish_dc):
    fill_first_listing_page(dc)
    publish_dc(docs(site))
    dc.faults.drift(10, kind="remove", path=LISTING)

    with pytest.raises(ConfluencePublisherError) as caught:
        publish_dc(docs(site, story="<p>one, again</p>"))

    message = str(caught.value)
    assert "list the pages of space DOC: the listing kept changing while it was read" in message
    assert "own" not in message
    assert dc.page("DOC", "First story").body == "<p>one</p>"
