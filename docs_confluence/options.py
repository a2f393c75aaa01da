"""Every option of docs-confluence, declared once: :data:`OPTIONS`.

One :class:`Option` holds an option's name, kind, default, choices, help, its spelling on each
surface (the ``plan``/``publish`` command line, ``mkdocs.yml``, ``conf.py``, the environment),
and the names other tools use for it (:class:`Alias`). The surfaces are built from it: the
MkDocs plugin's schema (``mkdocs_confluence.options``), the Sphinx builder's ``confluence_*``
values (``sphinx_confluence.config``) and their migration notices, the CLI's options
(``docs_confluence.cli``), and the table of docs/options.md (:mod:`.options_page`;
``python -m docs_confluence.options_page --write`` rewrites it, and a test proves it current).
Other tools' options with no equivalent here are :data:`UNSUPPORTED`.

To add an option: one :class:`Option` in :data:`OPTIONS` (its doc sentence, default and
spellings), a field of :class:`~docs_confluence.config.PublisherConfig` when the publisher uses
it (its check in ``_check``), then ``python -m docs_confluence.options_page --write``.

This module imports neither MkDocs nor Sphinx, and nothing else of the engine but the defaults
it declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal, get_args

from .storage.notice import DEFAULT_NOTICE
from .storage.tabs import TAB_STYLES

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "CONFLUENCEBUILDER",
    "DEFAULT_CONCURRENCY",
    "FORK",
    "OPTIONS",
    "OTHER_PLUGIN",
    "UNSUPPORTED",
    "Alias",
    "Cli",
    "ConflictPolicy",
    "Deployment",
    "Kind",
    "Option",
    "Unsupported",
    "option",
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


_REST_SUFFIX = "/rest/api/content"


def _site_url(value: object) -> object:
    """mkdocs-with-confluence's ``host_url`` ends in ``/rest/api/content``; ``url`` is the
    site's base URL."""
    if isinstance(value, str) and value.rstrip("/").endswith(_REST_SUFFIX):
        return value.rstrip("/").removesuffix(_REST_SUFFIX)
    return value


def _one_label(value: object) -> object:
    """mkdocs-to-confluence's ``page_label`` is one label; ``labels`` takes a list."""
    return [value] if isinstance(value, str) else value


def _inverted(value: object) -> object:
    """``export_only: true`` (never contact Confluence) is ``publish: false``."""
    return not value if isinstance(value, bool) else value


def _cb(name: str) -> Alias:
    return Alias(f"confluence_{name}", CONFLUENCEBUILDER)


_DIFF_HELP = "for each page whose body changes, show what a reader will see change"

