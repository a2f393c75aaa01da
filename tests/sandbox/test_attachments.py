from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from .calls import create_page

if TYPE_CHECKING:
    import httpx

    from docs_confluence.testing import SandboxHarness

XSRF = {"X-Atlassian-Token": "no-check"}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture
def page_id(confluence: SandboxHarness, client: httpx.Client) -> str:
    return str(create_page(client, confluence.space().id, "With files")["id"])


def upload(
    client: httpx.Client,
    page_id: str,
    name: str = "diagram.png",
    data: bytes = PNG,
    *,
    method: str = "POST",
    headers: dict[str, str] = XSRF,
) -> httpx.Response:
    return client.request(
        method,
        f"/rest/api/content/{page_id}/child/attachment",
        headers=headers,
        files={"file": (name, data, "image/png")},
        data={"comment": "generated", "minorEdit": "true"},
    )


def test_upload_needs_the_xsrf_header(client, page_id):
    refused = upload(client, page_id, headers={})
    nocheck = upload(client, page_id, headers={"X-Atlassian-Token": "nocheck"})

    assert refused.status_code == 403
    assert refused.json()["message"] == "XSRF check failed"
    assert nocheck.status_code == 200


def test_upload_answers_a_content_array(client, page_id):
    response = upload(client, page_id)

    body = response.json()
    attachment = body["results"][0]
    assert (body["size"], body["start"]) == (1, 0)
    assert attachment["id"].startswith("att")
    assert attachment["type"] == "attachment"
    assert attachment["title"] == "diagram.png"
    assert attachment["version"]["number"] == 1
    assert attachment["version"]["minorEdit"] is True
    assert attachment["extensions"] == {
        "mediaType": "image/png",
        "fileSize": len(PNG),
        "comment": "generated",
    }
    assert attachment["_links"]["download"].startswith(
        f"/download/attachments/{page_id}/diagram.png?version=1&modificationDate="
    )


def test_same_file_name_is_refused_on_post_and_upserted_on_put(client, page_id):
    first = upload(client, page_id).json()["results"][0]

    duplicate = upload(client, page_id)
    upserted = upload(client, page_id, data=b"new bytes", method="PUT").json()["results"][0]
    fresh = upload(client, page_id, "other.png", method="PUT").json()["results"][0]

    assert duplicate.status_code == 400
    assert duplicate.json()["message"] == (
        "Cannot add a new attachment with same file name as an existing attachment: diagram.png"
    )
    assert upserted["id"] == first["id"]
    assert upserted["version"]["number"] == 2
    assert upserted["extensions"]["fileSize"] == len(b"new bytes")
    assert fresh["id"] != first["id"]
    assert fresh["version"]["number"] == 1


def test_new_data_for_a_known_attachment_and_downloads(confluence, client, page_id):
    att = upload(client, page_id).json()["results"][0]

    replaced = client.post(
        f"/rest/api/content/{page_id}/child/attachment/{att['id'][3:]}/data",
        headers=XSRF,
        files={"file": ("diagram.png", b"version two", "image/png")},
    ).json()
    latest = client.get(f"/download/attachments/{page_id}/diagram.png")
    first = client.get(f"/download/attachments/{page_id}/diagram.png", params={"version": 1})

    assert replaced["id"] == att["id"]
    assert replaced["version"]["number"] == 2
    assert (latest.content, latest.headers["content-type"]) == (b"version two", "image/png")
    assert first.content == PNG
    assert client.get(f"/download/attachments/{page_id}/missing.png").status_code == 404


def test_listing_reading_and_deleting_attachments(client, page_id):
    upload(client, page_id, "a.png")
    b = upload(client, page_id, "b.png").json()["results"][0]

    v1 = client.get(f"/rest/api/content/{page_id}/child/attachment").json()
    by_name = client.get(
        f"/rest/api/content/{page_id}/child/attachment", params={"filename": "b.png"}
    ).json()
    v2 = client.get(f"/api/v2/pages/{page_id}/attachments").json()["results"]
    one = client.get(f"/api/v2/attachments/{b['id']}").json()
    early_purge = client.delete(f"/api/v2/attachments/{b['id']}", params={"purge": "true"})
    trashed = client.delete(f"/api/v2/attachments/{b['id']}")
    after = client.get(f"/api/v2/pages/{page_id}/attachments").json()["results"]
    purged = client.delete(f"/api/v2/attachments/{b['id']}", params={"purge": "true"})

    assert [a["title"] for a in v1["results"]] == ["a.png", "b.png"]
    assert [a["title"] for a in by_name["results"]] == ["b.png"]
    assert [(a["title"], a["fileSize"], a["pageId"]) for a in v2] == [
        ("a.png", len(PNG), page_id),
        ("b.png", len(PNG), page_id),
    ]
    assert (one["mediaType"], one["comment"], one["version"]["number"]) == (
        "image/png",
        "generated",
        1,
    )
    assert early_purge.status_code == 400
    assert trashed.status_code == 204
    assert [a["title"] for a in after] == ["a.png"]
    assert purged.status_code == 204
    assert (
        client.get(f"/api/v2/attachments/{b['id']}", params={"status": "trashed"}).status_code
        == 404
    )


