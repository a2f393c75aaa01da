"""The page tree comes from the toctrees: nesting, order, orphans, exclusions, titles."""

from __future__ import annotations

import pytest

from sphinx_confluence.tree import Placement, place_pages

from .pages import Built


def test_a_page_listed_twice_sits_under_the_toctree_nearest_the_root():
    includes = {"index": ["a", "b"], "a": ["c", "b"], "b": ["c"]}
    placed = place_pages("index", includes, {"index", "a", "b", "c"})
    assert placed == [
        Placement("index", None),
        Placement("a", "index"),
        Placement("c", "a"),
        Placement("b", "index"),
    ]


def test_unlisted_pages_go_under_the_root_after_its_toctree_children_with_their_own_children():
    includes = {"index": ["b"], "z": ["z/child"]}
    placed = place_pages("index", includes, {"index", "b", "z", "a", "z/child"})
    assert placed == [
        Placement("index", None),
        Placement("b", "index"),
        Placement("a", "index"),
        Placement("z", "index"),
        Placement("z/child", "z"),
    ]


def test_excluded_page_hands_its_children_to_its_parent_in_its_place():
    includes = {"index": ["a", "gone", "d"], "gone": ["b", "c"]}
    docs = {"index", "a", "gone", "b", "c", "d"}
    placed = place_pages("index", includes, docs, excluded={"gone"})
    assert [(p.docname, p.parent) for p in placed] == [
        ("index", None),
        ("a", "index"),
        ("b", "index"),
        ("c", "index"),
        ("d", "index"),
    ]


def test_toctree_entries_that_are_not_documents_are_ignored():
    placed = place_pages("index", {"index": ["missing", "a"]}, {"index", "a"})
    assert placed == [Placement("index", None), Placement("a", "index")]


def test_root_cannot_be_excluded():
    with pytest.raises(ValueError, match="root"):
        place_pages("index", {}, {"index"}, excluded={"index"})


@pytest.mark.sphinx("confluence", testroot="tree")
def test_the_bundle_tree_follows_the_toctrees(app):
    app.build()
    assert Built.of(app).outline() == [
        ("index", None, "Home"),
        ("intro", "index", "Introduction"),
        ("guide/index", "index", "Guide"),
        ("guide/install", "guide/index", "Install"),
        ("guide/config", "guide/index", "Configuration"),
        ("api", "index", "API"),
        ("api/config", "api", "Configuration (API)"),
        ("hidden", "index", "Hidden"),
        ("reference/a", "index", "Ref A"),
        ("reference/b", "index", "Ref B"),
        ("faq", "index", "FAQ"),
        ("orphan", "index", "Orphan page"),
        ("unlisted", "index", "Unlisted"),
        ("unlisted-child", "unlisted", "Unlisted child"),
    ]


@pytest.mark.sphinx(
    "confluence",
    testroot="tree",
    confoverrides={"confluence_title_prefix": "Tree: ", "confluence_exclude": ["guide/*"]},
)
def test_excluded_pages_leave_the_bundle_and_titles_get_the_prefix(app):
    app.build()
    outline = Built.of(app).outline()
    assert [key for key, _, _ in outline if key.startswith("guide/")] == []
    assert outline[:3] == [
        ("index", None, "Tree: Home"),
        ("intro", "index", "Tree: Introduction"),
        ("api", "index", "Tree: API"),
    ]
    assert ("api/config", "api", "Tree: Configuration") in outline
