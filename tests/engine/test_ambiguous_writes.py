"""Writes whose outcome is unknown: Confluence applied them but the answer was an error, late or
lost. Each is found out and finished, by the same run or the next, never resent blindly and
never left for a person to clean up. Cloud and Data Center, over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from docs_confluence.errors import ConfluencePublisherError

if TYPE_CHECKING:
    from collections.abc import Callable

CREATE = {"cloud": r"/api/v2/pages$", "datacenter": r"/rest/api/content$"}
PROPERTY = {"cloud": r"/properties", "datacenter": r"/property"}


def news_site(site):
    site.page("index", "Home", "<p>Home</p>")
    site.page("news", "News", "<p>News</p>", parent="index")
    site.page("news/1", "First story", "<p>one</p>", parent="news")
    site.page("news/2", "Second story", "<p>two</p>", parent="news")
    return site


EXPECTED = "DOC Home\n  Home\n    News\n      First story\n      Second story"


def publish_until_it_holds(publish_to, bundle, runs=2):
    """Publish; a run may report the doubt it could not resolve, the next one must finish."""
    for _ in range(runs - 1):
        try:
            publish_to(bundle)
            break
        except ConfluencePublisherError:
            continue
    return publish_to(bundle)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_create_applied_but_answered_5xx_is_adopted_not_blamed(
    site, server, publish_to, flavor, status
):
    bundle = news_site(site).bundle()
    server.faults.server_error(status=status, method="POST", path=CREATE[flavor], after_write=True)
    server.faults.server_error(
        3, status=status, method="POST", path=CREATE[flavor], after_write=False
    )

    publish_until_it_holds(publish_to, bundle)

    assert server.outline() == EXPECTED
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


def test_a_create_whose_answer_timed_out_is_adopted(site, server, publish_to):
    bundle = news_site(site).bundle()
    server.faults.stall(seconds=1.0, method="POST", path=r"(/pages|/content)$", after_write=True)

    publish_until_it_holds(publish_to, bundle)

    assert server.outline() == EXPECTED


def test_someone_elses_page_with_the_wanted_title_is_never_adopted(site, server, publish_to):
    """Creates answered 502 without being applied (the titles stay claimed), then a person
    takes a claimed title: the page stays theirs and the publish says so."""
    bundle = news_site(site).bundle()
    server.faults.server_error(3, status=502, method="POST", path=r"(/pages|/content)$")
    with pytest.raises(ConfluencePublisherError):
        publish_to(bundle)
    human = server.human
    theirs = server.store.pages.create(
        server.space().id,
        "News",
        "<p>mine</p>",
        parent_id=server.space().homepage_id,
        author_id=human.account_id,
    )

    with pytest.raises(ConfluencePublisherError, match=r"does not own|did not create"):
        publish_to(bundle)

    assert server.page_by_id(theirs.id).body == "<p>mine</p>"
    assert server.page_by_id(theirs.id).version == 1


@pytest.mark.parametrize("fault", ["drop", "502", "504"])
def test_a_lost_answer_to_the_ownership_index_write_is_recognised_as_done(
    site, server, publish_to, flavor, fault
):
    news_site(site)
    publish_to(site.bundle())
    site.page("news/3", "Third story", "<p>three</p>", parent="news")
    bundle = site.bundle()
    for _ in range(2):  # the claim before the create, and the record after it
        if fault == "drop":
            server.faults.drop(method="PUT", path=PROPERTY[flavor], after_write=True)
        else:
            server.faults.server_error(
                status=int(fault), method="PUT", path=PROPERTY[flavor], after_write=True
            )

    publish_to(bundle)

    assert server.outline() == EXPECTED + "\n      Third story"
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


def test_a_lost_answer_to_the_first_index_write_on_cloud(site, live_confluence, publish):
    """On Cloud the first index write is a POST: its outcome is found out, not guessed."""
    bundle = news_site(site).bundle()
    live_confluence.faults.server_error(
        status=502, method="POST", path=r"/properties$", after_write=True
    )

    publish(bundle)

    assert live_confluence.outline() == EXPECTED
    live_confluence.stats.reset()
    assert publish(bundle).plan.writes == 0


def test_labels_added_but_answered_503_are_not_an_error(site, server, publish_to):
    site.page("index", "Home", "<p>Home</p>", labels=["docs", "home"])
    server.faults.server_error(status=503, method="POST", path=r"/label$", after_write=True)

    publish_to(site.bundle())

    assert server.page("DOC", "Home").labels == ("docs", "home")


def test_a_page_a_person_archived_stays_ours_and_is_left_archived(site, server, publish_to):
    news_site(site)
    publish_to(site.bundle())
    news = server.page("DOC", "News")
    server.store.pages.set_status(news.id, "archived")
    site.pages[1] = ("news", "News", "<p>News, changed</p>", "index", (), ())
    bundle = site.bundle()

    report = publish_to(bundle)

    assert [c.title for c in report.conflicts] == ["News"]
    assert "archived" in report.conflicts[0].reason
    after = server.page_by_id(news.id)
    assert (after.status, after.version, after.body) == ("archived", 1, "<p>News</p>")
    assert server.page("DOC", "First story").parent_id == news.id
    server.stats.reset()
    publish_to(bundle)
    assert server.stats.writes == 0


def test_a_page_a_person_moved_is_a_human_edit_kept_then_overwritten(site, server, publish_to):
    news_site(site)
    publish_to(site.bundle())
    story = server.page("DOC", "First story")
    home = server.page("DOC", "Home")
    server.store.pages.move(story.id, "append", home.id)
    bundle = site.bundle()

    report = publish_to(bundle)

    assert [c.title for c in report.conflicts] == ["First story"]
    assert "moved in Confluence" in report.conflicts[0].reason
    assert server.page_by_id(story.id).parent_id == home.id

    publish_to(bundle, on_conflict="overwrite")
    assert server.outline() == EXPECTED


class _OtherPublishFirst(httpx.HTTPTransport):
    """Runs *other* just before the first index-shard POST goes out: another publish of the same
    docs, started at the same moment, creates the shard first."""

    def __init__(self, other: Callable[[], None]) -> None:
        super().__init__()
        self._other: Callable[[], None] | None = other

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._other and request.method == "POST" and request.url.path.endswith("/properties"):
            other, self._other = self._other, None
            other()
        return super().handle_request(request)


def test_two_first_publishes_at_once_merge_the_index_the_other_created(
    site, live_confluence, publish
):
    """Cloud creates the first shard with a POST; the loser's 400 "already has one" is a race,
    merged like a version conflict, not a failed publish."""
    bundle = news_site(site).bundle()
    anchor = live_confluence.space().homepage_id
    theirs = {"format": 1, "pages": {}, "pending": {"news": "News", "index": "Home"}}

    def other_publish() -> None:
        live_confluence.store.properties.create(
            anchor, "docs-confluence.demo.0", theirs, author_id=live_confluence.bot.account_id
        )

    report = publish(bundle, transport=_OtherPublishFirst(other_publish))

    assert report.result is not None
    assert report.result.failed == []
    assert live_confluence.outline() == EXPECTED
    live_confluence.stats.reset()
    assert publish(bundle).plan.writes == 0
    assert live_confluence.stats.writes == 0
