from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING

import httpx
import pytest

from docs_confluence.sandbox import Sandbox, SandboxStore, serve, serve_forever

if TYPE_CHECKING:
    from pathlib import Path


def run_until_published(data_path: Path, title: str) -> str:
    """Run serve_forever in a thread, publish one page over HTTP, stop; return the base URL."""
    ready: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(
        target=serve_forever,
        kwargs={"port": 0, "data_path": data_path, "on_ready": ready.put, "stop": stop},
    )
    thread.start()
    try:
        base_url = ready.get(timeout=5)
        with httpx.Client(
            base_url=base_url, auth=("sandbox@example.com", "sandbox-api-token")
        ) as client:
            space_id = client.get("/api/v2/spaces", params={"keys": "DOC"}).json()["results"][0]
            created = client.post(
                "/api/v2/pages",
                json={
                    "spaceId": space_id["id"],
                    "title": title,
                    "body": {"representation": "storage", "value": "<p>kept</p>"},
                },
            )
            assert created.status_code == 200, created.text
    finally:
        stop.set()
        thread.join(timeout=5)
    return base_url


def test_serve_forever_keeps_the_site_in_its_data_file(tmp_path):
    data_path = tmp_path / "sandbox.db"

    first = run_until_published(data_path, "First run")
    run_until_published(data_path, "Second run")

    with SandboxStore.open(data_path) as store:
        space = store.space_by_key("DOC")
        assert space is not None
        titles = [p.title for p in store.pages.children(space.homepage_id)]
        users = [u.email for u in store.users()]
    assert first.startswith("http://127.0.0.1:")
    assert first.endswith("/wiki")
    assert titles == ["First run", "Second run"]
    assert users == ["sandbox@example.com"]


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_binding_a_non_loopback_address_warns_loudly(host, caplog):
    with serve(Sandbox(SandboxStore()), host, 0):
        pass
    assert any("not a loopback address" in r.getMessage() for r in caplog.records)
    assert all(r.levelname == "WARNING" for r in caplog.records if "loopback" in r.getMessage())


def test_loopback_binds_stay_quiet(caplog):
    with serve(Sandbox(SandboxStore()), "127.0.0.1", 0):
        pass
    assert not any("loopback" in r.getMessage() for r in caplog.records)
