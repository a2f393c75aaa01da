"""Every option of docs-confluence, declared once: :data:`OPTIONS`.

One :class:`Option` holds an option's name, kind, default, choices, help, its spelling on each
surface (the ``plan``/``publish`` command line, ``mkdocs.yml``, ``conf.py``, the environment),
and the names other tools use for it (:class:`Alias`). The surfaces are built from it: the
MkDocs plugin's schema (``mkdocs_confluence.options``), the Sphinx builder's ``confluence_*``
values (``sphinx_confluence.config``) and their migration notices, the CLI's options
(``docs_confluence.cli``), and the table of docs/options.md (:mod:`.options_page`;
``python -m docs_confluence.settings.options_page --write`` rewrites it, and a test proves it
current).
Other tools' options with no equivalent here are :data:`UNSUPPORTED`.

To add an option: one :class:`Option` in :data:`OPTIONS` (its doc sentence, default and
spellings), a field of :class:`~docs_confluence.config.PublisherConfig` when the publisher uses
it (its check in ``_check``), then ``python -m docs_confluence.settings.options_page --write``.

This module imports neither MkDocs nor Sphinx, and nothing else of the engine but the defaults
it declares.
"""

from __future__ import annotations

from .building import BUILDING
from .declaration import (
    CONFLUENCEBUILDER,
    DEFAULT_CONCURRENCY,
    FORK,
    HEADERS_VARIABLE,
    OTHER_PLUGIN,
    PARENT_VARIABLE,
    SPACE_VARIABLE,
    URL_VARIABLE,
    Alias,
    Cli,
    Command,
    ConflictPolicy,
    Deployment,
    Kind,
    Option,
    Unsupported,
)
from .other_tools import UNSUPPORTED
from .publishing import PUBLISHING

__all__ = [
    "CONFLUENCEBUILDER",
    "DEFAULT_CONCURRENCY",
    "FORK",
    "HEADERS_VARIABLE",
    "OPTIONS",
    "OTHER_PLUGIN",
    "PARENT_VARIABLE",
    "SPACE_VARIABLE",
    "UNSUPPORTED",
    "URL_VARIABLE",
    "Alias",
    "Cli",
    "Command",
    "ConflictPolicy",
    "Deployment",
    "Kind",
    "Option",
    "Unsupported",
    "option",
]

#: Every option, in docs/options.md's order.
OPTIONS: tuple[Option, ...] = (*PUBLISHING, *BUILDING)


def option(name: str) -> Option:
    """The declared option *name* (the engine's name)."""
    for each in OPTIONS:
        if each.name == name:
            return each
    raise KeyError(name)
