"""docs-confluence login / status / logout, and no secret in any output."""

from __future__ import annotations

import io
import re
import threading
import time

import pytest

from docs_confluence.auth import login as flows
from docs_confluence.auth.credential_store import CredentialStore
from docs_confluence.cli import main
from docs_confluence.sandbox.server import serve
from docs_confluence.testing import SandboxHarness

from ..engine.network import gateway
from .conftest import CLIENT_ID, CLIENT_SECRET, Browser, make_bundle


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def fields(out):
    """The status report as {label: value}, checking the values are aligned."""
    pairs = [line.split(":", 1) for line in out.splitlines()]
    assert len({len(label) + len(value) - len(value.lstrip()) for label, value in pairs}) == 1
    return {label: value.strip() for label, value in pairs}


@pytest.fixture
def oauth_env(oauth_site, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_OAUTH_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("CONFLUENCE_OAUTH_CLIENT_SECRET", CLIENT_SECRET)
    return oauth_site


def test_login_with_api_token_from_stdin_then_status(live_confluence, capsys, monkeypatch):
    url = live_confluence.base_url

    code, out, _ = run(
        capsys, "login", url, "--token", "--email", "bot@example.com", "--stdin",
        stdin="sandbox-api-token\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0
    assert out.startswith(f"Logged in to {url} as Docs Publisher <bot@example.com> with API token")

    code, out, _ = run(capsys, "status", url, "--space", "DOC")
    assert code == 0
    report = fields(out)
    assert list(report) == ["Site", "Method", "Identity", "Space DOC"]
    assert report["Site"] == url
    assert report["Method"] == (
        f"API token for bot@example.com (Basic auth), stored by docs-confluence login "
        f"({CredentialStore().path})"
    )
    assert report["Identity"] == f"Docs Publisher ({live_confluence.bot.account_id})"
    assert report["Space DOC"] == (
        "reachable (Documentation) and writable (the space homepage can be edited)"
    )
    assert "sandbox-api-token" not in out


def test_login_with_a_wrong_token_fails_in_one_line(live_confluence, capsys, monkeypatch):
    code, out, err = run(
        capsys, "login", live_confluence.base_url, "--token", "--email", "bot@example.com",
        "--stdin", stdin="wrong-token-123\n", monkeypatch=monkeypatch,
    )  # fmt: skip

    assert code == 1
    assert err.startswith("error: Confluence at ")
    assert "refused the API token (401)" in err
    assert "wrong-token-123" not in out + err
    assert CredentialStore().all() == []


def test_login_with_pat_on_data_center(capsys, monkeypatch):
    with SandboxHarness.create(flavor="datacenter").served() as live:
        code, out, _ = run(
            capsys, "login", live.base_url, "--pat", "--stdin",
            stdin="sandbox-pat\n", monkeypatch=monkeypatch,
        )  # fmt: skip
        status_code, status, _ = run(capsys, "status", live.base_url, "--space", "DOC")

    assert code == 0
    assert "with personal access token" in out
    assert status_code == 0
    assert fields(status)["Method"].startswith("personal access token (Bearer), stored by")


def test_oauth_login_publish_status_logout(oauth_env, capsys, monkeypatch, browser, tmp_path):
    url = oauth_env.url
    monkeypatch.setattr(flows, "open_browser", browser)

    code, out, _ = run(capsys, "login", "--oauth", url, "--callback", "http://127.0.0.1:0/callback")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Opened a browser to sign in to Atlassian; if it did not open, visit:"
    assert lines[1] == browser.visited[0]
    assert lines[-1].startswith(f"Logged in to {url} as Docs Publisher (")
    assert "with OAuth 2.0 (3LO)" in lines[-1]

    monkeypatch.setenv("CONFLUENCE_URL", url)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    bundle = make_bundle(tmp_path / "b", pages=1)
    assert run(capsys, "publish", str(bundle.root))[:2] == (
        0,
        "Published to space DOC: 2 created\n",
    )

    code, out, _ = run(capsys, "status")
    assert code == 0
    report = fields(out)
    assert list(report) == ["Site", "Method", "Expires", "Scopes", "Identity", "Space DOC"]
    assert report["Method"].startswith(f"OAuth 2.0 (3LO), app {CLIENT_ID}, stored by docs-")
    assert report["Expires"].startswith("access token at ")
    assert re.search(r"\(in (59|60) min\); refreshed automatically$", report["Expires"])
    assert report["Scopes"] == "all the publisher needs"
    assert report["Space DOC"].startswith("reachable (Documentation) and writable")

    code, out, _ = run(capsys, "logout")
    assert code == 0
    assert out.startswith(f"Logged out of {url}: removed the OAuth 2.0 (3LO) login")
    assert "https://id.atlassian.com/manage-profile/apps" in out
    assert run(capsys, "status")[0] == 1


def test_no_browser_prints_the_address_on_its_own_line(oauth_env, capsys):
    url = oauth_env.url
    result: list[int] = []
    worker = threading.Thread(
        target=lambda: result.append(
            main(["login", "--oauth", "--no-browser", url, "--callback", "http://127.0.0.1:0/cb"])
        )
    )
    worker.start()
    printed = ""
    deadline = time.monotonic() + 10
    while "/authorize?" not in printed and time.monotonic() < deadline:
        time.sleep(0.02)
        printed += capsys.readouterr().out
    address = next(line for line in printed.splitlines() if "/authorize?" in line)
    player = Browser()
    player(address)
    player.join()
    worker.join(10)
    printed += capsys.readouterr().out

    assert result == [0]
    assert printed.splitlines()[0] == "Open this address in a browser to sign in to Atlassian:"
    assert address.startswith(f"{oauth_env.live.origin}/authorize?")
    assert "Logged in to" in printed


def test_oauth_login_without_a_client_id_names_the_variable(capsys, oauth_site):
    code, _, err = run(capsys, "login", "--oauth", oauth_site.url)

    assert code == 1
    assert "pass --client-id or set CONFLUENCE_OAUTH_CLIENT_ID" in err


def test_login_needs_a_url_and_one_method(capsys):
    with pytest.raises(SystemExit) as no_url:
        main(["login", "--token"])
    with pytest.raises(SystemExit) as no_method:
        main(["login", "https://x.atlassian.net/wiki"])
    err = capsys.readouterr().err

    assert (no_url.value.code, no_method.value.code) == (2, 2)
    assert "no Confluence URL" in err


def test_status_without_credentials_fails_and_says_what_to_do(capsys):
    code, out, _ = run(capsys, "status", "https://example.atlassian.net/wiki")

    assert code == 1
    assert fields(out)["Credentials"].startswith(
        "No Confluence credentials for https://example.atlassian.net/wiki: run docs-confluence "
        "login https://example.atlassian.net/wiki"
    )


def test_revoked_grant_fails_a_publish_with_one_line(
    oauth_env, capsys, monkeypatch, browser, tmp_path
):
    monkeypatch.setattr(flows, "open_browser", browser)
    run(capsys, "login", "--oauth", oauth_env.url, "--callback", "http://127.0.0.1:0/cb")
    oauth_env.oauth.revoke_grants()
    bundle = make_bundle(tmp_path / "b", pages=1)

    code, _, err = run(
        capsys, "publish", str(bundle.root), "--url", oauth_env.url, "--space", "DOC"
    )

    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("error: refresh the OAuth access token: the sign-in has expired or was")
    assert err.rstrip().endswith(f"run docs-confluence login --oauth {oauth_env.url}")


def test_no_secret_appears_in_any_output(oauth_env, capsys, caplog, monkeypatch, browser, tmp_path):
    url = oauth_env.url
    monkeypatch.setattr(flows, "open_browser", browser)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    bundle = make_bundle(tmp_path / "b", pages=2, files=1)
    outputs = []
    secrets = {CLIENT_SECRET, "sandbox-pat", "sandbox-api-token"}

    def record(*argv, **options):
        code, out, err = run(capsys, *argv, **options)
        outputs.append(out + err)
        for login in CredentialStore().all():
            secrets.update(login.secrets)
        return code

    assert record("-vv", "login", "--oauth", url, "--callback", "http://127.0.0.1:0/cb") == 0
    oauth_env.oauth.expire_access_tokens()  # the publish refreshes: new tokens, rotated
    assert record("-vv", "publish", str(bundle.root), "--url", url) == 0
    assert record("-vv", "status", url) == 0
    assert record("-vv", "logout", url) == 0
    for name in ("CONFLUENCE_OAUTH_CLIENT_ID", "CONFLUENCE_OAUTH_CLIENT_SECRET"):
        monkeypatch.delenv(name)  # else they would mean a service account
    with SandboxHarness.create(flavor="datacenter").served() as dc:
        assert record("-vv", "login", dc.base_url, "--pat", "--stdin",
                      stdin="sandbox-pat\n", monkeypatch=monkeypatch) == 0  # fmt: skip
        assert record("-vv", "status", dc.base_url) == 0
    assert record("-vv", "login", oauth_env.live.base_url, "--token", "--email",
                  "bot@example.com", "--stdin", stdin="sandbox-api-token\n",
                  monkeypatch=monkeypatch) == 0  # fmt: skip
    bundle_text = "".join(
        path.read_text(errors="replace") for path in bundle.root.rglob("*") if path.is_file()
    )

    secrets.update(oauth_env.oauth.issued_tokens())
    everything = "\n".join(outputs) + caplog.text + bundle_text
    assert len(secrets) >= 7  # client secret, 2 access and 2 refresh tokens, PAT, API token
    for secret in secrets:
        assert secret not in everything


def test_login_and_status_send_the_headers_of_confluence_headers(capsys, monkeypatch):
    """A gateway in front of the site wants its header on every request, login's included."""
    harness = SandboxHarness.create()
    guarded = gateway(harness.app, "X-Gateway-Token", "gw-7f3a9c1e")
    with serve(guarded) as origin:
        url = origin + harness.app.context_path
        argv = ("login", url, "--token", "--email", "bot@example.com", "--stdin")
        code, _, err = run(capsys, *argv, stdin="sandbox-api-token\n", monkeypatch=monkeypatch)
        assert code == 1
        assert "403" in err

        monkeypatch.setenv("CONFLUENCE_HEADERS", "X-Gateway-Token: gw-7f3a9c1e")
        code, out, err = run(capsys, *argv, stdin="sandbox-api-token\n", monkeypatch=monkeypatch)
        assert code == 0, err
        assert out.startswith(f"Logged in to {url} as Docs Publisher")

        code, out, _ = run(capsys, "status", url, "--space", "DOC")
        assert code == 0
        assert fields(out)["Identity"].startswith("Docs Publisher")
        assert "gw-7f3a9c1e" not in out
