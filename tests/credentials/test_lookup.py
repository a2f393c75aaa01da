"""API tokens, PATs and client credentials; the environment overrides the store."""

from __future__ import annotations

import logging

import pytest

from docs_confluence.auth import login as flows
from docs_confluence.auth.credential_store import StoredLogin
from docs_confluence.auth.credentials import Credentials, connect, find_credentials
from docs_confluence.auth.grant import OAuthCredentials
from docs_confluence.auth.oauth import Endpoints, OAuthApp
from docs_confluence.config import PublisherConfig
from docs_confluence.errors import AuthError
from docs_confluence.publisher import publish_bundle
from docs_confluence.sandbox.oauth import DEFAULT_CLOUD_ID
from docs_confluence.testing import SandboxHarness

from .conftest import CLIENT_ID, CLIENT_SECRET, TickingClock, make_bundle

SITE = "https://example.atlassian.net/wiki"


def test_api_token_is_checked_before_it_is_stored(live_confluence, store):
    login = flows.login_with_token(
        live_confluence.base_url, live_confluence.email, live_confluence.api_token, store=store
    )

    assert login == store.get(live_confluence.base_url)
    assert login.identity == "Docs Publisher <bot@example.com>"
    assert (login.method, login.email, login.secret) == (
        "token",
        "bot@example.com",
        "sandbox-api-token",
    )


def test_wrong_api_token_is_refused_and_nothing_is_stored(live_confluence, store):
    with pytest.raises(AuthError, match="refused the API token") as caught:
        flows.login_with_token(
            live_confluence.base_url, live_confluence.email, "not-the-token", store=store
        )

    assert "not-the-token" not in str(caught.value)
    assert store.all() == []


def test_pat_login_on_data_center(store):
    site = SandboxHarness.create(flavor="datacenter")
    with site.served() as live:
        login = flows.login_with_pat(live.base_url, live.pat, store=store)

    assert (login.method, login.secret, login.site) == ("pat", "sandbox-pat", live.base_url)
    assert login.identity == f"Docs Publisher ({live.bot.account_id})"


def test_publish_without_credentials_in_the_environment_uses_the_store(
    live_confluence, store, tmp_path
):
    flows.login_with_token(
        live_confluence.base_url, live_confluence.email, live_confluence.api_token, store=store
    )
    config = PublisherConfig.from_mapping({"url": live_confluence.base_url, "space": "DOC"})

    report = publish_bundle(make_bundle(tmp_path / "b", pages=1), config)

    assert report.summary() == "Published to space DOC: 2 created"


