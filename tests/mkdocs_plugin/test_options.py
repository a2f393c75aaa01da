"""The plugin's options are checked when MkDocs loads mkdocs.yml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from docs_confluence.storage.notice import DEFAULT_NOTICE

from .sites import write_site

if TYPE_CHECKING:
    from pathlib import Path

    from mkdocs.config.defaults import MkDocsConfig


def load(tmp_path: Path, options: dict[str, Any], **config: Any) -> MkDocsConfig:
    path = write_site(
        tmp_path,
        {"index.md": "# Home\n"},
        {"plugins": [{"confluence": options}], **config},
        notice=True,
    )
    return load_config(str(path))


def config_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mkdocs.config"]


def test_defaults(tmp_path):
    plugin = load(tmp_path, {}).plugins["confluence"]
    assert dict(plugin.config) == {
        "enabled": True,
        "publish": True,
        "url": None,
        "space": None,
        "parent_page": None,
        "dry_run": False,
        "diff": False,
        "cleanup": False,
        "adopt": False,
        "draft": False,
        "on_conflict": "keep",
        "deployment": "auto",
        "project": None,
        "concurrency": 16,
        "timeout": 30,
        "max_attachment_mb": 100,
        "headers": None,
        "bundle_dir": None,
        "title_prefix": "",
        "labels": [],
        "source_notice": True,
        "source_notice_text": DEFAULT_NOTICE,
        "include_pages": None,
        "exclude_pages": None,
        "pages_not_in_nav": "publish",
        "tabs": "panels",
        "toc_min_headings": 0,
        "macros": {},
        "math": "image",
        "mermaid_cli": "mmdc",
    }


def test_options_are_read(tmp_path):
    plugin = load(
        tmp_path,
        {
            "url": "https://example.atlassian.net/wiki",
            "space": "DOC",
            "parent_page": "Handbook",
            "on_conflict": "overwrite",
            "labels": "Docs, generated",
            "bundle_dir": "out/bundle",
        },
    ).plugins["confluence"]
    assert plugin.config.labels == ["docs", "generated"]
    assert plugin.config.on_conflict == "overwrite"
    assert plugin.config.bundle_dir == str(tmp_path / "out" / "bundle")


def test_unknown_option_suggests_the_right_name(tmp_path, caplog):
    with pytest.raises(Abort):
        load(tmp_path, {"spcae": "DOC"})
    [message] = config_errors(caplog)
    assert "Plugin 'confluence' option 'spcae': unknown option; did you mean 'space'?" in message


def test_secrets_are_refused_in_mkdocs_yml(tmp_path, caplog):
    with pytest.raises(Abort):
        load(tmp_path, {"api_token": "s3cr3t-value"})
    [message] = config_errors(caplog)
    assert "CONFLUENCE_API_TOKEN" in message
    assert "s3cr3t-value" not in caplog.text


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"on_conflict": "ignore"}, "'ignore'"),
        ({"dry_run": "perhaps"}, "Expected true or false"),
        ({"labels": ["has space ok", "bad/label"]}, "not allowed"),
        ({"pages_not_in_nav": "hide"}, "publish"),
        ({"exclude_pages": 3}, "Expected a list of patterns"),
    ],
)
def test_bad_values_stop_the_build_at_load(tmp_path, caplog, options, fragment):
    with pytest.raises(Abort):
        load(tmp_path, options)
    [message] = config_errors(caplog)
    assert fragment in message


def test_flags_accept_environment_strings(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_PUBLISH", "no")
    monkeypatch.setenv("DOCS_DRY_RUN", "1")
    path = tmp_path / "mkdocs.yml"
    write_site(tmp_path, {"index.md": "# Home\n"})
    path.write_text(
        "site_name: Env\nplugins:\n  - confluence:\n"
        "      publish: !ENV CONFLUENCE_PUBLISH\n"
        "      dry_run: !ENV DOCS_DRY_RUN\n"
        "      enabled: !ENV [CONFLUENCE_ENABLED, true]\n"
        "      url: !ENV CONFLUENCE_URL_UNSET\n",
        encoding="utf-8",
    )
    plugin = load_config(str(path)).plugins["confluence"]
    assert (plugin.config.publish, plugin.config.dry_run, plugin.config.enabled) == (
        False,
        True,
        True,
    )
    assert plugin.config.url is None


def test_rules_spanning_options_are_the_engines(make_site, logs):
    with pytest.raises(Abort):
        make_site(
            {"index.md": "# Home\n"}, {"plugins": [{"confluence": {"url": "https://x.test"}}]}
        )
    [error] = logs.errors()
    assert error.startswith("confluence: mkdocs.yml: plugins.confluence: space is required")
    assert "when url is set" in error


def test_headers_take_secrets_from_the_environment(tmp_path, monkeypatch):
    from mkdocs_confluence.options import publisher_config

    monkeypatch.setenv("GATEWAY_TOKEN", "gw-secret-value")
    path = tmp_path / "mkdocs.yml"
    write_site(tmp_path, {"index.md": "# Home\n"})
    path.write_text(
        "site_name: Env\nplugins:\n  - confluence:\n"
        "      url: https://wiki.example.com/confluence\n      space: DOC\n"
        "      headers:\n        X-Gateway-Token: !ENV GATEWAY_TOKEN\n",
        encoding="utf-8",
    )
    plugin = load_config(str(path)).plugins["confluence"]
    config = publisher_config(plugin.config, project="env")
    assert config.headers == (("X-Gateway-Token", "gw-secret-value"),)
    assert "gw-secret-value" not in repr(config)
