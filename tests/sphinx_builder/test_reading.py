"""What a reader sees of headings, links without a target and raw HTML (issue 11)."""

from __future__ import annotations

from docs_confluence import storage
from docs_confluence.sandbox.xhtml import normalise

from .pages import macros, plain_body, visible, xpath


def test_headings_keep_inline_code_and_read_links_as_text(build):
    built = build("reading").built
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


def test_a_link_to_this_very_page_without_an_anchor_is_its_text(build):
    built = build("reading").built
    body = built.body("buttons")
    [paragraph, raw] = xpath(body, "p")
    assert " ".join(visible(paragraph).split()) == (
        "Links to this page, to the start, to the index and to the web."
    )
    links = xpath(paragraph, "ac:link | a")
    assert [visible(link) for link in links] == ["the start", "the index", "the web"]
    assert links[0].get(f"{{{storage.AC}}}anchor") == "start"
    assert xpath(links[1], "ri:page")  # a page link, with its target
    # raw HTML buttons: the placeholder is its text, the other a link to its page
    assert visible(raw) == "Placeholder Index"
    [index] = xpath(raw, "ac:link")
    assert xpath(index, "ri:page")
    assert visible(index) == "Index"
    assert xpath(body, ".//ac:link[not(ri:page) and not(@ac:anchor)]") == []
    normalise(built.text("buttons"))


def test_raw_html_escapes_only_the_element_confluence_does_not_take(build):
    result = build("reading")
    body = result.built.body("raw")
    [hi, watch, inline] = xpath(body, "p")
    assert visible(hi) == "Hi there"
    assert xpath(hi, "b")[0].text == "there"  # the rest is kept
    assert visible(watch) == 'Watch <video src="a.mp4"></video> now, please.'
    assert [c.text for c in xpath(watch, "code")] == ['<video src="a.mp4"></video>']
    assert xpath(watch, "u")[0].text == "please"
    blocks = [plain_body(m) for m in macros(body, "code")]
    # standing alone: a code block of its own source; a block that is all unsupported: whole
    assert blocks == ['<iframe src="https://x.test"></iframe>', "<script>alert(1)</script>"]
    assert [c.text for c in xpath(inline, "span/code")] == ["<blink>b</blink>"]
    assert " ".join(visible(inline).split()) == "Inline a <blink>b</blink> c here."
    assert (
        "raw.rst:4: WARNING: raw HTML that Confluence does not accept: <iframe>, <video> shown "
        "as escaped source, the rest kept"
    ) in result.warnings
    assert "raw.rst:10: WARNING: raw HTML that Confluence does not accept (only" in (
        result.warnings
    )
    assert "raw.rst:16: WARNING: raw HTML that Confluence does not accept: <blink>" in (
        result.warnings
    )
    normalise(result.built.text("raw"))
