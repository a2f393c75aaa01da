"""docs_confluence.config on its own: PublisherConfig's checks and messages, the environment."""

from __future__ import annotations

import pytest

from docs_confluence.config import (
    SECRET_VARIABLES,
    PublisherConfig,
    config_from_environment,
    environment_value,
)
from docs_confluence.errors import ConfigError

CLOUD = "https://example.atlassian.net/wiki"


def failure(values, **kwargs) -> str:
    with pytest.raises(ConfigError) as caught:
        PublisherConfig.from_mapping(values, **kwargs)
    return str(caught.value)


# -- PublisherConfig ------------------------------------------------------------------------------


def test_defaults_and_none_meaning_default():
    config = PublisherConfig.from_mapping({"url": CLOUD, "space": "DOC", "concurrency": None})

    assert config == PublisherConfig(
        url=CLOUD,
        space="DOC",
        parent_page=None,
        dry_run=False,
        cleanup=False,
        adopt=False,
        on_conflict="keep",
        deployment="auto",
        project=None,
        concurrency=16,
        timeout=30.0,
        max_attachment_mb=100,
    )


def test_no_url_means_no_publishing():
    assert PublisherConfig.from_mapping({}).publishes is False
    assert PublisherConfig.from_mapping({"url": CLOUD, "space": "DOC"}).publishes is True


@pytest.mark.parametrize(
    ("url", "deployment", "cloud"),
    [
        ("https://example.atlassian.net/wiki", "auto", True),
        ("https://example.atlassian.net", "auto", True),
        ("https://wiki.example.com/wiki/", "auto", True),
        ("https://wiki.example.com/confluence", "auto", False),
        ("http://127.0.0.1:8090", "auto", False),
        ("https://wiki.example.com/confluence", "cloud", True),
        ("https://example.atlassian.net/wiki", "datacenter", False),
    ],
)
def test_is_cloud_from_the_url_unless_the_deployment_says(url, deployment, cloud):
    assert PublisherConfig(url=url, deployment=deployment).is_cloud is cloud


def test_unknown_option_with_a_hint_in_the_users_spelling():
    message = failure(
        {"spcae": "DOC"}, origin="conf.py", names={"space": "confluence_space", "spcae": "x_spcae"}
    )

    assert message == "conf.py: unknown option 'x_spcae'; did you mean 'confluence_space'?"


def test_unknown_option_without_a_close_match():
    assert failure({"colour": "red"}) == (
        "settings: unknown option 'colour'; expected one of: url, space, parent_page, dry_run, "
        "diff, cleanup, adopt, draft, on_conflict, deployment, project, concurrency, timeout, "
        "max_attachment_mb, headers"
    )


@pytest.mark.parametrize("url", ["example.atlassian.net/wiki", "ftp://example.com", "https://"])
def test_url_must_be_an_http_site_address(url):
    assert failure({"url": url, "space": "DOC"}, origin="mkdocs.yml") == (
        f"mkdocs.yml: url = {url!r}: expected the site's base URL, e.g. "
        "https://example.atlassian.net/wiki (Cloud) or https://wiki.example.com/confluence "
        "(Data Center)"
    )


def test_credentials_in_the_url_are_refused_and_never_echoed():
    message = failure(
        {"url": "https://bot:hunter22@example.atlassian.net/wiki", "space": "DOC"},
        origin="docs-confluence",
        names={"url": "--url"},
    )

    assert message == (
        "docs-confluence: --url = 'https://example.atlassian.net/wiki': put credentials in the "
        "environment, not in the URL"
    )
    assert "hunter22" not in message


def test_url_needs_a_space():
    message = failure(
        {"url": CLOUD},
        origin="conf.py",
        names={"url": "confluence_url", "space": "confluence_space"},
    )

    assert message == (
        "conf.py: confluence_space is required when confluence_url is set (the key of the space "
        "to publish into, e.g. DOC)"
    )


@pytest.mark.parametrize("space", ["DOC", "~jdoe", "team_1"])
def test_space_keys_accepted(space):
    assert PublisherConfig.from_mapping({"url": CLOUD, "space": space}).space == space


