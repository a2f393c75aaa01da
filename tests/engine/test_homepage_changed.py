"""A space admin makes another page the space's homepage: a project that publishes without a
parent page now reads a page with no index of its own. The run stops before any write, and says
where the pages and the index are and what to set; with that set, nothing is left to do. Cloud
and Data Center, over HTTP."""

from __future__ import annotations

import pytest

from docs_confluence.errors import ConfigError

from .test_ambiguous_writes import EXPECTED, news_site


def new_homepage(server):
    """A person creates "Welcome" and makes it the homepage; returns the old homepage's id."""
    space = server.space()
    welcome = server.store.pages.create(
        space.id, "Welcome", "<p>Hello</p>", author_id=server.human.account_id
    )
    server.store.set_homepage(space.id, welcome.id)
    assert server.space().homepage_id == welcome.id
    return space.homepage_id, welcome.id


@pytest.mark.parametrize("index", ["left on the old homepage", "gone"])
def test_a_changed_homepage_is_named_with_the_fix(site, server, publish_to, index):
    bundle = news_site(site).bundle()
    publish_to(bundle)
    old, new = new_homepage(server)
    if index == "gone":  # someone cleared the old homepage's properties as well
        for prop in server.store.properties.of(old):
            server.store.properties.delete(old, prop.id)
    server.stats.reset()

    with pytest.raises(ConfigError) as caught:
        publish_to(bundle)

    message = str(caught.value)
    says = (
        "the ownership index of project 'demo' is on page"
        if index == "left on the old homepage"
        else "pages this account published ('Home', ...) are under"
    )
    assert f"In space DOC, {says} 'DOC Home' (id {old}), not space DOC's homepage " in message
    assert f"'Welcome' (id {new})" in message
    assert "Was the space's homepage changed?" in message
    assert f"--parent {old} or CONFLUENCE_PARENT={old} (CLI)" in message
    assert f"parent_page: '{old}' (mkdocs.yml)" in message
    assert f"confluence_parent_page = '{old}' (conf.py)" in message
    assert "does not own" not in message
    assert server.stats.writes == 0
    if index == "left on the old homepage":
        server.stats.reset()
        assert publish_to(bundle, parent_page=old).plan.writes == 0
        assert server.stats.writes == 0
    assert server.outline().startswith(EXPECTED)


def test_a_first_publish_beside_a_same_titled_page_is_not_stopped(site, server, publish_to):
    """A page that merely has the title of our top page, under another page with no index of
    ours and no marker of ours, is someone else's: the usual title check speaks, nothing more."""
    space = server.space()
    other = server.store.pages.create(
        space.id, "Elsewhere", "<p>x</p>", author_id=server.human.account_id
    )
    server.store.pages.create(
        space.id, "Home", "<p>theirs</p>", parent_id=other.id, author_id=server.human.account_id
    )

    with pytest.raises(Exception, match="does not own") as caught:
        publish_to(news_site(site).bundle())

    assert not isinstance(caught.value, ConfigError)
