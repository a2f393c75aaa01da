"""Anchors: only those a link needs, each inside the heading or paragraph it marks."""

from __future__ import annotations

from docs_confluence import storage
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.sandbox.xhtml import normalise
from docs_confluence.storage.anchors import settle_anchors

MACRO = '<ac:structured-macro ac:name="anchor" ac:schema-version="1">'


def anchor(name: str) -> str:
    return f'{MACRO}<ac:parameter ac:name="">{name}</ac:parameter></ac:structured-macro>'


def settled(body: str) -> str:
    root = storage.parse_fragment(body)
    settle_anchors(root)
    return storage.serialize_fragment(root)


def test_a_run_at_the_top_goes_into_the_first_heading_in_order():
    assert settled(f"{anchor('a')}{anchor('b')}<h2>Title</h2><p>x</p>") == (
        f"<h2>{anchor('a')}{anchor('b')}Title</h2><p>x</p>"
    )


def test_an_anchor_before_a_table_or_list_goes_into_its_first_cell_or_item():
    assert settled(f"{anchor('t')}<table><tbody><tr><td><p>c</p></td></tr></tbody></table>") == (
        f"<table><tbody><tr><td><p>{anchor('t')}c</p></td></tr></tbody></table>"
    )
    assert settled(f"<ul><li>{anchor('n')}<ul><li>x</li></ul></li></ul>") == (
        f"<ul><li><ul><li>{anchor('n')}x</li></ul></li></ul>"
    )


def test_an_anchor_before_a_code_block_goes_at_the_end_of_the_paragraph_before():
    code = storage.serialize_fragment(_wrap(storage.code_macro("x = 1")))
    assert settled(f"<p>Before:</p>{anchor('c')}{code}") == (f"<p>Before:{anchor('c')}</p>{code}")


def test_panel_bodies_are_block_flow_and_inline_anchors_stay():
    panel = '<ac:structured-macro ac:name="info"><ac:rich-text-body>{}</ac:rich-text-body>'
    assert settled(panel.format(f"{anchor('p')}<p>x</p>") + "</ac:structured-macro>") == (
        panel.format(f"<p>{anchor('p')}x</p>") + "</ac:structured-macro>"
    )
    inline = f"<p>See {anchor('i')}here.</p><ul><li>{anchor('l')}item</li></ul>"
    assert settled(inline) == inline


def test_the_bundle_keeps_only_anchors_some_link_targets(tmp_path):
    builder = BundleBuilder("demo", generator="test")
    home = storage.new_fragment()
    home.append(storage.anchor_macro("top", if_linked=True))
    heading = storage.element("h2")
    heading.append(storage.anchor_macro("part", if_linked=True))
    storage.append_text(heading, "Part")
    home.append(heading)
    paragraph = storage.element("p", "Go ")
    paragraph.append(storage.page_link("guide", anchor="steps", text="steps"))
    paragraph.append(storage.page_link(None, anchor="part", text="part"))
    home.append(paragraph)
    builder.add_page("index", "Home", home)
    guide = storage.new_fragment()
    for name in ("steps", "unused"):
        guide.append(storage.anchor_macro(name, if_linked=True))
    guide.append(storage.element("h2", "Steps"))
    guide.append(storage.anchor_macro("mine"))  # the author's own (raw storage): always kept
    guide.append(storage.element("p", "Text"))
    builder.add_page("guide", "Guide", guide, parent="index")

    bundle = builder.write(tmp_path / "bundle")

    home_body = bundle.read_body(bundle.page("index"))
    assert "top" not in home_body
    assert home_body.startswith(f"<h2>{anchor('part')}{anchor('Home-part')}Part</h2>")
    guide_body = bundle.read_body(bundle.page("guide"))
    assert guide_body == (
        f"<h2>{anchor('steps')}{anchor('Guide-steps')}Steps</h2>"
        f"<p>{anchor('mine')}{anchor('Guide-mine')}Text</p>"
    )
    assert "docs-confluence" not in home_body + guide_body  # the private mark is gone
    for page in bundle.pages:
        normalise(bundle.read_body(page))


def _wrap(element):
    root = storage.new_fragment()
    root.append(element)
    return root
