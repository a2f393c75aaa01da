"""Publishing settings, checked once here for every front end (CLI, MkDocs, Sphinx).

Front ends map their own option names onto :class:`PublisherConfig` fields (the names are declared
once, in :mod:`docs_confluence.settings.options`) and call :meth:`PublisherConfig.from_mapping` at
their edge; every rule that spans options lives here, one function each (:func:`space_problem`,
:func:`is_cloud_site`, the draft check in ``_check``), and every error names the option as the user
spelled it (``origin`` says where: ``mkdocs.yml``, ``conf.py``…). Secrets are never part of this
object: credentials come from :mod:`docs_confluence.auth`.

The environment variables are read here (:func:`environment_value`): the ``CONFLUENCE_*``
settings (declared with their options) and secrets and ``ATLASSIAN_*`` servers; every other
module imports the names from this one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import ConfigError
from .settings.naming import MAX_PROJECT_ID, is_project_id
from .settings.options import (
    DEFAULT_CONCURRENCY,
    HEADERS_VARIABLE,
    OPTIONS,
    PARENT_VARIABLE,
    SPACE_VARIABLE,
    URL_VARIABLE,
    ConflictPolicy,
    Deployment,
)
from .settings.typos import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "API_TOKEN_VARIABLE",
    "API_URL_VARIABLE",
    "AUTH_URL_VARIABLE",
    "CLOUD_ID_VARIABLE",
    "DEFAULT_CONCURRENCY",
    "HEADERS_VARIABLE",
    "OAUTH_CLIENT_ID_VARIABLE",
    "OAUTH_CLIENT_SECRET_VARIABLE",
    "PARENT_VARIABLE",
    "PAT_VARIABLE",
    "SECRET_VARIABLES",
    "SPACE_VARIABLE",
    "URL_VARIABLE",
    "USER_VARIABLE",
    "ConflictPolicy",
    "Deployment",
    "PublisherConfig",
    "config_from_environment",
    "environment_headers",
    "environment_value",
    "is_cloud_site",
    "space_problem",
]

_SPACE_KEY = re.compile(r"^~?[A-Za-z0-9_]+$")

#: Where to publish (the site's base URL, the space key, the parent page), extra request
#: headers and the default concurrency are declared with their options in :mod:`.options`.
#: Who publishes: an e-mail + API token (Cloud), a personal access token (Data Center), or an
#: OAuth app's client id + secret (with the cloud id of the site, when the grant reaches several).
USER_VARIABLE = "CONFLUENCE_USER"
API_TOKEN_VARIABLE = "CONFLUENCE_API_TOKEN"
PAT_VARIABLE = "CONFLUENCE_PAT"
OAUTH_CLIENT_ID_VARIABLE = "CONFLUENCE_OAUTH_CLIENT_ID"
OAUTH_CLIENT_SECRET_VARIABLE = "CONFLUENCE_OAUTH_CLIENT_SECRET"
CLOUD_ID_VARIABLE = "CONFLUENCE_CLOUD_ID"
#: Where OAuth's authorization server and API gateway are (Atlassian's own when unset).
AUTH_URL_VARIABLE = "ATLASSIAN_AUTH_URL"
API_URL_VARIABLE = "ATLASSIAN_API_URL"
#: The variables whose values are secrets, never to be shown.
SECRET_VARIABLES = (
    API_TOKEN_VARIABLE,
    PAT_VARIABLE,
    OAUTH_CLIENT_SECRET_VARIABLE,
    HEADERS_VARIABLE,
)


@dataclass(frozen=True, slots=True)
class PublisherConfig:
    """Where and how to publish a bundle.

    ``url`` is the base URL including ``/wiki`` on Cloud or the context path on Data Center.
    ``on_conflict`` says what to do with a page a person edited in Confluence since our last
    publish: ``keep`` their edit and report it (default), ``overwrite`` it, or ``fail`` before
    writing anything. ``diff`` shows, for each page whose body the publish rewrites, what a
    reader will see change (one read per such page). ``draft`` creates new pages as drafts
    (Cloud only; docs/drafts.md).
    """

    url: str | None = None
    space: str | None = None
    parent_page: str | None = None
    dry_run: bool = False
    diff: bool = False
    cleanup: bool = False
    adopt: bool = False
    draft: bool = False
    on_conflict: ConflictPolicy = "keep"
    deployment: Deployment = "auto"
    project: str | None = None
    #: The most requests in flight; a run starts at 4 and rises while the site answers quickly.
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = 30.0
    max_attachment_mb: float = 100
    #: Sent with every request; values may be secrets, so they are never shown (``repr`` too).
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def publishes(self) -> bool:
        """True when a target is configured, so a build should publish (or plan)."""
        return self.url is not None

    @property
    def is_cloud(self) -> bool:
        """Cloud (v2 API under /wiki) rather than Data Center (v1 only): :func:`is_cloud_site`."""
        assert self.url is not None
        return is_cloud_site(self.url, self.deployment)

    @classmethod
    def from_mapping(
        cls,
        values: Mapping[str, Any],
        *,
        origin: str = "settings",
        names: Mapping[str, str] | None = None,
    ) -> PublisherConfig:
        """Build and check a config from *values* (field names as keys; ``None`` = default).

        *names* maps field names to the option names the user wrote (``space`` ->
        ``confluence_space``) so errors speak the user's language. Raises :class:`ConfigError`.
        """
        spelled = dict(names or {})

        def name(field_name: str) -> str:
            return spelled.get(field_name, field_name)

        known = [f.name for f in fields(cls)]
        for key in values:
            if key not in known:
                also = did_you_mean(key, known, spell=name)
                raise ConfigError(f"{origin}: unknown option {name(key)!r}{also}")
        given = {k: v for k, v in values.items() if v is not None}
        if "headers" in given:
            given["headers"] = request_headers(given["headers"], f"{origin}: {name('headers')}")
        config = cls(**given)
        config._check(origin, name)
        return config

    def _check(self, origin: str, name: Any) -> None:
        def fail(field_name: str, problem: str) -> ConfigError:
            value = getattr(self, field_name)
            if field_name == "url" and isinstance(value, str):
                value = _without_userinfo(value)  # never echo a password
            return ConfigError(f"{origin}: {name(field_name)} = {value!r}: {problem}")

        if self.url is not None:
            parts = urlsplit(self.url)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise fail(
                    "url",
                    "expected the site's base URL, e.g. https://example.atlassian.net/wiki "
                    "(Cloud) or https://wiki.example.com/confluence (Data Center)",
                )
            if parts.username or parts.password:
                raise fail("url", "put credentials in the environment, not in the URL")
        missing = space_problem(
            self.url, self.space, url_name=name("url"), space_name=name("space")
        )
        if missing is not None:
            raise ConfigError(f"{origin}: {missing}")
        if self.space is not None and not _SPACE_KEY.match(self.space):
            raise fail("space", "expected a space key such as DOC (letters and digits)")
        for choice in _CHOICES:
            if getattr(self, choice.name) not in choice.choices:
                raise fail(choice.name, "expected one of: " + ", ".join(choice.choices))
        if self.project is not None and not is_project_id(self.project):
            raise fail("project", f"use up to {MAX_PROJECT_ID} letters, digits, '.', '_' or '-'")
        for flag in ("dry_run", "diff", "cleanup", "adopt", "draft"):
            if not isinstance(getattr(self, flag), bool):
                raise fail(flag, "expected true or false")
        if self.draft and self.url is not None and not self.is_cloud:
            raise fail("draft", DRAFTS_NEED_CLOUD)
        concurrency: object = self.concurrency
        if not isinstance(concurrency, int) or not 1 <= concurrency <= 32:
            raise fail("concurrency", "expected a whole number from 1 to 32")
        timeout: object = self.timeout
        if not isinstance(timeout, int | float) or timeout <= 0:
            raise fail("timeout", "expected a number of seconds above 0")
        largest: object = self.max_attachment_mb
        if isinstance(largest, bool) or not isinstance(largest, int | float) or largest <= 0:
            raise fail(
                "max_attachment_mb",
                "expected the site's attachment maximum in MB (a number above 0; "
                "Data Center's default is 100)",
            )


#: The options of :class:`PublisherConfig` that take one of their declared choices.
_CHOICES = tuple(
    each
    for each in OPTIONS
    if each.kind == "choice" and each.name in {f.name for f in fields(PublisherConfig)}
)

#: Headers docs-confluence sets itself: from the credentials, or from what it sends.
_OWN_HEADERS = {
    "authorization": "it comes from the credentials (docs-confluence login, or "
    "CONFLUENCE_API_TOKEN / CONFLUENCE_PAT in the environment)",
    "host": "it comes from the URL",
    "content-type": "it is set for each request",
    "content-length": "it is set for each request",
    "transfer-encoding": "it is set for each request",
    "connection": "the connection pool manages it",
}
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def request_headers(value: object, setting: str) -> tuple[tuple[str, str], ...]:
    """Extra request headers from a mapping (``{Name: value}``), or from ``Name: value`` lines
    (a list, or one string of lines as in ``CONFLUENCE_HEADERS``). Errors name *setting* and
    the header, never its value, which may be a secret."""
    pairs: list[tuple[object, object]] = []
    if isinstance(value, str):
        value = value.splitlines()
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list | tuple):
        for line in value:
            if isinstance(line, tuple | list) and len(line) == 2:
                pairs.append((line[0], line[1]))
                continue
            if not isinstance(line, str) or ":" not in line:
                raise ConfigError(
                    f"{setting}: expected 'Name: value' lines or a mapping of names to values"
                )
            if line.strip():
                line_name, _, line_value = line.partition(":")
                pairs.append((line_name.strip(), line_value.strip()))
    else:
        raise ConfigError(f"{setting}: expected a mapping of header names to values")
    headers: list[tuple[str, str]] = []
    for header, text in pairs:
        if not isinstance(header, str) or not _HEADER_NAME.match(header):
            raise ConfigError(f"{setting}: {header!r} is not a valid header name")
        if header.lower() in _OWN_HEADERS:
            raise ConfigError(
                f"{setting}: {header} cannot be set here: {_OWN_HEADERS[header.lower()]}"
            )
        if not isinstance(text, str) or any(c in text for c in "\r\n\0"):
            raise ConfigError(
                f"{setting}: the value of {header} must be text on one line "
                "(set it from an environment variable, e.g. with !ENV in mkdocs.yml)"
            )
        headers.append((header, text))
    return tuple(headers)


def is_cloud_site(url: str, deployment: Deployment = "auto") -> bool:
    """The one place the flavour is decided: Cloud (REST v2 under ``/wiki``) or Data Center
    (REST v1 only). ``deployment`` says so, or ``auto`` decides from the URL (a path ending in
    ``/wiki``, or an ``*.atlassian.net`` host)."""
    if deployment != "auto":
        return deployment == "cloud"
    parts = urlsplit(url)
    return parts.path.rstrip("/").endswith("/wiki") or (parts.hostname or "").endswith(
        ".atlassian.net"
    )


def space_problem(
    url: str | None, space: str | None, *, url_name: str = "url", space_name: str = "space"
) -> str | None:
    """The one rule "a space is required with a URL": what is missing, or None. *url_name* and
    *space_name* are the options as the user spells them."""
    if url is None or space:
        return None
    return (
        f"{space_name} is required when {url_name} is set "
        "(the key of the space to publish into, e.g. DOC)"
    )


#: Why the draft option is refused on Data Center (the front ends' and the CLI's message).
DRAFTS_NEED_CLOUD = (
    "drafts need Confluence Cloud; Data Center's REST API has no drafts the publisher can "
    "find again (docs/drafts.md). Publish without it, or review in a staging space"
)


def environment_headers(environ: Mapping[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    """The extra request headers of ``CONFLUENCE_HEADERS``, for the commands that have no
    other way to be given them (``login``, ``status``)."""
    value = environment_value(HEADERS_VARIABLE, environ)
    return () if value is None else request_headers(value, HEADERS_VARIABLE)


def environment_value(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The environment variable *name* (from *environ*, by default ``os.environ``); None when it
    is unset or empty."""
    env = os.environ if environ is None else environ
    return env.get(name) or None


def config_from_environment(
    overrides: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Config values from the variables the options declare (``CONFLUENCE_URL``,
    ``CONFLUENCE_SPACE``, ``CONFLUENCE_PARENT``, ``CONFLUENCE_HEADERS``), with *overrides*
    (non-``None``) taking precedence. Feed the result to ``from_mapping``."""
    values: dict[str, Any] = {
        each.name: environment_value(each.env, environ) for each in OPTIONS if each.env
    }
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return values


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if not (parts.username or parts.password):
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
