"""The ``confluence_*`` values of ``conf.py``: registered in :func:`register`, checked once in
:func:`check_config` (on ``config-inited``), so a bad value stops the build before any work."""

from __future__ import annotations

import weakref
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Literal

from sphinx.errors import ConfigError
from sphinx.util import logging

from docs_confluence import ConfigError as EngineConfigError
from docs_confluence import PublisherConfig
from docs_confluence.bundle import normalise_label
from docs_confluence.config import SPACE_VARIABLE, URL_VARIABLE, config_from_environment
from docs_confluence.settings.naming import project_id as derived_project_id
from docs_confluence.settings.options import OPTIONS, Option
from docs_confluence.settings.secret_options import secret_option_problem
from docs_confluence.settings.typos import did_you_mean
from docs_confluence.storage.notice import check_notice_text

from .migration import migrate, old_names

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__all__ = [
    "MathMode",
    "check_config",
    "config_problems",
    "project_id",
    "publisher_config",
    "register",
]

logger = logging.getLogger(__name__)

MathMode = Literal["image", "code", "macro"]
_NONE: type = type(None)
_LIST: frozenset[type] = frozenset({list, tuple})  # a list: -D splits it at commas

#: The types Sphinx accepts for each kind of value (it only warns; :func:`config_check` and the
#: engine check them).
_TYPES: dict[str, frozenset[type]] = {
    "text": frozenset({str}),
    "notice": frozenset({str}),
    "choice": frozenset({str}),
    "flag": frozenset({bool}),
    "whole": frozenset({int}),
    "count": frozenset({int}),
    "number": frozenset({int, float}),
    "headers": frozenset({dict}),
    "labels": _LIST,
    "patterns": _LIST,
}
_Rebuild = Literal["", "env"]


def _value(declared: Option) -> tuple[str, Any, _Rebuild, frozenset[type]]:
    assert declared.sphinx is not None
    types = _TYPES[declared.kind]
    default = declared.default
    if declared.kind in {"labels", "patterns"}:
        default = list(default or ())  # type: ignore[call-overload]
    elif default is None:
        types = types | {_NONE}
    return declared.sphinx, default, declared.sphinx_rebuild, types


#: name, default, rebuild, types, from :mod:`docs_confluence.settings.options`. Values that
#: change page bodies ask for a full rebuild ("env"); the others only matter when the bundle is
#: assembled or published.
VALUES: tuple[tuple[str, Any, _Rebuild, frozenset[type]], ...] = tuple(
    _value(each) for each in OPTIONS if each.sphinx is not None
)

# PublisherConfig field -> the conf.py name, so engine errors speak conf.py.
_FIELDS = {
    each.name: each.sphinx
    for each in OPTIONS
    if each.sphinx is not None and each.name in {f.name for f in fields(PublisherConfig)}
}


#: The values the builder checks itself: those the engine does not take.
_BUILD = tuple(each for each in OPTIONS if each.sphinx is not None and each.name not in _FIELDS)


def _shape_problem(declared: Option, value: object) -> str | None:
    """What is wrong with *value* for a value of the builder's own, by its declared kind."""
    if value is None and declared.default is None and declared.kind in {"text", "notice"}:
        return None  # unset
    match declared.kind:
        case "flag" if not isinstance(value, bool):
            return "expected True or False"
        case "choice" if value not in declared.choices:
            return "expected one of: " + ", ".join(declared.choices)
        case "count" if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return "expected a whole number, 0 or more"
        case "text" | "notice" if not isinstance(value, str):
            return "expected a string"
        case "notice":
            assert isinstance(value, str)
            return check_notice_text(value)
        case "labels" | "patterns" if not isinstance(value, list | tuple) or not all(
            isinstance(item, str) for item in value
        ):
            return "expected a list of strings"
    return None


#: The problems :func:`check_config` found, by application: its builder builds nothing.
_PROBLEMS: weakref.WeakKeyDictionary[Sphinx, list[str]] = weakref.WeakKeyDictionary()


def register(app: Sphinx) -> None:
    """Declare every ``confluence_*`` value with its default and accepted types, and
    sphinxcontrib-confluencebuilder's names (any value; :mod:`.migration` reads them)."""
    for name, default, rebuild, types in VALUES:
        app.add_config_value(name, default, rebuild, types=types)
    for name in old_names():
        app.add_config_value(name, None, "", types=())


