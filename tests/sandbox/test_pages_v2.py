from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from docs_confluence.sandbox import SandboxStore
from docs_confluence.testing import SandboxHarness

from .calls import create_page, storage, update_page, v2_error

if TYPE_CHECKING:
    import httpx

DUPLICATE_V2 = (
    "A page with this title already exists: A page already exists with the same TITLE in this space"
)


@pytest.fixture
def space_id(confluence):
    return confluence.space().id


def test_create_places_page_under_homepage_and_answers_the_page(confluence, client, space_id):
    page = create_page(client, space_id, "Install Guide", "<p>Hello</p>")

    home = confluence.space().homepage_id
    assert re.fullmatch(r"\d+", page["id"])
    assert page["parentId"] == home
    assert page["parentType"] == "page"
    assert page["spaceId"] == space_id
    assert page["version"]["number"] == 1
    assert page["body"] == {"storage": {"representation": "storage", "value": "<p>Hello</p>"}}
    assert page["_links"]["webui"] == f"/spaces/DOC/pages/{page['id']}/Install+Guide"
    assert page["_links"]["base"] == "http://confluence.test/wiki"
    assert confluence.page("DOC", "Install Guide").parent_id == home


def test_root_level_flag_creates_at_the_space_root(confluence, client, space_id):
    page = create_page(client, space_id, "Top", **{"root-level": "true"})

    assert page["parentId"] is None
    assert confluence.tree() == [("DOC Home", []), ("Top", [])]


def test_update_needs_the_next_version_number(confluence, client, space_id):
    page = create_page(client, space_id, "Install")

    stale = update_page(client, page, "<p>new</p>", version=1)
    skipped = update_page(client, page, "<p>new</p>", version=3)
    ok = update_page(client, page, "<p>new</p>")

    assert stale.status_code == 409
    assert v2_error(stale) == (
        409,
        "CONFLICT",
        "Version must be incremented when updating a page. Current Version: [1]. "
        "Provided version: [1]",
    )
    assert skipped.status_code == 409
    assert ok.status_code == 200
    assert ok.json()["version"]["number"] == 2
    assert ok.json()["version"]["message"] == "publish"
    assert confluence.page("DOC", "Install").body == "<p>new</p>"


def test_duplicate_title_is_refused_case_insensitively(confluence, client, space_id):
    create_page(client, space_id, "Install Guide")

    response = client.post(
        "/api/v2/pages",
        json={"spaceId": space_id, "title": "INSTALL guide", "body": storage("<p>x</p>")},
    )

    assert response.status_code == 400
    assert v2_error(response) == (400, "BAD_REQUEST", DUPLICATE_V2)
    assert [t for t, _ in confluence.tree()[0][1]] == ["Install Guide"]


def test_renaming_onto_an_existing_title_is_refused(client, space_id):
    create_page(client, space_id, "Alpha")
    beta = create_page(client, space_id, "Beta")

    response = client.put(
        f"/api/v2/pages/{beta['id']}/title", json={"status": "current", "title": "alpha"}
    )
    renamed = client.put(
        f"/api/v2/pages/{beta['id']}/title", json={"status": "current", "title": "Gamma"}
    )

    assert v2_error(response) == (400, "BAD_REQUEST", DUPLICATE_V2)
    assert renamed.json()["title"] == "Gamma"
    assert renamed.json()["version"]["number"] == 2


def test_trashed_titles_are_free_unless_the_store_reserves_them(client, space_id):
    page = create_page(client, space_id, "Old")
    client.delete(f"/api/v2/pages/{page['id']}")

    assert create_page(client, space_id, "Old")["title"] == "Old"

    reserving = SandboxHarness.create(store=SandboxStore(trashed_titles_reserved=True))
    with reserving.client() as strict:
        sid = reserving.space().id
        old = create_page(strict, sid, "Old")
        strict.delete(f"/api/v2/pages/{old['id']}")
        again = strict.post(
            "/api/v2/pages", json={"spaceId": sid, "title": "Old", "body": storage("")}
        )
    assert again.status_code == 400


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Title cannot be empty"), ("x" * 256, "Title cannot be longer than 255 characters")],
)
def test_bad_titles_are_400(client, space_id, title, message):
    response = client.post(
        "/api/v2/pages", json={"spaceId": space_id, "title": title, "body": storage("")}
    )

    assert v2_error(response) == (400, "BAD_REQUEST", message)


def test_title_filter_is_exact_and_case_sensitive(client, space_id):
    create_page(client, space_id, "Install")

    exact = client.get("/api/v2/pages", params={"space-id": space_id, "title": "Install"})
    other_case = client.get("/api/v2/pages", params={"space-id": space_id, "title": "install"})
    anywhere = client.get("/api/v2/pages", params={"title": "Install"})

    assert [p["title"] for p in exact.json()["results"]] == ["Install"]
    assert other_case.json()["results"] == []
    assert len(anywhere.json()["results"]) == 1