OPTIONS: tuple[Option, ...] = (
    Option(
        "url",
        "text",
        None,
        "**Site**: the base URL, with `/wiki` on Cloud (`https://example.atlassian.net/wiki`) "
        "or the context path on Data Center. Unset: build the bundle only.",
        "none: no publishing",
        cli=Cli("--url", f"base URL, with /wiki on Cloud [{URL_VARIABLE}]"),
        mkdocs="url",
        sphinx="confluence_url",
        env=URL_VARIABLE,
        aliases=(_cb("server_url"), Alias("host_url", OTHER_PLUGIN, _site_url)),
    ),
    Option(
        "space",
        "text",
        None,
        "**Space** key to publish into (`DOC`, `~user`). Required with a URL.",
        "none",
        cli=Cli("--space", f"space key [{SPACE_VARIABLE}]"),
        mkdocs="space",
        sphinx="confluence_space",
        env=SPACE_VARIABLE,
        aliases=(_cb("space_key"), _cb("space_name")),
    ),
    Option(
        "parent_page",
        "text",
        None,
        "**Parent page**: the id or exact title of the page the tree goes under.",
        "the space homepage",
        cli=Cli("--parent", f"parent page id or title [{PARENT_VARIABLE}]"),
        mkdocs="parent_page",
        sphinx="confluence_parent_page",
        env=PARENT_VARIABLE,
        aliases=(_cb("publish_root"), Alias("parent_page_name", OTHER_PLUGIN)),
    ),
    Option(
        "dry_run",
        "flag",
        False,
        "**Dry run**: plan and show what would change; write nothing.",
        "off",
        cli=Cli("--dry-run", "plan only, write nothing", commands=("publish",)),
        cli_note="plan",
        mkdocs="dry_run",
        sphinx="confluence_dry_run",
        aliases=(_cb("publish_dryrun"), Alias("dryrun", OTHER_PLUGIN)),
    ),
    Option(
        "diff",
        "flag",
        False,
        "**Diff**: for each page whose body changes, also show what a reader will see change "
        "(old and new lines, macros by name; see [review.md](review.md)); one read per such "
        "page.",
        "off",
        cli=Cli("--diff", _DIFF_HELP, commands=("plan", "publish")),
        cli_note="plan-diff",
        mkdocs="diff",
        sphinx="confluence_diff",
    ),
    Option(
        "cleanup",
        "flag",
        False,
        "**Cleanup**: trash pages this project published that are no longer in the docs (off: "
        "they are only reported).",
        "off",
        cli=Cli("--cleanup", "trash our pages that left", hidden=("edits",)),
        mkdocs="cleanup",
        sphinx="confluence_cleanup",
        aliases=(_cb("purge"), Alias("cleanup_orphaned_pages", FORK)),
    ),
    Option(
        "adopt",
        "flag",
        False,
        "**Adopt** pages under the parent page that hold this project's titles and that "
        "someone else made (a person, another tool); they keep their ids and history. Pages of "
        "another docs-confluence project are never taken.",
        "off",
        cli=Cli(
            "--adopt",
            "take over pages under the parent that hold our titles (made by hand or another tool)",
            hidden=("edits",),
        ),
        mkdocs="adopt",
        sphinx="confluence_adopt",
    ),
    Option(
        "draft",
        "flag",
        False,
        "**Draft**: create new pages as Confluence drafts, which readers do not see; a later "
        "run without it publishes them. Changes to pages already published are held back and "
        "reported. Cloud only ([drafts](drafts.md)).",
        "off",
        cli=Cli(
            "--draft",
            "create new pages as drafts readers do not see (Cloud); a later run publishes them",
        ),
        mkdocs="draft",
        sphinx="confluence_draft",
    ),
    Option(
        "source_notice",
        "flag",
        True,
        "**Source notice**: an info panel on top of every page saying it is generated from the "
        "docs and linking to its source file; off: no panel.",
        "on",
        cli_note="build",
        mkdocs="source_notice",
        sphinx="confluence_source_notice",
    ),
    Option(
        "source_notice_text",
        "notice",
        DEFAULT_NOTICE,
        "**Source notice text**: the panel's text; `{path}` is the source file.",
        "a sentence naming the docs repository",
        cli_note="build",
        mkdocs="source_notice_text",
        sphinx="confluence_source_notice_text",
    ),
    Option(
        "source_url",
        "notice",
        None,
        "**Source URL**: where to edit a source file, a template with `{path}` (MkDocs takes it "
        "from `repo_url` + `edit_uri`; Sphinx otherwise from `html_context` as Read the Docs "
        "themes use it).",
        "none",
        cli_note="build",
        mkdocs_note="edit-uri",
        sphinx="confluence_source_url",
    ),
    Option(
        "on_conflict",
        "choice",
        "keep",
        "**On conflict**: a page edited, moved or reordered in Confluence since our last "
        "publish is kept and reported (`keep`, exit 1), replaced (`overwrite`), or stops the "
        "publish before any write (`fail`).",
        "`keep`",
        choices=get_args(ConflictPolicy),
        cli=Cli(
            "--on-conflict",
            "pages edited in Confluence: keep them (default), overwrite, or fail first",
            hidden=("edits",),
        ),
        mkdocs="on_conflict",
        sphinx="confluence_on_conflict",
    ),
    Option(
        "deployment",
        "choice",
        "auto",
        "**Deployment**: `cloud` (REST v2 under `/wiki`) or `datacenter` (REST v1); `auto` "
        "decides from the URL.",
        "`auto`",
        choices=get_args(Deployment),
        cli=Cli("--deployment", "default: from the URL"),
        mkdocs="deployment",
        sphinx="confluence_deployment",
    ),
    Option(
        "project",
        "text",
        None,
        "**Project**: the ownership id that marks this project's pages (letters, digits, `.`, "
        "`_`, `-`), so two projects can share a parent page.",
        "from `site_name` (MkDocs), `project` (Sphinx); the bundle's (CLI)",
        cli=Cli("--project", "ownership id (default: the bundle's project)"),
        mkdocs="project",
        sphinx="confluence_project",
    ),
    Option(
        "concurrency",
        "whole",
        DEFAULT_CONCURRENCY,
        "**Concurrency**: the most requests in flight, 1 to 32; a run starts at 4 and rises "
        "while Confluence answers quickly.",
        f"`{DEFAULT_CONCURRENCY}`",
        cli=Cli(
            "--concurrency",
            f"the most requests in flight (default {DEFAULT_CONCURRENCY}; "
            "a run starts at 4 and rises while Confluence answers quickly)",
        ),
        mkdocs="concurrency",
        sphinx="confluence_concurrency",
    ),
    Option(
        "headers",
        "headers",
        None,
        "**Headers**: extra request headers for a gateway in front of Confluence, `Name: "
        "value` (a mapping in `mkdocs.yml` and `conf.py`; one per line in the variable). Values "
        "of 8 characters or more are masked in all output; `Authorization` and `Host` are "
        "refused. A `--header` value shows in the process list (`ps`, `/proc/*/cmdline`) of "
        "everyone on the machine: for a secret use `--header-env 'X-Gw-Key: GW_KEY'`, which "
        "sends the value of the environment variable `GW_KEY` (always masked), or "
        f"`{HEADERS_VARIABLE}`.",
        "none",
        cli=Cli(
            "--header",
            f"send this header with every request (repeatable) [{HEADERS_VARIABLE}, one per "
            "line]; the value shows in the process list: for a secret use --header-env",
            metavar="'NAME: VALUE'",
            repeatable=True,
            doc="`--header`, `--header-env` (repeatable)",
        ),
        mkdocs="headers",
        sphinx="confluence_headers",
        env=HEADERS_VARIABLE,
        aliases=(_cb("publish_headers"),),
    ),
    Option(
        "timeout",
        "number",
        30.0,
        "**Timeout**: seconds to wait for each request.",
        "`30`",
        cli_note="timeout",
        mkdocs="timeout",
        sphinx="confluence_timeout",
    ),
    Option(
        "max_attachment_mb",
        "number",
        100,
        "**Largest attachment** the site accepts, in MB: a larger file stops the plan before "
        "anything is written.",
        "`100`",
        cli=Cli(
            "--max-attachment-mb",
            "the site's attachment size maximum in MB (default 100)",
            hidden=("edits",),
        ),
        mkdocs="max_attachment_mb",
        sphinx="confluence_max_attachment_mb",
    ),
    Option(
        "enabled",
        "flag",
        True,
        "**Enabled**: off, the plugin does nothing at all (`enabled: !ENV [CONFLUENCE, false]` "
        "turns it on per run).",
        "on",
        cli_note="cli",
        mkdocs="enabled",
        sphinx_note="builder",
    ),
    Option(
        "publish",
        "flag",
        True,
        "**Publish**: off, write the bundle but never contact Confluence, even with a URL set.",
        "on",
        cli_note="cli",
        mkdocs="publish",
        sphinx="confluence_publish",
        aliases=(Alias("export_only", FORK, _inverted, read_as="publish: false"),),
    ),
    Option(
        "bundle_dir",
        "dir",
        None,
        "**Bundle directory**: where the bundle is written (front ends) or read (CLI).",
        "`.confluence-bundle` beside `mkdocs.yml`; Sphinx's output directory",
        cli=Cli(
            "BUNDLE",
            "bundle directory (has manifest.json)",
            doc="`BUNDLE` (argument)",
        ),
        mkdocs="bundle_dir",
        sphinx_note="outdir",
        aliases=(Alias("export_dir", FORK),),
    ),
    Option(
        "title_prefix",
        "text",
        "",
        '**Title prefix** put in front of every page title (`"Product: "`), so several '
        "projects can share a space.",
        "none",
        cli_note="build",
        mkdocs="title_prefix",
        sphinx="confluence_title_prefix",
        aliases=(_cb("publish_prefix"),),
    ),
    Option(
        "labels",
        "labels",
        (),
        "**Labels** put on every page (stored lowercase; no spaces or punctuation).",
        "none",
        cli_note="build",
        mkdocs="labels",
        sphinx="confluence_labels",
        aliases=(_cb("global_labels"), Alias("page_label", FORK, _one_label)),
    ),
    Option(
        "include_pages",
        "patterns",
        None,
        "**Include**: only these pages (`.gitignore` patterns on source paths).",
        "all pages",
        cli_note="build",
        mkdocs="include_pages",
        sphinx_note="include",
    ),
    Option(
        "exclude_pages",
        "patterns",
        None,
        "**Exclude**: leave these pages out (MkDocs: `.gitignore` patterns on source paths; "
        "Sphinx: glob patterns over docnames; never the root document).",
        "none",
        cli_note="build",
        mkdocs="exclude_pages",
        sphinx="confluence_exclude",
        aliases=(_cb("publish_denylist"),),
    ),
    Option(
        "pages_not_in_nav",
        "choice",
        "publish",
        "**Pages not in the nav**: `publish` them under the root, or `skip` them.",
        "`publish`",
        choices=("publish", "skip"),
        cli_note="build",
        mkdocs="pages_not_in_nav",
        sphinx_note="toctree",
    ),
    Option(
        "tabs",
        "choice",
        "panels",
        "**Tabs**: content tabs as one titled `panels` each, or as `expand` macros.",
        "`panels`",
        choices=TAB_STYLES,
        cli_note="build",
        mkdocs="tabs",
        sphinx="confluence_tabs",
        sphinx_rebuild="env",
    ),
    Option(
        "toc_min_headings",
        "count",
        0,
        "**Table of contents**: the `toc` macro on top of every page with at least this many "
        "headings; `0`: none.",
        "`0`",
        cli_note="build",
        mkdocs="toc_min_headings",
        sphinx="confluence_toc_min_headings",
    ),
    Option(
        "macros",
        "macros",
        None,
        "**Macros**: fence classes (`mermaid`…), `math` or `math-inline` sent to a Confluence "
        "app's macro instead of a code block.",
        "none",
        cli_note="build",
        mkdocs="macros",
        sphinx_note="macros",
    ),
    Option(
        "math",
        "choice",
        "image",
        "**Math**: formulas as attached pictures (`image`), as their LaTeX in code (`code`), or "
        "(Sphinx) as a LaTeX app's macros (`macro`).",
        "`image`",
        choices=("image", "code", "macro"),
        cli_note="build",
        mkdocs="math",
        mkdocs_choices=("image", "code"),
        sphinx="confluence_math",
        sphinx_rebuild="env",
    ),
    Option(
        "mermaid_cli",
        "text",
        "mmdc",
        "**Mermaid CLI**: the mermaid-cli command that renders Mermaid diagrams (a path, or a "
        "command with options); empty: never render.",
        "`mmdc`",
        cli_note="build",
        mkdocs="mermaid_cli",
        sphinx="confluence_mermaid_cli",
        sphinx_rebuild="env",
    ),
    Option(
        "json",
        "none",
        False,
        "**JSON output**: print the plan or the result as JSON (each page's outcome, id and URL).",
        "off",
        cli=Cli("--json", "", commands=()),
        mkdocs_note="cli-only",
        sphinx_note="cli-only",
    ),
    Option(
        "verbosity",
        "none",
        0,
        "**Verbosity**: `-v` adds each request (`-vv` also httpx's lines), `-q` shows warnings "
        "and errors only. Before the command: `docs-confluence -v publish …`.",
        "normal",
        cli=Cli("--verbose", "", commands=(), doc="`--verbose`, `--quiet`"),
        mkdocs_note="host-log",
        sphinx_note="host-log",
    ),
    Option(
        "version",
        "none",
        None,
        "**Version** of docs-confluence.",
        "",
        cli=Cli("--version", "", commands=()),
    ),
)

