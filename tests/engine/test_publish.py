"""The publisher end to end: real client, real sandbox over HTTP, assertions on the site."""

from __future__ import annotations

import math

import httpx
import pytest

from docs_confluence.errors import NetworkError, PublishError
from docs_confluence.sandbox import normalise

from .conftest import BOT


def three_level_site(site, pages=3):
    site.page("index", "Home", "<p>Welcome</p>")
    site.page("guide", "Guide", "<p>Guide</p>", parent="index")
    for n in range(pages):
        site.page(f"guide/{n}", f"Step {n}", f"<p>Step <b>{n}</b></p>", parent="guide")
    site.page("faq", "FAQ", "<p>Questions</p>", parent="index", labels=["faq"])
    return site


def test_first_publish_creates_the_tree_in_bundle_order(site, publish, live_confluence):
    publish(three_level_site(site).bundle())
    assert live_confluence.outline() == "\n".join(
        [
            "DOC Home",
            "  Home",
            "    Guide",
            "      Step 0",
            "      Step 1",
            "      Step 2",
            "    FAQ",
        ]
    )
    assert live_confluence.page("DOC", "FAQ").labels == ("faq",)


def test_unchanged_republish_writes_nothing_in_a_handful_of_reads(site, publish, live_confluence):
    bundle = three_level_site(site, pages=40).bundle()
    publish(bundle)
    versions = {
        p.title: p.version
        for p in live_confluence.children(live_confluence.page("DOC", "Guide").id)
    }
    live_confluence.stats.reset()

    report = publish(bundle)

    assert live_confluence.stats.writes == 0
    assert live_confluence.stats.reads <= math.ceil(len(bundle.pages) / 250) + 5
    assert report.plan.count("keep") == len(bundle.pages)
    guide = live_confluence.page("DOC", "Guide")
    assert {p.title: p.version for p in live_confluence.children(guide.id)} == versions


def test_one_changed_page_costs_one_update(site, publish, live_confluence):
    three_level_site(site, pages=10)
    publish(site.bundle())
    site.pages[3] = ("guide/1", "Step 1", "<p>Step one, revised</p>", "guide", (), ())
    live_confluence.stats.reset()

    publish(site.bundle())

    assert live_confluence.stats.writes == 2  # the update, and the index recording what it left
    assert live_confluence.stats.count("PUT /api/v2/pages/{id}") == 1
    assert live_confluence.stats.count("PUT /api/v2/pages/{id}/properties/{pid}") == 1
    page = live_confluence.page("DOC", "Step 1")
    assert (page.version, page.body) == (2, "<p>Step one, revised</p>")
    assert live_confluence.page("DOC", "Step 2").version == 1


def test_renamed_and_moved_pages_keep_their_ids_and_order_follows_the_bundle(
    site, publish, live_confluence
):
    three_level_site(site)
    publish(site.bundle())
    before = {t: live_confluence.page("DOC", t).id for t in ("Step 0", "Step 1", "FAQ")}

    site.pages[2] = ("guide/0", "First step", "<p>Step <b>0</b></p>", "guide", (), ())
    faq = site.pages.pop()
    site.pages.insert(2, (faq[0], faq[1], faq[2], "guide", faq[4], faq[5]))  # FAQ moves under Guide
    site.pages[3], site.pages[4] = site.pages[4], site.pages[3]  # Step 1 before First step
    publish(site.bundle())

    assert live_confluence.page("DOC", "First step").id == before["Step 0"]
    assert live_confluence.page("DOC", "FAQ").id == before["FAQ"]
    assert live_confluence.page("DOC", "Step 1").id == before["Step 1"]
    assert live_confluence.outline() == "\n".join(
        [
            "DOC Home",
            "  Home",
            "    Guide",
            "      FAQ",
            "      Step 1",
            "      First step",
            "      Step 2",
        ]
    )
    assert live_confluence.page("DOC", "FAQ").version == 1  # a move is not a new version


