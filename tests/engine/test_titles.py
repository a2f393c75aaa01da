from __future__ import annotations

import pytest

from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.titles import TitleRequest, assign_titles, plain_title


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


@pytest.mark.parametrize(
    ("title", "plain"),
    [
        ("<code>markdown.&#8203;blockparser</code>", "markdown.blockparser"),
        ('<code class="doc-symbol">mod</code> pkg.<wbr>mod', "mod pkg.mod"),
        ("R&amp;D &#x2014; notes", "R&D \u2014 notes"),
        (
            "soft\u00adhyphen zero\u200bwidth\u200c\u200d join\u2060ed\ufeff",
            "softhyphen zerowidth joined",
        ),
        ("  many \n\t spaces\u00a0here ", "many spaces here"),
        ("The <div> element", "The <div> element"),  # no markup: a tag named as text stays
        ("AT&T", "AT&T"),
        ("a < b > c", "a < b > c"),
    ],
)
def test_titles_are_plain_text(title, plain):
    assert plain_title(title) == plain
    assert plain_title(plain) == plain


def test_the_bundle_writer_makes_titles_plain_whatever_a_front_end_sends(tmp_path):
    builder = BundleBuilder("demo", generator="test")
    builder.add_page("api", "<code>pkg.&#8203;mod</code>", "<p>x</p>")
    builder.add_page("other", "pkg.mod\u200b", "<p>y</p>")
    bundle = builder.write(tmp_path / "bundle")
    assert [p.title for p in bundle.pages] == ["pkg.mod", "pkg.mod (2)"]
