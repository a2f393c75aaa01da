"""Publishing with a stored OAuth login: expiry, refresh, rotation, concurrent refreshes."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from dataclasses import replace

import httpx
import pytest

from docs_confluence.auth import login as flows
from docs_confluence.auth.credential_store import CredentialStore
from docs_confluence.auth.credentials import connect, find_credentials
from docs_confluence.auth.grant import OAuthAuth, OAuthCredentials
from docs_confluence.auth.oauth import SCOPES, Endpoints, OAuthApp, TokenEndpoint, TokenSet
from docs_confluence.config import PublisherConfig
from docs_confluence.errors import AuthError, ConfluencePublisherError, NetworkError
from docs_confluence.publisher import publish_bundle
from docs_confluence.rest.sender import RetryPolicy

from .conftest import TickingClock, make_bundle

FAST = RetryPolicy(attempts=3, initial_backoff=0.01)


@pytest.fixture
def signed_in(oauth_site, store, browser):
    """A stored 3LO login for the live sandbox, made through the real flow."""
    return flows.login_with_oauth(
        oauth_site.url,
        oauth_site.app,
        store=store,
        endpoints=oauth_site.endpoints,
        show=browser,
        choose=lambda found: found[0],
        callback="http://127.0.0.1:0/callback",
        timeout=10,
    )


def publish(site, bundle, **options):
    config = PublisherConfig.from_mapping({"url": site.url, "space": "DOC", **options})
    return publish_bundle(bundle, config, retry=FAST)


def test_publish_uses_the_stored_login_through_the_gateway(oauth_site, signed_in, tmp_path):
    report = publish(oauth_site, make_bundle(tmp_path / "b", pages=2, files=1))

    assert report.summary() == "Published to space DOC: 3 created"
    assert oauth_site.live.outline() == "DOC Home\n  Home\n    Page 0\n    Page 1"
    gateway_calls = oauth_site.live.stats.count("GET /api/v2/spaces")
    assert gateway_calls == 1
    assert oauth_site.oauth.grants == {"authorization_code": 1}


def test_token_expiring_mid_publish_is_refreshed_and_the_publish_succeeds(
    oauth_site, signed_in, store, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    # A token lives for 12 requests: long enough that the 3 other threads cannot wear out a
    # token renewed for a retry before it is sent, short enough to renew it twice.
    oauth_site.oauth.clock = TickingClock(step=300)

    report = publish(oauth_site, make_bundle(tmp_path / "b", pages=12, files=1), concurrency=4)

    assert report.result is not None
    assert report.result.failed == []
    assert len(oauth_site.live.children(oauth_site.live.page("DOC", "Home").id)) == 12
    assert oauth_site.oauth.grants["refresh_token"] >= 2
    assert oauth_site.oauth.refusals["invalid_token"] >= 2
    for secret in [*oauth_site.oauth.issued_tokens(), oauth_site.app.client_secret]:
        assert secret not in caplog.text
    stored = store.get(oauth_site.url)
    assert stored is not None
    assert stored.refresh_token != signed_in.refresh_token
    # the stored refresh token is the live one: it refreshes again
    fresh = (
        OAuthCredentials.from_login(stored, store)
        .token_endpoint()
        .refresh(stored.refresh_token or "")
    )
    assert fresh.access_token


def test_token_about_to_expire_is_renewed_before_it_is_sent(oauth_site, signed_in, store, tmp_path):
    store.put(replace(signed_in, expires_at=signed_in.updated_at))  # expiring by our clock

    publish(oauth_site, make_bundle(tmp_path / "b", pages=1))

    assert oauth_site.oauth.grants["refresh_token"] == 1
    assert oauth_site.oauth.refusals == {}


def test_a_short_lived_token_is_not_refreshed_on_every_request(oauth_site, signed_in, tmp_path):
    oauth_site.oauth.access_token_lifetime = 30  # shorter than the 60 s leeway
    oauth_site.oauth.expire_access_tokens()

    publish(oauth_site, make_bundle(tmp_path / "b", pages=4))

    assert oauth_site.oauth.grants["refresh_token"] == 1


def test_reused_rotated_refresh_token_fails_cleanly(oauth_site, signed_in, store, tmp_path):
    clock = [time.time()]
    oauth_site.oauth.clock = lambda: clock[0]
    credentials = find_credentials(oauth_site.url, store=store)
    assert isinstance(credentials, OAuthCredentials)
    credentials.token_endpoint().refresh(signed_in.refresh_token or "")  # rotated elsewhere
    clock[0] += 3600  # past the 10-minute reuse window, and the access token has expired

    with pytest.raises(AuthError) as caught:
        publish(oauth_site, make_bundle(tmp_path / "b", pages=1))

    message = str(caught.value)
    assert "the sign-in has expired or was revoked (unauthorized_client)" in message
    assert f"run docs-confluence login --oauth {oauth_site.url}" in message
    for secret in signed_in.secrets:
        assert secret not in message
    assert oauth_site.live.outline() == "DOC Home"


def test_rotated_refresh_token_is_accepted_within_the_reuse_window(oauth_site, signed_in, store):
    credentials = find_credentials(oauth_site.url, store=store)
    assert isinstance(credentials, OAuthCredentials)
    endpoint = credentials.token_endpoint()

    endpoint.refresh(signed_in.refresh_token or "")
    again = endpoint.refresh(signed_in.refresh_token or "")

    assert again.access_token


def test_revoked_grant_gives_one_login_error(oauth_site, signed_in, tmp_path):
    oauth_site.oauth.revoke_grants()

    with pytest.raises(AuthError, match="expired or was revoked") as caught:
        publish(oauth_site, make_bundle(tmp_path / "b", pages=1))

    assert str(caught.value).count("docs-confluence login") == 1


def test_concurrent_refreshes_rotate_once_and_keep_the_store_whole(oauth_site, signed_in, store):
    oauth_site.oauth.expire_access_tokens()
    start = threading.Barrier(8)
    answers: list[int] = []

    def process():  # each thread plays a process: its own store handle and auth
        own = CredentialStore(store.directory)
        base_url, auth = connect(find_credentials(oauth_site.url, store=own), oauth_site.url)
        start.wait()
        with httpx.Client(auth=auth) as http:
            answers.append(http.get(f"{base_url}/api/v2/spaces").status_code)

    threads = [threading.Thread(target=process) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [200] * 8
    assert oauth_site.oauth.grants["refresh_token"] == 1
    stored = store.get(oauth_site.url)
    assert stored is not None
    assert json.loads(store.path.read_text())["sites"].keys() == {signed_in.site}
    assert oauth_site.oauth.access_token(stored.access_token or "") is not None


_PROCESS = """
import sys, httpx
from docs_confluence.auth.credentials import connect, find_credentials
base_url, auth = connect(find_credentials(sys.argv[1]), sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
print(httpx.get(base_url + "/api/v2/spaces", auth=auth).status_code)
"""


def test_concurrent_refreshes_across_processes(oauth_site, signed_in, store):
    oauth_site.oauth.expire_access_tokens()
    oauth_site.oauth.token_delay = 0.3  # refreshes that are not taken in turn overlap
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _PROCESS, oauth_site.url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        for child in children:  # every child goes at once
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outputs = [child.communicate(timeout=30)[0].strip() for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()

    assert outputs == ["200"] * 4
    assert oauth_site.oauth.grants["refresh_token"] == 1
    assert store.get(oauth_site.url) is not None


class LosingTransport(httpx.HTTPTransport):
    """Sends every request; the answer to the first token request is then lost."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = 0

    def handle_request(self, request):
        response = super().handle_request(request)
        if request.url.path == "/oauth/token" and not self.lost:
            response.read()
            response.close()
            self.lost += 1
            raise httpx.ReadTimeout("timed out", request=request)
        return response


def test_a_refresh_whose_answer_is_lost_is_sent_again_and_the_login_survives(
    oauth_site, signed_in, store
):
    clock = [time.time()]
    oauth_site.oauth.clock = lambda: clock[0]
    oauth_site.oauth.expire_access_tokens()
    lossy = LosingTransport()
    base_url, auth = connect(
        find_credentials(oauth_site.url, store=store), oauth_site.url, transport=lossy
    )

    with httpx.Client(auth=auth) as http:
        assert http.get(f"{base_url}/api/v2/spaces").status_code == 200

    assert lossy.lost == 1
    assert oauth_site.oauth.grants["refresh_token"] == 2  # the lost answer, then the retry
    clock[0] += 3600  # past the reuse window of the refresh token that was sent twice
    stored = store.get(oauth_site.url)
    assert stored is not None
    endpoint = OAuthCredentials.from_login(stored, store).token_endpoint()
    assert endpoint.refresh(stored.refresh_token or "").access_token


def test_a_token_endpoint_5xx_is_retried(oauth_site, signed_in):
    oauth_site.live.faults.server_error(1, status=503, path="^/oauth/token$")
    endpoint = TokenEndpoint(oauth_site.endpoints, oauth_site.app, backoff=0)

    assert endpoint.refresh(signed_in.refresh_token or "").access_token
    assert oauth_site.oauth.grants["refresh_token"] == 1


def test_a_token_endpoint_that_never_answers_says_so():
    def lose(request):
        raise httpx.ReadTimeout("timed out", request=request)

    endpoint = TokenEndpoint(
        Endpoints("https://auth.example"),
        OAuthApp("app", "app-secret"),
        transport=httpx.MockTransport(lose),
        backoff=0,
    )

    with pytest.raises(NetworkError) as caught:
        endpoint.refresh("refresh-token-1")

    assert str(caught.value) == (
        "refresh the OAuth access token: no answer from https://auth.example/oauth/token after 3 "
        "attempts (ReadTimeout); check ATLASSIAN_AUTH_URL, your network and any proxy settings"
    )


def test_auth_renews_once_for_many_threads_that_see_a_401():
    renewals: list[TokenSet | None] = []

    def renew(stale):
        renewals.append(stale)
        return TokenSet(f"token-{len(renewals)}", 4e9, "refresh")

    def handler(request):
        good = request.headers["Authorization"] == "Bearer token-1"
        return httpx.Response(200 if good else 401)

    auth = OAuthAuth(TokenSet("token-0", 4e9, "refresh"), renew)
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as http:
        threads = [threading.Thread(target=http.get, args=("http://x/",)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert http.get("http://x/").status_code == 200

    assert len(renewals) == 1


def test_scope_failures_are_not_retried_with_a_new_token():
    renewals: list[TokenSet | None] = []

    def renew(stale):
        renewals.append(stale)
        return TokenSet("new", 4e9)

    def handler(request):
        return httpx.Response(
            401,
            headers={"X-Failure-Category": "FAILURE_CLIENT_SCOPE_CHECK"},
            json={"code": 401, "message": "Unauthorized; scope does not match"},
        )

    auth = OAuthAuth(TokenSet("old", 4e9), renew)
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as http:
        assert http.get("http://x/").status_code == 401

    assert renewals == []
    assert repr(auth) == "OAuthAuth([secure])"


def test_missing_scope_fails_the_publish_without_refreshing(oauth_site, store, browser, tmp_path):
    flows.login_with_oauth(
        oauth_site.url,
        oauth_site.app,
        store=store,
        endpoints=oauth_site.endpoints,
        show=browser,
        choose=lambda found: found[0],
        callback="http://127.0.0.1:0/callback",
        timeout=10,
        scopes=[s for s in SCOPES if s != "write:page:confluence"],
    )

    with pytest.raises(ConfluencePublisherError, match="scope does not match") as caught:
        publish(oauth_site, make_bundle(tmp_path / "b", pages=1))

    assert "the OAuth app lacks a scope this call needs" in str(caught.value)
    assert oauth_site.oauth.refusals["scope"] >= 1
    assert oauth_site.oauth.grants["refresh_token"] == 0
    assert oauth_site.live.outline() == "DOC Home"
