"""mkdocs-with-confluence's option names in ``plugins: - confluence:``."""

from __future__ import annotations

import logging

import pytest
from mkdocs.exceptions import Abort

from .test_options import config_errors, load


def test_its_names_are_read_as_ours_with_one_warning_each(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    options = {
        "host_url": "https://example.atlassian.net/wiki/rest/api/content",
        "space": "DOC",
        "parent_page_name": "Docs",
        "dryrun": True,
    }
    plugin = load(tmp_path, options).plugins["confluence"]
    assert plugin.config.url == "https://example.atlassian.net/wiki"
    assert plugin.config.parent_page == "Docs"
    assert plugin.config.dry_run is True
    assert "host_url" not in plugin.config
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    for old, new in [
        ("host_url", "url"),
        ("parent_page_name", "parent_page"),
        ("dryrun", "dry_run"),
    ]:
        notice = f"'{old}' is mkdocs-with-confluence's name: read as '{new}'; rename it"
        assert sum(notice in w for w in warnings) == 1


@pytest.mark.parametrize(("value", "enabled"), [("1", True), ("", False), (None, False)])
def test_enabled_if_env_is_read_as_enabled_from_the_environment(
    tmp_path, monkeypatch, caplog, value, enabled
):
    if value is None:
        monkeypatch.delenv("MKDOCS_TO_CONFLUENCE", raising=False)
    else:
        monkeypatch.setenv("MKDOCS_TO_CONFLUENCE", value)
    plugin = load(tmp_path, {"enabled_if_env": "MKDOCS_TO_CONFLUENCE"}).plugins["confluence"]
    assert plugin.config.enabled is enabled
    assert "read as 'enabled: !ENV [MKDOCS_TO_CONFLUENCE, false]'" in caplog.text


def test_options_with_no_equivalent_are_listed_in_one_message(tmp_path, caplog):
    options = {"header_message": "Generated", "set_homepage": True, "verbose": False}
    with pytest.raises(Abort):
        load(tmp_path, options)
    [message] = config_errors(caplog)
    assert "mkdocs-with-confluence (or mkdocs-to-confluence) options with no equivalent" in message
    assert "header_message = 'Generated': every page already starts with a notice" in message
    assert "set its text with source_notice_text" in message
    assert "set_homepage = True: pages go under parent_page" in message
    assert "verbose" not in message  # false asks for nothing: a warning only


def test_its_credentials_are_refused_as_ours(tmp_path, caplog):
    with pytest.raises(Abort):
        load(tmp_path, {"password": "s3cr3t"})
    [message] = config_errors(caplog)
    assert "CONFLUENCE_API_TOKEN" in message
    assert "s3cr3t" not in caplog.text


def test_a_name_given_twice_is_refused(tmp_path, caplog):
    with pytest.raises(Abort):
        load(tmp_path, {"dryrun": True, "dry_run": False})
    [message] = config_errors(caplog)
    assert "both are set: keep only 'dry_run'" in message


def test_a_mkdocs_with_confluence_config_publishes_on_its_first_run(
    make_site, live_confluence, monkeypatch
):
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    monkeypatch.setenv("MKDOCS_TO_CONFLUENCE", "1")
    options = {
        "host_url": live_confluence.base_url + "/rest/api/content",
        "space": "DOC",
        "parent_page_name": "DOC Home",
        "enabled_if_env": "MKDOCS_TO_CONFLUENCE",
        "dryrun": False,
    }
    make_site({"index.md": "# Home\n\nHello.\n"}, {"plugins": [{"confluence": options}]})
    assert live_confluence.tree() == [("DOC Home", [("Home", [])])]


def test_mkdocs_to_confluence_names_are_read_as_ours(tmp_path, caplog):
    options = {
        "page_label": "generated",
        "cleanup_orphaned_pages": True,
        "export_only": True,
        "export_dir": "out",
        "strip_h1": True,
        "keep_pages": [],
    }
    plugin = load(tmp_path, options).plugins["confluence"]
    assert plugin.config.labels == ["generated"]
    assert plugin.config.cleanup is True
    assert plugin.config.publish is False
    assert plugin.config.bundle_dir.endswith("out")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    for old, new in [
        ("page_label", "labels"),
        ("cleanup_orphaned_pages", "cleanup"),
        ("export_only", "publish: false"),
        ("export_dir", "bundle_dir"),
    ]:
        notice = f"'{old}' is mkdocs-to-confluence's name: read as '{new}'; rename it"
        assert sum(notice in w for w in warnings) == 1, warnings
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # strip_h1 and an empty keep_pages ask for nothing: one warning each
    assert "'strip_h1': mkdocs-to-confluence's option has no effect here" in caplog.text


def test_mkdocs_to_confluence_keep_pages_says_what_to_do(tmp_path, caplog):
    with pytest.raises(Abort):
        load(tmp_path, {"keep_pages": ["Archive"], "debug_diff": True})
    [message] = config_errors(caplog)
    assert "keep_pages = ['Archive']: cleanup trashes only pages this project published" in message
    assert "debug_diff = True: set dry_run: true" in message
