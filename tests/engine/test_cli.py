"""The docs-confluence command: exit codes, one-line errors, no secrets in any output."""

from __future__ import annotations

import json

import pytest

from docs_confluence.cli import main

TOKEN = "sandbox-api-token"


@pytest.fixture
def env(monkeypatch, live_confluence):
    monkeypatch.setenv("CONFLUENCE_URL", live_confluence.base_url)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.setenv("CONFLUENCE_USER", "bot@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", TOKEN)
    monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    monkeypatch.delenv("CONFLUENCE_PARENT", raising=False)
    return monkeypatch


def bundle_of(site, pages=2):
    site.page("index", "Home", "<p>Home</p>")
    for n in range(pages):
        site.page(f"p{n}", f"Page {n}", f"<p>{n}</p>", parent="index")
    return site.bundle()


def test_plan_prints_a_table_and_writes_nothing(env, site, capsys, live_confluence):
    bundle = bundle_of(site)
    assert main(["plan", str(bundle.root)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Plan for space DOC: 3 writes, 0 pages unchanged"
    assert "create  Page 0  under 'Home'" in out
    assert "create  Home    under the parent page" in out
    assert live_confluence.stats.writes == 0


def test_plan_as_json(env, site, capsys):
    bundle = bundle_of(site)
    assert main(["plan", "--json", str(bundle.root)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(a["kind"], a["key"]) for a in data["actions"]] == [
        ("create", "index"),
        ("create", "p0"),
        ("create", "p1"),
    ]
    assert data["writes"] == 3


def test_publish_then_republish(env, site, capsys, live_confluence):
    bundle = bundle_of(site)
    assert main(["publish", str(bundle.root)]) == 0
    assert capsys.readouterr().out.strip() == "Published to space DOC: 3 created"
    assert main(["publish", str(bundle.root)]) == 0
    assert capsys.readouterr().out.strip() == "Published to space DOC: 3 unchanged"
    assert main(["publish", "--dry-run", str(bundle.root)]) == 0
    assert capsys.readouterr().out.startswith("Dry run, nothing written: 3 unchanged")


def test_unresolved_conflict_is_not_a_silent_success(env, site, capsys, live_confluence):
    bundle = bundle_of(site)
    main(["publish", str(bundle.root)])
    live_confluence.edit_as_human(live_confluence.page("DOC", "Page 0").id, "<p>Alice</p>")
    site.pages[1] = ("p0", "Page 0", "<p>changed</p>", "index", (), ())
    assert main(["publish", str(site.bundle().root)]) == 1
    err = capsys.readouterr().err
    assert "1 page(s) were edited in Confluence and left alone: 'Page 0'" in err
    assert "--on-conflict overwrite" in err
    assert main(["publish", "--on-conflict", "overwrite", str(site.bundle().root)]) == 0


def one_error_line(capsys):
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err + captured.out
    assert TOKEN not in captured.err + captured.out
    return lines[0]


def test_malformed_bundle(env, tmp_path, capsys):
    (tmp_path / "manifest.json").write_text("{not json")
    assert main(["publish", str(tmp_path)]) == 1
    assert "manifest.json: cannot read the manifest" in one_error_line(capsys)


def test_missing_space(env, site, capsys):
    env.setenv("CONFLUENCE_SPACE", "NOPE")
    assert main(["publish", str(bundle_of(site).root)]) == 1
    assert "Space 'NOPE' not found" in one_error_line(capsys)


def test_wrong_credentials(env, site, capsys):
    env.setenv("CONFLUENCE_API_TOKEN", "not-the-token")
    assert main(["publish", str(bundle_of(site).root)]) == 1
    line = one_error_line(capsys)
    assert "401" in line
    assert "CONFLUENCE_USER/CONFLUENCE_API_TOKEN" in line
    assert "not-the-token" not in line


def test_missing_credentials(env, site, capsys):
    env.delenv("CONFLUENCE_API_TOKEN")
    assert main(["plan", str(bundle_of(site).root)]) == 1
    assert "set CONFLUENCE_USER and CONFLUENCE_API_TOKEN" in one_error_line(capsys)


def test_unreachable_url(env, site, capsys):
    env.setenv("CONFLUENCE_URL", "http://127.0.0.1:9/wiki")
    assert main(["plan", str(bundle_of(site).root)]) == 1
    assert "cannot reach http://127.0.0.1:9/wiki/api/v2/spaces" in one_error_line(capsys)


def test_bad_url_setting_names_the_option(env, site, capsys):
    assert main(["plan", "--url", "ftp://x", str(bundle_of(site).root)]) == 1
    assert "--url = 'ftp://x': expected the site's base URL" in one_error_line(capsys)


def test_missing_target_is_a_usage_error(env, site, capsys):
    env.delenv("CONFLUENCE_URL")
    with pytest.raises(SystemExit) as exited:
        main(["publish", str(bundle_of(site).root)])
    assert exited.value.code == 2
    assert "no Confluence URL" in capsys.readouterr().err


def test_secrets_appear_nowhere(env, site, capsys, caplog, live_confluence):
    """Logs at every level (httpx's request lines included), errors and the bundle."""
    bundle = bundle_of(site)
    assert main(["-vv", "publish", str(bundle.root)]) == 0
    env.setenv("CONFLUENCE_SPACE", "NOPE")
    assert main(["-vv", "publish", str(bundle.root)]) == 1
    captured = capsys.readouterr()
    everything = captured.out + captured.err + caplog.text
    everything += "".join(
        p.read_text(errors="replace") for p in bundle.root.rglob("*") if p.is_file()
    )
    assert "bot@example.com" not in captured.out
    assert TOKEN not in everything
    assert "c2FuZGJveC1hcGktdG9rZW4" not in everything  # base64 of the token, as in Basic auth


def test_sandbox_command_serves_until_stopped(tmp_path):
    import subprocess
    import sys

    import httpx

    data = tmp_path / "site.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-m", "docs_confluence", "sandbox", "--port", "0", "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Confluence sandbox (cloud) at http://127.0.0.1:")
        base_url = first.split(" at ")[1].strip()
        auth = ("sandbox@example.com", "sandbox-api-token")
        response = httpx.get(f"{base_url}/api/v2/spaces", params={"keys": "DOC"}, auth=auth)
        assert [s["key"] for s in response.json()["results"]] == ["DOC"]
        assert "DOC" in httpx.get(base_url.rsplit("/", 1)[0] + "/").text
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert data.exists()


def test_a_password_in_the_url_is_refused_without_being_echoed(env, site, capsys):
    url = "http://bob:hunter2pass@127.0.0.1:9/wiki"
    assert main(["plan", "--url", url, str(bundle_of(site).root)]) == 1
    line = one_error_line(capsys)
    assert "put credentials in the environment, not in the URL" in line
    assert "hunter2pass" not in line


def test_adopt_takes_over_a_page_made_by_hand(env, site, capsys, live_confluence):
    space = live_confluence.space("DOC")
    home = live_confluence.store.pages.create(
        space.id,
        "Home",
        "<p>by hand</p>",
        author_id=live_confluence.human.account_id,
        parent_id=space.homepage_id,
    )
    bundle = bundle_of(site)
    assert main(["publish", str(bundle.root)]) != 0
    assert "--adopt" in capsys.readouterr().err
    assert main(["plan", "--adopt", str(bundle.root)]) == 0
    assert f"adopt   Home    page {home.id} taken over" in capsys.readouterr().out
    assert main(["publish", "--adopt", str(bundle.root)]) == 0
    assert capsys.readouterr().out.strip() == "Published to space DOC: 2 created, 1 adopted"
    assert live_confluence.page("DOC", "Home").id == home.id
