"""sphinxcontrib-confluencebuilder's ``confluence_*`` names in ``conf.py`` (or ``-D``).

The names are declared with our options, in :mod:`docs_confluence.settings.options`. A name with an
equivalent here (:data:`RENAMED`) is applied to it, with one notice naming the new
name. A name with no equivalent (:data:`NO_EQUIVALENT`) is a problem when its value asks for
something this builder does not do, and only a notice when its value is what the builder does
anyway (``confluence_page_hierarchy = True``). Credentials are not here: they are refused
wherever they are written (:mod:`docs_confluence.settings.secret_options`). docs/migrating.md
has the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError

from docs_confluence.settings.options import CONFLUENCEBUILDER, OPTIONS, UNSUPPORTED, Unsupported

if TYPE_CHECKING:
    from sphinx.config import Config

__all__ = ["NO_EQUIVALENT", "RENAMED", "Migration", "migrate", "old_names"]

#: confluencebuilder's name -> ours (declared with our options).
RENAMED: dict[str, str] = {
    alias.name: each.sphinx
    for each in OPTIONS
    if each.sphinx is not None
    for alias in each.aliases
    if alias.tool == CONFLUENCEBUILDER
}

#: Our name -> its declared kind: how an old value is converted.
_KINDS = {each.sphinx: each.kind for each in OPTIONS if each.sphinx is not None}

#: confluencebuilder's name -> what to do instead.
NO_EQUIVALENT: dict[str, Unsupported] = {
    each.name: each for each in UNSUPPORTED if each.tool == CONFLUENCEBUILDER
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
        kind = _KINDS[new]
        if kind in {"labels", "patterns"} and isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        if kind == "text" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # confluence_publish_root = 12345: a page id
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
