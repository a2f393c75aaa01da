"""What people do to our attachments in Confluence is seen: a file a person replaced is kept and
reported (``on_conflict`` decides), a file they deleted is restored, a file they attached under a
name our docs now want is never overwritten. Cloud and Data Center, people acting over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from docs_confluence.errors import PublishError

if TYPE_CHECKING:
    from docs_confluence.testing import SandboxHarness

OURS = b"\x89PNG ours"
THEIRS = b"\x89PNG a person's better diagram"


class Person:
    """Alice, working on attachments through Confluence's REST API as a browser would."""

    def __init__(self, server: SandboxHarness) -> None:
        self.server = server
        self.http = server.client(auth="human")
        self.v1 = server.base_url + "/rest/api"

    def upload(self, page_id: str, filename: str, data: bytes) -> None:
        response = self.http.put(
            f"{self.v1}/content/{page_id}/child/attachment",
            files={"file": (filename, data, "image/png")},
            data={"comment": "", "minorEdit": "true"},
            headers={"X-Atlassian-Token": "no-check"},
        )
        response.raise_for_status()

    def rename(self, page_id: str, filename: str, new_name: str) -> None:
        attachment = self.server.store.attachments.named(page_id, filename)
        assert attachment is not None
        url = f"{self.v1}/content/{page_id}/child/attachment/{attachment.id}"
        body = {"id": attachment.id, "type": "attachment", "title": new_name}
        self.http.put(url, json=body).raise_for_status()

    def delete(self, page_id: str, filename: str) -> None:
        attachment = self.server.store.attachments.named(page_id, filename)
        assert attachment is not None
        if self.server.app.flavor == "cloud":
            url = f"{self.server.base_url}/api/v2/attachments/{attachment.id}"
        else:
            url = f"{self.v1}/content/{attachment.id}"
        self.http.delete(url).raise_for_status()


def bytes_of(server: SandboxHarness, page_id: str, filename: str) -> bytes | None:
    attachment = server.store.attachments.named(page_id, filename)
    if attachment is None or attachment.status != "current":
        return None
    return server.store.attachments.data(attachment.id).data


def pictures_site(site, data=OURS):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    site.page("pics", "Pictures", "<p>p</p>", parent="index", files=[("diagram.png", data)])
    return site


def test_an_attachment_a_person_deleted_is_restored(site, server, publish_to):
    bundle = pictures_site(site).bundle()
    publish_to(bundle)
    page = server.page("DOC", "Pictures")
    Person(server).delete(page.id, "diagram.png")

    report = publish_to(bundle)

    assert [(a.kind, getattr(a, "restore", None)) for a in report.plan.actions if a.writes] == [
        ("upload", True)
    ]
    assert bytes_of(server, page.id, "diagram.png") == OURS
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


def test_an_attachment_a_person_replaced_is_kept_and_reported_then_overwritten(
    site, server, publish_to
):
    publish_to(pictures_site(site).bundle())
    page = server.page("DOC", "Pictures")
    Person(server).upload(page.id, "diagram.png", THEIRS)
    bundle = pictures_site(site, data=b"\x89PNG ours, redrawn").bundle()

    report = publish_to(bundle)

    assert [(c.title, c.reason) for c in report.conflicts] == [
        ("Pictures", "attachment 'diagram.png' replaced in Confluence (version 2)")
    ]
    assert report.plan.writes == 0
    assert bytes_of(server, page.id, "diagram.png") == THEIRS
    assert "left alone (edited in Confluence)" in report.summary()

    with pytest.raises(PublishError, match=r"attachment 'diagram\.png' replaced in Confluence"):
        publish_to(bundle, on_conflict="fail")
    assert bytes_of(server, page.id, "diagram.png") == THEIRS

    publish_to(bundle, on_conflict="overwrite")
    assert bytes_of(server, page.id, "diagram.png") == b"\x89PNG ours, redrawn"
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


def test_a_file_a_person_attached_under_a_name_the_docs_now_want_is_not_overwritten(
    site, server, publish_to
):
    site.page("index", "Home", "<p>Home</p>")
    site.page("pics", "Pictures", "<p>p</p>", parent="index", files=[("a.png", OURS)])
    publish_to(site.bundle())
    page = server.page("DOC", "Pictures")
    Person(server).upload(page.id, "b.png", THEIRS)
    site.pages[1] = (
        "pics",
        "Pictures",
        "<p>p</p>",
        "index",
        (),
        (("a.png", OURS), ("b.png", OURS)),
    )

    report = publish_to(site.bundle())

    assert [c.reason for c in report.conflicts] == [
        "attachment 'b.png' replaced in Confluence (version 1)"
    ]
    assert bytes_of(server, page.id, "b.png") == THEIRS


def test_a_file_the_docs_dropped_that_a_person_replaced_is_theirs_to_remove(
    site, server, publish_to
):
    publish_to(pictures_site(site).bundle())
    page = server.page("DOC", "Pictures")
    Person(server).upload(page.id, "diagram.png", THEIRS)
    site.pages[1] = ("pics", "Pictures", "<p>p</p>", "index", (), ())

    report = publish_to(site.bundle())

    assert report.plan.writes == 0
    assert bytes_of(server, page.id, "diagram.png") == THEIRS


def test_checking_attachments_costs_one_search_not_one_read_per_page(site, server, publish_to):
    site.page("index", "Home", "<p>Home</p>")
    for n in range(6):
        files = [(f"f{n}.png", OURS)] if n % 2 else []
        site.page(f"p{n}", f"Page {n}", "<p>x</p>", parent="index", files=files)
    bundle = site.bundle()
    publish_to(bundle)
    server.stats.reset()

    assert publish_to(bundle).plan.writes == 0

    assert server.stats.writes == 0
    listings = {r: n for r, n in server.stats.routes.items() if "attachment" in r}
    assert listings == {}
    assert server.stats.count("GET /rest/api/content/search") == 1


def test_an_attachment_a_person_renamed_is_theirs_and_ours_comes_back(site, server, publish_to):
    bundle = pictures_site(site).bundle()
    publish_to(bundle)
    page = server.page("DOC", "Pictures")
    Person(server).rename(page.id, "diagram.png", "old-diagram.png")

    report = publish_to(bundle)

    assert [(a.kind, getattr(a, "restore", None)) for a in report.plan.actions if a.writes] == [
        ("upload", True)
    ]
    assert bytes_of(server, page.id, "diagram.png") == OURS
    assert bytes_of(server, page.id, "old-diagram.png") == OURS
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0
