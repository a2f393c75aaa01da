"""Hostile page titles in the MkDocs nav: too long for Confluence, or equal once case is
folded. The bundle holds titles Confluence accepts: unique ignoring case, at most 255."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docs_confluence import BundleError, read_bundle
from docs_confluence.titles import unsafe_character

from .conftest import HOSTILE, build_mkdocs, workdir
from .texts import check_storage, nasty

stem = st.sampled_from(["Straße", "STRASSE", "strasse", "İstanbul", "i̇stanbul", "Guide", "GUIDE"])
title = st.one_of(
    stem,
    st.tuples(stem, st.integers(250, 400)).map(lambda t: (t[0] + " ") * (t[1] // len(t[0]))),
    st.tuples(stem, nasty).map(lambda t: t[0] + t[1]),
)


@HOSTILE
@given(titles=st.lists(title, min_size=2, max_size=6))
def test_titles_are_unique_ignoring_case_and_fit(titles: list[str]) -> None:
    count = len(titles)
    files = {f"p{i}.md": f"See [next](p{(i + 1) % count}.md).\n" for i in range(count)}
    nav = [{t: f"p{i}.md"} for i, t in enumerate(titles)]
    with workdir() as root:
        bundle = build_mkdocs(root, files, nav=nav)
        for entry in bundle.pages:
            check_storage(bundle.read_body(entry), entry.key)
    chosen = [p.title for p in bundle.pages]
    assert len(chosen) == len(titles)
    assert len({t.casefold() for t in chosen}) == len(chosen)
    assert all(0 < len(t) <= 255 and t.strip() for t in chosen)
    assert all(unsafe_character(t) is None for t in chosen)


@pytest.mark.parametrize(
    ("title", "message"),
    [("x" * 256, "256 characters long"), ("Bell\x07", "U+0007"), ("Nul\x00", "U+0000")],
)
def test_a_bundle_with_a_title_confluence_refuses_is_rejected(title: str, message: str) -> None:
    with workdir() as root:
        build_mkdocs(root, {"index.md": "hi\n"})
        manifest = root / ".confluence-bundle" / "manifest.json"
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["pages"][0]["title"] = title
        manifest.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(
            BundleError, match=rf"page .index.md.: the title .*{re.escape(message)}"
        ):
            read_bundle(manifest.parent)
