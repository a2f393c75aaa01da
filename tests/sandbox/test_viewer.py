from __future__ import annotations

import re

import httpx

from .calls import create_page


def test_index_lists_spaces_and_the_page_tree_in_order(confluence, client):
    space_id = confluence.space().id
    guide = create_page(client, space_id, "Guide")
    create_page(client, space_id, "Zeta", parent_id=guide["id"])
    create_page(client, space_id, "Alpha", parent_id=guide["id"])

    with httpx.Client(transport=confluence.transport) as anonymous:
        response = anonymous.get("http://confluence.test/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    titles = re.findall(r'<a href="/view/pages/\d+">([^<]+)</a>', response.text)
    assert titles == ["DOC Home", "Guide", "Zeta", "Alpha"]
    assert '<h2 id="space-DOC">Documentation <small>DOC</small></h2>' in response.text
    nested = re.search(r"Guide</a>.*?<ul><li>.*?Zeta.*?Alpha", response.text)
    assert nested


def test_page_view_shows_metadata_source_and_rendering(confluence, client):
    page = create_page(
        client,
        confluence.space().id,
        "Shown <page>",
        '<p>Hello <i>world</i></p><ac:structured-macro ac:name="info">'
        '<ac:parameter ac:name="title">T</ac:parameter>'
        "<ac:rich-text-body><p>Inside</p></ac:rich-text-body></ac:structured-macro>"
        '<p onclick="evil()"><a href="javascript:alert(1)">x</a></p>',
    )
    client.post(f"/rest/api/content/{page['id']}/label", json=[{"name": "shown"}])
    client.post(f"/api/v2/pages/{page['id']}/properties", json={"key": "hash", "value": "abc"})
    client.post(
        f"/rest/api/content/{page['id']}/child/attachment",
        headers={"X-Atlassian-Token": "no-check"},
        files={"file": ("notes.txt", b"file body", "text/plain")},
    )

    with httpx.Client(transport=confluence.transport) as anonymous:
        view = anonymous.get(f"http://confluence.test/view/pages/{page['id']}").text
        download = anonymous.get(f"http://confluence.test/view/pages/{page['id']}/files/notes.txt")
        missing = anonymous.get("http://confluence.test/view/pages/1")

    assert '<h1 class="page-title">Shown &lt;page&gt;</h1>' in view
    assert f"id <code>{page['id']}</code>" in view
    assert "version 1" in view
    assert "Labels: shown" in view
    assert "notes.txt" in view
    assert "<code>hash</code>" in view
    assert "&quot;abc&quot;" in view
    assert "&lt;em&gt;world&lt;/em&gt;" in view  # the stored source, escaped
    assert "<p>Hello <em>world</em></p>" in view  # the rendering
    assert '<p class="panel-title">T</p><p>Inside</p>' in view
    assert "onclick" not in view.split("<summary>Storage format</summary>")[0]
    assert "javascript:" not in view.split("<summary>Storage format</summary>")[0]
    assert download.content == b"file body"
    assert missing.status_code == 404
