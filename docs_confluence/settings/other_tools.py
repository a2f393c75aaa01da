"""Other tools' options with no equivalent here (:data:`UNSUPPORTED`): a notice when the value
asks for nothing, else a problem saying what to do instead (docs/migrating.md). Credentials are
refused wherever they are written (:mod:`.secret_options`).
"""

from __future__ import annotations

from .declaration import CONFLUENCEBUILDER, FORK, OTHER_PLUGIN, Unsupported

__all__ = ["UNSUPPORTED"]

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
