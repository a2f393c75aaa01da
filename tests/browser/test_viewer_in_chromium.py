"""The viewer in headless Chromium: the example sites' pages show what Confluence would show.

Each test opens a page of the published example sites, checks what a person would see (computed
colours, loaded images, visible line numbers, an expand that opens on a click, a link that leads
to its page) and keeps a screenshot in ``.artifacts/screenshots/``.
"""

from __future__ import annotations

import json

import pytest

from .conftest import follow, shot

# One browser for the module: under pytest-xdist every test here runs in the same worker.
pytestmark = pytest.mark.xdist_group("chromium")

PANELS = """[...document.querySelectorAll('.rendered .panel')].map(p => ({
    kind: p.classList[1],
    title: (p.querySelector('.panel-title') || {}).textContent || '',
    text: p.textContent,
    background: getComputedStyle(p).backgroundColor,
    height: p.getBoundingClientRect().height}))"""


def test_mkdocs_admonitions_are_panels_in_confluence_colours(page, examples):
    page.goto(examples.url("MKDOCS", "Admonitions"))
    shot(page, "mkdocs-admonitions")

    notice, *panels = page.evaluate(PANELS)

    # The source notice comes first: where the page comes from, with a link to edit its file.
    assert notice["kind"] == "panel-info"
    assert "generated from the documentation repository" in notice["text"]
    colours = {p["kind"]: p["background"] for p in panels}
    assert colours == {
        "panel-info": "rgb(222, 235, 255)",
        "panel-note": "rgb(255, 250, 230)",
        "panel-warning": "rgb(255, 235, 230)",
        "panel-tip": "rgb(227, 252, 239)",
    }
    titles = [p["title"] for p in panels]
    assert titles[:4] == ["Note", "Abstract", "Info", "Tip"]
    assert all(p["height"] > 20 for p in panels)


def test_expand_sections_open_when_clicked(page, examples):
    page.goto(examples.url("MKDOCS", "Admonitions"))
    first = "document.querySelector('.rendered details.expand')"
    body = f"{first}.querySelector('.expand-body')"
    assert page.evaluate(f"{first}.open") is False
    assert page.evaluate(f"{body}.checkVisibility()") is False

    page.locator(".rendered details.expand > summary").first.click()

    assert page.evaluate(f"{first}.open") is True
    assert page.evaluate(f"{body}.checkVisibility()") is True
    assert page.evaluate(f"{body}.getBoundingClientRect().height") > 10
    shot(page, "mkdocs-admonitions-expanded")


def test_code_blocks_show_title_language_and_line_numbers(page, examples):
    page.goto(examples.url("MKDOCS", "Code"))
    shot(page, "mkdocs-code")

    blocks = page.evaluate(
        """[...document.querySelectorAll('.rendered .code-block')].map(b => ({
            title: (b.querySelector('.code-title') || {}).textContent || '',
            language: (b.querySelector('.code-language') || {}).textContent || '',
            numbers: [...b.querySelectorAll('.numbered .line')].map(
                l => getComputedStyle(l, '::before').content)}))"""
    )

    assert [b["language"] for b in blocks][:4] == ["python", "js", "bash", "js"]
    titled = next(b for b in blocks if b["title"] == "greet.py")
    assert titled["numbers"] == ['"1"', '"2"']
    assert any(b["numbers"][:1] == ['"40"'] for b in blocks)  # firstline 40


def test_images_load_from_attachments_at_their_size(page, examples):
    page.goto(examples.url("MKDOCS", "Images"))
    shot(page, "mkdocs-images")

    images = page.evaluate(
        """[...document.querySelectorAll('.rendered img')].map(i => ({
            alt: i.alt, loaded: i.complete && i.naturalWidth > 0,
            width: Math.round(i.getBoundingClientRect().width)}))"""
    )

    assert [(i["alt"], i["loaded"]) for i in images] == [
        ("Architecture overview", True),
        ("logo", True),
        ("A screenshot", True),
    ]
    assert images[0]["width"] == 480  # ac:width
    assert images[1]["width"] == 16


