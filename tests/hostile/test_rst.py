"""Hostile reStructuredText through the Sphinx ``confluence`` builder: every page body is
storage the sandbox accepts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from sphinx_confluence import ConfluenceError

from .conftest import HOSTILE, build_sphinx, workdir
from .rst_docs import document
from .texts import RAW_ATTRIBUTES, check_storage

TOC = "Top\n===\n\n.. toctree::\n\n   other\n\n"


@settings(HOSTILE, max_examples=20)
@given(index=document, other=document)
def test_every_body_is_storage_confluence_accepts(index: str, other: str) -> None:
    with workdir() as root:
        bundle, _ = build_sphinx(
            root, {"index.rst": TOC + index, "other.rst": "Other\n=====\n\n" + other}
        )
        assert {p.key for p in bundle.pages} >= {"index"}
        for entry in bundle.pages:
            check_storage(bundle.read_body(entry), entry.key)


@pytest.mark.parametrize("bad", [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82"])
def test_invalid_utf8_stops_the_build_naming_the_file(bad: bytes) -> None:
    with workdir() as root:
        source = b"Top\n===\n\n.. toctree::\n\n   broken\n"
        broken = b"Broken\n======\n\nfine\n\nBad " + bad + b" bytes\n"
        with pytest.raises(ConfluenceError, match=r"broken\.rst: line 6 is not valid utf-8-sig"):
            build_sphinx(root, {"index.rst": source, "broken.rst": broken})
        assert not (root / "src" / "_build" / "confluence" / "manifest.json").exists()


def test_control_characters_in_section_titles_are_dropped() -> None:
    index = "Top\x07 \x1b[1mbold\n===========\n\n.. toctree::\n\n   other\n\nSee :doc:`other`.\n"
    other = "Other\x01\x0b page\n==============\n\ntext\n"
    with workdir() as root:
        bundle, _ = build_sphinx(root, {"index.rst": index, "other.rst": other})
        assert [p.title for p in bundle.pages] == ["Top [1mbold", "Other page"]
        for entry in bundle.pages:
            check_storage(bundle.read_body(entry), entry.key)


@pytest.mark.parametrize("html", RAW_ATTRIBUTES)
def test_control_characters_in_raw_html_attributes_are_dropped(html: str) -> None:
    with workdir() as root:
        bundle, _ = build_sphinx(root, {"index.rst": f"Top\n===\n\n.. raw:: html\n\n   {html}\n"})
        body = bundle.read_body(bundle.page("index"))
    check_storage(body, "index")
    assert not any(char in body for char in "\x01\x07\x1b")
