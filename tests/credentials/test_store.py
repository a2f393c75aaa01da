"""The credential store: location, one entry per site, 0600, atomic writes, locking."""

from __future__ import annotations

import json
import stat
import sys
import threading
from pathlib import Path

import pytest

from docs_confluence.auth.credential_store import CredentialStore, StoredLogin, config_dir, site_key
from docs_confluence.errors import AuthError

TOKEN_LOGIN = StoredLogin(
    "https://example.atlassian.net/wiki", "token", email="me@example.com", secret="api-token-123"
)


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {"XDG_CONFIG_HOME": "/xdg"}, Path("/xdg/docs-confluence")),
        ("linux", {}, Path.home() / ".config" / "docs-confluence"),
        ("linux", {"XDG_CONFIG_HOME": "relative"}, Path.home() / ".config" / "docs-confluence"),
        ("darwin", {}, Path.home() / "Library" / "Application Support" / "docs-confluence"),
        ("win32", {"APPDATA": "/appdata"}, Path("/appdata") / "docs-confluence"),
        ("linux", {"DOCS_CONFLUENCE_CONFIG_DIR": "/custom"}, Path("/custom")),
    ],
)
def test_config_dir_follows_the_platform_convention(platform, environ, expected):
    assert config_dir(environ, platform) == expected


def test_default_store_lives_in_the_configured_directory(tmp_path):
    assert CredentialStore().path == tmp_path / "config" / "credentials.json"


def test_site_keys_are_normalised():
    assert site_key("HTTPS://Example.Atlassian.NET/wiki/") == "https://example.atlassian.net/wiki"
    assert site_key("http://127.0.0.1:8090/wiki") == "http://127.0.0.1:8090/wiki"


def test_one_entry_per_site_round_trips(store):
    other = StoredLogin("https://wiki.example.com/confluence", "pat", secret="pat-456")

    store.put(TOKEN_LOGIN)
    store.put(other)
    store.put(TOKEN_LOGIN)

    assert store.all() == [TOKEN_LOGIN, other]
    assert store.get("https://example.atlassian.net/wiki/") == TOKEN_LOGIN
    assert store.get("https://wiki.example.com/other") is None


def test_a_site_is_found_by_its_host_when_it_has_the_only_login_there(store):
    store.put(TOKEN_LOGIN)

    assert store.get("https://example.atlassian.net") == TOKEN_LOGIN


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_store_file_is_private(store):
    store.put(TOKEN_LOGIN)

    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700


def test_secrets_never_show_in_repr(store):
    login = StoredLogin(
        "https://x.atlassian.net/wiki",
        "oauth",
        client_id="cid",
        client_secret="client-secret-1",
        access_token="access-token-1",
        refresh_token="refresh-token-1",
    )

    text = repr(login) + repr(store)

    for secret in login.secrets:
        assert secret not in text
    assert set(login.secrets) == {"client-secret-1", "access-token-1", "refresh-token-1"}


def test_remove_returns_what_was_removed(store):
    store.put(TOKEN_LOGIN)

    assert store.remove(TOKEN_LOGIN.site) == TOKEN_LOGIN
    assert store.remove(TOKEN_LOGIN.site) is None
    assert store.all() == []


def test_a_failed_write_leaves_the_previous_file_whole(store, monkeypatch):
    store.put(TOKEN_LOGIN)
    before = store.path.read_bytes()

    def crash(self, target):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        store.put(StoredLogin("https://y.atlassian.net/wiki", "pat", secret="pat-xyz"))

    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.directory.iterdir()) == [
        "credentials.json",
        "credentials.lock",
    ]


def test_damaged_store_names_the_file_and_what_to_do(store):
    store.directory.mkdir(parents=True)
    store.path.write_text("{not json")

    with pytest.raises(AuthError, match=r"credentials\.json is damaged; delete it"):
        store.get(TOKEN_LOGIN.site)


def test_entries_from_a_newer_version_keep_loading(store):
    store.directory.mkdir(parents=True)
    entry = {**TOKEN_LOGIN.to_json(), "new_field": 1}
    del entry["site"]
    store.path.write_text(json.dumps({"version": 2, "sites": {TOKEN_LOGIN.site: entry}}))

    assert store.get(TOKEN_LOGIN.site) == TOKEN_LOGIN


def test_concurrent_writers_from_separate_handles_lose_nothing(tmp_path):
    directory = tmp_path / "shared"

    def write(n):
        CredentialStore(directory).put(
            StoredLogin(f"https://site{n}.atlassian.net/wiki", "pat", secret=f"pat-{n}")
        )

    threads = [threading.Thread(target=write, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(CredentialStore(directory).all()) == 16
    assert not [p for p in directory.iterdir() if p.suffix == ".tmp"]


def test_lock_is_reentrant_within_a_thread(store):
    with store.locked(), store.locked():
        store.put(TOKEN_LOGIN)

    assert store.get(TOKEN_LOGIN.site) == TOKEN_LOGIN
    assert store.lock_path.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_store_others_can_read_is_made_private_with_a_warning(tmp_path, caplog):
    directory = tmp_path / "config"
    store = CredentialStore(directory)
    store.put(TOKEN_LOGIN)
    directory.chmod(0o777)
    store.path.chmod(0o644)

    assert store.get(TOKEN_LOGIN.site) == TOKEN_LOGIN

    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("read or written by others" in w for w in warnings)
    assert all("api-token-123" not in w for w in warnings)
