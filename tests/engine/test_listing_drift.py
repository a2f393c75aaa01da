"""Data Center lists a space's pages by offset (``start``), 200 at a time: a page removed or
added between two of those requests shifts the rest, so one page may never be listed. That is
seen (each request starts at the last page of the one before) and the listing is read again,
never taken for a page of ours that is gone or not ours. Data Center, over HTTP."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.publisher import publish_bundle
from docs_confluence.rest import v1 as v1_module
from docs_confluence.rest.client import ConfluenceClient
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


@settings(max_examples=40, deadline=None)
@given(
    pages=st.integers(min_value=0, max_value=24),
    shifts=st.lists(st.sampled_from(["remove", "insert"]), max_size=2),
)
def test_every_page_is_listed_once_however_the_listing_shifts(pages, shifts):
    """A property over the class: any space, any listing page size, any shifts between its
    pages (each arms the next later page of the listing): every page once, none missing."""
    harness = SandboxHarness.create(flavor="datacenter")
    space = harness.space()
    for n in range(pages):
        harness.store.pages.create(
            space.id, f"Page {n}", "<p>x</p>", author_id=harness.human.account_id
        )
    for kind in shifts:
        harness.faults.drift(kind=kind, path=LISTING)
    client = ConfluenceClient(
        harness.base_url, auth=PAT.auth(), cloud=False, transport=harness.transport
    )
    limit = v1_module._V1_PAGE_LIMIT
    v1_module._V1_PAGE_LIMIT = 4  # small listing pages: many boundaries to shift
    try:
        listed = [page.id for page in client.list_space_pages(client.get_space("DOC"))]
    finally:
        v1_module._V1_PAGE_LIMIT = limit

    assert sorted(listed) == sorted(p.id for p in harness.store.pages.all(space_id=space.id))
    assert len(listed) == len(set(listed))
