from __future__ import annotations

import time

import httpx
import pytest

from docs_confluence.sandbox import ConnectionDropped

from .calls import create_page, storage, v2_error


def test_rate_limit_answers_429_with_headers_then_recovers(confluence, client):
    confluence.faults.rate_limit(2, method="GET", path=r"/api/v2/spaces", retry_after=3)

    first = client.get("/api/v2/spaces")
    other_path = client.get("/api/v2/pages")
    second = client.get("/api/v2/spaces")
    third = client.get("/api/v2/spaces")

    assert first.status_code == 429
    assert first.headers["Retry-After"] == "3"
    assert first.headers["X-RateLimit-Limit"] == "100"
    assert first.headers["X-RateLimit-Remaining"] == "0"
    assert first.headers["X-RateLimit-Reset"].endswith("Z")
    assert v2_error(first)[0] == 429
    assert other_path.status_code == 200
    assert second.status_code == 429
    assert third.status_code == 200
    assert confluence.faults.pending() == []


def test_a_site_rate_limit_lets_a_burst_in_then_refuses_until_a_token_is_free(confluence, client):
    bucket = confluence.faults.limit_rate(5, burst=3)

    answers = [client.get("/api/v2/spaces") for _ in range(5)]

    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    refused = [a for a in answers[3:] if a.status_code == 429]
    assert refused  # five at once is faster than five a second with three in reserve
    assert all(0 < float(a.headers["Retry-After"]) <= 0.2 for a in refused)
    assert v2_error(refused[0])[0] == 429
    assert (bucket.admitted, bucket.refused) == (5 - len(refused), len(refused))
    time.sleep(float(refused[-1].headers["Retry-After"]))
    assert client.get("/api/v2/spaces").status_code == 200
    confluence.faults.clear()
    assert all(client.get("/api/v2/spaces").status_code == 200 for _ in range(10))


def test_server_errors_with_retry_after_and_optimistic_lock(confluence, client):
    confluence.faults.server_error(status=503, retry_after=0.5)
    confluence.faults.server_error(status=500, path=r"/rest/api/", optimistic_lock=True)

    unavailable = client.get("/rest/api/space/DOC")
    locked = client.get("/rest/api/space/DOC")

    assert (unavailable.status_code, unavailable.headers["Retry-After"]) == (503, "0.5")
    assert unavailable.json()["message"] == "Service Unavailable"
    assert locked.status_code == 500
    assert "OptimisticLockException" in locked.json()["message"]
    assert "Retry-After" not in locked.headers
    with pytest.raises(ValueError, match="5xx"):
        confluence.faults.server_error(status=404)


def test_transient_conflict_leaves_the_page_untouched(confluence, client):
    page = create_page(client, confluence.space().id, "Busy")
    confluence.faults.conflict(method="PUT")

    response = client.put(
        f"/api/v2/pages/{page['id']}",
        json={
            "id": page["id"],
            "status": "current",
            "title": "Busy",
            "body": storage("<p>new</p>"),
            "version": {"number": 2},
        },
    )

    assert v2_error(response)[:2] == (409, "CONFLICT")
    assert "OptimisticLockException" in v2_error(response)[2]
    assert confluence.page("DOC", "Busy").version == 1


def test_dropped_connection_in_process_writes_nothing(confluence, client):
    confluence.faults.drop(method="POST")

    with pytest.raises(httpx.RemoteProtocolError) as caught:
        client.post(
            "/api/v2/pages",
            json={"spaceId": confluence.space().id, "title": "Lost", "body": storage("")},
        )

    assert isinstance(caught.value, ConnectionDropped)
    assert confluence.tree() == [("DOC Home", [])]


def test_apply_then_drop_creates_the_page_but_loses_the_answer(confluence, client):
    confluence.faults.drop(method="POST", path=r"/pages$", after_write=True)

    with pytest.raises(httpx.RemoteProtocolError):
        create_page(client, confluence.space().id, "Created anyway")

    assert confluence.page("DOC", "Created anyway").version == 1


def test_latency_delays_every_request(confluence, client):
    confluence.faults.latency = 0.05

    started = time.perf_counter()
    client.get("/api/v2/spaces")
    elapsed = time.perf_counter() - started
    confluence.faults.clear()

    assert elapsed >= 0.05
    assert confluence.faults.latency == 0
    with pytest.raises(ValueError, match="latency"):
        confluence.faults.latency = -1


def test_faults_over_real_http(live_confluence):
    live_confluence.faults.rate_limit(retry_after=1, reason="confluence-quota-global-based")
    live_confluence.faults.drop(method="POST")
    live_confluence.faults.drop(method="POST", after_write=True)

    with live_confluence.client() as client:
        limited = client.get("/api/v2/spaces")
        space_id = client.get("/api/v2/spaces").json()["results"][0]["id"]
        body = {"spaceId": space_id, "title": "Over HTTP", "body": storage("<p>x</p>")}
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/api/v2/pages", json=body)
        missing_after_drop = client.get("/api/v2/pages", params={"title": "Over HTTP"}).json()
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/api/v2/pages", json=body)
        present = client.get("/api/v2/pages", params={"title": "Over HTTP"}).json()

    assert limited.status_code == 429
    assert limited.headers["RateLimit-Reason"] == "confluence-quota-global-based"
    assert missing_after_drop["results"] == []
    assert [p["title"] for p in present["results"]] == ["Over HTTP"]


def test_latency_shows_over_real_http(live_confluence):
    live_confluence.faults.latency = 0.05

    with live_confluence.client() as client:
        started = time.perf_counter()
        client.get("/api/v2/spaces")
        elapsed = time.perf_counter() - started

    assert elapsed >= 0.05


def test_a_server_error_after_the_write_hides_a_success(confluence, client):
    confluence.faults.server_error(status=502, method="POST", path=r"/pages$", after_write=True)

    answer = client.post(
        "/api/v2/pages",
        json={
            "spaceId": confluence.space().id,
            "title": "Applied",
            "body": storage("<p>x</p>"),
        },
    )

    assert answer.status_code == 502
    assert confluence.page("DOC", "Applied").version == 1


def test_a_stall_makes_a_short_read_timeout_give_up(live_confluence):
    live_confluence.faults.stall(seconds=0.5, method="GET", path=r"/spaces")
    with (
        httpx.Client(base_url=live_confluence.base_url, timeout=0.1) as http,
        pytest.raises(httpx.ReadTimeout),
    ):
        http.get("/api/v2/spaces")
    with pytest.raises(ValueError, match="seconds"):
        live_confluence.faults.stall(seconds=0)
