"""Page titles are plain text: roles and inline literals in a document title, and invisible
characters, never reach the page tree, breadcrumbs or search."""

from __future__ import annotations

from docs_confluence.sandbox import xhtml

from .pages import xpath


def test_titles_with_code_and_roles_are_plain_text(build):
    built = build("titles").built
    assert built.outline() == [
        ("index", None, "The confluence builder"),
        ("api", "index", "The parse() function and file.txt"),
        ("invisible", "index", "Softhyphen andzerowidth joined"),
    ]
    for page in built.bundle.pages:
        xhtml.normalise(built.bundle.read_body(page))
    assert xpath(built.body("api"), "h1|h2") == []  # the title is not repeated in the body
