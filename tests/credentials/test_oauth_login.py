"""login --oauth end to end over HTTP: the test plays the browser."""

from __future__ import annotations

import logging
import socket
import threading

import httpx
import pytest

from docs_confluence.auth import login as flows
from docs_confluence.auth.loopback import LoopbackRedirect
from docs_confluence.auth.oauth import SCOPES
from docs_confluence.errors import AuthError, ConfigError
from docs_confluence.sandbox.oauth import DEFAULT_CLOUD_ID

from .conftest import CLIENT_ID, CLIENT_SECRET

ANY_PORT = "http://127.0.0.1:0/callback"


def sign_in(site, store, show, **options):
    options.setdefault("choose", lambda found: pytest.fail(f"asked to choose among {found}"))
    options.setdefault("timeout", 10)
    return flows.login_with_oauth(
        site.url,
        site.app,
        store=store,
        endpoints=site.endpoints,
        show=show,
        callback=ANY_PORT,
        **options,
    )


def test_full_flow_stores_tokens_for_the_site(oauth_site, store, browser):
    login = sign_in(oauth_site, store, browser)

    assert login == store.get(oauth_site.url)
    assert (login.method, login.client_id, login.cloud_id) == ("oauth", CLIENT_ID, DEFAULT_CLOUD_ID)
    assert login.identity == f"Docs Publisher ({oauth_site.live.bot.account_id})"
    assert set(login.scopes) == set(SCOPES)
    assert login.refresh_token
    assert login.access_token
    assert (login.auth_url, login.api_url) == (oauth_site.live.origin, oauth_site.live.origin)
    assert oauth_site.oauth.grants == {"authorization_code": 1}
    assert browser.answers[0].status_code == 200
    assert "You can close this tab" in browser.answers[0].text


def test_authorization_url_asks_for_consent_with_the_publisher_scopes(oauth_site, store, browser):
    sign_in(oauth_site, store, browser)

    url = httpx.URL(browser.visited[0])
    assert url.path == "/authorize"
    assert url.params["audience"] == "api.atlassian.com"
    assert url.params["client_id"] == CLIENT_ID
    assert url.params["scope"].split() == [
        "read:space:confluence",
        "read:page:confluence",
        "write:page:confluence",
        "delete:page:confluence",
        "read:label:confluence",
        "write:label:confluence",
        "read:attachment:confluence",
        "write:attachment:confluence",
        "delete:attachment:confluence",
        "read:content-details:confluence",
        "offline_access",
    ]
    assert url.params["prompt"] == "consent"
    assert url.params["response_type"] == "code"
    assert url.params["redirect_uri"].startswith("http://127.0.0.1:")
    assert url.params["code_challenge_method"] == "S256"
    assert len(url.params["state"]) >= 24
    assert CLIENT_SECRET not in str(url)


def test_declined_consent_stores_nothing(oauth_site, store, browser):
    oauth_site.oauth.consent = "deny"

    with pytest.raises(AuthError, match="Access was not granted") as caught:
        sign_in(oauth_site, store, browser)

    assert "docs-confluence login" in str(caught.value)
    assert store.all() == []


def test_requests_without_the_state_of_the_login_are_refused_and_the_wait_goes_on(
    oauth_site, store, browser
):
    refused: list[httpx.Response] = []

    def forger_then_browser(url):
        callback = httpx.URL(url).params["redirect_uri"]
        refused.append(httpx.get(callback))
        refused.append(httpx.get(callback, params={"code": "stolen", "state": "not-ours"}))
        refused.append(httpx.get(callback, params={"error": "access_denied", "state": "x"}))
        browser(url)

    login = sign_in(oauth_site, store, forger_then_browser)

    assert [answer.status_code for answer in refused] == [400, 400, 400]
    assert all("does not belong to the sign-in in progress" in a.text for a in refused)
    assert browser.answers[0].status_code == 200
    assert login == store.get(oauth_site.url)
    assert oauth_site.oauth.grants == {"authorization_code": 1}


