"""The sandbox's OAuth 2.0 side: authorization server, token rotation, gateway and scopes."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from docs_confluence.sandbox.gateway import required_scopes
from docs_confluence.sandbox.oauth import DEFAULT_CLOUD_ID

CALLBACK = "http://127.0.0.1:8765/callback"
GATEWAY = f"/ex/confluence/{DEFAULT_CLOUD_ID}/wiki"
PUBLISHER_SCOPES = (
    "read:space:confluence read:page:confluence write:page:confluence delete:page:confluence "
    "read:content-details:confluence offline_access"
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(confluence) -> Clock:
    fake = Clock()
    confluence.app.oauth.clock = fake
    return fake


@pytest.fixture
def http(confluence):
    confluence.app.oauth.register_client("app", "app-secret")
    with httpx.Client(base_url=confluence.origin, transport=confluence.transport) as client:
        yield client


def authorize(http, *, scope=PUBLISHER_SCOPES, state="s-1", **extra):
    params = {
        "audience": "api.atlassian.com",
        "client_id": "app",
        "scope": scope,
        "redirect_uri": CALLBACK,
        "state": state,
        "response_type": "code",
        "prompt": "consent",
        **extra,
    }
    return http.get("/authorize", params=params)


def redirect_params(response):
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(CALLBACK + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def token(http, **fields):
    body = {"client_id": "app", "client_secret": "app-secret", **fields}
    return http.post("/oauth/token", json=body)


def sign_in(http, scope=PUBLISHER_SCOPES):
    code = redirect_params(authorize(http, scope=scope))["code"]
    answer = token(http, grant_type="authorization_code", code=code, redirect_uri=CALLBACK)
    assert answer.status_code == 200, answer.text
    return answer.json()


def bearer(value):
    return {"Authorization": f"Bearer {value}"}


def test_authorize_consents_and_redirects_with_code_and_state(http):
    params = redirect_params(authorize(http, state="xyz"))

    assert params["state"] == "xyz"
    assert len(params["code"]) > 20


def test_declined_consent_redirects_with_access_denied(confluence, http):
    confluence.app.oauth.consent = "deny"

    params = redirect_params(authorize(http))

    assert params["error"] == "access_denied"
    assert params["state"] == "s-1"
    assert "code" not in params


def test_unregistered_callback_or_client_is_refused_without_redirect(http):
    assert authorize(http, redirect_uri="https://evil.example/cb").status_code == 400
    assert authorize(http, client_id="nobody").status_code == 400


def test_scope_the_app_does_not_have_is_refused(confluence, http):
    confluence.app.oauth.register_client("narrow", "s", scopes=("read:page:confluence",))

    params = redirect_params(authorize(http, client_id="narrow", scope="write:page:confluence"))

    assert params["error"] == "invalid_scope"


def test_code_exchange_gives_tokens_once(http):
    code = redirect_params(authorize(http))["code"]

    first = token(http, grant_type="authorization_code", code=code, redirect_uri=CALLBACK)
    again = token(http, grant_type="authorization_code", code=code, redirect_uri=CALLBACK)

    body = first.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    assert body["scope"].split() == sorted(PUBLISHER_SCOPES.split())
    assert body["refresh_token"].startswith("v1.")
    assert first.headers["Cache-Control"] == "no-store"
    assert (again.status_code, again.json()["error"]) == (403, "invalid_grant")


def test_form_encoded_token_requests_and_basic_client_auth_work(http):
    code = redirect_params(authorize(http))["code"]
    credentials = base64.b64encode(b"app:app-secret").decode()

    answer = http.post(
        "/oauth/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        headers={"Authorization": f"Basic {credentials}"},
    )

    assert answer.status_code == 200


def pkce_code(http, verifier="v" * 50):
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    params = {"code_challenge": challenge.decode().rstrip("="), "code_challenge_method": "S256"}
    return redirect_params(authorize(http, **params))["code"]


def test_pkce_verifier_must_match_the_challenge(http):
    wrong = token(
        http,
        grant_type="authorization_code",
        code=pkce_code(http),
        redirect_uri=CALLBACK,
        code_verifier="x",
    )
    right = token(
        http,
        grant_type="authorization_code",
        code=pkce_code(http),
        redirect_uri=CALLBACK,
        code_verifier="v" * 50,
    )

    assert (wrong.status_code, wrong.json()["error"]) == (403, "invalid_grant")
    assert right.status_code == 200


def test_a_client_that_does_not_send_the_pkce_verifier_is_refused(http):
    answer = token(
        http, grant_type="authorization_code", code=pkce_code(http), redirect_uri=CALLBACK
    )

    assert answer.status_code == 403
    assert answer.json() == {
        "error": "invalid_grant",
        "error_description": "code_verifier is required: the authorization used PKCE",
    }


def test_an_unknown_pkce_method_is_refused_at_authorization(http):
    params = redirect_params(authorize(http, code_challenge="c" * 43, code_challenge_method="MD5"))

    assert params["error"] == "invalid_request"


def test_wrong_client_secret_is_401_access_denied(http):
    answer = http.post(
        "/oauth/token",
        json={"grant_type": "refresh_token", "client_id": "app", "client_secret": "nope"},
    )

    assert answer.status_code == 401
    assert answer.json() == {"error": "access_denied", "error_description": "Unauthorized"}


def test_without_offline_access_there_is_no_refresh_token(http):
    assert "refresh_token" not in sign_in(http, scope="read:page:confluence")


def test_refresh_rotates_and_the_old_token_works_only_within_the_reuse_window(http, clock):
    first = sign_in(http)["refresh_token"]

    second = token(http, grant_type="refresh_token", refresh_token=first).json()
    clock.now += 300
    within_window = token(http, grant_type="refresh_token", refresh_token=first)
    clock.now += 600
    after_window = token(http, grant_type="refresh_token", refresh_token=first)
    family_revoked = token(http, grant_type="refresh_token", refresh_token=second["refresh_token"])

    assert second["refresh_token"] != first
    assert within_window.status_code == 200
    assert after_window.status_code == 403
    assert after_window.json() == {
        "error": "unauthorized_client",
        "error_description": "refresh_token is invalid",
    }
    assert family_revoked.status_code == 403
    assert family_revoked.json()["error"] == "invalid_grant"


def test_refresh_tokens_die_after_90_idle_days(http, clock):
    refresh = sign_in(http)["refresh_token"]
    clock.now += 91 * 86400

    answer = token(http, grant_type="refresh_token", refresh_token=refresh)

    assert answer.json() == {
        "error": "invalid_grant",
        "error_description": "Unknown or invalid refresh token.",
    }


def test_unknown_refresh_token_is_unauthorized_client(http):
    answer = token(http, grant_type="refresh_token", refresh_token="v1.made-up")

    assert (answer.status_code, answer.json()["error"]) == (403, "unauthorized_client")


def test_accessible_resources_and_tenant_info_name_the_site(confluence, http):
    access = sign_in(http)["access_token"]
    confluence.app.oauth.add_site("other", "https://other.atlassian.net", "other-id")

    sites = http.get("/oauth/token/accessible-resources", headers=bearer(access)).json()
    tenant = http.get("/_edge/tenant_info").json()

    assert [(s["id"], s["url"]) for s in sites] == [
        (DEFAULT_CLOUD_ID, "http://confluence.test"),
        ("other-id", "https://other.atlassian.net"),
    ]
    assert "write:page:confluence" in sites[0]["scopes"]
    assert tenant == {"cloudId": DEFAULT_CLOUD_ID}


def test_gateway_serves_the_site_routes_with_site_relative_links(confluence, http):
    access = sign_in(http)["access_token"]
    for n in range(3):
        confluence.store.pages.create(confluence.space().id, f"P{n}", "<p>x</p>", author_id="x")

    listed = http.get(f"{GATEWAY}/api/v2/pages", params={"limit": 2}, headers=bearer(access))
    user = http.get(f"{GATEWAY}/rest/api/user/current", headers=bearer(access))

    assert listed.status_code == 200
    assert listed.json()["_links"]["next"].startswith("/wiki/api/v2/pages?")
    assert listed.json()["_links"]["base"] == "http://confluence.test/wiki"
    assert user.json()["accountId"] == confluence.bot.account_id


def test_access_tokens_are_refused_on_the_site_and_pats_on_the_gateway(confluence, http):
    access = sign_in(http)["access_token"]

    on_site = http.get("/wiki/api/v2/spaces", headers=bearer(access))
    pat_on_gateway = http.get(f"{GATEWAY}/api/v2/spaces", headers=bearer(confluence.pat))
    basic_on_gateway = http.get(
        f"{GATEWAY}/api/v2/spaces", auth=(confluence.email, confluence.api_token)
    )

    assert on_site.status_code == 401
    assert pat_on_gateway.status_code == 401
    assert basic_on_gateway.status_code == 200


def test_missing_scope_is_the_gateway_scope_check_401(confluence, http):
    access = sign_in(http, scope="read:space:confluence read:page:confluence")

    answer = http.post(
        f"{GATEWAY}/api/v2/pages",
        json={"spaceId": confluence.space().id, "title": "T", "body": {"value": "<p/>"}},
        headers=bearer(access["access_token"]),
    )

    assert answer.status_code == 401
    assert answer.headers["X-Failure-Category"] == "FAILURE_CLIENT_SCOPE_CHECK"
    assert answer.json() == {"code": 401, "message": "Unauthorized; scope does not match"}
    assert confluence.tree() == [("DOC Home", [])]


def test_expired_access_token_is_refused_until_refreshed(confluence, http):
    tokens = sign_in(http)
    confluence.app.oauth.expire_access_tokens()

    expired = http.get(f"{GATEWAY}/api/v2/spaces", headers=bearer(tokens["access_token"]))
    fresh = token(http, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json()
    again = http.get(f"{GATEWAY}/api/v2/spaces", headers=bearer(fresh["access_token"]))

    assert expired.status_code == 401
    assert expired.json() == {"code": 401, "message": "Unauthorized"}
    assert again.status_code == 200


def test_unknown_cloud_id_is_404(http):
    access = sign_in(http)["access_token"]

    answer = http.get("/ex/confluence/not-this-site/wiki/api/v2/spaces", headers=bearer(access))

    assert answer.status_code == 404


def test_client_credentials_act_as_the_service_account(confluence, http):
    confluence.app.oauth.register_client(
        "svc", "svc-secret", scopes=("read:space:confluence",), service_account="svc@example.com"
    )

    answer = http.post(
        "/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": "svc",
            "client_secret": "svc-secret",
            "audience": "api.atlassian.com",
        },
    ).json()
    spaces = http.get(f"{GATEWAY}/api/v2/spaces", headers=bearer(answer["access_token"]))
    user = http.get(f"{GATEWAY}/rest/api/user/current", headers=bearer(answer["access_token"]))

    assert "refresh_token" not in answer
    assert answer["scope"] == "read:space:confluence"
    assert spaces.status_code == 200
    assert user.status_code == 401  # the credential has no read:content-details scope
    assert confluence.app.oauth.grants["client_credentials"] == 1


def test_a_3lo_app_cannot_use_client_credentials(http):
    answer = token(http, grant_type="client_credentials")

    assert (answer.status_code, answer.json()["error"]) == (403, "unauthorized_client")


@pytest.mark.parametrize(
    ("method", "template", "scope"),
    [
        ("GET", "/api/v2/spaces", "read:space:confluence"),
        ("PUT", "/api/v2/pages/{id}", "write:page:confluence"),
        ("DELETE", "/api/v2/pages/{id}", "delete:page:confluence"),
        ("POST", "/api/v2/pages/{id}/properties", "write:page:confluence"),
        ("PUT", "/rest/api/content/{id}/child/attachment", "write:attachment:confluence"),
        ("POST", "/rest/api/content/{id}/label", "write:label:confluence"),
        ("PUT", "/rest/api/content/{id}/move/{position}/{target}", "write:page:confluence"),
    ],
)
def test_scope_rules_follow_the_reference(method, template, scope):
    assert required_scopes(method, template)[0] == scope
