"""The macro catalogue: every Confluence macro the front ends emit, and how a reader meets it.

One entry per macro: its name in storage format, how a reader names what they see (the label
``plan --diff`` and ``edits`` print: ``[note panel: Title]``), and where it sits (a block of
its own, inside a line of text, or nothing a reader sees). :func:`.markup.macro` builds only
macros listed here, so a converter cannot emit one the rest of the engine does not know; a
macro a site names in its options (a Marketplace app's, ``macros:`` in ``mkdocs.yml``) goes
through :func:`.markup.site_macro` instead and reads as ``[<name> macro]``.

The reader-text extraction (:mod:`docs_confluence.readable.text`) reads its labels and
placements from here. The sandbox's viewer imports nothing of the engine; ``tests/engine/
test_macros.py`` checks that it draws every macro listed here, and that both front ends turn
an admonition into the same panel (:data:`ADMONITIONS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ADMONITIONS",
    "CATALOGUE",
    "Macro",
    "PanelKind",
    "Placement",
    "admonition_panel",
    "reader_label",
]

PanelKind = Literal["info", "note", "tip", "warning"]
Placement = Literal["block", "inline", "hidden"]


@dataclass(frozen=True, slots=True)
class Macro:
    """One macro of the catalogue."""

    name: str
    label: str  # how a reader names it
    placement: Placement = "block"
    why: str = ""  # what emits it (or that only people's pages have it)


_MACROS = (
    Macro("info", "info panel", why="admonitions (note, info, seealso), the source notice"),
    Macro("note", "note panel", why="admonitions (warning, caution, attention)"),
    Macro("tip", "tip panel", why="admonitions (tip, hint, important, success)"),
    Macro("warning", "warning panel", why="admonitions (danger, error, failure, bug)"),
    Macro("panel", "panel", why="untyped admonitions, tabs as panels, topics, sidebars"),
    Macro("expand", "expand", why="collapsed details, tabs as expands, changelogs"),
    Macro("code", "code block", why="code blocks, diagrams and formulas kept as source"),
    Macro("noformat", "code block", why="people's pages (read, never emitted)"),
    Macro("toc", "table of contents", why="a page's local table of contents"),
    Macro("children", "child pages", why="a MkDocs section page without content"),
    Macro("details", "page properties", why="people's pages (read, never emitted)"),
    Macro("excerpt", "excerpt", why="people's pages (read, never emitted)"),
    Macro("status", "status", "inline", why="people's pages (read, never emitted)"),
    Macro("anchor", "anchor", "hidden", why="link targets: headings, labels, ids"),
    Macro("mathblock", "formula", why="Sphinx math with confluence_math = 'macro'"),
    Macro("mathinline", "formula", "inline", why="people's pages (read, never emitted)"),
)

#: Every macro the engine knows, by name.
CATALOGUE: Mapping[str, Macro] = MappingProxyType({macro.name: macro for macro in _MACROS})

#: Admonition names of both front ends (Material for MkDocs' types and aliases, docutils' and
#: Sphinx's directives) -> the panel a reader sees, by meaning, as the usual themes colour them
#: (Material, Read the Docs): blue ``info`` for neutral notes, green ``tip`` for advice and
#: success, yellow ``note`` for caution, red ``warning`` for danger and failure.
ADMONITIONS: Mapping[str, PanelKind] = MappingProxyType(
    {
        **dict.fromkeys(
            ("note", "seealso", "abstract", "summary", "tldr", "info", "todo", "example"),
            "info",
        ),
        **dict.fromkeys(("quote", "cite", "question", "help", "faq"), "info"),
        **dict.fromkeys(("tip", "hint", "important", "success", "check", "done"), "tip"),
        **dict.fromkeys(("warning", "caution", "attention"), "note"),
        **dict.fromkeys(("failure", "fail", "missing", "danger", "error", "bug"), "warning"),
        # Sphinx's version notes
        "versionadded": "tip",
        "versionchanged": "info",
        "deprecated": "note",
        "versionremoved": "warning",
    }
)


def admonition_panel(name: str) -> PanelKind | None:
    """The panel for an admonition named *name* (any case), or None when it names none."""
    return ADMONITIONS.get(name.lower())


def reader_label(name: str) -> str:
    """How a reader names the macro *name* (a site's own macro: ``<name> macro``)."""
    known = CATALOGUE.get(name)
    return known.label if known is not None else f"{name} macro"