def test_an_idle_connection_does_not_hold_up_the_redirect(oauth_site, store, browser):
    with socket.socket() as idle:
        hang_up = threading.Timer(5, idle.shutdown, args=(socket.SHUT_RDWR,))

        def connect_idle_then_browse(url):
            callback = httpx.URL(httpx.URL(url).params["redirect_uri"])
            idle.connect((callback.host, callback.port))  # and never sends a request
            hang_up.start()  # (so that a listener stuck on it still shuts down)
            browser(url)

        try:
            login = sign_in(oauth_site, store, connect_idle_then_browse, timeout=3)
        finally:
            hang_up.cancel()
            hang_up.join()

    assert login.access_token


def test_a_malformed_request_is_answered_400_and_the_wait_goes_on():
    with LoopbackRedirect(ANY_PORT, "state-1") as redirect:
        port = httpx.URL(redirect.uri).port
        assert port is not None
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            raw.sendall(b"NONSENSE\r\n\r\n")
            answer = raw.recv(1024)
        with pytest.raises(AuthError, match="No answer from the browser"):
            redirect.wait(0.1)

    assert b"Error code: 400" in answer


def test_no_redirect_in_time_says_what_to_do(oauth_site, store):
    with pytest.raises(AuthError, match=r"No answer from the browser within 0\.2 s"):
        flows.login_with_oauth(
            oauth_site.url,
            oauth_site.app,
            store=store,
            endpoints=oauth_site.endpoints,
            show=lambda url: None,
            choose=lambda found: found[0],
            callback=ANY_PORT,
            timeout=0.2,
        )


def test_several_sites_and_none_named_asks_which(oauth_site, store, browser):
    oauth_site.oauth.add_site("elsewhere", "https://elsewhere.atlassian.net", "other-id")
    offered: list[str] = []

    def choose(found):
        offered.extend(r.name for r in found)
        return found[0]

    login = flows.login_with_oauth(
        "http://localhost:1/wiki",
        oauth_site.app,
        store=store,
        endpoints=oauth_site.endpoints,
        show=browser,
        choose=choose,
        callback=ANY_PORT,
        timeout=10,
    )

    assert offered == ["sandbox", "elsewhere"]
    assert login.cloud_id == DEFAULT_CLOUD_ID


def test_the_site_named_by_the_url_is_taken_without_asking(oauth_site, store, browser):
    oauth_site.oauth.add_site("elsewhere", "https://elsewhere.atlassian.net", "other-id")

    assert sign_in(oauth_site, store, browser).cloud_id == DEFAULT_CLOUD_ID


def test_wrong_client_secret_names_the_variables(oauth_site, store, browser):
    oauth_site.app = type(oauth_site.app)(CLIENT_ID, "wrong-secret-123")

    with pytest.raises(AuthError, match="CONFLUENCE_OAUTH_CLIENT_SECRET") as caught:
        sign_in(oauth_site, store, browser)

    assert "wrong-secret-123" not in str(caught.value)


def test_grant_without_offline_access_warns(oauth_site, store, browser, caplog):
    login = sign_in(oauth_site, store, browser, scopes=[s for s in SCOPES if s != "offline_access"])

    assert login.refresh_token is None
    assert "offline_access was not granted" in caplog.text


def test_busy_callback_port_is_a_config_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match="choose another with --callback"):
            LoopbackRedirect(f"http://127.0.0.1:{port}/callback", "s").__enter__()


@pytest.mark.parametrize(
    "callback", ["https://127.0.0.1:8765/callback", "http://example.com:8765/cb", "http://[::1]/x"]
)
def test_callback_must_be_a_loopback_address_with_a_port(callback):
    with pytest.raises(ConfigError, match="--callback"):
        LoopbackRedirect(callback, "s")


def test_the_code_never_reaches_the_log(oauth_site, store, browser, caplog):
    caplog.set_level(logging.DEBUG)

    sign_in(oauth_site, store, browser)

    ours = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("docs_confluence") and ".sandbox" not in record.name
    )
    code = httpx.URL(str(browser.answers[0].request.url)).params["code"]
    assert code not in ours
    assert "Sign-in redirect: /callback" in ours