def test_v1_delete_of_an_attachment_removes_it_at_once(client, page_id):
    att = upload(client, page_id).json()["results"][0]

    assert client.delete(f"/rest/api/content/{att['id']}").status_code == 204
    assert client.get(f"/rest/api/content/{att['id']}").status_code == 404
    assert upload(client, page_id).status_code == 200


def test_several_files_in_one_upload(client, page_id):
    response = client.post(
        f"/rest/api/content/{page_id}/child/attachment",
        headers=XSRF,
        files=[("file", ("a.txt", b"a", "text/plain")), ("file", ("b.txt", b"bb", "text/plain"))],
    )

    assert [(a["title"], a["extensions"]["fileSize"]) for a in response.json()["results"]] == [
        ("a.txt", 1),
        ("b.txt", 2),
    ]


def test_upload_without_a_file_part_is_400(client, page_id):
    response = client.post(
        f"/rest/api/content/{page_id}/child/attachment",
        headers=XSRF,
        files={"comment": (None, "only a comment")},
    )

    assert response.status_code == 400


def test_non_ascii_file_names_round_trip_over_real_http(live_confluence):
    with live_confluence.client() as client:
        page_id = create_page(client, live_confluence.space().id, "Unicode files")["id"]
        uploaded = upload(client, page_id, "diagrämm €.png").json()["results"][0]
        download = client.get(uploaded["_links"]["download"].split("?")[0])
        listed = client.get(f"/api/v2/pages/{page_id}/attachments").json()["results"]
        deleted = client.delete(f"/api/v2/attachments/{uploaded['id']}")

    assert uploaded["title"] == "diagrämm €.png"
    assert download.content == PNG
    assert [a["title"] for a in listed] == ["diagrämm €.png"]
    assert (deleted.status_code, deleted.content) == (204, b"")


def test_cql_search_lists_a_spaces_attachments_with_their_pages(confluence, client, page_id):
    upload(client, page_id, "a.png")
    upload(client, page_id, "b.png")
    gone = upload(client, page_id, "c.png").json()["results"][0]
    client.delete(f"/api/v2/attachments/{gone['id']}")
    query = {"cql": 'space = "DOC" and type = attachment', "expand": "version,container"}

    found = client.get("/rest/api/content/search", params=query).json()
    elsewhere = client.get(
        "/rest/api/content/search", params={"cql": "space = OTHER and type = attachment"}
    ).json()

    assert [(r["title"], r["container"]["id"], r["type"]) for r in found["results"]] == [
        ("a.png", page_id, "attachment"),
        ("b.png", page_id, "attachment"),
    ]
    assert found["results"][1]["metadata"]["comment"] == "generated"
    assert elsewhere["results"] == []


def test_cql_search_caps_its_limit_by_expansion(client, page_id):
    for n in range(3):
        upload(client, page_id, f"f{n}.png")
    cql = "type = attachment"

    plain = client.get("/rest/api/content/search", params={"cql": cql, "limit": 5000}).json()
    expanded = client.get(
        "/rest/api/content/search", params={"cql": cql, "limit": 5000, "expand": "version"}
    ).json()
    body = client.get(
        "/rest/api/content/search", params={"cql": cql, "limit": 5000, "expand": "body.storage"}
    ).json()

    assert (plain["limit"], expanded["limit"], body["limit"]) == (250, 200, 50)
    assert len(plain["results"]) == 3


BOUNDARY = "b0undary"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    head=st.binary(max_size=40),
    tail=st.binary(max_size=40),
    name=st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=20),
)
def test_file_bytes_and_names_that_look_like_form_syntax_round_trip(
    client, page_id, head, tail, name
):
    # The boundary inside a file (not after a line break), dashes, CR and LF, quotes in names:
    # what a parser that splits on the boundary string would cut apart.
    data = head + b"--" + BOUNDARY.encode() + b"--\r" + tail + b"\n"
    assume(b"\r\n--" + BOUNDARY.encode() not in data)
    title = name.strip().replace("/", "_").replace("\\", "_") or "file"
    response = client.put(
        f"/rest/api/content/{page_id}/child/attachment",
        headers={**XSRF, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        files={"file": (title, data, "application/octet-stream")},
        data={"comment": 'say "hi"\r\nx--' + BOUNDARY},
    )

    assert response.status_code == 200, response.text
    attachment = response.json()["results"][0]
    download = client.get(attachment["_links"]["download"].split("?")[0])
    assert (attachment["title"], attachment["metadata"]["comment"]) == (
        title,
        'say "hi"\r\nx--' + BOUNDARY,
    )
    assert download.content == data


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"no delimiter at all",
        b"--b0undary\r\nContent-Disposition: form-data; name=file; filename=a\r\n\r\nunterminated",
        b"--b0undary\r\nno blank line after headers--b0undary--\r\n",
    ],
)
def test_a_malformed_form_is_400_in_confluences_shape(client, page_id, body):
    response = client.post(
        f"/rest/api/content/{page_id}/child/attachment",
        headers={**XSRF, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        content=body,
    )

    assert response.status_code == 400
    assert response.json()["message"] == "Malformed multipart/form-data body"
