"""The options of the build and the bundle: whether the front end runs and publishes, where the
bundle goes, titles, labels, which pages, tabs, the table of contents, macros, math and Mermaid,
and the command line's own output switches. In docs/options.md's order, after
:mod:`.publishing`'s.
"""

from __future__ import annotations

from ..storage.tabs import TAB_STYLES
from .declaration import (
    FORK,
    Alias,
    Cli,
    Option,
    confluencebuilder,
)

__all__ = ["BUILDING"]


def _one_label(value: object) -> object:
    """mkdocs-to-confluence's ``page_label`` is one label; ``labels`` takes a list."""
    return [value] if isinstance(value, str) else value


def _inverted(value: object) -> object:
    """``export_only: true`` (never contact Confluence) is ``publish: false``."""
    return not value if isinstance(value, bool) else value


BUILDING: tuple[Option, ...] = (
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
        aliases=(confluencebuilder("publish_prefix"),),
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
        aliases=(confluencebuilder("global_labels"), Alias("page_label", FORK, _one_label)),
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
        aliases=(confluencebuilder("publish_denylist"),),
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
