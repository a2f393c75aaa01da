from __future__ import annotations

import httpx
import pytest

from .calls import create_page


def test_reads_writes_and_routes_are_counted(confluence, client):
    page = create_page(client, confluence.space().id, "Counted")
    client.get(f"/api/v2/pages/{page['id']}")
    client.get(f"/api/v2/pages/{page['id']}")
    client.head("/api/v2/spaces")
    client.get("/rest/api/content/search", params={"cql": "type = page"})
    client.get("/api/v2/nowhere")

    stats = confluence.stats
    assert (stats.reads, stats.writes, stats.total) == (5, 1, 6)
    assert stats.routes == {
        "POST /api/v2/pages": 1,
        "GET /api/v2/pages/{id}": 2,
        "HEAD /api/v2/spaces": 1,
        "GET /rest/api/content/search": 1,
        "GET (unmatched)": 1,
    }
    assert stats.count("GET /api/v2/pages/{id}") == 2
    assert stats.count("DELETE /api/v2/pages/{id}") == 0


def test_faulted_and_unauthorized_requests_count_too(confluence, client):
    confluence.faults.rate_limit(method="GET")
    confluence.faults.drop(method="POST")

    client.get("/api/v2/spaces")
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/api/v2/pages", json={})
    with confluence.client(auth="none") as anonymous:
        anonymous.get("/api/v2/spaces")

    assert confluence.stats.routes == {"GET /api/v2/spaces": 2, "POST /api/v2/pages": 1}


def test_reset_starts_over(confluence, client):
    client.get("/api/v2/spaces")

    confluence.stats.reset()

    assert (confluence.stats.total, confluence.stats.routes) == (0, {})
