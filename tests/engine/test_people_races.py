"""A person moving one of our pages while a publish updates it: an update that moves nothing
carries no parent, so the person's move stays and the next run reports it. On Data Center a
server may put a page updated without ``ancestors`` at the space root (some older ones do,
unconfirmed which): the publisher puts it back in its place. Over HTTP."""

from __future__ import annotations

import pytest

from docs_confluence.config import PublisherConfig
from docs_confluence.publisher import publish_bundle
from docs_confluence.sandbox import SandboxStore
from docs_confluence.testing import SandboxHarness

from .conftest import FAST_RETRY, PAT, writes_nothing


def sections(site, words="a"):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    for n in range(2):
        site.page(f"s{n}", f"Section {n}", f"<p>{n}</p>", parent="index")
        for letter in "abc":
            site.page(f"s{n}/{letter}", f"Page {n}{letter}", f"<p>{words}</p>", parent=f"s{n}")
    return site.bundle()


def test_a_move_made_between_our_read_and_our_update_stays_and_is_reported(
    site, server, publish_to
):
    publish_to(sections(site))
    page = server.page("DOC", "Page 0b")
    target = server.page("DOC", "Section 1")
    bundle = sections(site, words="new words")

    def move_it():  # a person drags the page away while the publish is running
        server.store.pages.move(page.id, "append", target.id)

    server.faults.interpose(move_it, method="PUT", path=rf"/(pages|content)/{page.id}$")
    report = publish_to(bundle)

    assert report.failed == ()
    assert server.faults.pending() == []  # the update did meet the move
    moved = server.page_by_id(page.id)
    assert (moved.parent_id, moved.body) == (target.id, "<p>new words</p>")

    again = publish_to(bundle)

    [conflict] = again.conflicts
    assert conflict.title == "Page 0b"
    assert conflict.reason.startswith(f"moved in Confluence (now under page {target.id}")
    assert server.page_by_id(page.id).parent_id == target.id
    assert writes_nothing(server, publish_to, bundle)


@pytest.fixture(params=[False, True], ids=["keeps-parent", "to-root"])
def datacenter(request):
    store = SandboxStore(v1_update_without_ancestors_to_root=request.param)
    with SandboxHarness.create(flavor="datacenter", store=store).served() as live:
        yield live


def test_an_update_in_place_leaves_the_page_where_it_is_on_every_data_center(site, datacenter):
    def publish(bundle):
        config = PublisherConfig.from_mapping({"url": datacenter.base_url, "space": "DOC"})
        return publish_bundle(bundle, config, credentials=PAT, retry=FAST_RETRY)

    publish(sections(site))
    before = datacenter.outline()
    bundle = sections(site, words="new words")

    report = publish(bundle)

    assert report.failed == ()
    assert datacenter.outline() == before
    assert datacenter.page("DOC", "Page 1c").body == "<p>new words</p>"
    again = publish(bundle)
    assert (again.conflicts, again.plan.writes) == ((), 0)
