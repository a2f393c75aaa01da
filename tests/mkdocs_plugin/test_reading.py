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


ANNOTATED = """
# Index

``` yaml
theme:
  features:
    - content.code.annotate # (1)!
  name: material # (2)
  font: false # see (2)
```

1.  Turns annotations **on**.
2.  The theme.

``` { .python .annotate }
x = "# (1)"  # (1) and (3)
```

1.  On x.

``` json
{"a": "(1)"}
```

1.  A plain list.
"""


def test_code_annotation_markers_leave_the_code_and_the_list_follows_it(make_site):
    body = _body(
        make_site,
        ANNOTATED,
        {
            "theme": {"name": "material", "features": ["content.code.annotate"]},
            "extra": {"annotate": {"json": [".s2"]}},
            "markdown_extensions": [
                "attr_list",
                "md_in_html",
                "pymdownx.highlight",
                "pymdownx.superfences",
            ],
        },
    )
    blocks = xpath(body, "ac:structured-macro[@ac:name='code']")
    assert [xpath(b, "string(ac:plain-text-body)") for b in blocks] == [
        # "(1)!" takes its whole comment; "(2)" leaves "#", nothing worth reading
        "theme:\n  features:\n    - content.code.annotate\n  name: material\n  font: false # see",
        # only comments hold markers; (3) has no annotation
        'x = "# (1)"  # and (3)',
        # extra.annotate: strings hold JSON's markers
        '{"a": ""}',
    ]
    # the annotations: a numbered list right after their block
    lists = xpath(body, "ol")
    assert [[text(li) for li in xpath(ol, "li")] for ol in lists] == [
        ["Turns annotations on.", "The theme."],
        ["On x."],
        ["A plain list."],
    ]
    assert [ol.getprevious() for ol in lists] == blocks
    assert xpath(lists[0], "li/strong")[0].text == "on"


def test_code_annotations_need_the_feature_or_the_annotate_class(make_site):
    body = _body(
        make_site,
        ANNOTATED,
        {
            "theme": {"name": "material"},
            "markdown_extensions": [
                "attr_list",
                "md_in_html",
                "pymdownx.highlight",
                "pymdownx.superfences",
            ],
        },
    )
    codes = [
        xpath(b, "string(ac:plain-text-body)") for b in xpath(body, ".//ac:plain-text-body/..")
    ]
    assert "# (1)!" in codes[0]  # not annotations without the feature: the code as written
    assert codes[1] == 'x = "# (1)"  # and (3)'  # the block's own class
    assert codes[2] == '{"a": "(1)"}'


def test_raw_html_escapes_only_the_element_confluence_does_not_take(make_site, logs):
    body = _body(
        make_site,
        """
        # Index

        <div class="card">
        <p>Hi <b>there</b></p>
        <iframe src="https://x.test"></iframe>
        <p>Watch <video src="a.mp4"></video> now, <u>please</u>.</p>
        </div>
        """,
        {},
    )
    assert [text(p) for p in xpath(body, "p")] == [
        "Hi there",
        'Watch <video src="a.mp4"></video> now, please.',
    ]
    assert xpath(body, "p[1]/strong")[0].text == "there"  # the rest is converted
    assert xpath(body, "p[2]/u")[0].text == "please"
    # in a sentence: inline code; standing alone: a code block of its own source
    assert [c.text for c in xpath(body, "p[2]/code")] == ['<video src="a.mp4"></video>']
    [block] = xpath(body, "ac:structured-macro[@ac:name='code']")
    assert xpath(block, "string(ac:plain-text-body)") == '<iframe src="https://x.test"></iframe>'
    assert [e.tag for e in body] == ["p", f"{{{storage.AC}}}structured-macro", "p"]
    [warning] = [w for w in logs.warnings() if "index.md" in w]
    assert "<iframe> shown as escaped HTML" in warning
    assert "<video> shown as escaped HTML" in warning