@pytest.mark.parametrize("space", ["my space", "DOC-1", ""])
def test_space_key_must_be_letters_and_digits(space):
    assert failure({"space": space}) == (
        f"settings: space = {space!r}: expected a space key such as DOC (letters and digits)"
    )


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("on_conflict", "ask", "expected one of: keep, overwrite, fail"),
        ("deployment", "server", "expected one of: auto, cloud, datacenter"),
        ("project", "my project", "use up to 64 letters, digits, '.', '_' or '-'"),
        ("project", "p" * 65, "use up to 64 letters, digits, '.', '_' or '-'"),
        ("dry_run", "yes", "expected true or false"),
        ("cleanup", 1, "expected true or false"),
        ("concurrency", 0, "expected a whole number from 1 to 32"),
        ("concurrency", 33, "expected a whole number from 1 to 32"),
        ("concurrency", 2.5, "expected a whole number from 1 to 32"),
        ("timeout", 0, "expected a number of seconds above 0"),
        ("timeout", "30", "expected a number of seconds above 0"),
        (
            "max_attachment_mb",
            True,
            "expected the site's attachment maximum in MB (a number above 0; Data Center's "
            "default is 100)",
        ),
        (
            "max_attachment_mb",
            -1,
            "expected the site's attachment maximum in MB (a number above 0; Data Center's "
            "default is 100)",
        ),
    ],
)
def test_each_bad_value_is_named_with_the_problem(field, value, problem):
    assert failure({field: value}, origin="mkdocs.yml") == (
        f"mkdocs.yml: {field} = {value!r}: {problem}"
    )


def test_bad_values_use_the_users_option_names():
    message = failure(
        {"on_conflict": "ask"}, origin="docs-confluence", names={"on_conflict": "--on-conflict"}
    )

    assert (
        message == "docs-confluence: --on-conflict = 'ask': expected one of: keep, overwrite, fail"
    )


def test_limits_at_the_edges_are_accepted():
    config = PublisherConfig.from_mapping(
        {"concurrency": 32, "timeout": 0.5, "max_attachment_mb": 0.1, "project": "p" * 64}
    )

    assert (config.concurrency, config.timeout, config.max_attachment_mb) == (32, 0.5, 0.1)


# -- the environment ------------------------------------------------------------------------------


def test_environment_value_treats_empty_as_unset():
    environ = {"CONFLUENCE_URL": CLOUD, "CONFLUENCE_SPACE": ""}

    assert environment_value("CONFLUENCE_URL", environ) == CLOUD
    assert environment_value("CONFLUENCE_SPACE", environ) is None
    assert environment_value("CONFLUENCE_PARENT", environ) is None


def test_environment_value_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("CONFLUENCE_PARENT", "Home")

    assert environment_value("CONFLUENCE_PARENT") == "Home"


def test_config_from_environment_reads_url_space_and_parent():
    environ = {
        "CONFLUENCE_URL": CLOUD,
        "CONFLUENCE_SPACE": "DOC",
        "CONFLUENCE_PARENT": "Home",
        "CONFLUENCE_API_TOKEN": "never-a-setting",
    }

    assert config_from_environment(environ=environ) == {
        "url": CLOUD,
        "space": "DOC",
        "parent_page": "Home",
        "headers": None,
    }


def test_config_from_environment_overrides_win_unless_none():
    environ = {"CONFLUENCE_URL": CLOUD, "CONFLUENCE_SPACE": "DOC", "CONFLUENCE_PARENT": ""}

    values = config_from_environment(
        {"space": "OPS", "url": None, "cleanup": True, "project": None}, environ=environ
    )

    assert values == {
        "url": CLOUD,
        "space": "OPS",
        "parent_page": None,
        "headers": None,
        "cleanup": True,
    }


def test_config_from_environment_uses_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("CONFLUENCE_URL", CLOUD)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.delenv("CONFLUENCE_PARENT", raising=False)

    config = PublisherConfig.from_mapping(config_from_environment())

    assert (config.url, config.space, config.parent_page) == (CLOUD, "DOC", None)


def test_the_secret_variables():
    assert SECRET_VARIABLES == (
        "CONFLUENCE_API_TOKEN",
        "CONFLUENCE_PAT",
        "CONFLUENCE_OAUTH_CLIENT_SECRET",
        "CONFLUENCE_HEADERS",
    )
