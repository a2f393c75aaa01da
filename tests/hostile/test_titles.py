"""Hostile page titles in the MkDocs nav: too long for Confluence, or equal once case is
folded. The bundle holds titles Confluence accepts: unique ignoring case, at most 255."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from .conftest import HOSTILE, build_mkdocs, workdir
from .texts import nasty

stem = st.sampled_from(["Straße", "STRASSE", "strasse", "İstanbul", "i̇stanbul", "Guide", "GUIDE"])
title = st.one_of(
    stem,
    st.tuples(stem, st.integers(250, 400)).map(lambda t: (t[0] + " ") * (t[1] // len(t[0]))),
    st.tuples(stem, nasty).map(lambda t: t[0] + t[1]),
)


@HOSTILE
@given(titles=st.lists(title, min_size=2, max_size=6))
def test_titles_are_unique_ignoring_case_and_fit(titles: list[str]) -> None:
    files = {f"p{i}.md": f"text {i}\n" for i in range(len(titles))}
    nav = [{t: f"p{i}.md"} for i, t in enumerate(titles)]
    with workdir() as root:
        bundle = build_mkdocs(root, files, nav=nav)
    chosen = [p.title for p in bundle.pages]
    assert len(chosen) == len(titles)
    assert len({t.casefold() for t in chosen}) == len(chosen)
    assert all(0 < len(t) <= 255 and t.strip() for t in chosen)
