"""The ``plugins: - confluence:`` options of ``mkdocs.yml``, checked when MkDocs loads the config.

Shape errors (a list where a flag belongs, an unknown choice, an unknown option with a
"did you mean" hint, a secret written into the file) stop ``load_config``. Rules that span
options (``url`` needs ``space``…) are the engine's: :func:`publisher_config` hands the values
to :meth:`docs_confluence.PublisherConfig.from_mapping`, once, for every front end.
"""

from __future__ import annotations

import os
import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from docs_confluence import PublisherConfig
from docs_confluence.bundle import normalise_label
from docs_confluence.config import config_from_environment
from docs_confluence.settings.options import (
    CONFLUENCEBUILDER,
    FORK,
    OPTIONS,
    OTHER_PLUGIN,
    UNSUPPORTED,
    Option,
)
from docs_confluence.settings.secret_options import secret_option_problem
from docs_confluence.settings.typos import did_you_mean
from docs_confluence.storage.notice import DEFAULT_NOTICE, check_notice_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from pathspec.gitignore import GitIgnoreSpec

__all__ = ["ConfluenceConfig", "publisher_config"]

ORIGIN = "mkdocs.yml: plugins.confluence"

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}
_UNRECOGNISED = re.compile(r"^Unrecognised configuration name: (?P<name>.+)$")
#: The options of PublisherConfig: the plugin hands their values to the engine.
_ENGINE = {f.name for f in fields(PublisherConfig)}


class Flag(c.Type[bool]):
    """``true``/``false``; also ``yes``/``no``/``1``/``0`` as an ``!ENV`` variable may hold."""

    def __init__(self, default: bool) -> None:
        super().__init__(bool, default=default)

    def run_validation(self, value: object) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | str) and str(value).strip().lower() in _TRUE | _FALSE:
            return str(value).strip().lower() in _TRUE
        raise ValidationError(f"Expected true or false but received: {value!r}")


class Count(c.Type[int]):
    """A whole number, 0 or more."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(f"Expected a whole number, 0 or more, but received: {value!r}")
        return value


class NoticeText(c.Type[str]):
    """The source notice's text: ``{path}`` is the only placeholder."""

    def __init__(self) -> None:
        super().__init__(str, default=DEFAULT_NOTICE)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        problem = check_notice_text(text)
        if problem:
            raise ValidationError(problem)
        return text


class Labels(BaseConfigOption[list[str]]):
    """Confluence labels: a list (or a comma-separated string), stored lowercase."""

    def __init__(self) -> None:
        super().__init__()
        self.default: list[str] = []

    def run_validation(self, value: object) -> list[str]:
        if value is None:
            return []
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise ValidationError(f"Expected a list of labels but received: {value!r}")
        try:
            return [normalise_label(x) for x in items if x.strip()]
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class PagePatterns(BaseConfigOption["GitIgnoreSpec | None"]):
    """Pages by source path, in ``.gitignore`` syntax as MkDocs' own ``exclude_docs``: a list
    of patterns or a multi-line string."""

    def run_validation(self, value: object) -> GitIgnoreSpec | None:
        if value is None:
            return None
        if isinstance(value, list) and all(isinstance(x, str) for x in value):
            value = "\n".join(value)
        if not isinstance(value, str):
            raise ValidationError(
                f"Expected a list of patterns such as ['drafts/', '*.private.md'] "
                f"but received: {value!r}"
            )
        return c.PathSpec().run_validation(value)


class Renamed(c.Deprecated):
    """Another plugin's name for one of our options: its value is moved there, with one
    warning naming the new name (MkDocs' ``Deprecated(moved_to=…)``)."""

    def __init__(
        self,
        moved_to: str,
        convert: Callable[[object], object] | None = None,
        *,
        tool: str = OTHER_PLUGIN,
        read_as: str | None = None,
    ) -> None:
        super().__init__(
            moved_to=moved_to,
            message=f"'{{}}' is {tool}'s name: read as '{read_as or moved_to}'; rename it",
        )
        self.convert = convert
        self.tool = tool

    def pre_validation(self, config: base.Config, key_name: str) -> None:
        value = config.get(key_name)
        if value is not None and self.moved_to is not None:
            if self.moved_to in getattr(config, "given", ()):
                raise ValidationError(
                    f"{self.tool}'s name for '{self.moved_to}', and both are set: keep only "
                    f"'{self.moved_to}'"
                )
            if self.convert is not None:
                config[key_name] = self.convert(value)
        super().pre_validation(config, key_name)


class EnabledIfEnv(BaseConfigOption[None]):
    """mkdocs-with-confluence's ``enabled_if_env: VARIABLE``: the plugin runs only when the
    variable holds a true value; read as ``enabled: !ENV [VARIABLE, false]``."""

    def pre_validation(self, config: base.Config, key_name: str) -> None:
        name = config.get(key_name)
        if name is None:
            return
        if not isinstance(name, str) or not name:
            raise ValidationError(f"Expected the name of an environment variable: {name!r}")
        self.warnings.append(
            f"'{key_name}' is {OTHER_PLUGIN}'s name: read as 'enabled: !ENV [{name}, false]'; "
            "write that instead"
        )
        on = os.environ.get(name, "").strip().lower() in _TRUE
        enabled = config.get("enabled")
        config["enabled"] = on and (enabled is None or Flag(True).run_validation(enabled))
        config[key_name] = None

    def run_validation(self, value: object) -> None:
        return None


