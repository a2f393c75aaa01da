from __future__ import annotations

import httpx

from docs_confluence.sandbox import Sandbox
from docs_confluence.testing import SandboxHarness


def test_datacenter_serves_v1_under_its_context_path(confluence_datacenter):
    assert confluence_datacenter.base_url == "http://confluence.test/confluence"
    with confluence_datacenter.client(auth="pat") as client:
        created = client.post(
            "/rest/api/content",
            json={
                "type": "page",
                "title": "DC page",
                "space": {"key": "DOC"},
                "ancestors": [{"id": confluence_datacenter.space().homepage_id}],
                "body": {"storage": {"value": "<p>dc</p>", "representation": "storage"}},
            },
        )
        user = client.get("/rest/api/user/current").json()

    assert created.status_code == 200
    assert created.json()["_links"]["base"] == "http://confluence.test/confluence"
    assert created.json()["_links"]["context"] == "/confluence"
    assert user["username"] == "bot@example.com"
    assert confluence_datacenter.outline() == "DOC Home\n  DC page"


def test_datacenter_has_no_v2(confluence_datacenter):
    with confluence_datacenter.client() as client:
        response = client.get("/api/v2/spaces")

    assert response.status_code == 404
    assert response.json()["statusCode"] == 404


def test_cloud_paths_outside_the_context_path_are_404(confluence):
    with httpx.Client(
        transport=confluence.transport, auth=(confluence.email, confluence.api_token)
    ) as client:
        response = client.get("http://confluence.test/rest/api/content")

    assert response.status_code == 404


def test_context_path_is_configurable():
    root = SandboxHarness.create(flavor="datacenter", context_path="")
    custom = SandboxHarness.create(context_path="/confluence-cloud/")

    with root.client() as client:
        assert client.get("/rest/api/space/DOC").json()["key"] == "DOC"
    with custom.client() as client:
        assert client.get("/api/v2/spaces").json()["_links"]["base"] == (
            "http://confluence.test/confluence-cloud"
        )
    assert root.base_url == "http://confluence.test"
    assert repr(Sandbox(flavor="datacenter")) == (
        "Sandbox(flavor='datacenter', context_path='/confluence')"
    )