def test_title_of_a_page_we_do_not_own_is_an_error_and_nothing_is_written(
    site, publish, live_confluence
):
    with live_confluence.client(auth="human") as alice:
        home = live_confluence.space().homepage_id
        space_id = live_confluence.space().id
        alice.post(
            "/api/v2/pages",
            json={
                "spaceId": space_id,
                "title": "faq",
                "parentId": home,
                "body": {"representation": "storage", "value": "<p>Alice's</p>"},
            },
        ).raise_for_status()
    live_confluence.stats.reset()

    with pytest.raises(PublishError) as caught:
        publish(three_level_site(site).bundle())

    assert "already has a page titled 'faq'" in str(caught.value)
    assert "'FAQ' (faq)" in str(caught.value)
    assert live_confluence.stats.writes == 0
    assert live_confluence.page("DOC", "faq").body == "<p>Alice's</p>"


def test_pages_we_do_not_own_are_never_touched_even_with_cleanup(site, publish, live_confluence):
    three_level_site(site)
    publish(site.bundle())
    guide = live_confluence.page("DOC", "Guide")
    with live_confluence.client(auth="human") as alice:
        alice.post(
            "/api/v2/pages",
            json={
                "spaceId": live_confluence.space().id,
                "title": "Alice notes",
                "parentId": guide.id,
                "body": {"representation": "storage", "value": "<p>mine</p>"},
            },
        ).raise_for_status()
    site.pages = [p for p in site.pages if not p[0].startswith("guide/")]

    publish(site.bundle(), cleanup=True)

    notes = live_confluence.page("DOC", "Alice notes")
    assert (notes.status, notes.version) == ("current", 1)
    assert [p.title for p in live_confluence.children(guide.id)] == ["Alice notes"]


def test_human_edit_is_kept_and_reported_by_default(site, publish, live_confluence):
    three_level_site(site)
    publish(site.bundle())
    faq = live_confluence.page("DOC", "FAQ")
    live_confluence.edit_as_human(faq.id, "<p>Edited by Alice</p>")
    site.pages[-1] = ("faq", "FAQ", "<p>New questions</p>", "index", ("faq",), ())

    report = publish(site.bundle())

    assert [c.title for c in report.conflicts] == ["FAQ"]
    assert live_confluence.page("DOC", "FAQ").body == "<p>Edited by Alice</p>"


def test_human_edit_can_be_overwritten_or_fail_the_publish(site, publish, live_confluence):
    three_level_site(site)
    publish(site.bundle())
    faq = live_confluence.page("DOC", "FAQ")
    live_confluence.edit_as_human(faq.id, "<p>Edited by Alice</p>")
    site.pages[-1] = ("faq", "FAQ", "<p>New questions</p>", "index", ("faq",), ())
    live_confluence.stats.reset()

    with pytest.raises(PublishError, match=r"'FAQ'.*was edited in Confluence"):
        publish(site.bundle(), on_conflict="fail")
    assert live_confluence.stats.writes == 0

    publish(site.bundle(), on_conflict="overwrite")
    assert live_confluence.page("DOC", "FAQ").body == "<p>New questions</p>"
    assert publish(site.bundle()).conflicts == ()  # our overwrite is ours again


def test_removed_pages_are_reported_then_trashed_with_cleanup(site, publish, live_confluence):
    three_level_site(site)
    publish(site.bundle())
    site.pages.pop()  # FAQ leaves the docs

    report = publish(site.bundle())
    assert [a.title for a in report.plan.actions if a.kind == "orphan"] == ["FAQ"]
    assert live_confluence.page("DOC", "FAQ").status == "current"

    publish(site.bundle(), cleanup=True)
    assert live_confluence.page("DOC", "FAQ").status == "trashed"


def test_attachments_are_uploaded_only_when_their_content_changed(site, publish, live_confluence):
    site.page("index", "Home", "<p>x</p>", files=[("a.png", b"A1"), ("b.png", b"B1")])
    publish(site.bundle())
    live_confluence.stats.reset()
    publish(site.bundle())
    assert live_confluence.stats.writes == 0

    site.pages[0] = ("index", "Home", "<p>x</p>", None, (), (("a.png", b"A2"), ("b.png", b"B1")))
    live_confluence.stats.reset()
    publish(site.bundle())
    assert live_confluence.stats.routes == {
        **{k: v for k, v in live_confluence.stats.routes.items() if k.startswith("GET")},
        "PUT /rest/api/content/{id}/child/attachment": 1,
        "PUT /api/v2/pages/{id}/properties/{pid}": 1,
    }


