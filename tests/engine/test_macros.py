"""The macro catalogue: every macro the front ends can emit is known to the reader text and
drawn by the viewer, and nothing outside it can be emitted by accident."""

from __future__ import annotations

import pytest
from lxml import html

from docs_confluence import storage
from docs_confluence.readable.text import reader_lines
from docs_confluence.storage.macros import CATALOGUE

from .test_viewer import get, rendered


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_macro_of_the_catalogue_reads_by_its_label_and_is_drawn(
    name, site, server, publish_to
):
    known = CATALOGUE[name]
    node, body = storage.macro(name, {"title": f"{name} title"}, body="rich")
    assert body is not None
    body.append(storage.element("p", f"inside {name}"))
    root = storage.new_fragment()
    before = storage.element("p", "Before")
    root.append(before)
    if known.placement == "block":
        root.append(node)
    else:
        before.append(node)  # in a line of text
    text = storage.serialize_fragment(root)

    lines = reader_lines(text)
    if known.placement == "hidden":
        assert lines == ["Before"]
    else:
        assert any(f"[{known.label}: {name} title]" in line for line in lines), lines

    publish_to(site.page("macro", f"Macro {name}", text).bundle())
    page = server.page("DOC", f"Macro {name}")
    shown = rendered(html.fromstring(get(server, f"/view/pages/{page.id}").text))
    assert shown.find_class("macro-unknown") == [], f"the viewer does not draw {name!r}"


def test_a_macro_outside_the_catalogue_cannot_be_emitted_and_a_sites_own_reads_by_name():
    with pytest.raises(ValueError, match="not in the catalogue"):
        storage.macro("mermaid-cloud")
    root = storage.new_fragment()
    node, _ = storage.site_macro("mermaid-cloud", body="plain", plain_body="graph TD; A-->B")
    root.append(node)
    assert reader_lines(storage.serialize_fragment(root)) == [
        "[mermaid-cloud macro]",
        "  graph TD; A-->B",
    ]
