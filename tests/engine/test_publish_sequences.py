"""Sequences of publishes that change many things at once: the final tree must be the bundle's,
and a republish right after must write nothing."""

from __future__ import annotations

import random

import pytest

from docs_confluence.errors import PublishError

from .conftest import Site


def outline(pages):
    children: dict[object, list[tuple[str, str]]] = {}
    for key, title, _body, parent, *_ in pages:
        children.setdefault(parent, []).append((key, title))
    lines = ["DOC Home"]

    def walk(parent, depth):
        for key, title in children.get(parent, []):
            lines.append("  " * depth + title)
            walk(key, depth + 1)

    walk(None, 1)
    return "\n".join(lines)


def random_tree(rng, keys, titles, bodies):
    order = list(keys)
    rng.shuffle(order)
    parent: dict[str, str | None] = {}
    for n, key in enumerate(order):
        parent[key] = rng.choice([None, *order[:n]])
    children_of: dict[str | None, list[str]] = {}
    for key in order:
        children_of.setdefault(parent[key], []).append(key)
    pages: list[tuple[object, ...]] = []

    def walk(node):
        for key in children_of.get(node, []):
            pages.append((key, titles[key], f"<p>{key} {bodies[key]}</p>", parent[key], (), ()))
            walk(key)

    walk(None)
    return pages


@pytest.mark.parametrize("seed", range(12))
def test_random_sequences_end_in_the_bundle_tree_and_then_write_nothing(
    seed, tmp_path, publish, live_confluence
):
    rng = random.Random(seed)
    pool = [f"k{n}" for n in range(8)]
    keys = rng.sample(pool, rng.randint(2, 6))
    titles = {k: f"T{k}" for k in pool}
    bodies = dict.fromkeys(pool, 0)
    for step in range(3):
        if step:
            for key in pool:
                roll = rng.random()
                if key in keys and roll < 0.15 and len(keys) > 1:
                    keys.remove(key)
                elif key not in keys and roll < 0.2:
                    keys.append(key)
            for key in keys:
                if rng.random() < 0.2:
                    titles[key] = f"T{key}-{step}"
                if rng.random() < 0.2:
                    bodies[key] += 1
        site = Site(tmp_path / f"s{step}")
        site.pages = random_tree(rng, keys, titles, bodies)
        bundle = site.bundle()

        publish(bundle, cleanup=True)
        assert live_confluence.outline() == outline(site.pages), f"step {step}"
        live_confluence.stats.reset()
        assert publish(bundle, cleanup=True).plan.writes == 0
        assert live_confluence.stats.writes == 0


def test_new_pages_and_pages_moving_in_share_a_parent_in_bundle_order(
    site, publish, live_confluence
):
    site.page("a", "A", "<p>a</p>").page("b", "B", "<p>b</p>").page("x", "X", "<p>x</p>")
    site.page("d", "D", "<p>d</p>", parent="x")
    publish(site.bundle())
    site.pages = [site.pages[0], site.pages[1], ("d", "D", "<p>d</p>", None, (), ())]
    site.page("c", "C", "<p>c</p>").page("x", "X", "<p>x</p>")

    publish(site.bundle())

    assert live_confluence.outline() == "DOC Home\n  A\n  B\n  D\n  C\n  X"
    live_confluence.stats.reset()
    publish(site.bundle())
    assert live_confluence.stats.writes == 0


@pytest.mark.parametrize("attempt", range(4))
def test_a_hierarchy_can_be_turned_upside_down(site, publish, live_confluence, attempt):
    site.page("k1", "One", "<p/>").page("k0", "Zero", "<p/>", parent="k1")
    site.page("k2", "Two", "<p/>", parent="k0")
    publish(site.bundle())
    site.pages = [
        ("k2", "Two", "<p/>", None, (), ()),
        ("k1", "One", "<p/>", "k2", (), ()),
        ("k0", "Zero", "<p/>", "k1", (), ()),
    ]
    publish(site.bundle(), concurrency=4)
    assert live_confluence.outline() == "DOC Home\n  Two\n    One\n      Zero"


def test_renamed_file_keeps_its_page_through_label_and_later_title_changes(
    site, publish, live_confluence
):
    site.page("guide/old.md", "Install", "<p>x</p>", labels=["a"])
    publish(site.bundle())
    page_id = live_confluence.page("DOC", "Install").id
    site.pages = [("guide/new.md", "Install", "<p>x</p>", None, ("b",), ())]
    publish(site.bundle(), cleanup=True)
    site.pages = [("guide/new.md", "Installing", "<p>x</p>", None, ("b",), ())]

    report = publish(site.bundle(), cleanup=True)

    assert report.conflicts == ()
    page = live_confluence.page("DOC", "Installing")
    assert (page.id, page.status, page.labels) == (page_id, "current", ("b",))


def test_a_failed_create_never_adopts_a_page_someone_else_made_later(
    site, publish, live_confluence
):
    site.page("install", "Install", "<p>ours</p>")
    live_confluence.faults.server_error(20, status=500, method="POST", path=r"/api/v2/pages$")
    with pytest.raises(PublishError):
        publish(site.bundle())
    live_confluence.faults.clear()
    with live_confluence.client(auth="human") as alice:
        space = live_confluence.space()
        alice.post(
            "/api/v2/pages",
            json={
                "spaceId": space.id,
                "title": "Install",
                "parentId": space.homepage_id,
                "body": {"representation": "storage", "value": "<p>Alice's</p>"},
            },
        ).raise_for_status()

    with pytest.raises(PublishError, match="that docs-confluence does not own"):
        publish(site.bundle())
    assert live_confluence.page("DOC", "Install").body == "<p>Alice's</p>"


def test_a_title_held_by_a_page_that_left_the_docs_goes_to_the_live_page(
    site, publish, live_confluence
):
    """Cleanup off: the orphan is renamed out of the way and reported; with cleanup it goes."""
    site.page("old", "FAQ", "<p>old</p>").page("new", "Questions", "<p>new</p>")
    publish(site.bundle())
    site.pages = [("new", "FAQ", "<p>new</p>", None, (), ())]

    report = publish(site.bundle())

    assert live_confluence.page("DOC", "FAQ").body == "<p>new</p>"
    retired = live_confluence.page("DOC", "FAQ (no longer in the docs)")
    assert retired.body == "<p>old</p>"
    assert "1 no longer in the docs" in report.summary()
    live_confluence.stats.reset()
    assert publish(site.bundle()).plan.writes == 0
    assert live_confluence.stats.writes == 0

    publish(site.bundle(), cleanup=True)
    assert live_confluence.outline() == "DOC Home\n  FAQ"
