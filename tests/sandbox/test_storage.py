from __future__ import annotations

import re

import pytest

from docs_confluence.sandbox import normalise
from docs_confluence.sandbox.errors import InvalidStorage

from .calls import create_page, storage, update_page, v2_error


def test_malformed_xhtml_is_400_with_confluences_message(confluence, client):
    response = client.post(
        "/api/v2/pages",
        json={
            "spaceId": confluence.space().id,
            "title": "Broken",
            "body": storage("<p>Hello<br></p>"),
        },
    )

    assert response.status_code == 400
    assert v2_error(response) == (
        400,
        "BAD_REQUEST",
        "Error parsing xhtml: Unexpected close tag </p>; expected </br>.\n"
        " at [row,col {unknown-source}]: [1,17]",
    )
    assert confluence.tree() == [("DOC Home", [])]


def test_v1_reports_the_same_error_in_the_v1_shape(client):
    response = client.post(
        "/rest/api/content",
        json={
            "type": "page",
            "title": "Broken",
            "space": {"key": "DOC"},
            "body": {"storage": {"value": "<h1>T</h1>\n<p>one\n<b>two</p>\n</b>"}},
        },
    )

    assert response.json() == {
        "statusCode": 400,
        "data": {
            "authorized": False,
            "valid": True,
            "allowedInReadOnlyMode": True,
            "errors": [],
            "successful": False,
        },
        "message": "Error parsing xhtml: Unexpected close tag </p>; expected </b>.\n"
        " at [row,col {unknown-source}]: [3,11]",
        "reason": "Bad Request",
    }


def test_unknown_entity_is_rejected(client, confluence):
    response = client.post(
        "/api/v2/pages",
        json={
            "spaceId": confluence.space().id,
            "title": "E",
            "body": storage("<p>a &bogus; b</p>"),
        },
    )

    assert v2_error(response)[2] == (
        'Error parsing xhtml: Undeclared general entity "bogus"\n'
        " at [row,col {unknown-source}]: [1,13]"
    )


def test_xhtml_named_entities_are_accepted(client, confluence):
    page = create_page(
        client, confluence.space().id, "Entities", "<p>a&nbsp;b &rsquo;c&copy; &amp; &#160;</p>"
    )

    assert page["body"]["storage"]["value"] == "<p>a\xa0b \u2019c\xa9 &amp; \xa0</p>"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<p>a]]>b</p>", "String ']]>' not allowed in textual content"),
        ("<p>x", "Unexpected EOF; was expecting a close tag for element <p>"),
        ("</p>", "Unbalanced close tag </p>; no open start tag."),
        ("<foo:bar/>", 'Undeclared namespace prefix "foo"'),
        ("<p class=x>", "AttValue"),
        ("a & b", "Unescaped '&'"),
    ],
)
def test_other_malformed_bodies(body, reason):
    with pytest.raises(InvalidStorage) as caught:
        normalise(body)

    assert caught.value.message.startswith(f"Error parsing xhtml: {reason}")
    assert re.search(r"\n at \[row,col \{unknown-source\}\]: \[\d+,\d+\]$", caught.value.message)


def test_save_rewrites_the_body_like_confluence(confluence, client):
    sent = (
        "<p class='lead'>Some <b>bold</b> and <i>italic</i></p><p></p>"
        '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>Note</p>'
        "</ac:rich-text-body></ac:structured-macro>"
    )

    page = create_page(client, confluence.space().id, "Rewritten", sent)
    read = client.get(f"/api/v2/pages/{page['id']}", params={"body-format": "storage"}).json()

    stored = read["body"]["storage"]["value"]
    assert stored != sent
    assert stored == page["body"]["storage"]["value"]
    macro_id = re.search(r'ac:macro-id="([0-9a-f-]{36})"', stored)
    assert macro_id
    assert stored == (
        '<p class="lead">Some <strong>bold</strong> and <em>italic</em></p><p/>'
        f'<ac:structured-macro ac:name="info" ac:macro-id="{macro_id.group(1)}">'
        "<ac:rich-text-body><p>Note</p></ac:rich-text-body></ac:structured-macro>"
    )


def test_existing_macro_ids_are_kept_on_resave(confluence, client):
    page = create_page(
        client, confluence.space().id, "Macro", '<ac:structured-macro ac:name="toc"/>'
    )
    first = page["body"]["storage"]["value"]

    again = update_page(client, page, first).json()["body"]["storage"]["value"]

    assert again == first


def test_cdata_and_code_macros_survive():
    body = (
        '<ac:structured-macro ac:name="code" ac:macro-id="m1">'
        "<ac:plain-text-body><![CDATA[if a[b[0]]]]]><![CDATA[> 1: print('<x>')]]>"
        "</ac:plain-text-body></ac:structured-macro>"
    )

    assert normalise(body) == body


def test_normalise_is_a_pure_function_of_the_body():
    assert normalise("") == ""
    assert normalise("plain text") == "plain text"
    assert normalise("<br></br><hr />") == "<br/><hr/>"
    assert normalise('<ac:structured-macro ac:name="x"/>', new_id=lambda: "fixed") == (
        '<ac:structured-macro ac:name="x" ac:macro-id="fixed"/>'
    )