def check_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: apply sphinxcontrib-confluencebuilder's names, then check every
    ``confluence_*`` value, from ``conf.py`` and ``-D`` alike.

    Every problem is logged as an error (naming the value, its bad value and what is accepted)
    and the build's exit status is set to 1; the ``confluence`` builder then builds nothing. No
    exception: Sphinx turns any exception into a crash report.
    """
    problems = config_check(config)
    _PROBLEMS[app] = problems
    for problem in problems:
        logger.error("%s", problem, type="confluence", subtype="config")
    if problems:
        app.statuscode = 1


def config_problems(app: Sphinx) -> list[str]:
    """The configuration problems :func:`check_config` found for *app* (empty: none)."""
    return _PROBLEMS.get(app, [])


def config_check(config: Config) -> list[str]:
    """Every problem of the ``confluence_*`` values, one message each; logs the migration
    notices."""
    given = _given_names(config)
    problems = _read_overrides(config)
    migration = migrate(config, given)
    for notice in migration.notices:
        logger.warning("%s", notice, type="confluence", subtype="migration")
    problems += [*migration.problems, *_unknown_names(config, given)]

    def fail(name: str, value: object, problem: str) -> None:
        problems.append(f"conf.py: {name} = {value!r}: {problem}")

    for each in _BUILD:  # the engine checks the values it takes (publisher_config)
        assert each.sphinx is not None
        value = getattr(config, each.sphinx)
        problem = _shape_problem(each, value)
        if problem is not None:
            fail(each.sphinx, value, problem)
    lists = (config.confluence_labels, config.confluence_exclude)
    if all(isinstance(v, list | tuple) and all(isinstance(x, str) for x in v) for v in lists):
        for label in config.confluence_labels:
            try:
                normalise_label(label)
            except ValueError as exc:
                fail("confluence_labels", config.confluence_labels, str(exc))
        if config.root_doc in _excluded(config, {config.root_doc}):
            fail(
                "confluence_exclude",
                config.confluence_exclude,
                "the root document cannot be left out",
            )
    try:
        publisher = publisher_config(config)
    except ConfigError as exc:
        problems.append(str(exc))
    else:
        if config.confluence_dry_run and not publisher.publishes:
            problems.append(
                f"conf.py: confluence_dry_run = True needs confluence_url (or {URL_VARIABLE}) "
                f"and confluence_space (or {SPACE_VARIABLE}): the plan compares with a "
                "Confluence space"
            )
    return problems


def publisher_config(config: Config) -> PublisherConfig:
    """The engine's settings from ``conf.py`` and the environment; raises Sphinx's ConfigError."""
    given = {name: getattr(config, sphinx) for name, sphinx in _FIELDS.items()}
    values = config_from_environment({**given, "project": project_id(config)})
    try:
        return PublisherConfig.from_mapping(values, origin="conf.py", names=_FIELDS)
    except EngineConfigError as exc:
        raise ConfigError(str(exc)) from exc


def project_id(config: Config) -> str:
    """The bundle's project id: ``confluence_project``, or one derived from Sphinx's
    ``project``."""
    if config.confluence_project:
        return str(config.confluence_project)
    return derived_project_id(str(config.project))


def excluded_docs(config: Config, docnames: set[str]) -> set[str]:
    """The documents ``confluence_exclude`` leaves out (glob patterns over docnames)."""
    return _excluded(config, docnames)


def _excluded(config: Config, docnames: set[str]) -> set[str]:
    from sphinx.util.matching import Matcher

    matcher = Matcher(list(config.confluence_exclude))
    return {doc for doc in docnames if matcher(doc)}


def _given_names(config: Config) -> set[str]:
    """The names ``conf.py`` sets and ``-D`` overrides."""
    raw: dict[str, object] = getattr(config, "_raw_config", {})
    overrides: dict[str, object] = getattr(config, "_overrides", {})
    return {*raw, *overrides}


def _read_overrides(config: Config) -> list[str]:
    """Convert the ``-D`` values of our names now: Sphinx would otherwise ignore a bad number
    with a warning, or stop on a bad flag with a crash report."""
    overrides: dict[str, object] = getattr(config, "_overrides", {})
    problems = []
    known = {name for name, *_ in VALUES}
    for name, value in list(overrides.items()):
        if name not in known or not isinstance(value, str):
            continue
        try:
            setattr(config, name, config.convert_overrides(name, value))
        except (ConfigError, ValueError) as exc:
            problems.append(f"-D {name}={value}: {str(exc).removesuffix(', ignoring')}")
            del overrides[name]  # reported: the conf.py value (or the default) stands
    return problems


def _unknown_names(config: Config, given: set[str]) -> list[str]:
    known = [name for name, *_ in VALUES]
    problems = []
    for name in sorted(given):
        if not name.startswith("confluence_") or name in config:
            continue
        problem = secret_option_problem(name.removeprefix("confluence_"), where="conf.py")
        if problem is not None:
            problems.append(f"conf.py: {name}: {problem}")
        else:
            also = did_you_mean(name, known, prefix="confluence_")
            problems.append(f"conf.py: unknown option {name!r}{also}")
    return problems
