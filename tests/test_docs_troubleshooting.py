"""docs/troubleshooting.md documents every message the tool prints for the user to act on.

The rule:

* **Where.** Every module of ``docs_confluence``, ``mkdocs_confluence`` and
  ``sphinx_confluence``, except ``docs_confluence/sandbox/`` (its errors are Confluence's own
  answers) but with ``docs_confluence/sandbox/server.py`` (the sandbox command's own lines).
* **What is a message.** The text (a string literal, an f-string, or a ``+`` of them) given as

  - the first argument of a call to an error class (:data:`ERRORS`: ours, MkDocs' and
    Sphinx's), raised or returned;
  - the first argument of ``.error``/``.warning``/``.critical``/``.exception`` on a logger
    (``log``, ``logger``) or on argparse's ``parser`` (usage errors), and of ``print(...,
    file=sys.stderr)``;
  - the message argument of a sink (:data:`SINKS`): Sphinx warnings (``self.warn``), MkDocs
    conversion problems (``self.problem``), another tool's option with no equivalent
    (``NoEquivalent(advice)``), the config helpers' ``fail(..., problem)``, why a link is
    kept as text (``NoTarget(reason)``), why a page is left alone (``Conflict``/``Orphan``'s
    reason); text assigned to a name in :data:`PARTS` (``reason = "…"``); the text appended
    to a list of messages (:data:`LISTS`: plan errors, config problems and notices, MkDocs
    config warnings); a failed check of ``docs-confluence status`` (``Check(label, text,
    ok=False)``);
  - any text with a space in it inside a function or class that assembles messages from parts,
    or a module-level constant that holds one (:data:`BUILDERS`).

  A name given instead of text is followed to its assignments (in the function, else the
  module); a module-level text constant inside an f-string is read in. A message with no fixed
  text of its own (``f"{head}: {detail}"``) is followed through the named texts it is made of.
  Anything else (``str(exc)``, a call) must be in :data:`PASSED_ON` with the reason.
* **Fixed text.** A message's fixed text is split at every placeholder (``{…}`` of an
  f-string or a ``str.format`` template, ``%s``-style specifiers of a logger call, a
  non-literal part of a ``+``) and at line breaks; each run of 12 or more characters
  (whitespace collapsed) is a *fragment*.
* **Documented.** A message is documented when one entry of docs/troubleshooting.md holds all of
  its fragments. An entry is a list item (nested ones too) that starts with the message in a
  code span (double backticks when it holds a backtick): ``- `<page>: the title is empty` ``,
  then what it means and what to do; variable parts are written as ``<placeholders>``. Each
  entry must hold all fragments of at least one message of the code (no stale entries).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .messages import Message, Rule, normal, scan

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "troubleshooting.md"
PACKAGES = ("docs_confluence", "mkdocs_confluence", "sphinx_confluence")
SKIPPED = "docs_confluence/sandbox/"
KEPT = {"docs_confluence/sandbox/server.py"}

#: Error classes whose first argument is a message the user sees.
ERRORS = {
    # docs_confluence.errors and the publisher's
    "ConfluencePublisherError",
    "ConfigError",
    "EngineConfigError",
    "BundleError",
    "StorageError",
    "AuthError",
    "NetworkError",
    "OutcomeUnknown",
    "PublishError",
    "PublishIncomplete",
    "Interrupted",
    "APIError",
    "UnexpectedAnswer",
    "PermissionDenied",
    "NotFound",
    "VersionConflict",
    "RateLimited",
    # a formula or diagram that cannot be drawn: a warning on the page
    "RenderError",
    # the front ends'
    "PluginError",
    "plugin_error",
    "ConfigurationError",
    "ValidationError",
    "ConfluenceError",
    "ExtensionError",
}
LOGGERS = {"log", "logger", "parser"}
LEVELS = {"error", "warning", "critical", "exception"}
#: method or function name -> which positional argument is the message (-1: the last).
SINKS = {
    "warn": 0,
    "problem": 0,
    "fail": -1,
    "NoEquivalent": 0,
    "Unsupported": 2,
    "_cb_none": 1,
    "NoTarget": 0,
    "Conflict": 3,
    "Orphan": 3,
}
#: Text assigned to these names (``reason = "…"``, ``self.unreachable = "…"``) is a part of a
#: message.
PARTS = {"reason", "hint", "problem", "unreachable"}
#: ``<receiver>.append(message)`` collects messages shown later.
LISTS = {"errors", "problems", "warnings", "notices"}
#: Where messages are assembled from parts, by module: in these functions and classes every text
#: is a part of a message, and these module-level names hold one.
BUILDERS = {
    "docs_confluence/bundle.py": {"normalise_label"},
    "docs_confluence/rest/client.py": {"_UPLOAD_HINTS"},
    "docs_confluence/config.py": {"space_problem"},
    "docs_confluence/publisher/claims.py": {"not_our_create"},
    "docs_confluence/publisher/matching.py": {"not_adoptable"},
    "docs_confluence/publisher/retitles.py": {"_blocked"},
    "docs_confluence/publisher/edits.py": {"conflict_hint"},
    "docs_confluence/settings/secret_options.py": {"secret_option_problem"},
    "docs_confluence/rest/sender.py": {"_network_message", "api_error"},
    "docs_confluence/storage/pictures.py": {"MATH_MISSING", "MERMAID_MISSING"},
    "mkdocs_confluence/nav.py": {"page_settings"},
    "mkdocs_confluence/options.py": {"Renamed", "_unknown_option"},
    "sphinx_confluence/config.py": {"_shape_problem"},
    "sphinx_confluence/migration.py": {"migrate"},
}

#: Messages passed on from elsewhere: (module, source of the argument) -> why no entry is needed.
_ENGINE = "an engine error's message, documented where it is raised"
_SHOWN = "a message built and documented elsewhere, shown as it is"
_FAIL = "the frame of fail(): the problems are read at each fail(..., problem) call"
_SHORT = "a short reason inside a longer message; its entry lists it"
_REMOVE = "another tool's option with no equivalent: the entry names the options (migrating.md)"
PASSED_ON: dict[tuple[str, str], str] = {
    ("mkdocs_confluence/options.py", "problem"): "check_notice_text()'s answer, documented "
    "with the source notice text entry",
    ("docs_confluence/auth/status.py", "str(exc)"): _ENGINE,
    ("docs_confluence/cli/__init__.py", "f'error: {redact(str(exc))}'"): _ENGINE,
    ("docs_confluence/config.py", "f'{origin}: {name(field_name)} = {value!r}: {problem}'"): _FAIL,
    ("docs_confluence/publisher/publish.py", "'%s'"): "conflict_hint()'s text (a builder)",
    ("docs_confluence/publisher/connect.py", "missing"): "space_problem()'s text (a builder)",
    ("docs_confluence/publisher/apply.py", "'[%d/%d] %s'"): "a failed change's progress line: "
    "the error's message, documented where it is raised",
    ("mkdocs_confluence/convert/media.py", "str(exc)"): "RenderError, read where it is raised",
    ("docs_confluence/publisher/compare.py", "reason"): "a parameter: the reasons are read "
    "where they are assigned (PARTS)",
    ("mkdocs_confluence/convert/links.py", "'empty link'"): _SHORT,
    ("mkdocs_confluence/convert/links.py", "f'a {parts.scheme}: link'"): _SHORT,
    ("mkdocs_confluence/logs.py", "'confluence: '"): "the prefix plugin_error() puts in front of "
    "every PluginError",
    ("mkdocs_confluence/options.py", "str(exc)"): "normalise_label()'s message (a builder)",
    ("mkdocs_confluence/options.py", "self.data.pop(name)"): "NoEquivalent.problem(value) is "
    "given a value, not a message; the advice is read from each NoEquivalent(...)",
    ("mkdocs_confluence/plugin.py", "exc"): _ENGINE,
    ("mkdocs_confluence/site_bundle.py", "'Page %s: %s'"): "a page's conversion problems and "
    "front matter problems, read at each self.problem(...) and in page_settings()",
    ("mkdocs_confluence/site_bundle.py", "'%s'"): "MATH_MISSING / MERMAID_MISSING (builders)",
    ("sphinx_confluence/builder.py", "'%s'"): _SHOWN,
    ("sphinx_confluence/builder.py", "str(exc)"): _ENGINE,
    ("sphinx_confluence/config.py", "'%s'"): "a problem or notice collected in a list, read "
    "where it is appended",
    ("sphinx_confluence/config.py", "f'conf.py: {name} = {value!r}: {problem}'"): _FAIL,
    ("sphinx_confluence/config.py", "str(exc)"): "an engine ConfigError, Sphinx's own override "
    "error, or normalise_label()'s message, each documented where it is raised",
    (
        "sphinx_confluence/config.py",
        "f\"-D {name}={value}: {str(exc).removesuffix(', ignoring')}\"",
    ): "Sphinx's own message for a -D value it cannot convert",
    ("sphinx_confluence/config.py", "f'conf.py: {name}: {problem}'"): "secret_option_problem() "
    "(a builder)",
    ("docs_confluence/settings/other_tools.py", "'remove it'"): _REMOVE,
    ("mkdocs_confluence/options.py", "unsupported.advice"): "each Unsupported(...)'s advice, "
    "read where it is declared (docs_confluence/settings/other_tools.py)",
    ("docs_confluence/config.py", "f'{origin}: {missing}'"): "space_problem()'s text (a builder)",
    (
        "docs_confluence/settings/other_tools.py",
        "advice",
    ): "a parameter: the advice is read at each _cb_none(...) call",
    ("sphinx_confluence/config.py", "problem"): "_shape_problem()'s texts (a builder)",
    ("sphinx_confluence/translator.py", "message"): "the warn() sink itself; its callers' "
    "messages are read",
    ("sphinx_confluence/translator.py", "str(exc)"): "RenderError, read where it is raised",
}


RULE = Rule(
    packages=PACKAGES,
    skipped=SKIPPED,
    kept=frozenset(KEPT),
    errors=frozenset(ERRORS),
    loggers=frozenset(LOGGERS),
    levels=frozenset(LEVELS),
    sinks=SINKS,
    parts=frozenset(PARTS),
    lists=frozenset(LISTS),
    builders=BUILDERS,
)


@cache
def _scan() -> tuple[list[Message], list[tuple[str, str, int]]]:
    return scan(ROOT, RULE)


_ENTRY = re.compile(r"^\s*- (`+)(.+?)\1", re.MULTILINE | re.DOTALL)


def _entries() -> list[str]:
    """The messages docs/troubleshooting.md documents, whitespace collapsed."""
    text = PAGE.read_text(encoding="utf-8")
    return [normal(entry) for _, entry in _ENTRY.findall(text)]


def _documented(message: Message, entry: str) -> bool:
    return all(fragment in entry for fragment in message.fragments)


def test_every_message_of_the_code_is_documented():
    messages, _ = _scan()
    entries = _entries()
    missing = [m for m in messages if not any(_documented(m, entry) for entry in entries)]
    assert not missing, "\n".join(
        [
            "docs/troubleshooting.md lacks these messages (add an entry: - `message`, then what it "
            "means and what to do; <placeholders> for the variable parts):"
        ]
        + [f"  {m.shape!r} from {m.where}" for m in missing]
    )


def test_every_documented_message_is_still_in_the_code():
    messages, _ = _scan()
    stale = [e for e in _entries() if not any(_documented(m, e) for m in messages)]
    assert not stale, "\n".join(
        [
            "docs/troubleshooting.md documents messages the code no longer prints (update or "
            "remove the entries):"
        ]
        + [f"  {entry!r}" for entry in stale]
    )


def test_every_message_the_rule_cannot_read_is_explained():
    _, unread = _scan()
    unexplained = sorted({(m, s, n) for m, s, n in unread if (m, s) not in PASSED_ON})
    assert not unexplained, "\n".join(
        [
            "These messages have no fixed text the test can look for: follow them to their text, "
            "or add them to PASSED_ON in tests/test_docs_troubleshooting.py with the reason:"
        ]
        + [f"  ({m!r}, {s!r}) at line {n}" for m, s, n in unexplained]
    )
    used = {(m, s) for m, s, _ in unread}
    assert set(PASSED_ON) <= used, (
        f"PASSED_ON lists what the code no longer has: {set(PASSED_ON) - used}"
    )


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_links_of_the_pages_users_read_first_lead_somewhere():
    broken = []
    for page in (PAGE, ROOT / "docs" / "options.md"):
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.is_file():
                broken.append(f"{page.name}: {target} (no such file)")
                continue
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.MULTILINE)
            if anchor and anchor not in {_slug(h) for h in headings}:
                broken.append(f"{page.name}: {target} (no such heading)")
    assert broken == []
