from __future__ import annotations

import threading

import httpx

from docs_confluence.testing import PageSnapshot

from .calls import create_page


def test_fixture_is_seeded(confluence):
    assert confluence.base_url == "http://confluence.test/wiki"
    assert isinstance(confluence.transport, httpx.WSGITransport)
    assert confluence.tree() == [("DOC Home", [])]
    assert (confluence.bot.email, confluence.human.email) == (
        "bot@example.com",
        "alice@example.com",
    )
    assert confluence.store.authenticate_bearer("sandbox-pat") == confluence.bot


def test_readers_describe_the_final_state(confluence, client):
    space_id = confluence.space().id
    guide = create_page(client, space_id, "Guide", "<p><b>hi</b></p>")
    create_page(client, space_id, "Step 1", parent_id=guide["id"])
    create_page(client, space_id, "Step 2", parent_id=guide["id"])

    assert confluence.page("DOC", "Guide") == PageSnapshot(
        id=guide["id"],
        title="Guide",
        parent_id=confluence.space().homepage_id,
        position=0,
        version=1,
        body="<p><strong>hi</strong></p>",
        labels=(),
        status="current",
    )
    assert [c.title for c in confluence.children(guide["id"])] == ["Step 1", "Step 2"]
    assert confluence.tree() == [
        ("DOC Home", [("Guide", [("Step 1", []), ("Step 2", [])])]),
    ]
    assert confluence.outline() == "DOC Home\n  Guide\n    Step 1\n    Step 2"


def test_edit_as_human_saves_a_real_version_by_alice(confluence, client):
    page = create_page(client, confluence.space().id, "Edited", "<p>bot</p>")

    edited = confluence.edit_as_human(page["id"], "<p><i>alice</i></p>")
    versions = client.get(f"/api/v2/pages/{page['id']}/versions").json()["results"]

    assert (edited.version, edited.body) == (2, "<p><em>alice</em></p>")
    assert versions[0]["authorId"] == confluence.human.account_id
    assert versions[0]["message"] == ""
    assert versions[0]["minorEdit"] is False


def test_live_confluence_serves_over_http(live_confluence):
    assert live_confluence.transport is None
    assert live_confluence.base_url.startswith("http://127.0.0.1:")
    assert live_confluence.base_url.endswith("/wiki")

    with httpx.Client(auth=(live_confluence.email, live_confluence.api_token)) as client:
        spaces = client.get(f"{live_confluence.base_url}/api/v2/spaces").json()

    assert spaces["_links"]["base"] == live_confluence.base_url
    assert [s["key"] for s in spaces["results"]] == ["DOC"]


def test_live_confluence_handles_concurrent_clients(live_confluence):
    space_id = live_confluence.space().id
    errors: list[BaseException] = []

    def publish(n: int) -> None:
        try:
            with live_confluence.client() as client:
                create_page(client, space_id, f"Concurrent {n}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    titles = sorted(title for title, _ in live_confluence.tree()[0][1])
    assert titles == sorted(f"Concurrent {n}" for n in range(8))
    assert len({live_confluence.page("DOC", t).id for t in titles}) == 8
