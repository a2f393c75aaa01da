from __future__ import annotations

import pytest

from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.publisher.compare import plan
from docs_confluence.publisher.matching import RemoteState
from docs_confluence.publisher.ownership import IndexEntry, OwnershipIndex, marker, short_sha
from docs_confluence.publisher.plan import (
    Conflict,
    Create,
    Keep,
    Move,
    Orphan,
    Relabel,
    Reorder,
    Trash,
    Update,
    Upload,
)
from docs_confluence.rest.models import RemotePage, Space

SPACE = Space("1", "DOC", "Docs", "100")


def make_bundle(tmp_path, *pages):
    """pages: (key, title, parent, body[, labels[, attachments]])"""
    builder = BundleBuilder("demo", generator="test")
    for key, title, parent, body, *rest in pages:
        builder.add_page(key, title, body, parent=parent, labels=rest[0] if rest else ())
        for name, data in rest[1] if len(rest) > 1 else ():
            builder.attach(key, name, data)
    return builder.write(tmp_path / "bundle")


def remote_for(bundle, *, edits=(), titles=None, **overrides):
    """A remote where every bundle page is ours and up to date."""
    entries, pages = {}, {}
    ids = {p.key: str(200 + n) for n, p in enumerate(bundle.pages)}
    for n, page in enumerate(bundle.pages):
        page_id = ids[page.key]
        attachments = {a.filename: (f"att{page_id}", short_sha(a.sha256)) for a in page.attachments}
        entries[page.key] = IndexEntry(page_id, short_sha(page.sha256), 1, page.labels, attachments)
        parent = "100" if page.parent is None else ids[page.parent]
        pages[page_id] = RemotePage(page_id, page.title, parent, n, 1, "", "bot")
    for key, change in overrides.items():
        page_id = ids[key.replace("__", "/")]
        pages[page_id] = change(pages[page_id])
    for key in edits:
        old = pages[ids[key]]
        pages[ids[key]] = RemotePage(old.id, old.title, old.parent_id, old.position, 2, "", "alice")
    return RemoteState(SPACE, "100", OwnershipIndex("demo", entries), pages, titles)


def test_unchanged_bundle_keeps_every_page(tmp_path):
    bundle = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"), ("b", "B", "a", "<p>b</p>"))
    result = plan(bundle, remote_for(bundle))
    assert result.actions == (Keep("a", "A", "200"), Keep("b", "B", "201"))
    assert result.writes == 0
    assert result.errors == ()


def test_our_own_update_marker_is_not_mistaken_for_a_human_edit(tmp_path):
    bundle = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"))
    ours = RemotePage("200", "A", "100", 0, 7, marker(bundle.pages[0].sha256), "bot")
    result = plan(bundle, remote_for(bundle, a=lambda _: ours))
    assert result.actions == (Keep("a", "A", "200"),)


def test_changed_body_renamed_title_and_new_parent(tmp_path):
    old = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"), ("b", "B", None, "<p>b</p>"))
    remote = remote_for(old)
    new = make_bundle(tmp_path, ("a", "A2", None, "<p>a!</p>"), ("b", "B", "a", "<p>b</p>"))
    result = plan(new, remote)
    assert result.actions == (
        Update("a", "A2", "200", 2, None, ("body", "title")),
        Move("b", "B", "201", "a"),
    )


def test_new_title_taken_by_a_page_we_do_not_own_is_an_error(tmp_path):
    bundle = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"))
    foreign = RemotePage("999", "a", "100", 0, 3, "", "alice")
    remote = RemoteState(SPACE, "100", OwnershipIndex("demo"), {}, {"a": foreign})
    result = plan(bundle, remote)
    assert result.actions == (Create("a", "A", None),)
    assert len(result.errors) == 1
    assert (
        "already has a page titled 'a' (id 999) that docs-confluence does not own"
        in (result.errors[0])
    )


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("keep", (Conflict("a", "A", "200", "edited in Confluence"),)),
        ("overwrite", (Update("a", "A", "200", 3, None, ("overwrite edit",)),)),
    ],
)
def test_human_edit_is_a_conflict_unless_overwrite(tmp_path, policy, expected):
    old = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"))
    remote = remote_for(old, edits=["a"])
    new = make_bundle(tmp_path, ("a", "A", None, "<p>changed</p>"))
    result = plan(new, remote, on_conflict=policy)
    actions = tuple(
        Conflict(a.key, a.title, a.page_id, a.reason.split(" (")[0])
        if isinstance(a, Conflict)
        else a
        for a in result.actions
    )
    assert actions == expected


def test_human_edit_with_fail_policy_is_an_error(tmp_path):
    bundle = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"))
    result = plan(bundle, remote_for(bundle, edits=["a"]), on_conflict="fail")
    assert result.errors
    assert "re-run with on_conflict=overwrite" in result.errors[0]


def test_pages_that_left_are_orphans_or_trashed_with_cleanup(tmp_path):
    old = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"), ("b", "B", None, "<p>b</p>"))
    remote = remote_for(old)
    new = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"))
    assert Orphan("b", "B", "201") in plan(new, remote).actions
    assert Trash("b", "B", "201") in plan(new, remote, cleanup=True).actions


def test_renamed_source_file_keeps_its_page(tmp_path):
    old = make_bundle(tmp_path, ("old.md", "Install", None, "<p>a</p>"))
    remote = remote_for(old)
    new = make_bundle(tmp_path, ("new.md", "Install", None, "<p>a</p>"))
    assert plan(new, remote).actions == (Keep("new.md", "Install", "200"),)


def test_sibling_order_follows_the_bundle_with_few_moves(tmp_path):
    pages = [(k, k.upper(), None, f"<p>{k}</p>") for k in "abcd"]
    old = make_bundle(tmp_path, *pages)
    remote = remote_for(old)
    new = make_bundle(tmp_path, *[pages[i] for i in (1, 2, 3, 0)])
    reorders = [a for a in plan(new, remote).actions if isinstance(a, Reorder)]
    assert reorders == [Reorder("a", "A", "after", "d")]


def test_attachments_and_labels_only_when_changed(tmp_path):
    old = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>", ["x"], [("f.png", b"1")]))
    remote = remote_for(old)
    new = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>", ["y"], [("f.png", b"2")]))
    result = plan(new, remote)
    assert Upload("a", "A", "f.png") in result.actions
    assert Relabel("a", "A", ("y",), ("x",)) in result.actions
    assert plan(old, remote).writes == 0


def test_pending_create_from_a_crashed_run_is_adopted(tmp_path):
    bundle = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"))
    created = RemotePage("500", "A", "100", 0, 1, "", "bot")
    index = OwnershipIndex("demo", {}, {"a": "A"})
    remote = RemoteState(SPACE, "100", index, {}, {"a": created}, account_id="bot")
    result = plan(bundle, remote)
    assert result.errors == ()
    assert result.actions == (Update("a", "A", "500", 2, None, ("body",)),)


def test_pending_title_held_by_someone_elses_page_is_not_adopted(tmp_path):
    bundle = make_bundle(tmp_path, ("a", "A", None, "<p>a</p>"))
    alices = RemotePage("500", "A", "100", 0, 1, "", "alice")
    index = OwnershipIndex("demo", {}, {"a": "A"})
    remote = RemoteState(SPACE, "100", index, {}, {"a": alices}, account_id="bot")
    result = plan(bundle, remote)
    assert result.actions == (Create("a", "A", None),)
    assert "that docs-confluence does not own" in result.errors[0]
