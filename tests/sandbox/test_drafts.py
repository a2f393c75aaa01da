"""Drafts as docs/drafts.md says Confluence Cloud has them: in no listing, their author's,
published by saving them with status current; drafts of published pages are not modelled."""

from __future__ import annotations

from .calls import create_page, storage, update_page, v2_error


def create_draft(client, space_id, title):
    data = {"spaceId": space_id, "status": "draft", "title": title, "body": storage("<p>x</p>")}
    answer = client.post("/api/v2/pages", json=data)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_draft_is_in_no_listing_and_only_its_author_reads_it(confluence, client):
    space = confluence.space()
    draft = create_draft(client, space.id, "Draft page")
    assert draft["status"] == "draft"

    listed = client.get(f"/api/v2/spaces/{space.id}/pages").json()["results"]
    assert [p["title"] for p in listed] == ["DOC Home"]
    refused = client.get("/api/v2/pages", params={"status": "draft"})
    assert refused.status_code == 400
    assert (
        client.get(f"/api/v2/pages/{draft['id']}", params={"status": "draft"}).json()["title"]
        == "Draft page"
    )
    mine = client.get("/rest/api/content", params={"spaceKey": "DOC", "status": "draft"})
    assert [p["id"] for p in mine.json()["results"]] == [draft["id"]]
    with confluence.client(auth="human") as alice:
        assert (
            alice.get(f"/api/v2/pages/{draft['id']}", params={"status": "draft"}).status_code == 404
        )
        theirs = alice.get("/rest/api/content", params={"spaceKey": "DOC", "status": "draft"})
        assert theirs.json()["results"] == []


def test_saving_a_draft_as_current_publishes_it(confluence, client):
    space = confluence.space()
    draft = create_draft(client, space.id, "Draft page")

    published = update_page(client, draft, "<p>Final</p>")

    assert published.status_code == 200
    assert published.json()["status"] == "current"
    assert confluence.outline() == "DOC Home\n  Draft page"


def test_a_draft_of_a_published_page_is_refused_not_faked(confluence, client):
    page = create_page(client, confluence.space().id, "Live page")

    answer = update_page(client, page, "<p>Unreviewed</p>", status="draft")

    assert answer.status_code == 400
    assert "does not model drafts of published pages" in v2_error(answer)[2]
    assert confluence.page("DOC", "Live page").status == "current"
