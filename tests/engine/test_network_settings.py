"""Publishing through what real networks put in the way: a proxy from ``HTTP_PROXY``, a gateway
that wants its own header, and a site whose certificate comes from a private CA. Each goes
through the docs-confluence command and the real client, to a sandbox over HTTP(S)."""

from __future__ import annotations

import pytest

from docs_confluence.cli import main
from docs_confluence.sandbox.server import serve
from docs_confluence.testing import SandboxHarness

from .network import forward_proxy, gateway, private_ca

GATEWAY_SECRET = "gw-7f3a9c1e"


@pytest.fixture
def env(monkeypatch):
    for name in ("CONFLUENCE_PAT", "CONFLUENCE_PARENT", "CONFLUENCE_HEADERS", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.setenv("CONFLUENCE_USER", SandboxHarness.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", SandboxHarness.api_token)
    return monkeypatch


def bundle_of(site):
    site.page("index", "Home", "<p>Home</p>")
    site.page("guide", "Guide", "<p>Read me.</p>", parent="index")
    return str(site.bundle().root)


def published_titles(harness):
    return sorted(p.title for p in harness.store.pages.all(space_id=harness.space().id))


def test_requests_go_through_the_proxy_named_in_http_proxy(env, site, capsys):
    harness = SandboxHarness.create()
    with harness.served() as live, forward_proxy() as (proxy_url, proxy):
        env.setenv("CONFLUENCE_URL", live.base_url)
        env.setenv("HTTP_PROXY", proxy_url)
        assert main(["publish", bundle_of(site)]) == 0
    assert "2 created" in capsys.readouterr().out
    assert {"Home", "Guide"} <= set(published_titles(harness))
    assert len(proxy.requests) == live.stats.total > 0
    assert all(url.startswith(live.base_url) for _, url in proxy.requests)


@pytest.mark.parametrize("given_as", ["--header", "--header-env", "CONFLUENCE_HEADERS"])
def test_extra_headers_reach_a_gateway_and_are_never_shown(env, site, capsys, given_as):
    harness = SandboxHarness.create()
    guarded = gateway(harness.app, "X-Gateway-Token", GATEWAY_SECRET)
    bundle = bundle_of(site)
    with serve(guarded) as origin:
        env.setenv("CONFLUENCE_URL", origin + harness.app.context_path)
        assert main(["publish", bundle]) == 1
        refused = capsys.readouterr()
        assert "403" in refused.err

        header = f"X-Gateway-Token: {GATEWAY_SECRET}"
        if given_as == "--header":
            argv = ["publish", "--header", header, "--header", "X-Team: docs", bundle]
        elif given_as == "--header-env":  # the secret stays out of the process list
            env.setenv("GW_KEY", GATEWAY_SECRET)
            argv = ["publish", "--header-env", "X-Gateway-Token: GW_KEY", bundle]
            assert GATEWAY_SECRET not in " ".join(argv)
        else:
            env.setenv("CONFLUENCE_HEADERS", f"{header}\nX-Team: docs\n")
            argv = ["publish", bundle]
        assert main(["-v", *argv]) == 0
    out = capsys.readouterr()
    assert "2 created" in out.out
    assert {"Home", "Guide"} <= set(published_titles(harness))
    assert GATEWAY_SECRET not in out.out + out.err


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("Authorization: Bearer abcdef123", "it comes from the credentials"),
        ("Host: evil.example", "it comes from the URL"),
        ("Bad Name: abcdef123", "is not a valid header name"),
        ("no colon here", "expected 'Name: value' lines"),
    ],
)
def test_headers_docs_confluence_sets_itself_are_refused_by_name(env, site, capsys, header, says):
    env.setenv("CONFLUENCE_URL", "http://127.0.0.1:9/wiki")
    assert main(["plan", "--header", header, bundle_of(site)]) == 1
    err = capsys.readouterr().err
    assert "--header" in err
    assert says in err
    assert "abcdef123" not in err


def test_a_header_from_an_unset_variable_is_named_not_sent_empty(env, site, capsys):
    env.setenv("CONFLUENCE_URL", "http://127.0.0.1:9/wiki")
    env.delenv("GW_KEY", raising=False)
    assert main(["plan", "--header-env", "X-Gateway-Token: GW_KEY", bundle_of(site)]) == 1
    err = capsys.readouterr().err
    assert "error: --header-env X-Gateway-Token: the environment variable GW_KEY is not set" in err


@pytest.fixture
def ca(tmp_path):
    made = private_ca(tmp_path)
    if made is None:
        pytest.skip("needs the openssl command (Debian: apt-get install openssl)")
    return made


def test_a_private_ca_is_trusted_through_ssl_cert_file_and_never_by_skipping_checks(
    env, site, capsys, ca
):
    harness = SandboxHarness.create()
    bundle = bundle_of(site)
    with serve(harness.app, tls=ca.server_context) as origin:
        assert origin.startswith("https://")
        env.setenv("CONFLUENCE_URL", origin + harness.app.context_path)

        assert main(["publish", bundle]) == 1
        err = capsys.readouterr().err
        assert "certificate is not trusted" in err
        assert "SSL_CERT_FILE" in err
        assert harness.stats.total == 0  # refused at the handshake: nothing reached the site

        env.setenv("SSL_CERT_FILE", str(ca.ca_file))
        assert main(["publish", bundle]) == 0
    assert "2 created" in capsys.readouterr().out
    assert {"Home", "Guide"} <= set(published_titles(harness))
