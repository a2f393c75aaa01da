"""What declaring an option takes: :class:`Option` (its name, kind, default, choices, help and
its spelling on each surface), :class:`Cli` (how the commands spell it), :class:`Alias` (another
tool's name for it) and :class:`Unsupported` (another tool's option with no equivalent here),
with the environment variables that fill a setting and the names of the other tools.
The options themselves are in :mod:`.publishing` and :mod:`.building`; :mod:`.options` joins them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "CONFLUENCEBUILDER",
    "DEFAULT_CONCURRENCY",
    "FORK",
    "HEADERS_VARIABLE",
    "OTHER_PLUGIN",
    "PARENT_VARIABLE",
    "SPACE_VARIABLE",
    "URL_VARIABLE",
    "Alias",
    "Cli",
    "Command",
    "ConflictPolicy",
    "Deployment",
    "Kind",
    "Option",
    "Tool",
    "Unsupported",
    "confluencebuilder",
]


#: The environment variables that fill a setting (credentials are in ``config``).
URL_VARIABLE = "CONFLUENCE_URL"
SPACE_VARIABLE = "CONFLUENCE_SPACE"
PARENT_VARIABLE = "CONFLUENCE_PARENT"
#: Extra request headers, one ``Name: value`` per line (a gateway's or proxy's own token, say).
HEADERS_VARIABLE = "CONFLUENCE_HEADERS"
#: The most requests in flight by default (docs/reliability.md, "Rate limits").
DEFAULT_CONCURRENCY = 16

ConflictPolicy = Literal["keep", "overwrite", "fail"]
Deployment = Literal["auto", "cloud", "datacenter"]

#: The other tools whose option names are understood (docs/migrating.md).
CONFLUENCEBUILDER: Final = "sphinxcontrib-confluencebuilder"
OTHER_PLUGIN: Final = "mkdocs-with-confluence"
#: mkdocs-with-confluence's fork that added names of its own (mkdocs-confluence-plugin shares
#: the original's).
FORK: Final = "mkdocs-to-confluence"
Tool = Literal["sphinxcontrib-confluencebuilder", "mkdocs-with-confluence", "mkdocs-to-confluence"]

#: What a value is; each surface turns a kind into its own type (MkDocs' ``config_options``,
#: Sphinx's accepted types, argparse's ``type``/``action``).
Kind = Literal[
    "text",  # a string (None: unset, when the default is None)
    "flag",  # true or false
    "choice",  # one of ``choices``
    "whole",  # an int in the engine's range
    "count",  # a whole number, 0 or more
    "number",  # an int or a float
    "headers",  # ``Name: value`` pairs
    "labels",  # a list of Confluence labels
    "patterns",  # pages by path: .gitignore patterns (MkDocs), globs over docnames (Sphinx)
    "notice",  # a text with a ``{path}`` placeholder
    "macros",  # a mapping of names to macro names
    "dir",  # a directory
    "none",  # the CLI's own output switches: no value in a build
]
Command = Literal["plan", "publish", "edits"]
_TARGET: tuple[Command, ...] = ("plan", "publish", "edits")


@dataclass(frozen=True, slots=True)
class Cli:
    """How the ``plan``/``publish``/``edits`` commands spell an option."""

    flag: str
    """``--url``; a name without dashes is a positional argument (``BUNDLE``)."""
    help: str
    """The ``--help`` line."""
    commands: tuple[Command, ...] = _TARGET
    """The commands that take it; empty: the parser adds it by hand (global or per command)."""
    hidden: tuple[Command, ...] = ()
    """Commands that accept it (the same command line works) but have no use for it."""
    metavar: str | None = None
    repeatable: bool = False
    doc: str | None = None
    """How docs/options.md shows it, when not just the flag."""


@dataclass(frozen=True, slots=True)
class Alias:
    """Another tool's name for an option: its value is read as ours, with a notice saying to
    rename it."""

    name: str
    tool: Tool
    convert: Callable[[object], object] | None = None
    """Turns the other tool's value into ours (MkDocs; Sphinx converts by kind)."""
    read_as: str | None = None
    """How the notice shows the option, when not just its name (``publish: false``)."""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Another tool's option with no equivalent here: a notice when its value asks for nothing
    (``harmless``), else a problem saying what to do instead (``advice``)."""

    name: str
    tool: Tool
    advice: str
    harmless: tuple[object, ...] = (None, False, "")


@dataclass(frozen=True, slots=True)
class Option:
    """One option, as every surface spells it. ``None`` for a spelling: that surface has no such
    option, and its ``*_note`` names the footnote that says why
    (:data:`.options_page.FOOTNOTES`)."""

    name: str
    """The engine's name: a ``PublisherConfig`` field when the publisher uses it."""
    kind: Kind
    default: object
    doc: str
    """The sentence docs/options.md shows (Markdown)."""
    default_doc: str
    """The default as docs/options.md shows it."""
    choices: tuple[str, ...] = ()
    cli: Cli | None = None
    cli_note: str | None = None
    mkdocs: str | None = None
    mkdocs_note: str | None = None
    mkdocs_choices: tuple[str, ...] | None = None
    """The choices MkDocs accepts, when fewer than ``choices``."""
    sphinx: str | None = None
    sphinx_note: str | None = None
    sphinx_rebuild: Literal["", "env"] = ""
    """``env``: a change rebuilds every page (it changes page bodies)."""
    env: str | None = None
    aliases: tuple[Alias, ...] = ()


def confluencebuilder(name: str) -> Alias:
    """sphinxcontrib-confluencebuilder's name for an option: ``confluence_`` and *name*."""
    return Alias(f"confluence_{name}", CONFLUENCEBUILDER)