class DyingNetwork(httpx.HTTPTransport):
    """Real HTTP until the N-th write: that one reaches the server, then the process dies
    (KeyboardInterrupt) or the network goes away for good (every later request fails)."""

    def __init__(self, fatal_write, death):
        super().__init__()
        self.writes = 0
        self.fatal_write = fatal_write
        self.death = death
        self.dead = False

    def handle_request(self, request):
        if self.dead:
            raise httpx.ConnectError("network is unreachable", request=request)
        if request.method != "GET":
            self.writes += 1
            if self.writes == self.fatal_write:
                super().handle_request(request).close()
                self.dead = True
                if self.death == "killed":
                    raise KeyboardInterrupt
                raise httpx.ReadError("connection reset by peer", request=request)
        return super().handle_request(request)


@pytest.mark.parametrize("death", ["killed", "network gone"])
@pytest.mark.parametrize("fatal_write", [1, 2, 3, 5, 8, 11, 13])
def test_an_interrupted_publish_is_completed_by_the_next_run(
    site, publish, live_confluence, fatal_write, death
):
    three_level_site(site, pages=4)
    site.page("faq/more", "More", "<p>more</p>", parent="faq", files=[("m.png", b"M")])
    bundle = site.bundle()

    with pytest.raises((PublishError, NetworkError, KeyboardInterrupt)):
        publish(bundle, transport=DyingNetwork(fatal_write, death), concurrency=1)
    publish(bundle)

    assert live_confluence.outline() == "\n".join(
        [
            "DOC Home",
            "  Home",
            "    Guide",
            "      Step 0",
            "      Step 1",
            "      Step 2",
            "      Step 3",
            "    FAQ",
            "      More",
        ]
    )
    for page in bundle.pages:
        assert live_confluence.page("DOC", page.title).body == normalise(bundle.read_body(page))
    live_confluence.stats.reset()
    assert publish(bundle).plan.writes == 0
    assert live_confluence.stats.writes == 0


def test_rate_limits_and_server_errors_are_waited_out(site, publish, live_confluence):
    live_confluence.faults.rate_limit(2, retry_after=0.2)
    live_confluence.faults.server_error(1, status=503, retry_after=0.1)
    publish(three_level_site(site).bundle())
    assert live_confluence.page("DOC", "Step 2").version == 1


def test_publishes_under_a_configured_parent_page_by_title(site, publish, live_confluence):
    site.page("index", "Home", "<p>x</p>")
    publish(site.bundle(), parent_page="DOC Home")
    with pytest.raises(Exception, match="no page with this exact title in space DOC"):
        publish(site.bundle(), parent_page="Nope")


def test_wrong_credentials_fail_clearly_without_leaking_the_token(site, publish, caplog):
    from docs_confluence.auth.credentials import Credentials

    wrong = Credentials("token", BOT.user, "wrong-secret-value")
    with pytest.raises(Exception, match="401") as caught:
        publish(three_level_site(site).bundle(), credentials=wrong)
    assert "CONFLUENCE_USER/CONFLUENCE_API_TOKEN" in str(caught.value)
    assert "wrong-secret-value" not in str(caught.value) + caplog.text


def test_overwrite_replaces_a_human_edit_even_when_the_docs_did_not_change(
    site, publish, live_confluence
):
    three_level_site(site)
    publish(site.bundle())
    faq = live_confluence.page("DOC", "FAQ")
    live_confluence.edit_as_human(faq.id, "<p>Edited by Alice</p>")

    report = publish(site.bundle(), on_conflict="overwrite")

    assert [a.kind for a in report.plan.actions if a.key == "faq"] == ["update"]
    assert live_confluence.page("DOC", "FAQ").body == "<p>Questions</p>"


def test_a_project_named_like_the_prefix_of_another_never_touches_its_pages(
    site, publish, live_confluence
):
    site.page("index", "Internal home", "<p>internal</p>")
    site.page("secret", "Internal notes", "<p>notes</p>", parent="index")
    publish(site.bundle(project="acme.internal"))
    other = type(site)(site.root / "acme")
    other.page("index", "Acme home", "<p>acme</p>")

    publish(other.bundle(project="acme"), cleanup=True)

    assert live_confluence.page("DOC", "Internal home").body == "<p>internal</p>"
    assert live_confluence.page("DOC", "Internal notes").status == "current"
    assert live_confluence.outline() == "DOC Home\n  Internal home\n    Internal notes\n  Acme home"
