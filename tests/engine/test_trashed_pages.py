"""Pages of ours in the trash: still ours. The docs still have one: it is restored, keeping its
id (re-creating it would collide with its title on sites that keep trashed titles reserved). The
docs dropped it: it is left in the trash, still recorded, so it comes back if they want it
again. Cloud and Data Center, both kinds of site, over HTTP."""

from __future__ import annotations

import pytest

from docs_confluence.sandbox import SandboxStore
from docs_confluence.testing import SandboxHarness

from .conftest import writes_nothing


@pytest.fixture(params=[False, True], ids=["titles-freed", "titles-reserved"])
def server(request, flavor):
    store = SandboxStore(trashed_titles_reserved=request.param)
    with SandboxHarness.create(flavor=flavor, store=store).served() as live:
        yield live


def guide(site):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    site.page("guide", "Guide", "<p>Guide</p>", parent="index")
    site.page("guide/install", "Install", "<p>Install</p>", parent="guide")
    return site


EXPECTED = "DOC Home\n  Home\n    Guide\n      Install"


def test_a_page_a_person_trashed_is_restored_with_its_id(site, server, publish_to):
    bundle = guide(site).bundle()
    publish_to(bundle)
    page = server.page("DOC", "Install")
    server.store.pages.trash(page.id)

    report = publish_to(bundle)

    (update,) = [a for a in report.plan.actions if a.writes]
    assert (update.kind, update.reasons) == ("update", ("restore from the trash",))
    assert server.outline() == EXPECTED
    restored = server.page("DOC", "Install")
    assert (restored.id, restored.body) == (page.id, "<p>Install</p>")
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


def test_a_page_cleanup_trashed_comes_back_when_the_docs_want_it_again(site, server, publish_to):
    publish_to(guide(site).bundle())
    page = server.page("DOC", "Install")
    site.pages.pop()
    publish_to(site.bundle(), cleanup=True)
    assert server.outline() == "DOC Home\n  Home\n    Guide"
    # The file comes back under another name: its title finds the page in the trash.
    site.page("guide/setup", "Install", "<p>Install, again</p>", parent="guide")
    bundle = site.bundle()

    publish_to(bundle, cleanup=True)

    assert server.outline() == EXPECTED
    restored = server.page("DOC", "Install")
    assert (restored.id, restored.body) == (page.id, "<p>Install, again</p>")
    server.stats.reset()
    assert publish_to(bundle, cleanup=True).plan.writes == 0
    assert server.stats.writes == 0


def test_a_trashed_page_the_docs_dropped_is_left_in_the_trash(site, server, publish_to):
    publish_to(guide(site).bundle())
    page = server.page("DOC", "Install")
    server.store.pages.trash(page.id)
    site.pages.pop()
    bundle = site.bundle()

    report = publish_to(bundle)

    assert [a.kind for a in report.plan.actions] == ["keep", "keep"]
    assert server.page_by_id(page.id).status == "trashed"
    server.stats.reset()
    publish_to(bundle)
    assert server.stats.writes == 0


def test_a_restored_page_takes_its_place_among_its_siblings(site, server, publish_to):
    guide(site)
    site.page("guide/use", "Use", "<p>Use</p>", parent="guide")
    bundle = site.bundle()
    publish_to(bundle)
    server.store.pages.trash(server.page("DOC", "Install").id)

    publish_to(bundle)

    assert server.outline() == EXPECTED + "\n      Use"
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


def test_a_trashed_parent_comes_back_with_its_children_under_it(site, server, publish_to):
    bundle = guide(site).bundle()
    publish_to(bundle)
    server.store.pages.trash(server.page("DOC", "Guide").id)
    assert server.outline() == "DOC Home\n  Home\n    Install"  # Confluence moved it up

    report = publish_to(bundle)

    assert report.conflicts == ()
    assert server.outline() == EXPECTED
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


def test_a_live_page_takes_the_title_of_a_page_of_ours_in_the_trash(site, server, publish_to):
    guide(site)
    site.page("guide/setup", "Setup", "<p>Setup</p>", parent="guide")
    publish_to(site.bundle())
    old = server.page("DOC", "Install")
    site.pages = [p for p in site.pages if p[0] != "guide/install"]
    publish_to(site.bundle(), cleanup=True)  # Install goes to the trash
    site.pages[-1] = ("guide/setup", "Install", "<p>Setup, now Install</p>", "guide", (), ())
    bundle = site.bundle()

    publish_to(bundle, cleanup=True)

    assert server.outline() == EXPECTED
    assert server.page("DOC", "Install").body == "<p>Setup, now Install</p>"
    assert server.page_by_id(old.id).status == "trashed"
    assert writes_nothing(server, publish_to, bundle, cleanup=True)


def test_a_trashed_page_comes_back_even_when_its_title_moves_to_another_page(
    site, server, publish_to
):
    site.page("index", "Home", "<p>Home</p>")
    site.page("a", "Alpha", "<p>A</p>", parent="index")
    site.page("b", "Beta", "<p>B</p>", parent="index")
    publish_to(site.bundle())
    alpha = server.page("DOC", "Alpha")
    server.store.pages.trash(alpha.id)
    site.pages[1] = ("a", "Beta", "<p>A</p>", "index", (), ())  # the two titles swap
    site.pages[2] = ("b", "Alpha", "<p>B</p>", "index", (), ())
    bundle = site.bundle()

    publish_to(bundle)

    assert server.outline() == "DOC Home\n  Home\n    Beta\n    Alpha"
    assert server.page("DOC", "Beta").id == alpha.id
    assert server.page_by_id(alpha.id).status == "current"
    assert writes_nothing(server, publish_to, bundle)
