from __future__ import annotations

import json
import re

import pytest

from docs_confluence import storage
from docs_confluence.bundle import read_bundle
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.errors import BundleError


def build(tmp_path, **options):
    builder = BundleBuilder("demo", generator="test", **options)
    body = storage.new_fragment()
    paragraph = storage.element("p", "See ")
    paragraph.append(storage.page_link("guide/install.md", anchor="steps", text="install"))
    body.append(paragraph)
    builder.add_page("index.md", "Home", body, labels=["Docs"])
    builder.add_page("guide/index.md", "Guide", "<p>Guide</p>", parent="index.md")
    builder.add_page("guide/install.md", "Install", "<p>Steps</p>", parent="guide/index.md")
    builder.add_page("admin/install.md", "Install", "<p>Admin</p>", parent="index.md")
    builder.attach("guide/install.md", "shot.png", b"\x89PNG fake")
    return builder.write(tmp_path / "bundle")


def test_written_bundle_reads_back_in_tree_order(tmp_path):
    bundle = build(tmp_path)
    assert [(p.key, p.title, p.parent, p.position) for p in bundle.pages] == [
        ("index.md", "Home", None, 0),
        ("guide/index.md", "Guide", "index.md", 0),
        ("guide/install.md", "Install", "guide/index.md", 0),
        ("admin/install.md", "Install (Home)", "index.md", 1),
    ]
    assert bundle.page("index.md").labels == ("docs",)
    [attachment] = bundle.page("guide/install.md").attachments
    assert (attachment.filename, attachment.media_type, attachment.size) == (
        "shot.png",
        "image/png",
        9,
    )
    assert bundle.attachment_file(attachment).read_bytes() == b"\x89PNG fake"


def test_page_links_carry_the_final_title_of_their_target(tmp_path):
    bundle = build(tmp_path)
    root = storage.parse_fragment(bundle.read_body(bundle.page("index.md")))
    [link] = root.iter(f"{{{storage.AC}}}link")
    assert link.get(f"{{{storage.AC}}}anchor") == "steps"
    [target] = link.iter(f"{{{storage.RI}}}page")
    assert dict(target.attrib) == {f"{{{storage.RI}}}content-title": "Install"}


def test_link_to_unknown_page_becomes_text_with_a_warning(tmp_path, caplog):
    builder = BundleBuilder("demo", generator="test")
    body = storage.new_fragment()
    paragraph = storage.element("p", "Go ")
    paragraph.append(storage.page_link("gone.md", text="there"))
    paragraph[-1].tail = "!"
    body.append(paragraph)
    builder.add_page("index.md", "Home", body, source="docs/index.md")
    bundle = builder.write(tmp_path / "b")
    assert bundle.read_body(bundle.pages[0]) == "<p>Go there!</p>"
    assert "'Home' (docs/index.md) links to 'gone.md'" in caplog.text


def test_title_prefix_and_sanitised_body_paths(tmp_path):
    bundle = build(tmp_path, title_prefix="ACME: ")
    assert [p.title for p in bundle.pages][:2] == ["ACME: Home", "ACME: Guide"]
    assert {p.body for p in bundle.pages} == {
        "pages/index.md.xhtml",
        "pages/guide/index.md.xhtml",
        "pages/guide/install.md.xhtml",
        "pages/admin/install.md.xhtml",
    }


def _rewrite_manifest(tmp_path, change):
    bundle = build(tmp_path)
    path = bundle.root / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))
    return bundle.root


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(version=99), "version 99 is not supported"),
        (lambda m: m["pages"][1].update(parent="nope"), "parent 'nope', which is not in the"),
        (lambda m: m["pages"][1].update(key="index.md"), "the key is used by two pages"),
        (lambda m: m["pages"][1].update(title="HOME"), "title 'HOME' is also used by page"),
        (lambda m: m["pages"][1].update(title="Home\u200b"), "is also used by page 'index.md'"),
        (lambda m: m["pages"][1].update(title="Guide "), "in runs, or is not NFC-normalised"),
        (lambda m: m["pages"][1].update(title="Cafe\u0301"), "write it as 'Caf\u00e9'"),
        (lambda m: m["pages"][0].update(body="pages/missing.xhtml"), "missing.xhtml is missing"),
        (lambda m: m["pages"][0].update(body="../../etc/passwd"), "points outside the bundle"),
        (lambda m: m["pages"][0].update(parent="guide/index.md"), "is its own ancestor"),
        (lambda m: m.pop("pages"), "malformed manifest: needs a project and a page list"),
        (lambda m: m["pages"][1].pop("title"), "page 2 ('guide/index.md') has no 'title'"),
    ],
)
def test_inconsistent_bundle_is_refused_with_a_clear_message(tmp_path, change, message):
    root = _rewrite_manifest(tmp_path, change)
    with pytest.raises(BundleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_bundle(root)


def test_missing_bundle_says_how_to_make_one(tmp_path):
    with pytest.raises(BundleError, match=r"no bundle here\. Build the docs first"):
        read_bundle(tmp_path)


def test_replacing_a_directory_that_is_not_a_bundle_is_refused(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "precious.txt").write_text("keep me")
    builder = BundleBuilder("demo", generator="test")
    builder.add_page("a", "A", "<p/>")
    with pytest.raises(BundleError, match="is not a bundle; refusing to replace it"):
        builder.write(tmp_path / "docs")
    assert (tmp_path / "docs" / "precious.txt").read_text() == "keep me"


def test_same_attachment_name_with_other_content_gets_a_new_name(tmp_path):
    builder = BundleBuilder("demo", generator="test")
    builder.add_page("a", "A", "<p/>")
    assert builder.attach("a", "img/x.png", b"1") == "x.png"
    assert builder.attach("a", "other/x.png", b"1") == "x.png"
    assert builder.attach("a", "other/x.png", b"2") == "x-2.png"


def _attachment_names(bundle, key):
    body = bundle.read_body(bundle.page(key))
    return re.findall(r'ri:filename="([^"]*)"', body)


def test_references_follow_the_name_an_attachment_is_stored_under(tmp_path):
    builder = BundleBuilder("demo", generator="test")
    body = storage.new_fragment()
    for name in ("img/x.png", "other/x.png", "what?.png", "what_.png"):
        body.append(storage.attachment_image(name))
    builder.add_page("a", "A", body)
    assert builder.attach("a", "img/x.png", b"1") == "x.png"
    assert builder.attach("a", "other/x.png", b"2") == "x-2.png"
    assert builder.attach("a", "what?.png", b"3") == "what_.png"
    assert builder.attach("a", "what_.png", b"4") == "what_-2.png"
    bundle = builder.write(tmp_path / "bundle")
    assert _attachment_names(bundle, "a") == ["x.png", "x-2.png", "what_.png", "what_-2.png"]
    stored = {a.filename for a in bundle.page("a").attachments}
    assert set(_attachment_names(bundle, "a")) == stored


def test_another_pages_attachment_and_unknown_names_are_left_alone(tmp_path):
    builder = BundleBuilder("demo", generator="test")
    body = storage.parse_fragment(
        '<p><ac:link><ri:attachment ri:filename="x?.png"><ri:page ri:content-title="B"/>'
        '</ri:attachment></ac:link><ac:image><ri:attachment ri:filename="y.png"/></ac:image></p>'
    )
    builder.add_page("a", "A", body)
    builder.attach("a", "x?.png", b"1")
    bundle = builder.write(tmp_path / "bundle")
    assert _attachment_names(bundle, "a") == ["x?.png", "y.png"]
