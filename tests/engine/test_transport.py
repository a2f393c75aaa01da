from __future__ import annotations

import httpx
import pytest

from docs_confluence.errors import (
    NetworkError,
    NotFound,
    OutcomeUnknown,
    PermissionDenied,
    RateLimited,
)
from docs_confluence.rest.client import ConfluenceClient
from docs_confluence.rest.models import Space
from docs_confluence.rest.sender import RetryPolicy, Sender
from docs_confluence.rest.throttle import Throttle

SPACE = Space("1", "DOC", "Docs", "100")


class FakeTime:
    """A clock that moves only when someone sleeps, noting each sleep."""

    def __init__(self, sleeps):
        self.now = 0.0
        self.sleeps = sleeps

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def sender_for(handler, sleeps, attempts=4):
    http = httpx.Client(transport=httpx.MockTransport(handler))
    fake = FakeTime(sleeps)
    return Sender(
        http,
        RetryPolicy(attempts=attempts, initial_backoff=1.0),
        sleep=fake.sleep,
        throttle=Throttle(clock=fake.clock, sleep=fake.sleep),
    )


def test_429_waits_for_retry_after_then_succeeds():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) < 3:
            return httpx.Response(429, headers={"Retry-After": "7"})
        return httpx.Response(200, json={"ok": True})

    sleeps: list[float] = []
    response = sender_for(handler, sleeps).send("GET", "https://x.test/wiki/api/v2/pages", what="t")
    assert response.json() == {"ok": True}
    assert len(calls) == 3
    assert sleeps[0] == pytest.approx(7, abs=0.1)
    assert sleeps[1] == pytest.approx(7, abs=0.1)


def test_persistent_503_gives_up_with_a_rate_limited_error():
    sleeps: list[float] = []
    sender = sender_for(lambda r: httpx.Response(503, headers={"Retry-After": "1"}), sleeps)
    with pytest.raises(RateLimited, match="503"):
        sender.send("GET", "https://x.test/wiki/api/v2/pages", what="list pages")
    assert sleeps == [1.0, 1.0, 1.0]


def test_transient_optimistic_lock_409_is_retried_but_a_real_409_is_not():
    answers = [
        httpx.Response(409, json={"message": "javax.persistence.OptimisticLockException: x"}),
        httpx.Response(200, json={}),
    ]
    sender = sender_for(lambda r: answers.pop(0), [])
    assert sender.send("PUT", "https://x.test/a", what="t").status_code == 200


def test_lost_answer_to_a_post_is_reported_as_unknown_outcome_not_retried():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ReadError("connection reset")

    with pytest.raises(OutcomeUnknown, match="may or may not have been carried out"):
        sender_for(handler, []).send("POST", "https://x.test/wiki/api/v2/pages", what="create")
    assert len(calls) == 1


def test_lost_answer_to_a_get_is_retried_then_named():
    def handler(request):
        raise httpx.ConnectError("refused")

    with pytest.raises(NetworkError, match=r"cannot reach https://x\.test/wiki/api/v2/pages"):
        sender_for(handler, [], attempts=2).send(
            "GET", "https://x.test/wiki/api/v2/pages?cursor=secret", what="list pages"
        )


def test_confluence_error_body_becomes_the_message():
    body = {"errors": [{"status": 404, "code": "NOT_FOUND", "title": "Not Found", "detail": None}]}
    sender = sender_for(lambda r: httpx.Response(404, json=body), [])
    with pytest.raises(NotFound) as caught:
        sender.send("GET", "https://x.test/wiki/api/v2/pages/7", what="read page 7")
    assert str(caught.value).startswith("read page 7 failed: 404 Not Found (GET https://x.test")
    assert caught.value.status == 404


def test_wrong_credentials_name_the_variables_but_never_the_secret():
    client = ConfluenceClient(
        "https://x.test/wiki",
        auth=httpx.BasicAuth("me@example.com", "s3cret-token-value"),
        transport=httpx.MockTransport(lambda r: httpx.Response(401, text="Unauthorized")),
    )
    with pytest.raises(PermissionDenied) as caught:
        client.get_space("DOC")
    message = str(caught.value)
    assert "CONFLUENCE_USER/CONFLUENCE_API_TOKEN" in message
    assert "s3cret-token-value" not in message
    assert "s3cret-token-value" not in repr(caught.value.__dict__)


def test_v2_pagination_follows_next_links_onto_the_gateway_prefix():
    seen = []

    def handler(request):
        seen.append(str(request.url))
        if "cursor" not in request.url.params:
            return httpx.Response(
                200,
                json={
                    "results": [{"id": "1", "title": "A", "version": {"number": 1}}],
                    "_links": {"next": "/wiki/api/v2/spaces/1/pages?cursor=abc&limit=250"},
                },
            )
        return httpx.Response(
            200,
            json={"results": [{"id": "2", "title": "B", "version": {"number": 1}}], "_links": {}},
        )

    base = "https://api.example.test/ex/confluence/cloud-1/wiki"
    client = ConfluenceClient(base, auth=None, transport=httpx.MockTransport(handler))
    assert [p.title for p in client.list_space_pages(SPACE)] == ["A", "B"]
    assert seen[1].startswith(base + "/api/v2/spaces/1/pages?cursor=abc")


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_answer_to_a_post_is_an_unknown_outcome_not_resent(status):
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(status, json={"message": "gateway gave up"})

    with pytest.raises(OutcomeUnknown, match=f"answered {status}"):
        sender_for(handler, []).send("POST", "https://x.test/wiki/api/v2/pages", what="create")
    assert len(calls) == 1


def test_a_post_refused_before_any_work_is_retried():
    answers = [
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.Response(500, json={"message": "javax.persistence.OptimisticLockException: x"}),
        httpx.Response(200, json={"id": "1"}),
    ]
    sender = sender_for(lambda r: answers.pop(0), [])
    assert sender.send("POST", "https://x.test/wiki/api/v2/pages", what="t").json() == {"id": "1"}