def test_listing_without_body_format_has_empty_bodies(client, space_id):
    create_page(client, space_id, "A", "<p>a</p>")

    plain = client.get("/api/v2/pages", params={"title": "A"}).json()["results"][0]
    full = client.get("/api/v2/pages", params={"title": "A", "body-format": "storage"}).json()

    assert plain["body"] == {}
    assert full["results"][0]["body"]["storage"]["value"] == "<p>a</p>"
    assert client.get("/api/v2/pages", params={"body-format": "wiki"}).status_code == 400


def test_pagination_follows_cursors_and_link_headers(client, space_id):
    ids = [create_page(client, space_id, f"P{i}")["id"] for i in range(5)]

    seen: list[str] = []
    url: str | None = f"/api/v2/spaces/{space_id}/pages?limit=2&sort=id"
    pages = 0
    while url:
        response = client.get(f"http://confluence.test{url}" if url.startswith("/wiki") else url)
        body = response.json()
        seen += [p["id"] for p in body["results"]]
        url = body["_links"].get("next")
        pages += 1
        if url:
            assert url.startswith("/wiki/api/v2/spaces/")
            assert response.headers["Link"] == (
                f'<{url}>; rel="next", <http://confluence.test/wiki>; rel="base"'
            )
            assert "cursor=" in url
        else:
            assert "Link" not in response.headers
            assert body["_links"] == {"base": "http://confluence.test/wiki"}

    assert pages == 3
    assert seen == [confluence_home_id(client, space_id), *ids]


def confluence_home_id(client: httpx.Client, space_id: str) -> str:
    home: str = client.get(f"/api/v2/spaces/{space_id}").json()["homepageId"]
    return home


@pytest.mark.parametrize("query", ["limit=0", "limit=251", "limit=ten", "cursor=%%%", "cursor=e30"])
def test_bad_limits_and_cursors_are_400(client, query):
    response = client.get(f"/api/v2/pages?{query}")

    assert response.status_code == 400
    assert v2_error(response)[1] == "BAD_REQUEST"


def test_limit_bounds_are_inclusive(client):
    assert client.get("/api/v2/pages?limit=1").status_code == 200
    assert client.get("/api/v2/pages?limit=250").status_code == 200


def test_more_than_250_ids_is_400(client):
    ids = ",".join(str(n) for n in range(251))

    assert client.get("/api/v2/pages", params={"id": ids}).status_code == 400


def test_id_filter_returns_the_named_pages(client, space_id):
    a = create_page(client, space_id, "A")
    create_page(client, space_id, "B")
    c = create_page(client, space_id, "C")

    response = client.get("/api/v2/pages", params={"id": f"{c['id']},{a['id']}"})

    assert [p["title"] for p in response.json()["results"]] == ["A", "C"]


def test_trash_then_purge(confluence, client, space_id):
    page = create_page(client, space_id, "Doomed")
    path = f"/api/v2/pages/{page['id']}"

    early_purge = client.delete(path, params={"purge": "true"})
    trashed = client.delete(path)
    hidden = client.get(path)
    shown = client.get(path, params={"status": "trashed"})
    listed = client.get("/api/v2/pages", params={"status": "trashed"}).json()["results"]
    default_list = client.get("/api/v2/pages").json()["results"]
    purged = client.delete(path, params={"purge": "true"})

    assert early_purge.status_code == 400
    assert trashed.status_code == 204
    assert trashed.content == b""
    assert v2_error(hidden) == (404, "NOT_FOUND", "Not Found")
    assert shown.json()["status"] == "trashed"
    assert [p["title"] for p in listed] == ["Doomed"]
    assert "Doomed" not in [p["title"] for p in default_list]
    assert purged.status_code == 204
    assert client.get(path, params={"status": "trashed"}).status_code == 404
    assert confluence.store.pages.find(page["id"]) is None


def test_trashing_a_page_reattaches_its_children_to_the_grandparent(confluence, client, space_id):
    create_page(client, space_id, "Before")
    guide = create_page(client, space_id, "Guide")
    for title in ("One", "Two"):
        create_page(client, space_id, title, parent_id=guide["id"])
    create_page(client, space_id, "After")

    client.delete(f"/api/v2/pages/{guide['id']}")

    assert confluence.outline() == "DOC Home\n  Before\n  One\n  Two\n  After"


def test_archived_pages_are_listed_by_default(confluence, client, space_id):
    page = create_page(client, space_id, "Old news")
    confluence.store.pages.set_status(page["id"], "archived")

    listed = client.get("/api/v2/pages", params={"title": "Old news"}).json()["results"]
    current_only = client.get("/api/v2/pages", params={"title": "Old news", "status": "current"})

    assert [p["status"] for p in listed] == ["archived"]
    assert current_only.json()["results"] == []


