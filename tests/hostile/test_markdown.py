"""Hostile Markdown through a real MkDocs build: every page body is storage the sandbox
accepts, or the build stops naming the file before a bundle is written."""

from __future__ import annotations

import pytest
from hypothesis import given

from .conftest import HOSTILE, build_mkdocs, workdir
from .markdown_docs import page
from .texts import check_storage


@HOSTILE
@given(index=page, other=page)
def test_every_body_is_storage_confluence_accepts(index: str, other: str) -> None:
    with workdir() as root:
        bundle = build_mkdocs(root, {"index.md": index, "sub/other.md": other})
        assert {"index.md", "sub/other.md"} <= {p.key for p in bundle.pages}
        for entry in bundle.pages:
            check_storage(bundle.read_body(entry), entry.key)


@pytest.mark.parametrize("bad", [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82"])
def test_invalid_utf8_stops_the_build_naming_the_file(bad: bytes, caplog) -> None:
    with workdir() as root:
        with pytest.raises(UnicodeDecodeError):
            build_mkdocs(root, {"index.md": "# Fine\n", "broken.md": b"# Bad " + bad + b"\n"})
        assert "broken.md" in caplog.text
        assert not (root / ".confluence-bundle").exists()
