"""The ``plugins: - confluence:`` options of ``mkdocs.yml``, checked when MkDocs loads the config.

Shape errors (a list where a flag belongs, an unknown choice, an unknown option with a
"did you mean" hint, a secret written into the file) stop ``load_config``. Rules that span
options (``url`` needs ``space``…) are the engine's: :func:`publisher_config` hands the values
to :meth:`docs_confluence.PublisherConfig.from_mapping`, once, for every front end.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from docs_confluence import PublisherConfig
from docs_confluence.bundle import normalise_label
from docs_confluence.secret_options import secret_option_problem
from docs_confluence.typos import did_you_mean

if TYPE_CHECKING:
    from pathspec.gitignore import GitIgnoreSpec

__all__ = ["ConfluenceConfig", "publisher_config"]

ORIGIN = "mkdocs.yml: plugins.confluence"

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}
_UNRECOGNISED = re.compile(r"^Unrecognised configuration name: (?P<name>.+)$")


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


class ConfluenceConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the ``confluence`` plugin (documented in docs/mkdocs.md)."""

    enabled = Flag(default=True)
    """Off: the plugin does nothing at all (no bundle, no publish)."""
    publish = Flag(default=True)
    """Off: write the bundle but never hand it to Confluence, even with ``url`` set."""

    # Target, checked by the engine (PublisherConfig).
    url = c.Optional(c.Type(str))
    space = c.Optional(c.Type(str))
    parent_page = c.Optional(c.Type(str))
    dry_run = Flag(default=False)
    cleanup = Flag(default=False)
    adopt = Flag(default=False)
    on_conflict = c.Choice(("keep", "overwrite", "fail"), default="keep")
    deployment = c.Choice(("auto", "cloud", "datacenter"), default="auto")
    project = c.Optional(c.Type(str))
    concurrency = c.Type(int, default=4)
    timeout = c.Type((int, float), default=30)
    max_attachment_mb = c.Type((int, float), default=100)

    # The bundle.
    bundle_dir = c.Optional(c.Dir())
    """Default: ``.confluence-bundle`` beside mkdocs.yml, outside the deployed site."""
    title_prefix = c.Type(str, default="")
    labels = Labels()

    # The tree.
    include_pages = PagePatterns()
    exclude_pages = PagePatterns()
    pages_not_in_nav = c.Choice(("publish", "skip"), default="publish")

    # Conversion choices.
    tabs = c.Choice(("panels", "expand"), default="panels")
    toc_min_headings = Count(default=0)
    """A table of contents (the toc macro) on top of pages with at least this many headings;
    0: none."""
    macros = c.DictOfItems(c.Type(str), default={})
    """Fence class (``mermaid``…), ``math`` or ``math-inline`` -> a Confluence macro name."""
    math = c.Choice(("image", "code"), default="image")
    """Formulas as attached pictures (``image``) or as their LaTeX in code (``code``)."""
    mermaid_cli = c.Type(str, default="mmdc")
    """The mermaid-cli command (a path, or a command with options); empty: never render."""

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        """MkDocs' checks, with unknown options turned into errors that suggest a name."""
        errors, warnings = super().validate()
        kept: base.ConfigWarnings = []
        for key, message in warnings:
            if _UNRECOGNISED.match(message):
                errors.append((key, ValidationError(_unknown_option(key))))
            else:
                kept.append((key, message))
        return errors, kept


def _unknown_option(key: str) -> str:
    problem = secret_option_problem(key, where="mkdocs.yml")
    if problem is not None:
        return problem
    known = [name for name, _ in ConfluenceConfig._schema]
    return f"unknown option{did_you_mean(key, known)}"


def publisher_config(options: ConfluenceConfig, *, project: str) -> PublisherConfig:
    """The engine's settings from the plugin options; raises ``ConfigError`` naming the option.

    *project* is the default for ``project`` (derived from ``site_name``).
    """
    values: dict[str, Any] = {
        name: options[name]
        for name in (
            "url",
            "space",
            "parent_page",
            "dry_run",
            "cleanup",
            "adopt",
            "on_conflict",
            "deployment",
            "concurrency",
            "timeout",
            "max_attachment_mb",
        )
    }
    values["project"] = options.project or project
    return PublisherConfig.from_mapping(values, origin=ORIGIN)
