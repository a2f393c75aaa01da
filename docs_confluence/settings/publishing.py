"""The options that say where and how to publish: the site, the space and the parent page, what
a run may do (dry run, cleanup, adopt, drafts), conflicts, the source notice, the connection
(deployment, concurrency, headers, timeout) and the attachment limit. In docs/options.md's
order; :mod:`.options` joins them with :mod:`.building`'s.
"""

from __future__ import annotations

from typing import get_args

from ..storage.notice import DEFAULT_NOTICE
from .declaration import (
    DEFAULT_CONCURRENCY,
    FORK,
    HEADERS_VARIABLE,
    OTHER_PLUGIN,
    PARENT_VARIABLE,
    SPACE_VARIABLE,
    URL_VARIABLE,
    Alias,
    Cli,
    ConflictPolicy,
    Deployment,
    Option,
    confluencebuilder,
)

__all__ = ["PUBLISHING"]

_REST_SUFFIX = "/rest/api/content"


def _site_url(value: object) -> object:
    """mkdocs-with-confluence's ``host_url`` ends in ``/rest/api/content``; ``url`` is the
    site's base URL."""
    if isinstance(value, str) and value.rstrip("/").endswith(_REST_SUFFIX):
        return value.rstrip("/").removesuffix(_REST_SUFFIX)
    return value


_DIFF_HELP = "for each page whose body changes, show what a reader will see change"

PUBLISHING: tuple[Option, ...] = (
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
        aliases=(confluencebuilder("server_url"), Alias("host_url", OTHER_PLUGIN, _site_url)),
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
        aliases=(confluencebuilder("space_key"), confluencebuilder("space_name")),
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
        aliases=(confluencebuilder("publish_root"), Alias("parent_page_name", OTHER_PLUGIN)),
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
        aliases=(confluencebuilder("publish_dryrun"), Alias("dryrun", OTHER_PLUGIN)),
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
        aliases=(confluencebuilder("purge"), Alias("cleanup_orphaned_pages", FORK)),
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
        aliases=(confluencebuilder("publish_headers"),),
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
)
