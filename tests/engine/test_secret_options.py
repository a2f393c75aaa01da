from __future__ import annotations

import pytest

from docs_confluence.settings.secret_options import is_secret_option, secret_option_problem

# What MkDocs refused by exact name, and what Sphinx's pattern was written to catch.
MKDOCS_NAMES = ["token", "api_token", "apitoken", "password", "pat", "secret", "user", "username"]
SPHINX_NAMES = [
    "server_pass",
    "passwd",
    "publish_token",
    "client_secret",
    "auth",
    "basic_auth",
    "oauth_token",
    "server_user",
    "api_key",
    "access_key",
    "credentials",
]


@pytest.mark.parametrize("name", [*MKDOCS_NAMES, *SPHINX_NAMES, "API-Token", "apiKey", "PAT"])
def test_names_that_hold_credentials_are_secret(name):
    assert is_secret_option(name)


@pytest.mark.parametrize(
    "name", ["space", "space_key", "author", "path", "patterns", "parent_page", "url", "keys"]
)
def test_ordinary_names_are_not(name):
    assert not is_secret_option(name)


def test_the_message_names_the_file_and_where_credentials_belong():
    assert secret_option_problem("space", where="mkdocs.yml") is None
    message = secret_option_problem("api_token", where="conf.py")
    assert message is not None
    assert message.startswith("credentials are never read from conf.py")
    for where in ("CONFLUENCE_USER", "CONFLUENCE_API_TOKEN", "CONFLUENCE_PAT", "login"):
        assert where in message