def test_parent_change_moves_the_page_and_cycles_are_refused(confluence, client, space_id):
    a = create_page(client, space_id, "A")
    b = create_page(client, space_id, "B", parent_id=a["id"])

    moved = update_page(client, a, "<p>Text</p>", parentId=confluence.space().homepage_id)
    cycle = update_page(client, moved.json(), "<p>Text</p>", parentId=b["id"])
    down = update_page(client, b, "<p>Text</p>", parentId=confluence.space().homepage_id)

    assert moved.status_code == 200
    assert cycle.status_code == 400
    assert down.json()["parentId"] == confluence.space().homepage_id
    assert confluence.outline() == "DOC Home\n  A\n  B"


def test_children_descendants_and_ancestors(client, space_id):
    top = create_page(client, space_id, "Top")
    mid = create_page(client, space_id, "Mid", parent_id=top["id"])
    create_page(client, space_id, "Leaf", parent_id=mid["id"])
    create_page(client, space_id, "Second", parent_id=top["id"])

    children = client.get(f"/api/v2/pages/{top['id']}/children").json()["results"]
    direct = client.get(f"/api/v2/pages/{top['id']}/direct-children").json()["results"]
    one = client.get(f"/api/v2/pages/{top['id']}/descendants", params={"depth": 1}).json()
    two = client.get(f"/api/v2/pages/{top['id']}/descendants").json()["results"]
    leaf_id = two[1]["id"]
    ancestors = client.get(f"/api/v2/pages/{leaf_id}/ancestors").json()["results"]

    assert [(c["title"], c["childPosition"]) for c in children] == [("Mid", 0), ("Second", 1)]
    assert {c["type"] for c in direct} == {"page"}
    assert [d["title"] for d in one["results"]] == ["Mid", "Second"]
    assert [(d["title"], d["depth"]) for d in two] == [("Mid", 1), ("Leaf", 2), ("Second", 1)]
    assert [a["id"] for a in ancestors][-2:] == [top["id"], mid["id"]]
    assert client.get(f"/api/v2/pages/{top['id']}/descendants?depth=6").status_code == 400


def test_versions_are_listed_newest_first_with_bodies_on_request(client, space_id):
    page = create_page(client, space_id, "History", "<p>one</p>")
    update_page(client, page, "<p>two</p>")

    listed = client.get(f"/api/v2/pages/{page['id']}/versions").json()["results"]
    first = client.get(f"/api/v2/pages/{page['id']}/versions/1").json()
    old = client.get(f"/api/v2/pages/{page['id']}", params={"version": 1, "body-format": "storage"})

    assert [v["number"] for v in listed] == [2, 1]
    assert first["body"]["storage"]["value"] == "<p>one</p>"
    assert old.json()["body"]["storage"]["value"] == "<p>one</p>"


def test_get_page_can_embed_labels_properties_and_versions(client, space_id):
    page = create_page(client, space_id, "Embeds")
    client.post(f"/api/v2/pages/{page['id']}/properties", json={"key": "k", "value": 1})

    body = client.get(
        f"/api/v2/pages/{page['id']}",
        params={"include-labels": "true", "include-properties": "true", "include-versions": "true"},
    ).json()

    assert body["labels"]["results"] == []
    assert [p["key"] for p in body["properties"]["results"]] == ["k"]
    assert [v["number"] for v in body["versions"]["results"]] == [1]
    assert body["properties"]["meta"] == {"hasMore": False, "cursor": None}


def test_bodies_over_five_megabytes_are_413(client, space_id):
    huge = "<p>" + "x" * 5_242_880 + "</p>"

    response = client.post(
        "/api/v2/pages", json={"spaceId": space_id, "title": "Huge", "body": storage(huge)}
    )

    assert response.status_code == 413
    assert v2_error(response)[1] == "REQUEST_ENTITY_TOO_LARGE"


def test_unknown_space_and_page_are_404(client):
    missing_space = client.post(
        "/api/v2/pages", json={"spaceId": "1", "title": "X", "body": storage("")}
    )

    assert v2_error(missing_space) == (404, "NOT_FOUND", "Not Found")
    assert client.get("/api/v2/pages/1").status_code == 404
    assert client.get("/api/v2/spaces/1").status_code == 404
    assert client.get("/api/v2/spaces", params={"keys": "NOPE"}).json()["results"] == []


def test_saving_a_trashed_page_as_current_restores_it(confluence, client, space_id):
    page = create_page(client, space_id, "Back again", "<p>v1</p>")
    client.delete(f"/api/v2/pages/{page['id']}")

    restored = update_page(client, page, "<p>v2</p>")

    assert restored.status_code == 200
    assert restored.json()["status"] == "current"
    assert confluence.page("DOC", "Back again").parent_id == confluence.space().homepage_id
    assert confluence.outline() == "DOC Home\n  Back again"


def test_update_requires_the_documented_fields(client, space_id):
    page = create_page(client, space_id, "Strict")

    response = client.put(
        f"/api/v2/pages/{page['id']}",
        json={"id": page["id"], "status": "current", "title": "Strict", "version": {"number": 2}},
    )

    assert v2_error(response) == (400, "BAD_REQUEST", "body is required")