def test_environment_overrides_the_store(store, monkeypatch):
    store.put(StoredLogin(SITE, "pat", secret="stored-pat"))
    monkeypatch.setenv("CONFLUENCE_USER", "ci@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "ci-token")

    assert find_credentials(SITE) == Credentials(
        "token", "ci@example.com", "ci-token", "environment"
    )
    monkeypatch.delenv("CONFLUENCE_API_TOKEN")
    monkeypatch.delenv("CONFLUENCE_USER")
    assert find_credentials(SITE) == Credentials("pat", None, "stored-pat", "store")


def test_environment_client_credentials_are_a_service_account(store, monkeypatch):
    store.put(StoredLogin(SITE, "pat", secret="stored-pat"))
    monkeypatch.setenv("CONFLUENCE_OAUTH_CLIENT_ID", "svc")
    monkeypatch.setenv("CONFLUENCE_OAUTH_CLIENT_SECRET", "svc-secret")
    monkeypatch.setenv("CONFLUENCE_CLOUD_ID", "cloud-1")

    found = find_credentials(SITE)

    assert isinstance(found, OAuthCredentials)
    assert (found.mode, found.origin, found.cloud_id) == (
        "client_credentials",
        "environment",
        "cloud-1",
    )
    assert found.app == OAuthApp("svc", "svc-secret")
    assert (
        found.endpoints.gateway("cloud-1") == "https://api.atlassian.com/ex/confluence/cloud-1/wiki"
    )


def test_app_credentials_of_a_stored_3lo_login_select_that_login(store, monkeypatch):
    store.put(StoredLogin(SITE, "oauth", client_id="app", client_secret="old", refresh_token="r-1"))
    monkeypatch.setenv("CONFLUENCE_OAUTH_CLIENT_ID", "app")
    monkeypatch.setenv("CONFLUENCE_OAUTH_CLIENT_SECRET", "rotated-secret")

    found = find_credentials(SITE)

    assert isinstance(found, OAuthCredentials)
    assert (found.mode, found.origin) == ("oauth", "store")
    assert found.app.client_secret == "rotated-secret"


def test_no_credentials_says_what_to_run_or_set(store):
    with pytest.raises(AuthError) as caught:
        find_credentials(SITE)

    message = str(caught.value)
    assert f"run docs-confluence login {SITE}" in message
    assert "set CONFLUENCE_USER and CONFLUENCE_API_TOKEN" in message


def test_service_account_publishes_with_client_credentials(monkeypatch, tmp_path):
    harness = SandboxHarness.create()
    harness.app.oauth.register_client(
        CLIENT_ID, CLIENT_SECRET, service_account="docs-bot@serviceaccount.example"
    )
    with harness.served() as live:
        for name, value in (
            ("ATLASSIAN_AUTH_URL", live.origin),
            ("ATLASSIAN_API_URL", live.origin),
            ("CONFLUENCE_OAUTH_CLIENT_ID", CLIENT_ID),
            ("CONFLUENCE_OAUTH_CLIENT_SECRET", CLIENT_SECRET),
        ):
            monkeypatch.setenv(name, value)
        config = PublisherConfig.from_mapping({"url": live.base_url, "space": "DOC"})
        live.app.oauth.clock = TickingClock(step=1200)  # a token lives for 3 requests

        publish_bundle(make_bundle(tmp_path / "b", pages=2), config)

        author = live.store.user_by_email("docs-bot@serviceaccount.example")
        assert author is not None
        assert live.page("DOC", "Page 1").version == 1
        assert live.store.pages.get(live.page("DOC", "Home").id).author_id == author.account_id
        assert live.app.oauth.grants["client_credentials"] >= 2


def test_client_credentials_login_is_stored(store, oauth_site):
    oauth_site.oauth.register_client("svc", "svc-secret", service_account="svc@example.com")

    login = flows.login_with_client_credentials(
        oauth_site.url,
        OAuthApp("svc", "svc-secret"),
        store=store,
        endpoints=oauth_site.endpoints,
        choose=lambda found: found[0],
    )

    assert (login.method, login.cloud_id, login.client_id) == (
        "client_credentials",
        DEFAULT_CLOUD_ID,
        "svc",
    )
    assert login.identity is not None
    assert login.identity.startswith("svc (")
    found = find_credentials(oauth_site.url, store=store)
    assert isinstance(found, OAuthCredentials)
    assert found.mode == "client_credentials"


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ("CONFLUENCE_OAUTH_CLIENT_ID", "CONFLUENCE_OAUTH_CLIENT_SECRET"),
        ("CONFLUENCE_OAUTH_CLIENT_SECRET", "CONFLUENCE_OAUTH_CLIENT_ID"),
    ],
)
def test_half_set_oauth_environment_names_the_missing_variable(
    store, monkeypatch, present, missing
):
    store.put(StoredLogin(SITE, "pat", secret="stored-pat"))
    monkeypatch.setenv(present, "half-set-value")

    with pytest.raises(AuthError, match=f"{present} is set but {missing} is not") as caught:
        find_credentials(SITE)

    assert "half-set-value" not in str(caught.value)


def warnings(caplog):
    return [
        (record.name, record.getMessage())
        for record in caplog.records
        if record.levelno >= logging.WARNING
    ]


def test_credentials_for_another_machine_over_plain_http_warn_once(caplog):
    credentials = Credentials("token", "ci@example.com", "ci-token")

    for url in (
        "http://wiki.plain.example/confluence",
        "http://wiki.plain.example/other",
        "http://127.0.0.1:8090/wiki",
        "http://localhost:8090",
        "http://[::1]:8090",
        "https://secure.example/wiki",
    ):
        assert connect(credentials, url)[0] == url

    assert warnings(caplog) == [
        (
            "docs_confluence.auth.credentials",
            "Sending credentials over plain http:// to http://wiki.plain.example: anyone on the "
            "network between can read them. Use an https:// address for the URL",
        )
    ]
    assert "ci-token" not in caplog.text


def test_plain_http_oauth_endpoints_warn_naming_the_variables(caplog):
    credentials = OAuthCredentials(
        "client_credentials",
        "https://site.example/wiki",
        OAuthApp("svc", "svc-secret"),
        Endpoints("http://auth.plain.example", "http://api.plain.example:8080"),
        cloud_id="cloud-1",
    )

    connect(credentials, "https://site.example/wiki")

    assert [message for _, message in warnings(caplog)] == [
        "Sending the OAuth client secret and tokens over plain http:// to "
        "http://auth.plain.example: anyone on the network between can read them. Use an "
        "https:// address for ATLASSIAN_AUTH_URL",
        "Sending OAuth access tokens over plain http:// to http://api.plain.example:8080: anyone "
        "on the network between can read them. Use an https:// address for ATLASSIAN_API_URL",
    ]


def test_login_over_plain_http_to_another_machine_warns(store, caplog):
    site = SandboxHarness.create(origin="http://login.plain.example")

    flows.login_with_token(
        site.base_url, site.email, site.api_token, store=store, transport=site.transport
    )

    assert warnings(caplog) == [
        (
            "docs_confluence.auth.credentials",
            "Sending the API token over plain http:// to http://login.plain.example: anyone on "
            "the network between can read them. Use an https:// address for the URL",
        )
    ]
