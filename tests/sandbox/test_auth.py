from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from docs_confluence.sandbox import User

UNAUTHORIZED = "Client must be authenticated to access this resource."


def test_basic_api_token_signs_in_as_its_user(confluence, client):
    response = client.get("/rest/api/user/current")

    assert response.status_code == 200
    assert response.json()["accountId"] == confluence.bot.account_id
    assert response.json()["email"] == "bot@example.com"
    assert response.json()["displayName"] == "Docs Publisher"


def test_bearer_pat_acts_as_its_user(confluence):
    with confluence.client(auth="pat") as client:
        response = client.get("/rest/api/user/current")

    assert response.status_code == 200
    assert response.json()["accountId"] == confluence.bot.account_id


def test_wrong_token_is_401_in_v2_shape(confluence):
    with confluence.client(auth="none") as client:
        response = client.get("/api/v2/spaces", auth=("bot@example.com", "wrong"))

    assert response.status_code == 401
    assert response.json() == {
        "errors": [{"status": 401, "code": "UNAUTHORIZED", "title": UNAUTHORIZED, "detail": None}]
    }
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_missing_credentials_are_401_in_v1_shape(confluence):
    with confluence.client(auth="none") as client:
        response = client.get("/rest/api/content")

    assert response.status_code == 401
    body = response.json()
    assert (body["statusCode"], body["message"], body["reason"]) == (
        401,
        UNAUTHORIZED,
        "Unauthorized",
    )


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-pat", "Basic !!!not-base64", "Basic " + "YWxpY2VAZXhhbXBsZS5jb20=", "Token x"],
)
def test_unknown_or_malformed_credentials_are_refused(confluence, header):
    with confluence.client(auth="none") as client:
        response = client.get("/rest/api/user/current", headers={"Authorization": header})

    assert response.status_code == 401


def test_extra_bearer_validators_accept_other_tokens(confluence):
    alice = confluence.human

    def oauth(token: str) -> User | None:
        return alice if token == "oauth-access-token" else None

    confluence.store.add_bearer_validator(oauth)
    with confluence.client(auth="none") as client:
        accepted = client.get(
            "/rest/api/user/current", headers={"Authorization": "Bearer oauth-access-token"}
        )
        refused = client.get("/rest/api/user/current", headers={"Authorization": "Bearer other"})

    assert accepted.json()["accountId"] == alice.account_id
    assert refused.status_code == 401


def test_versions_record_the_acting_user(confluence, client):
    space_id = confluence.space().id
    created = client.post(
        "/api/v2/pages",
        json={"spaceId": space_id, "title": "Shared", "body": {"value": "<p>a</p>"}},
    ).json()
    with confluence.client(auth="human") as alice:
        edited = alice.put(
            f"/api/v2/pages/{created['id']}",
            json={
                "id": created["id"],
                "status": "current",
                "title": "Shared",
                "body": {"representation": "storage", "value": "<p>b</p>"},
                "version": {"number": 2},
            },
        ).json()

    assert created["version"]["authorId"] == confluence.bot.account_id
    assert edited["version"]["authorId"] == confluence.human.account_id
    assert edited["authorId"] == confluence.bot.account_id  # the creator stays the author


def test_plain_httpx_client_reaches_the_app(confluence):
    transport = httpx.WSGITransport(app=confluence.app)
    with httpx.Client(transport=transport, auth=("bot@example.com", "sandbox-api-token")) as client:
        response = client.get("http://confluence.test/wiki/api/v2/spaces", params={"keys": "DOC"})

    assert [s["key"] for s in response.json()["results"]] == ["DOC"]
    assert response.json()["_links"] == {"base": "http://confluence.test/wiki"}
