"""The ownership index records what each of our writes left (version, body sha, parent), so
everything that compares with "our last publish" compares with our last write: a run that stopped
after some write and before its index save leaves the next run healthy, ``edits`` shows only a
person's change, and ``--on-conflict overwrite`` clears every conflict it is advised for.
Cloud and Data Center, real client, sandbox over HTTP."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import pytest

from docs_confluence.errors import ConfluencePublisherError

from .test_review import cli, edit_through_the_api, move_through_the_api

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["cli"]  # the fixture, shared with test_review

INDEX_WRITE = re.compile(r"/propert(y|ies)(/|$)")

BEFORE = "DOC Home\n  Home\n    Guide\n      Step 0\n      Step 1\n      Step 2\n    FAQ\n      Q"
AFTER = "DOC Home\n  Home\n    Guide\n      Step 0\n      Step 2\n    FAQ\n      Q\n      Step 1"


def guide(site, *, reorganised=False):
    """A small site; *reorganised*, the nav moves Step 1 from Guide to FAQ and Step 0 and
    Step 1 get new text (a move and two updates, no create)."""
    site.pages = []
    site.page("index", "Home", "<p>Home</p>")
    site.page("guide", "Guide", "<p>Guide</p>", parent="index")
    site.page("guide/0", "Step 0", "<p>Zero, new.</p>" if reorganised else "<p>Zero.</p>", "guide")
    if not reorganised:
        site.page("guide/1", "Step 1", "<p>One.</p>", parent="guide")
    site.page("guide/2", "Step 2", "<p>Two.</p>", parent="guide")
    site.page("faq", "FAQ", "<p>FAQ</p>", parent="index")
    site.page("faq/q", "Q", "<p>Q.</p>", parent="faq")
    if reorganised:
        site.page("guide/1", "Step 1", "<p>One, moved.</p>", parent="faq")
    return site.bundle()


class StopsAtTheIndexSave(httpx.HTTPTransport):
    """Real HTTP until the run's first index write after a page write (or, with *after*, its
    first write of any kind once *after* page writes went through): then *stop* decides what
    happens instead (the run is killed, Confluence refuses the write, or another publish runs
    first)."""

    def __init__(
        self, stop: Callable[[httpx.Request], httpx.Response | None], after: int | None = None
    ) -> None:
        super().__init__()
        self.stop: Callable[[httpx.Request], httpx.Response | None] | None = stop
        self.after = after
        self.page_writes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        index_write = request.method in ("PUT", "POST") and bool(
            INDEX_WRITE.search(request.url.path)
        )
        if index_write and not self.page_writes:
            # Before any page write (a run that reorders saves the index first): goes through.
            return super().handle_request(request)
        if request.method != "GET" and not index_write:
            self.page_writes += 1
        if self.after is not None and request.method != "GET":
            if self.after > 0:
                self.after -= 1
                return super().handle_request(request)
            index_write = True
        if index_write and self.stop is not None:
            answer = self.stop(request)
            if answer is not None:
                return answer  # every index write of this run gets it
            self.stop = None
        return super().handle_request(request)


def killed(request: httpx.Request) -> httpx.Response:
    raise KeyboardInterrupt  # Ctrl-C, a cancelled job, SIGKILL: the write never goes out


def refused(status: int) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"statusCode": status, "message": "refused"})

    return answer


STOPS = [
    "killed after its first page write",
    "killed",
    "401",
    "403",
    "503",
    "another publish of the same commit",
]


def page_writes(server) -> dict[str, int]:
    """The write requests since the last reset that were not index writes."""
    return {
        route: count
        for route, count in server.stats.routes.items()
        if not route.startswith("GET") and "propert" not in route
    }


@pytest.mark.parametrize("stop", STOPS)
def test_a_run_that_stops_before_its_index_save_leaves_the_next_run_healthy(
    site, server, publish_to, stop
):
    publish_to(guide(site))
    assert server.outline() == BEFORE
    bundle = guide(site, reorganised=True)
    others = []

    def another_publish(request: httpx.Request) -> None:
        others.append(publish_to(bundle))  # it reads the space between our writes and our save

    how = {
        "killed after its first page write": killed,
        "killed": killed,
        "401": refused(401),
        "403": refused(403),
        "503": refused(503),
        "another publish of the same commit": another_publish,
    }[stop]
    if stop.startswith("another"):
        publish_to(bundle, transport=StopsAtTheIndexSave(how))
        assert len(others) == 1
    else:
        with pytest.raises((ConfluencePublisherError, KeyboardInterrupt)):
            publish_to(bundle, transport=StopsAtTheIndexSave(how, 1 if "first" in stop else None))
    left = 1 if "first" in stop else 0  # page writes the stopped run did not make
    assert server.outline() == AFTER  # the move landed (and the updates, but for what is left)
    for other in others:  # the second job saw only its own docs' writes: nobody's move
        assert other.conflicts == ()
        assert other.ok

    server.stats.reset()
    report = publish_to(bundle)

    assert report.conflicts == ()
    assert report.ok
    assert report.plan.writes == left
    assert sum(page_writes(server).values()) == left  # and the index record left to write
    assert server.outline() == AFTER
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0
    # What the index recorded is our last write: a person's edit now compares with it.
    server.edit_as_human(server.page("DOC", "Step 1").id, "<p>One, moved, and edited.</p>")
    [conflict] = publish_to(bundle).conflicts
    assert conflict.reason == "edited in Confluence (version 3) since our last publish (version 2)"


def sections(site, *, reorganised=False):
    """A nav reorganisation with every kind of write: a new section (its title claimed, then
    created and placed before FAQ), a page moved into it, one moved and rewritten, one
    rewritten in place and given a file, one labelled."""
    site.pages = []
    site.page("index", "Home", "<p>Home</p>")
    site.page("guide", "Guide", "<p>Guide</p>", parent="index")
    if reorganised:
        site.page("guide/0", "Step 0", "<p>Zero, new.</p>", "guide", files=[("z.png", b"Z")])
        site.page("guide/1", "Step 1", "<p>One.</p>", parent="guide", labels=("steps",))
    else:
        site.page("guide/0", "Step 0", "<p>Zero.</p>", parent="guide")
        site.page("guide/1", "Step 1", "<p>One.</p>", parent="guide")
    if reorganised:
        site.page("more", "More steps", "<p>More</p>", parent="index")
        site.page("guide/3", "Step 3", "<p>Three.</p>", parent="more")
        site.page("guide/2", "Step 2", "<p>Two, moved.</p>", parent="more")
    else:
        site.page("guide/2", "Step 2", "<p>Two.</p>", parent="guide")
        site.page("guide/3", "Step 3", "<p>Three.</p>", parent="guide")
    site.page("faq", "FAQ", "<p>FAQ</p>", parent="index")
    return site.bundle()


SECTIONS = (
    "DOC Home\n  Home\n    Guide\n      Step 0\n      Step 1\n    More steps\n      Step 3\n"
    "      Step 2\n    FAQ"
)


class KilledAfter(httpx.HTTPTransport):
    """Real HTTP until the *fatal*-th write has reached Confluence: then the run is killed.
    Counts the page writes (not index writes; label adds apart) that went through."""

    def __init__(self, fatal: int) -> None:
        super().__init__()
        self.fatal = fatal
        self.page_writes = 0
        self.labels = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return super().handle_request(request)
        self.fatal -= 1
        answer = super().handle_request(request)
        if request.url.path.endswith("/label"):
            self.labels += 1
        elif not INDEX_WRITE.search(request.url.path):
            self.page_writes += 1
        if self.fatal == 0:
            answer.close()
            raise KeyboardInterrupt
        return answer


#: The reorganisation's writes, one by one: the claim of "More steps", its create, Step 3's
#: move, Step 2's update (with its move), Step 0's update, the index save, the placing of
#: "More steps" before FAQ, Step 0's file, Step 1's label, the last index save.
REORGANISATION_WRITES = 10
PAGE_WRITES = 6  # label adds apart


@pytest.mark.parametrize("fatal", range(1, REORGANISATION_WRITES + 1))
def test_a_run_killed_after_any_write_leaves_each_write_done_once(site, server, publish_to, fatal):
    publish_to(sections(site), concurrency=1)
    bundle = sections(site, reorganised=True)
    killer = KilledAfter(fatal)
    with pytest.raises(KeyboardInterrupt):
        publish_to(bundle, transport=killer, concurrency=1)
    server.stats.reset()

    report = publish_to(bundle, concurrency=1)

    assert report.conflicts == ()
    assert report.ok
    assert server.outline() == SECTIONS
    healing = page_writes(server)
    labels = sum(count for route, count in healing.items() if route.endswith("/label"))
    assert killer.page_writes + sum(healing.values()) - labels == PAGE_WRITES
    # A label the killed run added may be added again (harmless: a page holds a label once):
    # the plan knows our labels from the index only, which spares reading every page's labels.
    assert 1 <= killer.labels + labels <= 2
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


# -- edits and conflict messages name our last write -----------------------------------------


def two_publishes(site, cli):
    """Install published twice by us: version 1, then version 2."""
    from .test_review import docs

    assert cli(["publish", str(docs(site).root)]) == 0
    second = docs(site, install="<p>Run the installer.</p><p>Then restart it.</p>")
    assert cli(["publish", str(second.root)]) == 0
    return second


def test_edits_after_two_publishes_shows_only_the_persons_change(site, server, flavor, cli, capsys):
    bundle = two_publishes(site, cli)
    body = "<p>Run the installer.</p><p>Then restart it.</p><p>Alice was here.</p>"
    edit_through_the_api(server, flavor, "Install", body=body)
    capsys.readouterr()

    assert cli(["edits", str(bundle.root)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("(version 3; we published version 2)")
    assert [line for line in lines if line.startswith(("    + ", "    - "))] == [
        "    + Alice was here."
    ]


def test_a_persons_revert_of_our_last_change_is_a_change(site, server, flavor, cli, capsys):
    bundle = two_publishes(site, cli)
    edit_through_the_api(
        server, flavor, "Install", body="<p>Run the installer.</p><p>Then restart.</p>"
    )
    capsys.readouterr()

    assert cli(["edits", str(bundle.root)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("(version 3; we published version 2)")
    assert [line for line in lines if line.startswith(("    + ", "    - "))] == [
        "    - Then restart it.",
        "    + Then restart.",
    ]
    # The publish leaves it alone and says so, naming the versions as they are.
    assert cli(["publish", str(bundle.root)]) == 1
    err = capsys.readouterr().err
    assert "edited in Confluence (version 3) since our last publish (version 2)" in err
    assert "See who changed what" in err
    assert server.page("DOC", "Install").body == "<p>Run the installer.</p><p>Then restart.</p>"


# -- --on-conflict overwrite clears what it is advised for --------------------------------------


def edit_body(server, flavor):
    edit_through_the_api(server, flavor, "Install", body="<p>Alice's text.</p>")


def revert(server, flavor):
    edit_through_the_api(
        server, flavor, "Install", body="<p>Run the installer.</p><p>Then restart.</p>"
    )


def rename(server, flavor):
    edit_through_the_api(server, flavor, "Install", new_title="Installing")


def move(server, flavor):
    move_through_the_api(server, "Install", under="Usage")


def edit_and_move(server, flavor):
    edit_body(server, flavor)
    move(server, flavor)


PEOPLE = {
    "edits the body": edit_body,
    "reverts our last change": revert,
    "renames it": rename,
    "moves it": move,
    "edits and moves it": edit_and_move,
}


@pytest.mark.parametrize("person", list(PEOPLE))
def test_overwrite_clears_each_conflict_it_is_advised_for(
    site, server, flavor, cli, capsys, person
):
    bundle = two_publishes(site, cli)
    PEOPLE[person](server, flavor)
    capsys.readouterr()
    assert cli(["publish", str(bundle.root)]) == 1
    assert "Re-run with --on-conflict overwrite" in capsys.readouterr().err

    assert cli(["publish", "--on-conflict", "overwrite", str(bundle.root)]) == 0

    install = server.page("DOC", "Install")
    assert install.body == "<p>Run the installer.</p><p>Then restart it.</p>"
    assert install.parent_id == server.page("DOC", "Home").id
    capsys.readouterr()
    assert cli(["publish", str(bundle.root)]) == 0
    assert "left alone" not in capsys.readouterr().err
    assert cli(["edits", str(bundle.root)]) == 0
    assert capsys.readouterr().out.startswith("No page of ours")


@pytest.mark.parametrize("stop", ["killed", "503"])
def test_edits_after_a_stopped_run_compares_with_the_write_it_left(
    site, server, flavor, cli, publish_to, capsys, stop
):
    """The stopped run's update and move are not in the index yet when a person edits: still,
    ``edits`` diffs against that update and shows no move nobody made."""
    from .test_review import docs

    publish_to(docs(site))
    site.pages = []
    site.page("index", "Home", "<p>Home</p>")
    site.page("usage", "Usage", "<ul><li>Open it</li><li>Use it</li></ul>", parent="index")
    site.page("install", "Install", "<p>Run the installer.</p><p>Then restart it.</p>", "usage")
    bundle = site.bundle()
    how = killed if stop == "killed" else refused(503)
    with pytest.raises((ConfluencePublisherError, KeyboardInterrupt)):
        publish_to(bundle, transport=StopsAtTheIndexSave(how))
    body = "<p>Run the installer.</p><p>Then restart it.</p><p>Alice was here.</p>"
    edit_through_the_api(server, flavor, "Install", body=body)
    capsys.readouterr()

    assert cli(["edits", str(bundle.root)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("(version 3; we published version 2)")
    assert [line for line in lines if line.startswith(("    + ", "    - ", "  moved"))] == [
        "    + Alice was here."
    ]
    assert not [line for line in lines if line.startswith("Page 'Home'")]
    # The plan cannot tell whose version 2 is without reading it: it says only what it knows.
    [conflict] = publish_to(bundle).conflicts
    assert conflict.reason == (
        "edited in Confluence (version 3) since version 1, the last the ownership index records "
        "as ours"
    )


def test_a_page_a_person_archived_is_never_advised_for_overwrite(site, server, cli, capsys):
    """Overwrite leaves an archived page archived (a person's decision): the message says how
    to publish it instead, and never advises what would not clear it."""
    bundle = two_publishes(site, cli)
    server.store.pages.set_status(server.page("DOC", "Install").id, "archived")
    capsys.readouterr()

    assert cli(["publish", str(bundle.root)]) == 1

    err = capsys.readouterr().err
    assert "--on-conflict overwrite" not in err
    assert (
        "error: page 'Install' was left alone: archived in Confluence; left archived (restore it "
        "there to publish it)"
    ) in err.splitlines()
