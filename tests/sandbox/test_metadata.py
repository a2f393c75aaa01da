from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .calls import create_page, v2_error

if TYPE_CHECKING:
    import httpx

    from docs_confluence.testing import SandboxHarness


@pytest.fixture
def page_id(confluence: SandboxHarness, client: httpx.Client) -> str:
    return str(create_page(client, confluence.space().id, "With metadata")["id"])


def test_v2_property_lifecycle(client, page_id):
    base = f"/api/v2/pages/{page_id}/properties"

    created = client.post(base, json={"key": "docs-hash", "value": {"hash": "abc"}}).json()
    duplicate = client.post(base, json={"key": "docs-hash", "value": 1})
    stale = client.put(
        f"{base}/{created['id']}",
        json={"key": "docs-hash", "value": {"hash": "x"}, "version": {"number": 1}},
    )
    updated = client.put(
        f"{base}/{created['id']}",
        json={"key": "docs-hash", "value": {"hash": "def"}, "version": {"number": 2}},
    ).json()
    filtered = client.get(base, params={"key": "docs-hash"}).json()["results"]
    other_case = client.get(base, params={"key": "DOCS-HASH"}).json()["results"]
    deleted = client.delete(f"{base}/{created['id']}")

    assert created["version"]["number"] == 1
    assert created["value"] == {"hash": "abc"}
    assert duplicate.status_code == 400
    assert v2_error(stale)[:2] == (409, "CONFLICT")
    assert updated["version"]["number"] == 2
    assert [p["value"] for p in filtered] == [{"hash": "def"}]
    assert other_case == []
    assert deleted.status_code == 204
    assert client.get(f"{base}/{created['id']}").status_code == 404


def test_v1_property_put_creates_then_needs_increments(client, page_id):
    base = f"/rest/api/content/{page_id}/property/editor"

    created = client.put(base, json={"key": "editor", "value": "v2", "version": {"number": 1}})
    stale = client.put(base, json={"key": "editor", "value": "v3", "version": {"number": 1}})
    updated = client.put(base, json={"key": "editor", "value": "v3", "version": {"number": 2}})
    read = client.get(base).json()
    listed = client.get(f"/rest/api/content/{page_id}/property").json()

    assert created.json()["version"]["number"] == 1
    assert (stale.status_code, stale.json()["message"]) == (
        409,
        "Version must be incremented on update. Current version is: 1",
    )
    assert updated.status_code == 200
    assert (read["key"], read["value"], read["version"]["number"]) == ("editor", "v3", 2)
    assert [p["key"] for p in listed["results"]] == ["editor"]
    assert client.delete(base).status_code == 204
    assert client.get(base).status_code == 404


def test_v1_property_post_refuses_used_keys_and_huge_values(client, page_id):
    base = f"/rest/api/content/{page_id}/property"

    assert client.post(base, json={"key": "k", "value": [1, 2]}).status_code == 200
    assert client.post(base, json={"key": "k", "value": 3}).status_code == 400
    assert client.post(base, json={"key": "", "value": 3}).status_code == 400
    assert client.post(base, json={"key": "big", "value": "x" * 40_000}).status_code == 413


def test_labels_are_added_lowercase_and_read_back(confluence, client, page_id):
    added = client.post(
        f"/rest/api/content/{page_id}/label",
        json=[{"prefix": "global", "name": "Release-Notes"}, {"prefix": "global", "name": "api"}],
    ).json()
    single = client.post(f"/rest/api/content/{page_id}/label", json={"name": "api"})
    v2 = client.get(f"/api/v2/pages/{page_id}/labels").json()["results"]
    expanded = client.get(
        f"/rest/api/content/{page_id}", params={"expand": "metadata.labels"}
    ).json()

    assert [(x["prefix"], x["name"], x["label"]) for x in added["results"]] == [
        ("global", "release-notes", "release-notes"),
        ("global", "api", "api"),
    ]
    assert single.json()["size"] == 2
    assert [(x["name"], x["prefix"]) for x in v2] == [
        ("release-notes", "global"),
        ("api", "global"),
    ]
    assert [x["name"] for x in expanded["metadata"]["labels"]["results"]] == [
        "release-notes",
        "api",
    ]
    assert confluence.page("DOC", "With metadata").labels == ("release-notes", "api")


def test_label_names_with_spaces_are_400(client, page_id):
    response = client.post(
        f"/rest/api/content/{page_id}/label", json=[{"prefix": "global", "name": "two words"}]
    )

    assert response.status_code == 400
    assert client.get(f"/rest/api/content/{page_id}/label").json()["results"] == []


def test_labels_can_be_removed(confluence, client, page_id):
    client.post(f"/rest/api/content/{page_id}/label", json=[{"name": "a"}, {"name": "b/c"}])

    by_path = client.delete(f"/rest/api/content/{page_id}/label/a")
    by_query = client.delete(f"/rest/api/content/{page_id}/label", params={"name": "b/c"})
    missing = client.delete(f"/rest/api/content/{page_id}/label/a")

    assert (by_path.status_code, by_query.status_code, missing.status_code) == (204, 204, 404)
    assert confluence.page("DOC", "With metadata").labels == ()
