"""sphinxcontrib-confluencebuilder's ``confluence_*`` names in ``conf.py`` (or ``-D``).

A name with an equivalent here (:data:`RENAMED`) is applied to it, with one notice naming the new
name. A name with no equivalent (:data:`NO_EQUIVALENT`) is a problem when its value asks for
something this builder does not do, and only a notice when its value is what the builder does
anyway (``confluence_page_hierarchy = True``). Credentials are not here: they are refused
wherever they are written (:mod:`docs_confluence.secret_options`). docs/migrating.md has the
tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError

from docs_confluence.config import API_TOKEN_VARIABLE, PAT_VARIABLE, USER_VARIABLE

if TYPE_CHECKING:
    from sphinx.config import Config

__all__ = ["NO_EQUIVALENT", "RENAMED", "Migration", "NoEquivalent", "migrate", "old_names"]

#: confluencebuilder's name -> ours.
RENAMED: dict[str, str] = {
    "confluence_server_url": "confluence_url",
    "confluence_space_key": "confluence_space",
    "confluence_space_name": "confluence_space",
    "confluence_publish_root": "confluence_parent_page",
    "confluence_publish_dryrun": "confluence_dry_run",
    "confluence_purge": "confluence_cleanup",
    "confluence_publish_prefix": "confluence_title_prefix",
    "confluence_global_labels": "confluence_labels",
    "confluence_publish_denylist": "confluence_exclude",
    "confluence_publish_headers": "confluence_headers",
}

_CREDENTIALS = (
    f"set {USER_VARIABLE} and {API_TOKEN_VARIABLE} (Cloud) or {PAT_VARIABLE} (Data Center) in "
    "the environment, or run docs-confluence login"
)


@dataclass(frozen=True, slots=True)
class NoEquivalent:
    """A confluencebuilder name this builder has no value for."""

    advice: str
    #: Values that ask for nothing more than what the builder does anyway.
    harmless: tuple[object, ...] = (None, False, "", (), [])


#: confluencebuilder's name -> what to do instead.
NO_EQUIVALENT: dict[str, NoEquivalent] = {
    "confluence_page_hierarchy": NoEquivalent(
        "pages always nest as the toctrees nest; remove it", (None, True)
    ),
    "confluence_publish_allowlist": NoEquivalent(
        "list the documents to leave out in confluence_exclude (glob patterns) instead"
    ),
    "confluence_publish_postfix": NoEquivalent(
        "titles take only a prefix: use confluence_title_prefix, or remove it"
    ),
    "confluence_purge_from_root": NoEquivalent(
        "confluence_cleanup trashes only pages this project published; remove it"
    ),
    "confluence_disable_ssl_validation": NoEquivalent(
        "certificates are always checked: for a private CA, point SSL_CERT_FILE at a CA bundle "
        "that holds it"
    ),
    "confluence_ca_cert": NoEquivalent(
        "point SSL_CERT_FILE in the environment at the CA bundle instead"
    ),
    "confluence_proxy": NoEquivalent("set HTTPS_PROXY in the environment instead"),
    "confluence_ask_user": NoEquivalent(_CREDENTIALS),
    "confluence_ask_password": NoEquivalent(_CREDENTIALS),
    "confluence_max_doc_depth": NoEquivalent(
        "every document becomes its own page; leave pages out with confluence_exclude"
    ),
    "confluence_watch": NoEquivalent("watch the pages in Confluence; remove it"),
    "confluence_version_comment": NoEquivalent(
        "the version message is written by docs-confluence; remove it"
    ),
    "confluence_page_generation_notice": NoEquivalent("remove it"),
    "confluence_header_file": NoEquivalent("remove it"),
    "confluence_footer_file": NoEquivalent("remove it"),
    "confluence_prev_next_buttons_location": NoEquivalent("remove it"),
}


def old_names() -> list[str]:
    """Every confluencebuilder name this module understands."""
    return [*RENAMED, *NO_EQUIVALENT]


@dataclass(slots=True)
class Migration:
    """What :func:`migrate` did and found."""

    notices: list[str]
    problems: list[str]


def migrate(config: Config, given: set[str]) -> Migration:
    """Apply the confluencebuilder names among *given* (the names ``conf.py`` and ``-D`` set)
    to ours, in place."""
    result = Migration([], [])
    ignored: list[str] = []
    for old, new in RENAMED.items():
        if old not in given:
            continue
        value = getattr(config, old)
        if isinstance(value, str) and old in _overrides(config):
            try:
                value = config.convert_overrides(new, value)
            except (ConfigError, ValueError) as exc:
                result.problems.append(f"conf.py: -D {old}={value}: {exc}")
                setattr(config, old, None)
                continue
        if new in given and getattr(config, new) != value:
            result.problems.append(
                f"conf.py: {old} is sphinxcontrib-confluencebuilder's name for {new}, and both "
                f"are set: keep only {new}"
            )
            continue
        if new in ("confluence_labels", "confluence_exclude") and isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        if new == "confluence_parent_page" and isinstance(value, int):
            value = str(value)
        setattr(config, new, value)
        given.add(new)
        result.notices.append(
            f"conf.py: {old} is sphinxcontrib-confluencebuilder's name: read as {new}; rename it"
        )
    for old, entry in NO_EQUIVALENT.items():
        if old not in given:
            continue
        value = getattr(config, old)
        line = f"{old} = {value!r}: {entry.advice}"
        if value in entry.harmless:
            ignored.append(line)
        else:
            result.problems.append(line)
    if ignored:
        result.notices.append(
            "conf.py: sphinxcontrib-confluencebuilder values with no effect here (ignored): "
            + "; ".join(ignored)
        )
    if any(not problem.startswith("conf.py:") for problem in result.problems):
        kept = [problem for problem in result.problems if problem.startswith("conf.py:")]
        listed = [problem for problem in result.problems if not problem.startswith("conf.py:")]
        result.problems = [
            *kept,
            "conf.py: sphinxcontrib-confluencebuilder values with no equivalent here: "
            + "; ".join(listed),
        ]
    return result


def _overrides(config: Config) -> dict[str, object]:
    overrides: dict[str, object] = getattr(config, "_overrides", {})
    return overrides
