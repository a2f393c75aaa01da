"""What a reader sees of a storage body, and readable diffs: pure, no server."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from docs_confluence.readable import (
    DiffLine,
    ReadableDiff,
    format_diff,
    readable_diff,
    reader_lines,
)
from docs_confluence.sandbox.xhtml import normalise

NOTE = (
    '<ac:structured-macro ac:name="note" ac:schema-version="1">'
    '<ac:parameter ac:name="title">Careful</ac:parameter>'
    "<ac:rich-text-body><p>Back up <em>first</em>.</p></ac:rich-text-body></ac:structured-macro>"
)
CODE = (
    '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter>'
    "<ac:plain-text-body><![CDATA[pip install x\n\npip list]]></ac:plain-text-body>"
    "</ac:structured-macro>"
)


def test_a_page_reads_as_headings_paragraphs_items_code_rows_and_named_macros():
    body = (
        "<h1>Install</h1><p>Run <b>pip</b>&nbsp;now.<br/>Or later.</p>"
        "<ol><li>one</li><li>two<ul><li>nested</li></ul></li></ol>"
        f"{CODE}{NOTE}"
        "<table><tbody><tr><th>Name</th><th>Value</th></tr>"
        "<tr><td><p>a</p></td><td>1</td></tr></tbody></table>"
        "<blockquote><p>Quoted.</p></blockquote><hr/>"
        '<p>See <ac:link><ri:page ri:content-title="Usage"/></ac:link> and '
        '<ac:image><ri:attachment ri:filename="arch.png"/></ac:image>.</p>'
        '<ac:structured-macro ac:name="anchor"><ac:parameter ac:name="">x</ac:parameter>'
        "</ac:structured-macro>"
        "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete"
        "</ac:task-status><ac:task-body>Done it</ac:task-body></ac:task></ac:task-list>"
    )

    assert reader_lines(body) == [
        "# Install",
        "Run pip now.",
        "Or later.",
        "1. one",
        "2. two",
        "  - nested",
        "[code block: bash]",
        "  pip install x",
        "  pip list",
        "[note panel: Careful]",
        "  Back up first.",
        "| Name | Value |",
        "| a | 1 |",
        "> Quoted.",
        "---",
        "See Usage and [image: arch.png].",
        "- [x] Done it",
    ]


def test_a_body_confluence_rewrote_on_save_reads_the_same():
    sent = f"<p>Run <b>pip</b> &amp; <i>wait</i>&nbsp;.</p>{NOTE}{CODE}"

    stored = normalise(sent)

    assert stored != sent  # <strong>, <em>, macro ids
    assert readable_diff(stored, sent) == ReadableDiff()


words = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=8)
sentences = st.lists(words, min_size=1, max_size=6).map(" ".join)


@given(st.lists(st.tuples(st.sampled_from(["p", "h2", "li", "b"]), sentences), max_size=8))
def test_confluence_rewriting_never_shows_as_a_change(blocks):
    parts = []
    for tag, text in blocks:
        if tag == "li":
            parts.append(f"<ul><li>{escape(text)}</li></ul>")
        elif tag == "b":
            parts.append(f"<p><b>{escape(text)}</b> <i>{escape(text)}</i></p>")
        else:
            parts.append(f"<{tag}>{escape(text)}</{tag}>")
    body = "".join(parts) + NOTE

    assert not readable_diff(body, normalise(body)).changed


def test_a_changed_sentence_shows_old_and_new_with_context_and_gaps():
    old = "".join(f"<p>Line {n}.</p>" for n in range(10))
    new = old.replace("<p>Line 5.</p>", "<p>Line five.</p>")

    diff = readable_diff(old, new)

    assert diff.lines == (
        DiffLine("gap"),
        DiffLine("context", "Line 3."),
        DiffLine("context", "Line 4."),
        DiffLine("removed", "Line 5."),
        DiffLine("added", "Line five."),
        DiffLine("context", "Line 6."),
        DiffLine("context", "Line 7."),
        DiffLine("gap"),
    )
    assert format_diff(diff) == [
        "    …",
        "      Line 3.",
        "      Line 4.",
        "    - Line 5.",
        "    + Line five.",
        "      Line 6.",
        "      Line 7.",
        "    …",
    ]


def test_macros_that_come_and_go_are_named():
    warning = NOTE.replace('"note"', '"warning"').replace("Careful", "Data loss")

    diff = readable_diff(f"<p>Intro.</p>{NOTE}", f"<p>Intro.</p>{warning}")

    assert diff.macros == ("note panel removed: Careful", "warning panel added: Data loss")
    assert format_diff(diff)[:2] == [
        "    * note panel removed: Careful",
        "    * warning panel added: Data loss",
    ]


def test_colour_is_for_terminals():
    diff = readable_diff("<p>old</p>", "<p>new</p>")

    assert format_diff(diff, colour=True) == [
        "    \x1b[31m- old\x1b[0m",
        "    \x1b[32m+ new\x1b[0m",
    ]
    assert format_diff(diff) == ["    - old", "    + new"]


def test_a_body_that_is_not_well_formed_reads_as_its_text():
    assert reader_lines("<p>Open <b>bold</p>") == ["Open bold"]