#: Other tools' options with no equivalent here (credentials are refused wherever they are
#: written: :mod:`docs_confluence.secret_options`).
_HOST_VERBOSE = "run mkdocs build --verbose instead"
_CREDENTIALS = (
    "set CONFLUENCE_USER and CONFLUENCE_API_TOKEN (Cloud) or CONFLUENCE_PAT (Data Center) in "
    "the environment, or run docs-confluence login"
)
_SPHINX_HARMLESS: tuple[object, ...] = (None, False, "", (), [])


def _cb_none(
    name: str, advice: str, harmless: tuple[object, ...] = _SPHINX_HARMLESS
) -> Unsupported:
    return Unsupported(f"confluence_{name}", CONFLUENCEBUILDER, advice, harmless)


UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported("verbose", OTHER_PLUGIN, _HOST_VERBOSE),
    Unsupported("debug", OTHER_PLUGIN, _HOST_VERBOSE),
    Unsupported(
        "header_message",
        OTHER_PLUGIN,
        "every page already starts with a notice saying it is generated, linking to its "
        "source; set its text with source_notice_text, or remove it",
    ),
    Unsupported(
        "header_warning",
        OTHER_PLUGIN,
        "pages edited in Confluence are kept and reported (see on_conflict); remove it",
    ),
    Unsupported("upstream_url", OTHER_PLUGIN, "remove it"),
    Unsupported(
        "set_homepage",
        OTHER_PLUGIN,
        "pages go under parent_page (default: the space homepage), never replace it; remove it",
    ),
    # mkdocs-to-confluence's own additions (its docs/reference/configuration.md).
    Unsupported(
        "strip_h1",
        FORK,
        "a first heading that repeats the page title is always left out; remove it",
        (None, False, "", True),
    ),
    Unsupported(
        "keep_pages",
        FORK,
        "cleanup trashes only pages this project published, never anyone else's; remove it",
        (None, False, "", []),
    ),
    Unsupported(
        "debug_diff",
        FORK,
        "set dry_run: true and diff: true to see the plan and what readers will see change "
        "instead; remove it",
    ),
    _cb_none("page_hierarchy", "pages always nest as the toctrees nest; remove it", (None, True)),
    _cb_none(
        "publish_allowlist",
        "list the documents to leave out in confluence_exclude (glob patterns) instead",
    ),
    _cb_none(
        "publish_postfix", "titles take only a prefix: use confluence_title_prefix, or remove it"
    ),
    _cb_none(
        "purge_from_root", "confluence_cleanup trashes only pages this project published; remove it"
    ),
    _cb_none(
        "disable_ssl_validation",
        "certificates are always checked: for a private CA, point SSL_CERT_FILE at a CA bundle "
        "that holds it",
    ),
    _cb_none("ca_cert", "point SSL_CERT_FILE in the environment at the CA bundle instead"),
    _cb_none("proxy", "set HTTPS_PROXY in the environment instead"),
    _cb_none("ask_user", _CREDENTIALS),
    _cb_none("ask_password", _CREDENTIALS),
    _cb_none(
        "max_doc_depth",
        "every document becomes its own page; leave pages out with confluence_exclude",
    ),
    _cb_none("watch", "watch the pages in Confluence; remove it"),
    _cb_none("version_comment", "the version message is written by docs-confluence; remove it"),
    _cb_none("page_generation_notice", "remove it"),
    _cb_none("header_file", "remove it"),
    _cb_none("footer_file", "remove it"),
    _cb_none("prev_next_buttons_location", "remove it"),
)


def option(name: str) -> Option:
    """The declared option *name* (the engine's name)."""
    for each in OPTIONS:
        if each.name == name:
            return each
    raise KeyError(name)
