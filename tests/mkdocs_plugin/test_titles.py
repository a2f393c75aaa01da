"""Page titles are plain text: markup in headings and nav titles (mkdocstrings API pages) never
reaches the page tree, breadcrumbs or search."""

from __future__ import annotations

from docs_confluence.sandbox import xhtml

from .sites import text, xpath

API_PAGE = (
    "# <code>markdown.&#8203;blockparser</code>\n\nParses blocks.\n\n"
    '## <code class="doc-symbol">markdown.&#8203;blockparser.&#8203;State</code>\n\nState.\n'
)


def test_a_heading_with_code_and_zero_width_spaces_gives_a_plain_title(make_site):
    site = make_site({"index.md": "# Home\n", "api.md": API_PAGE})
    assert site.tree() == [
        ("index.md", "Home", None),
        ("api.md", "markdown.blockparser", None),
    ]
    body = site.body("api.md")
    assert xpath(body, "h1") == []  # the title heading is not repeated in the body
    [heading] = xpath(body, "h2")
    assert text(heading) == "markdown.\u200bblockparser.\u200bState"  # the body keeps its markup
    xhtml.normalise(site.bundle.read_body(site.bundle.page("api.md")))


def test_nav_titles_and_sections_with_markup_become_plain_text(make_site):
    site = make_site(
        {"index.md": "# Home\n", "api/one.md": "One.\n", "api/two.md": "Two.\n"},
        {
            "nav": [
                {"Home": "index.md"},
                {
                    "<em>API</em> &amp; more": [
                        {"<code>pkg.&#8203;one</code>": "api/one.md"},
                        {"pkg\u00ad.two\ufeff  \u2060": "api/two.md"},
                    ]
                },
            ]
        },
    )
    assert [title for _, title, _ in site.tree()] == [
        "Home",
        "API & more",
        "pkg.one",
        "pkg.two",
    ]


def test_front_matter_titles_are_plain_text_too(make_site):
    site = make_site({"index.md": "---\nconfluence:\n  title: A <b>bold</b> move\n---\nHi\n"})
    assert site.tree() == [("index.md", "A bold move", None)]
