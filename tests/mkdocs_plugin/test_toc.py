"""The table of contents: ``toc_min_headings`` puts Confluence's toc macro on top of pages with
enough headings, and Markdown's ``[TOC]`` becomes the macro."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import Abort

from docs_confluence.sandbox import xhtml

from .sites import macro_params, macros, text, xpath

TOC = '<ac:structured-macro ac:name="toc" ac:schema-version="1"/>'
LONG = "# Long\n\n## One\n\nText.\n\n## Two\n\n### Three\n\nText.\n"
SHORT = "# Short\n\n## One\n\nText.\n"


def test_pages_with_enough_headings_get_a_toc_on_top(make_site):
    site = make_site(
        {"index.md": LONG, "short.md": SHORT},
        {"plugins": [{"confluence": {"toc_min_headings": 3}}]},
    )
    bundle = site.bundle
    long = bundle.read_body(bundle.page("index.md"))
    assert TOC in long
    assert long.index(TOC) < long.index("<h2>")
    assert not macros(site.body("short.md"), "toc")
    xhtml.normalise(long)


def test_off_by_default(make_site):
    site = make_site({"index.md": LONG})
    assert not macros(site.body("index.md"), "toc")


def test_the_toc_marker_becomes_the_macro_and_is_not_doubled(convert):
    body = convert("[TOC]\n\n" + LONG, extensions=["toc"], plugin={"toc_min_headings": 1})
    [toc] = macros(body, "toc")
    assert macro_params(toc) == {}
    assert not xpath(body, ".//ul")  # the HTML list of links is gone
    assert [text(h) for h in xpath(body, "h2|h3")] == ["One", "Two", "Three"]


@pytest.mark.parametrize("value", [-1, "4", True])
def test_a_bad_minimum_is_refused(make_site, value):
    with pytest.raises(Abort):
        make_site({"index.md": LONG}, {"plugins": [{"confluence": {"toc_min_headings": value}}]})
