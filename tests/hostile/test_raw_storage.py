"""Raw Confluence storage typed into the source as raw HTML is never passed through: it is
shown as its escaped source with one warning naming the page (``.. raw:: confluence`` is the
one way to pass storage through)."""

from __future__ import annotations

import logging

from docs_confluence import storage

from .conftest import build_mkdocs, build_sphinx, workdir

INFO = (
    '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>x</p></ac:rich-text-body>'
    "</ac:structured-macro>"
)
NS = {"ac": storage.AC, "ri": storage.RI}


def _code_blocks(body: str) -> list[str]:
    root = storage.parse_fragment(body, where="test")
    found = root.xpath(
        "//ac:structured-macro[@ac:name='code']/ac:plain-text-body/text()", namespaces=NS
    )
    return [str(text) for text in found]


def test_mkdocs_raw_storage_is_an_escaped_block_with_one_warning(caplog) -> None:
    caplog.set_level(logging.WARNING)
    markdown = (
        f'# Guide\n\n{INFO}\n\nSee <ri:page ri:content-title="X"/> here.\n\n'
        '* <ac:link><ri:page ri:content-title="Y"/></ac:link>\n'
    )
    with workdir() as root:
        bundle = build_mkdocs(root, {"index.md": markdown}, quiet=False)
        body = bundle.read_body(bundle.page("index.md"))
        parsed = storage.parse_fragment(body, where="index.md")
    assert _code_blocks(body) == [INFO]
    assert parsed.xpath("//ac:structured-macro[@ac:name='info']", namespaces=NS) == []
    assert parsed.xpath("//ri:page|//ac:link", namespaces=NS) == []
    assert 'See <ri:page ri:content-title="X"></ri:page> here.' in storage.plain_text(parsed)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    [warning] = [w for w in warnings if "index.md" in w]
    assert "<ac:structured-macro> shown as escaped HTML" in warning
    assert "<ri:page> shown as escaped HTML" in warning


def test_sphinx_raw_html_holding_storage_is_escaped_with_a_warning() -> None:
    rst = f"Top\n===\n\n.. raw:: html\n\n   {INFO}\n\n.. raw:: confluence\n\n   {INFO}\n"
    with workdir() as root:
        bundle, warnings = build_sphinx(root, {"index.rst": rst})
        body = bundle.read_body(bundle.page("index"))
    parsed = storage.parse_fragment(body, where="index")
    assert _code_blocks(body) == [INFO]  # the raw:: html one, escaped
    # raw:: confluence passes storage through, unchecked
    assert len(parsed.xpath("//ac:structured-macro[@ac:name='info']", namespaces=NS)) == 1
    assert "index.rst" in warnings
    assert "raw HTML that Confluence does not accept" in warnings
