"""The table of contents: ``.. contents::`` becomes Confluence's toc macro, and
``confluence_toc_min_headings`` puts one on top of pages with enough headings."""

from __future__ import annotations

import pytest

from docs_confluence.sandbox import xhtml

from .conftest import config_errors
from .pages import macros, param, visible, xpath

TOC = '<ac:structured-macro ac:name="toc" ac:schema-version="1"/>'


def check(built):
    for page in built.bundle.pages:
        xhtml.normalise(built.bundle.read_body(page))


def test_the_contents_directive_becomes_the_toc_macro_down_to_its_depth(build):
    built = build("toc").built
    body = built.body("contents")
    [toc] = macros(body, "toc")
    assert param(toc, "maxLevel") == "2"  # :depth: 2 lists the h2 sections only
    assert macros(body, "panel") == []
    assert "On this page" not in visible(body)
    assert [visible(h) for h in xpath(body, "h2|h3|h4")] == ["Install", "Linux", "Deep", "Use"]
    check(built)


def test_a_local_contents_stays_a_list_of_links(build):
    body = build("toc").built.body("local")
    assert macros(body, "toc") == []
    [panel] = macros(body, "panel")
    assert [visible(li) for li in xpath(panel, ".//li")] == ["Linux", "Windows"]


def test_no_toc_is_added_by_default(build):
    built = build("toc").built
    assert all(
        not macros(built.body(p.key), "toc") for p in built.bundle.pages if p.key != "contents"
    )


def test_pages_with_enough_headings_get_a_toc_on_top(build):
    built = build("toc", confluence_toc_min_headings=3).built
    long = built.text("long")
    assert TOC in long
    assert long.index(TOC) < long.index("<h2>")
    assert not macros(built.body("short"), "toc")  # one heading
    assert not macros(built.body("index"), "toc")
    assert len(macros(built.body("contents"), "toc")) == 1  # never two
    check(built)


@pytest.mark.parametrize("value", [-1, True, 2.5])
def test_a_bad_minimum_stops_the_build(make_app, rootdir, value):
    app = make_app(
        "confluence",
        srcdir=rootdir / "test-tree",
        confoverrides={"confluence_toc_min_headings": value},
    )
    assert "confluence_toc_min_headings" in config_errors(app)


def test_the_minimum_may_come_from_the_command_line(build):
    built = build("toc", confluence_toc_min_headings="3").built  # as -D passes it
    assert macros(built.body("long"), "toc")
