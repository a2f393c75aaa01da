"""The source notice through the engine: part of every body, so Confluence holds it, an unchanged
notice writes nothing and a new text updates every page once. Cloud and Data Center, over HTTP."""

from __future__ import annotations

from docs_confluence import storage
from docs_confluence.bundle_writer import BundleBuilder

from .conftest import writes_nothing

PAGES = [
    ("index", "Home", None, "index.md", "https://git.example.com/docs/-/edit/main/index.md"),
    ("guide", "Guide", "index", "guide.md", None),
    ("section", "Section", "index", None, None),  # a page with no file (a nav section)
]


def bundle(tmp_path, text, name):
    builder = BundleBuilder("demo", generator="test", source_notice=text)
    for key, title, parent, source, edit_url in PAGES:
        builder.add_page(
            key, title, f"<p>{title} text</p>", parent=parent, source=source, edit_url=edit_url
        )
    return builder.write(tmp_path / name)


def panel(server, title):
    body = storage.parse_fragment(server.page("DOC", title).body)
    first = body[0]
    assert first.get(f"{{{storage.AC}}}name") == "info"
    [paragraph] = first.iter("p")
    links = paragraph.xpath(".//a/@href")
    return " ".join("".join(paragraph.itertext()).split()), links[0] if links else None


def test_the_notice_reaches_confluence_and_changes_like_any_body(tmp_path, server, publish_to):
    publish_to(bundle(tmp_path, "Generated from {path}.", "one"))

    assert panel(server, "Home") == (
        "Generated from index.md. Edit index.md.",
        "https://git.example.com/docs/-/edit/main/index.md",
    )
    assert panel(server, "Guide") == ("Generated from guide.md. Source: guide.md", None)
    assert panel(server, "Section") == ("Generated from the docs.", None)
    assert writes_nothing(server, publish_to, bundle(tmp_path, "Generated from {path}.", "two"))
    versions = {title: server.page("DOC", title).version for title in ("Home", "Guide", "Section")}

    report = publish_to(bundle(tmp_path, "Made from {path}; edit it there.", "three"))

    assert {page.title: page.outcome for page in report.pages} == dict.fromkeys(versions, "updated")
    assert {t: server.page("DOC", t).version for t in versions} == {
        t: v + 1 for t, v in versions.items()
    }
    assert panel(server, "Guide")[0] == "Made from guide.md; edit it there. Source: guide.md"
