from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx

    from docs_confluence.testing import SandboxHarness

DUPLICATE_V1 = (
    "A page with this title already exists: A page already exists with the title {title} "
    "in the space with key DOC"
)


def v1_create(
    client: httpx.Client,
    title: str,
    body: str = "<p>Text</p>",
    parent: str | None = None,
    **extra: Any,
) -> httpx.Response:
    data: dict[str, Any] = {
        "type": "page",
        "title": title,
        "space": {"key": "DOC"},
        "body": {"storage": {"value": body, "representation": "storage"}},
        **extra,
    }
    if parent is not None:
        data["ancestors"] = [{"id": parent}]
    return client.post("/rest/api/content", json=data)


def v1_update(
    client: httpx.Client, page: dict[str, Any], number: int | None, **extra: Any
) -> httpx.Response:
    data: dict[str, Any] = {
        "id": page["id"],
        "type": "page",
        "title": page["title"],
        "space": {"key": "DOC"},
        "body": {"storage": {"value": "<p>v2</p>", "representation": "storage"}},
        **extra,
    }
    if number is not None:
        data["version"] = {"number": number, "minorEdit": True, "message": "publish"}
    return client.put(f"/rest/api/content/{page['id']}", json=data)


@pytest.fixture
def home(confluence: SandboxHarness) -> str:
    home_id = confluence.space().homepage_id
    assert home_id is not None
    return home_id


def test_create_without_ancestors_lands_at_the_space_root(confluence, client, home):
    root = v1_create(client, "Root page").json()
    child = v1_create(client, "Child", parent=home).json()

    assert root["ancestors"] == []
    assert [a["id"] for a in child["ancestors"]] == [home]
    assert child["body"]["storage"]["value"] == "<p>Text</p>"
    assert child["version"]["number"] == 1
    assert child["version"]["by"]["accountId"] == confluence.bot.account_id
    assert child["space"] == {
        "id": int(confluence.space().id),
        "key": "DOC",
        "name": "Documentation",
        "type": "global",
        "status": "current",
        "_links": {
            "webui": "/spaces/DOC",
            "self": "http://confluence.test/wiki/rest/api/space/DOC",
        },
        "_expandable": {"homepage": f"/rest/api/content/{home}"},
    }
    assert child["_links"]["base"] == "http://confluence.test/wiki"
    assert child["_links"]["context"] == "/wiki"
    assert confluence.outline() == "DOC Home\n  Child\nRoot page"


def test_duplicate_title_uses_the_v1_message(client):
    v1_create(client, "Install Guide")

    response = v1_create(client, "install GUIDE")

    assert response.status_code == 400
    assert response.json()["message"] == DUPLICATE_V1.format(title="install GUIDE")


def test_missing_space_is_403(client):
    response = client.post(
        "/rest/api/content", json={"type": "page", "title": "X", "space": {"key": "NOPE"}}
    )

    assert response.status_code == 403
    assert response.json()["message"] == "No space with key : NOPE"


def test_update_version_rules(confluence, client, home):
    page = v1_create(client, "Versioned", parent=home).json()

    missing = v1_update(client, page, None)
    stale = v1_update(client, page, 1)
    ok = v1_update(client, page, 2)

    assert (missing.status_code, missing.json()["message"]) == (
        400,
        "Must supply an incremented version when updating Content. No version supplied.",
    )
    assert (stale.status_code, stale.json()["message"]) == (
        409,
        "Version must be incremented on update. Current version is: 1",
    )
    assert ok.status_code == 200
    assert ok.json()["version"]["minorEdit"] is True
    assert confluence.page("DOC", "Versioned").body == "<p>v2</p>"


def test_update_with_ancestors_reparents(confluence, client, home):
    a = v1_create(client, "A", parent=home).json()
    b = v1_create(client, "B", parent=home).json()

    moved = v1_update(client, b, 2, ancestors=[{"id": a["id"]}]).json()

    assert [x["title"] for x in moved["ancestors"]] == ["DOC Home", "A"]
    assert confluence.outline() == "DOC Home\n  A\n    B"


def test_get_content_by_space_and_title_expands_on_request(client, home):
    created = v1_create(client, "Install Guide", parent=home).json()

    found = client.get(
        "/rest/api/content",
        params={"spaceKey": "DOC", "title": "Install Guide", "expand": "body.storage,ancestors"},
    ).json()
    plain = client.get(f"/rest/api/content/{created['id']}").json()
    wrong_case = client.get(
        "/rest/api/content", params={"spaceKey": "DOC", "title": "install guide"}
    )

    assert found["size"] == 1
    assert found["results"][0]["body"]["storage"]["value"] == "<p>Text</p>"
    assert found["results"][0]["ancestors"][0]["title"] == "DOC Home"
    assert "body" not in plain
    assert "ancestors" in plain["_expandable"]
    assert plain["version"]["when"].endswith("Z")
    assert wrong_case.json()["results"] == []


def test_child_pages_are_in_position_order_and_paginate(client, home):
    for title in ("One", "Two", "Three"):
        v1_create(client, title, parent=home)

    first = client.get(f"/rest/api/content/{home}/child/page", params={"limit": 2}).json()
    rest = client.get(first["_links"]["next"]).json()

    assert [p["title"] for p in first["results"]] == ["One", "Two"]
    assert (first["start"], first["limit"], first["size"]) == (0, 2, 2)
    assert first["_links"]["next"] == (f"/rest/api/content/{home}/child/page?start=2&limit=2")
    assert [p["title"] for p in rest["results"]] == ["Three"]
    assert "next" not in rest["_links"]


