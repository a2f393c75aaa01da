"""What a reader sees of headings, buttons, code annotations and raw HTML (issue 11)."""

from __future__ import annotations

from docs_confluence import storage
from docs_confluence.sandbox.xhtml import normalise

from .sites import anchors, text, xpath


def _body(make_site, markdown, config):
    site = make_site({"index.md": markdown}, {"plugins": [{"confluence": {}}], **config})
    bundle = site.bundle
    normalise(bundle.read_body(bundle.page("index.md")))  # Confluence would take it
    return site.body("index.md")


def test_headings_keep_inline_code_and_read_links_as_text(make_site):
    body = _body(
        make_site,
        """
        # Index

        ## The `foo()` call

        ## See [the docs](https://example.com/docs) now

        ## A [local](#target) link

        ## Target

        Back to [the call](#the-foo-call).
        """,
        {"markdown_extensions": [{"toc": {"permalink": True}}]},
    )
    headings = xpath(body, "h2")
    assert [text(h) for h in headings] == [
        "The foo() call",
        "See the docs now",
        "A local link",
        "Target",
    ]
    assert [c.text for c in xpath(headings[0], "code")] == ["foo()"]
    assert xpath(body, "h2//a | h2//ac:link") == []  # no link in a heading
    assert anchors(headings[0]) == ["the-foo-call", "Index-the-foo-call"]  # linked from below
    assert anchors(headings[3]) == []  # only a heading linked to it
    assert len(xpath(body, "p/ac:link")) == 1


def test_buttons_are_links_to_their_target_or_their_text(make_site):
    site = make_site(
        {
            "index.md": """
            # Index

            [Get started](start.md){ .md-button .md-button--primary }
            [Source](https://github.com/example){ .md-button }
            [Setup](start.md#setup){ .md-button }
            [Down](#target){ .md-button }
            [Soon](#){ .md-button }
            [Here](index.md){ .md-button }

            <a class="md-button">No address</a>

            ## Target
            """,
            "start.md": "# Start\n\n## Setup\n",
        },
        {
            "theme": {"name": "material"},
            "markdown_extensions": ["attr_list", "md_in_html"],
            "plugins": [{"confluence": {}}],
        },
    )
    bundle = site.bundle
    normalise(bundle.read_body(bundle.page("index.md")))
    body = site.body("index.md")
    [buttons, bare] = xpath(body, "p")
    assert text(buttons) == "Get started Source Setup Down Soon Here"
    links = xpath(buttons, "ac:link | a")
    assert [text(link) for link in links] == ["Get started", "Source", "Setup", "Down"]
    assert [xpath(link, "string(ri:page/@ri:content-title)") for link in links[::2]] == [
        "Start",
        "Start",
    ]
    assert links[1].get("href") == "https://github.com/example"
    assert links[2].get(f"{{{storage.AC}}}anchor") == "setup"
    assert links[3].get(f"{{{storage.AC}}}anchor") == "target"
    assert text(bare) == "No address"
    assert xpath(body, ".//ac:link[not(ri:page) and not(@ac:anchor)]") == []  # none leads nowhere
