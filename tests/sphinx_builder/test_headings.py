"""Headings hold text and inline code; a link in a heading reads as its text."""

from __future__ import annotations

from docs_confluence import storage
from docs_confluence.sandbox.xhtml import normalise

from .pages import visible, xpath


def test_headings_keep_inline_code_and_read_links_as_text(build):
    built = build("headings").built
    body = built.body("index")
    headings = xpath(body, "h2")
    assert [visible(h) for h in headings] == [
        "The foo() call",
        "A local link",
        "See the docs now",
        "Target",
    ]
    # inline code stays code, inside the contents back-link
    [code] = xpath(headings[0], "ac:link/ac:link-body/code")
    assert code.text == "foo()"
    # the heading is the back-link to the contents; the link inside it is its text (links do
    # not nest)
    [backlink] = xpath(headings[1], ".//ac:link")
    assert backlink.get(f"{{{storage.AC}}}anchor") == "on-this-page"
    assert xpath(headings[2], ".//a | .//ac:link") == []  # docutils gives it no back-link
    # the link in a paragraph is still a link, and still lands on its heading
    [link] = xpath(body, "p/ac:link")
    assert link.get(f"{{{storage.AC}}}anchor") == "target"
    normalise(built.text("index"))