def test_move_before_after_and_append_renumber_positions(confluence, client, home):
    ids = {t: v1_create(client, t, parent=home).json()["id"] for t in ("A", "B", "C", "D")}

    before = client.put(f"/rest/api/content/{ids['D']}/move/before/{ids['A']}")
    client.put(f"/rest/api/content/{ids['A']}/move/after/{ids['C']}")
    client.put(f"/rest/api/content/{ids['B']}/move/append/{ids['C']}")

    assert before.json() == {"pageId": ids["D"]}
    assert confluence.outline() == "DOC Home\n  D\n  C\n    B\n  A"
    assert [c.position for c in confluence.children(home)] == [0, 1, 2]


def test_move_refuses_cycles_and_title_clashes(confluence, client, home):
    parent = v1_create(client, "Parent", parent=home).json()
    child = v1_create(client, "Child", parent=parent["id"]).json()
    other = confluence.store.create_space("OTHER", "Other")
    confluence.store.pages.create(other.id, "parent", "", author_id=confluence.bot.account_id)

    cycle = client.put(f"/rest/api/content/{parent['id']}/move/append/{child['id']}")
    clash = client.put(f"/rest/api/content/{parent['id']}/move/append/{other.homepage_id}")
    bad = client.put(f"/rest/api/content/{parent['id']}/move/sideways/{home}")

    assert cycle.status_code == 400
    assert clash.status_code == 400
    assert bad.status_code == 400
    assert confluence.outline() == "DOC Home\n  Parent\n    Child"


def test_move_to_another_space_takes_the_subtree(confluence, client, home):
    parent = v1_create(client, "Parent", parent=home).json()
    v1_create(client, "Child", parent=parent["id"])
    other = confluence.store.create_space("OTHER", "Other")

    moved = client.put(f"/rest/api/content/{parent['id']}/move/append/{other.homepage_id}")

    assert moved.status_code == 200
    assert confluence.outline("OTHER") == "Other Home\n  Parent\n    Child"
    assert confluence.outline("DOC") == "DOC Home"


def test_delete_trashes_then_purges(confluence, client, home):
    page = v1_create(client, "Gone", parent=home).json()
    path = f"/rest/api/content/{page['id']}"

    assert client.delete(path).status_code == 204
    missing = client.get(path)
    trashed = client.get(path, params={"status": "trashed"})
    assert client.delete(path, params={"status": "trashed"}).status_code == 204

    assert (missing.status_code, missing.json()["message"]) == (
        404,
        f"No content found with id: {page['id']}",
    )
    assert trashed.json()["status"] == "trashed"
    assert client.get(path, params={"status": "any"}).status_code == 404


def test_cql_search_finds_titles_case_insensitively(client, home):
    v1_create(client, "Install Guide", parent=home)
    v1_create(client, "Usage", parent=home)

    contains = client.get(
        "/rest/api/content/search",
        params={"cql": 'space = "DOC" and type = page and title ~ "install"'},
    ).json()
    exact = client.get(
        "/rest/api/content/search", params={"cql": 'space = DOC and title = "install guide"'}
    ).json()
    invalid = client.get("/rest/api/content/search", params={"cql": "title ="})

    assert [r["title"] for r in contains["results"]] == ["Install Guide"]
    assert [r["title"] for r in exact["results"]] == ["Install Guide"]
    assert invalid.status_code == 400
    assert invalid.json()["message"].startswith("Could not parse cql")


def test_space_with_homepage_expansion(client, home):
    space = client.get("/rest/api/space/DOC", params={"expand": "homepage"}).json()

    assert space["homepage"]["id"] == home
    assert space["homepage"]["title"] == "DOC Home"
    assert client.get("/rest/api/space/NOPE").status_code == 404


def test_unknown_paths_and_methods(client):
    assert client.get("/rest/api/nothing-here").status_code == 404
    assert client.patch("/rest/api/content").status_code == 405


def test_an_older_version_is_read_with_status_historical(confluence, client, home):
    page = v1_create(client, "Versioned", body="<p>first</p>", parent=home).json()
    assert v1_update(client, page, 2).status_code == 200
    params = {"status": "historical", "version": "1", "expand": "body.storage,version"}

    old = client.get(f"/rest/api/content/{page['id']}", params=params).json()
    without = client.get(f"/rest/api/content/{page['id']}", params={"status": "historical"})

    assert old["status"] == "historical"
    assert old["body"]["storage"]["value"] == "<p>first</p>"
    assert old["version"]["number"] == 1
    assert old["version"]["by"]["displayName"] == "Docs Publisher"
    assert without.status_code == 404  # no version asked for: there is no historical page


def test_a_user_is_looked_up_by_account_id(confluence, client):
    alice = confluence.human

    found = client.get("/rest/api/user", params={"accountId": alice.account_id})
    unknown = client.get("/rest/api/user", params={"accountId": "557058:nobody"})

    assert found.status_code == 200
    assert (found.json()["accountId"], found.json()["publicName"]) == (alice.account_id, "Alice")
    assert found.json()["displayName"] == "Alice"
    assert unknown.status_code == 404
