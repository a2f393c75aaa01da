from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from docs_confluence.sandbox import SandboxStore
from docs_confluence.testing import SandboxHarness

from .calls import create_page, update_page

if TYPE_CHECKING:
    from pathlib import Path

XSRF = {"X-Atlassian-Token": "no-check"}


def test_a_site_survives_a_restart(tmp_path):
    path = tmp_path / "site.db"
    with SandboxStore.open(path) as store:
        harness = SandboxHarness.create(store=store)
        with harness.client() as client:
            guide = create_page(client, harness.space().id, "Guide", "<p><b>one</b></p>")
            update_page(client, guide, "<p>two</p>")
            child = create_page(client, harness.space().id, "Child", parent_id=guide["id"])
            client.post(f"/api/v2/pages/{child['id']}/properties", json={"key": "k", "value": [1]})
            client.post(f"/rest/api/content/{child['id']}/label", json=[{"name": "kept"}])
            client.post(
                f"/rest/api/content/{child['id']}/child/attachment",
                headers=XSRF,
                files={"file": ("a.bin", b"\x00\x01bytes", "application/octet-stream")},
            )
            trashed = create_page(client, harness.space().id, "Trashed")
            client.delete(f"/api/v2/pages/{trashed['id']}")
        before = (harness.outline(), harness.page("DOC", "Guide"), harness.page("DOC", "Child"))

    with SandboxStore.open(path) as store:
        reopened = SandboxHarness.create(store=store)
        after = (reopened.outline(), reopened.page("DOC", "Guide"), reopened.page("DOC", "Child"))
        versions = [v.body for v in store.pages.versions(guide["id"])]
        (attachment,) = store.attachments.of(child["id"])
        data = store.attachments.data(attachment.id).data
        prop = store.properties.by_key(child["id"], "k")
        with reopened.client() as client:
            newer = create_page(client, reopened.space().id, "Newer")
            signed_in = client.get("/rest/api/user/current").status_code

    assert after == before
    assert before[0] == "DOC Home\n  Guide\n    Child"
    assert versions == ["<p><strong>one</strong></p>", "<p>two</p>"]
    assert data == b"\x00\x01bytes"
    assert prop is not None
    assert prop.value == [1]
    assert store.pages.get(trashed["id"]).status == "trashed"
    assert int(newer["id"]) > int(trashed["id"])
    assert signed_in == 200


def test_writes_are_incremental(tmp_path):
    path = tmp_path / "site.db"
    with SandboxStore.open(path) as store:
        harness = SandboxHarness.create(store=store)
        with harness.client() as client:
            for n in range(30):
                create_page(client, harness.space().id, f"Page {n}")
            rows_before = _rows(path)
            page = create_page(client, harness.space().id, "One more")
            update_page(client, page, "<p>edit</p>")
            rows_after = _rows(path)

    # One page adds its head and one version; an update adds one version: no rewrite of others.
    assert rows_after["page"] == rows_before["page"] + 1
    assert rows_after["version"] == rows_before["version"] + 2


def _rows(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        counts = dict(db.execute("SELECT kind, COUNT(*) FROM record GROUP BY kind").fetchall())
    db.close()
    return counts
