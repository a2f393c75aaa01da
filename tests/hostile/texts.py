"""Generators of hostile documentation source: odd characters, markup that breaks XML, raw
storage typed into the source, deep nesting and huge tables."""

from __future__ import annotations

from hypothesis import strategies as st

from docs_confluence.sandbox import xhtml

# Pieces of text that have broken XML writers: CDATA ends, entities (known, unknown, out of
# range, NUL), control characters, noncharacters, lone markup characters.
NASTY = [
    "]]>",
    "]]]]><![CDATA[>",
    "&nbsp;",
    "&#0;",
    "&#x0;",
    "&#1;",
    "&#xD800;",
    "&#x110000;",
    "&#65535;",
    "&bogus;",
    "&amp;",
    "& ;",
    "&",
    "<",
    ">",
    '"',
    "'",
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\u202e",
    "\U0001f600",
    "\u0130",
    "ß",
]
# Raw HTML and raw Confluence storage, typed into the page.
RAW = [
    '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>x</p></ac:rich-text-body>'
    "</ac:structured-macro>",
    '<ri:page ri:content-title="Elsewhere"/>',
    '<ac:link><ri:page ri:content-title="X"/><ac:plain-text-link-body><![CDATA[t]]>'
    "</ac:plain-text-link-body></ac:link>",
    '<ac:emoticon ac:name="tick"/>',
    "<o:p></o:p>",
    "<script>alert('x')</script>",
    "<style>p { color: red }</style>",
    '<iframe src="https://example.com"></iframe>',
    "<div><table><tr><td>cell</td></tr></table></div>",
    '<p onclick="x()" ac:name="y">para</p>',
    '<span style="color: red; position: fixed">red</span>',
    '<a href="javascript:alert(1)">js</a>',
    "<math><mi>x</mi></math>",
    "<svg><foreignObject><p>in svg</p></foreignObject></svg>",
    "<!-- a comment -- with dashes -->",
    "<![CDATA[raw ]]>",
    "<?php echo 1 ?>",
    "<details><summary>s</summary>d</details>",
    "<b><i>unclosed",
    "</div></p>",
    "<br/><hr/>",
    "<input type='checkbox' checked>",
    '<a href="https://example.com/&#1;x" title="t&#7;">link</a>',
    '<img src="https://example.com/a&#1;.png" alt="a&#1;">',
    '<span style="color: red&#1;">red</span>',
    '<p style="text-align: center&#x1b;">centred</p>',
    '<ol start="2&#1;"><li>x</li></ol>',
    '<h2 id="x&#1;y">heading</h2>',
]
# Raw HTML whose attribute values hold characters XML cannot carry.
RAW_ATTRIBUTES = RAW[-6:]

words = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
nasty = st.sampled_from(NASTY)
raw = st.sampled_from(RAW)
inline_text = st.lists(st.one_of(words, nasty, nasty), min_size=1, max_size=6).map("".join)


def single_line(text: str) -> str:
    """*text* on one line (generated text is placed inside line-based markup)."""
    return " ".join(text.splitlines()) or "x"


def check_storage(body: str, where: str) -> None:
    """The sandbox's own storage check: what Confluence would refuse raises, naming *where*."""
    try:
        xhtml.normalise(body)
    except Exception as exc:
        raise AssertionError(f"{where}: storage the sandbox refuses: {exc}\n{body}") from exc
