"""The table of contents the bundle writer puts on pages with enough headings."""

from __future__ import annotations

import pytest

from docs_confluence import storage
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.sandbox import xhtml
from docs_confluence.storage.toc import add_toc, toc_macro

TOC = '<ac:structured-macro ac:name="toc" ac:schema-version="1"/>'
ANCHOR = (
    '<ac:structured-macro ac:name="anchor" ac:schema-version="1">'
    '<ac:parameter ac:name="">top</ac:parameter></ac:structured-macro>'
)


def body(headings: int, lead: str = "") -> str:
    return lead + "".join(f"<h2>Part {n}</h2><p>Text {n}.</p>" for n in range(headings))


@pytest.mark.parametrize(
    ("source", "minimum", "expected"),
    [
        (body(3), 3, TOC + body(3)),
        (body(2), 3, body(2)),
        (body(9), 0, body(9)),  # 0: off
        (body(3, ANCHOR), 3, ANCHOR + TOC + body(3)),  # after the title's anchors
        ("Loose text" + body(3), 3, TOC + "Loose text" + body(3)),
        (TOC + body(3), 3, TOC + body(3)),  # never two
        (
            '<ac:structured-macro ac:name="panel" ac:schema-version="1"><ac:rich-text-body>'
            + body(2)
            + "</ac:rich-text-body></ac:structured-macro>",
            2,
            TOC
            + '<ac:structured-macro ac:name="panel" ac:schema-version="1"><ac:rich-text-body>'
            + body(2)
            + "</ac:rich-text-body></ac:structured-macro>",
        ),
    ],
)
def test_a_toc_goes_on_top_of_pages_with_enough_headings(source, minimum, expected):
    root = storage.parse_fragment(source)
    add_toc(root, minimum)
    out = storage.serialize_fragment(root)
    assert out == expected
    xhtml.normalise(out)


def test_the_toc_macro_may_stop_at_a_level():
    assert storage.serialize_fragment(_wrap(toc_macro(max_level=3))) == (
        '<ac:structured-macro ac:name="toc" ac:schema-version="1">'
        '<ac:parameter ac:name="maxLevel">3</ac:parameter></ac:structured-macro>'
    )


def test_the_bundle_writer_adds_it(tmp_path):
    builder = BundleBuilder("demo", generator="test", toc_min_headings=2)
    builder.add_page("long", "Long", body(2))
    builder.add_page("short", "Short", body(1), parent="long")
    bundle = builder.write(tmp_path / "bundle")
    assert bundle.read_body(bundle.page("long")).startswith(TOC)
    assert "toc" not in bundle.read_body(bundle.page("short"))


def _wrap(node):
    root = storage.new_fragment()
    root.append(node)
    return root
