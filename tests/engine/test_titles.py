from __future__ import annotations

from docs_confluence.titles import TitleRequest, assign_titles


def test_duplicates_get_parent_title_then_a_number():
    titles = assign_titles(
        [
            TitleRequest("index", "Home", None),
            TitleRequest("a", "Guide", "index"),
            TitleRequest("a/setup", "Setup", "a"),
            TitleRequest("b", "Admin", "index"),
            TitleRequest("b/setup", "setup", "b"),
            TitleRequest("c", "Guide", "index"),
            TitleRequest("c/guide", "Guide", "c"),
        ]
    )
    assert titles == {
        "index": "Home",
        "a": "Guide",
        "a/setup": "Setup",
        "b": "Admin",
        "b/setup": "setup (Admin)",
        "c": "Guide (Home)",
        "c/guide": "Guide (2)",
    }


def test_prefix_empty_titles_and_length_limit():
    long = "x" * 300
    titles = assign_titles(
        [
            TitleRequest("a", "  ", None),
            TitleRequest("b", long, None),
            TitleRequest("c", long, None),
        ],
        prefix="P ",
    )
    assert titles["a"] == "P a"
    assert len(titles["b"]) == 255
    assert len(titles["c"]) == 255
    assert titles["c"].endswith(" (2)")