def test_sphinx_tables_show_their_rows_and_cells(page, examples):
    page.goto(examples.url("SPHINX", "Tables"))
    shot(page, "sphinx-tables")

    tables = page.evaluate(
        """[...document.querySelectorAll('.rendered table')].map(t => ({
            rows: t.rows.length, visible: t.getBoundingClientRect().height > 0,
            border: getComputedStyle(t.querySelector('td, th')).borderTopStyle}))"""
    )

    assert len(tables) == 4
    assert all(t["rows"] >= 2 and t["visible"] and t["border"] == "solid" for t in tables)


def test_sphinx_admonitions_and_code_render(page, examples):
    page.goto(examples.url("SPHINX", "Admonitions"))
    shot(page, "sphinx-admonitions")
    notice, *panels = page.evaluate(PANELS)
    page.goto(examples.url("SPHINX", "Code"))
    shot(page, "sphinx-code")
    code = page.evaluate("document.querySelectorAll('.rendered .code-block pre').length")

    assert "generated from the documentation repository" in notice["text"]
    assert len(panels) == 15
    assert {p["kind"] for p in panels} >= {"panel-info", "panel-warning", "panel-tip"}
    assert code == 5


def test_a_page_link_leads_to_its_page(page, examples):
    page.goto(examples.url("MKDOCS", "Home"))
    link = ".rendered a[href^='/view/pages/']:not([href*='#'])"
    href = page.evaluate(f"document.querySelector({json.dumps(link)}).getAttribute('href')")

    follow(page, link)

    assert page.url == examples.sandbox.origin + href
    heading = page.evaluate("document.querySelector('h1.page-title').textContent")
    assert heading == examples.title_of(href)
    shot(page, "mkdocs-followed-link")


def test_a_link_to_an_anchor_on_another_page_lands_on_it(page, examples):
    page.goto(examples.url("SPHINX", "Cross-references"))
    link = ".rendered a[href$='#grid-table']"

    follow(page, link)

    assert page.url.endswith("#grid-table")
    assert page.evaluate("document.querySelector('h1.page-title').textContent") == "Tables"
    top = page.evaluate("document.getElementById('grid-table').getBoundingClientRect().top")
    assert -5 < top < 100  # scrolled to the anchor


def test_page_history_and_breadcrumbs(page, examples):
    page.goto(examples.url("SPHINX", "Tables"))
    crumbs = page.evaluate(
        "[...document.querySelectorAll('.breadcrumbs a')].map(a => a.textContent)"
    )

    follow(page, ".byline a")
    shot(page, "sphinx-tables-history")
    rows = page.evaluate(
        "[...document.querySelectorAll('table.history tbody tr')]"
        ".map(r => [...r.cells].slice(0, 3).map(c => c.textContent))"
    )

    assert crumbs == ["All spaces", "Sphinx example", "SPHINX Home", "Acme Widgets", "User guide"]
    assert rows == [["v1", "Tables", "Docs Publisher"]]


def test_comparing_two_versions_shows_the_reader_changes(page, examples):
    glossary = examples.sandbox.page("SPHINX", "Glossary")
    examples.sandbox.edit_as_human(glossary.id, glossary.body + "<p>Added by Alice.</p>")
    page.goto(f"{examples.url('SPHINX', 'Glossary')}/history")

    follow(page, "form.compare button")  # a plain GET form: no script
    shot(page, "sphinx-glossary-compare")
    rows = page.evaluate(
        "[...document.querySelectorAll('table.diff tr.added, table.diff tr.removed')].map(r =>"
        " [r.className, r.cells[1].textContent, getComputedStyle(r.cells[1]).backgroundColor])"
    )

    assert "compare?from=1&to=2" in page.url
    assert rows == [["added", "Added by Alice.", "rgb(227, 252, 239)"]]