class NoEquivalent(BaseConfigOption[None]):
    """Another plugin's option this plugin has no equivalent for: a warning when its value asks
    for nothing (``verbose: false``), else a problem saying what to do instead. MkDocs stops at
    an option's first error, so :meth:`ConfluenceConfig.validate` reads these first and joins
    their problems into one error."""

    def __init__(
        self,
        advice: str,
        harmless: tuple[object, ...] = (None, False, ""),
        *,
        tool: str = OTHER_PLUGIN,
    ) -> None:
        super().__init__()
        self.advice = advice
        self.harmless = harmless
        self.tool = tool

    def problem(self, value: object) -> str | None:
        """What to do instead, or None when *value* asks for nothing."""
        return None if value in self.harmless else f"{value!r}: {self.advice}"

    def run_validation(self, value: object) -> None:
        return None


_NO_EQUIVALENT_PREFIX = f"{OTHER_PLUGIN} (or {FORK}) options with no equivalent here: "


def _option(declared: Option) -> BaseConfigOption[Any]:
    """The MkDocs config option of a declared option (names, defaults and choices from
    :mod:`docs_confluence.settings.options`)."""
    default = declared.default
    match declared.kind:
        case "flag":
            return Flag(default=bool(default))
        case "choice":
            return c.Choice(declared.mkdocs_choices or declared.choices, default=default)
        case "count":
            return Count(default=int(default))  # type: ignore[call-overload]
        case "whole":
            return c.Type(int, default=default)
        case "number":
            return c.Type((int, float), default=default)
        case "text" if default is None:
            return c.Optional(c.Type(str))
        case "text":
            return c.Type(str, default=default)
        case "headers":
            return c.Optional(c.Type(dict))
        case "dir":
            return c.Optional(c.Dir())
        case "labels":
            return Labels()
        case "notice":
            return NoticeText()
        case "patterns":
            return PagePatterns()
        case "macros":
            return c.DictOfItems(c.Type(str), default={})
    raise AssertionError(f"{declared.name}: no MkDocs option for kind {declared.kind!r}")


def _schema() -> dict[str, BaseConfigOption[Any]]:
    """Our options, then other plugins' names for them (:class:`Renamed`), then theirs with
    no equivalent (:class:`NoEquivalent`); their credentials are refused as any secret."""
    schema: dict[str, BaseConfigOption[Any]] = {
        each.mkdocs: _option(each) for each in OPTIONS if each.mkdocs is not None
    }
    for each in OPTIONS:
        for alias in each.aliases:
            if alias.tool == CONFLUENCEBUILDER or each.mkdocs is None:
                continue
            schema[alias.name] = Renamed(
                each.mkdocs, alias.convert, tool=alias.tool, read_as=alias.read_as
            )
    schema["enabled_if_env"] = EnabledIfEnv()
    for unsupported in UNSUPPORTED:
        if unsupported.tool != CONFLUENCEBUILDER:
            schema[unsupported.name] = NoEquivalent(
                unsupported.advice, unsupported.harmless, tool=unsupported.tool
            )
    return schema


#: The schema, built from the declarations; :class:`ConfluenceConfig` adds the checks.
_DeclaredConfig: type[base.Config] = type("_DeclaredConfig", (base.Config,), _schema())


class ConfluenceConfig(_DeclaredConfig):  # type: ignore[misc,valid-type]
    """Options of the ``confluence`` plugin (documented in docs/mkdocs.md and docs/options.md;
    declared in :mod:`docs_confluence.settings.options`)."""

    given: frozenset[str] = frozenset()
    """The option names ``mkdocs.yml`` sets."""

    def load_dict(self, patch: dict[str, Any]) -> None:
        self.given = self.given | set(patch)
        super().load_dict(patch)

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        """MkDocs' checks, with unknown options turned into errors that suggest a name."""
        listed: list[tuple[str, str]] = []
        notices: base.ConfigWarnings = []
        for name, option in self._schema:
            if isinstance(option, NoEquivalent) and self.get(name) is not None:
                problem = option.problem(self.data.pop(name))
                if problem is None:
                    notices.append(
                        (name, f"{option.tool}'s option has no effect here: {option.advice}")
                    )
                else:
                    listed.append((name, problem))
        errors, warnings = super().validate()
        kept: base.ConfigWarnings = notices
        for key, message in warnings:
            if _UNRECOGNISED.match(message):
                errors.append((key, ValidationError(_unknown_option(key))))
            else:
                kept.append((key, message))
        for name, option in self._schema:
            if _foreign(option):  # read (or refused) above; never an option of ours
                self.data.pop(name, None)
        if listed:
            joined = _NO_EQUIVALENT_PREFIX + "; ".join(f"{k} = {v}" for k, v in listed)
            errors.insert(0, (", ".join(k for k, _ in listed), ValidationError(joined)))
        # MkDocs keeps a failed plugin's warnings and shows them with the next config it loads
        return errors, [] if errors else kept


def _unknown_option(key: str) -> str:
    problem = secret_option_problem(key, where="mkdocs.yml")
    if problem is not None:
        return problem
    known = [name for name, option in ConfluenceConfig._schema if not _foreign(option)]
    return f"unknown option{did_you_mean(key, known)}"


def _foreign(option: BaseConfigOption[Any]) -> bool:
    return isinstance(option, Renamed | EnabledIfEnv | NoEquivalent)


def publisher_config(options: ConfluenceConfig, *, project: str) -> PublisherConfig:
    """The engine's settings from the plugin options; raises ``ConfigError`` naming the option.

    *project* is the default for ``project`` (derived from ``site_name``).
    """
    given: dict[str, Any] = {
        each.name: options[each.mkdocs]
        for each in OPTIONS
        if each.mkdocs is not None and each.name in _ENGINE
    }
    # CONFLUENCE_URL, CONFLUENCE_SPACE and CONFLUENCE_PARENT fill what mkdocs.yml leaves unset,
    # as they do for the Sphinx builder and the CLI.
    values = config_from_environment(given)
    values["project"] = options.project or project
    return PublisherConfig.from_mapping(values, origin=ORIGIN)
