"""Titles move freely between our pages: swaps, chains, a new page taking an old page's title,
an orphan holding a title a live page wants. Each publishes in one run, over HTTP."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docs_confluence.publisher.title_moves import order_titles


def publish_twice_is_quiet(publish, live_confluence, bundle):
    live_confluence.stats.reset()
    assert publish(bundle).plan.writes == 0
    assert live_confluence.stats.writes == 0


def test_two_pages_swap_titles_in_one_publish(site, publish, live_confluence):
    site.page("a", "Alpha", "<p>a</p>").page("b", "Beta", "<p>b</p>")
    publish(site.bundle())
    ids = {t: live_confluence.page("DOC", t).id for t in ("Alpha", "Beta")}
    site.pages = [("a", "Beta", "<p>a</p>", None, (), ()), ("b", "Alpha", "<p>b</p>", None, (), ())]
    bundle = site.bundle()

    publish(bundle)

    assert live_confluence.page("DOC", "Beta").id == ids["Alpha"]
    assert live_confluence.page("DOC", "Beta").body == "<p>a</p>"
    assert live_confluence.page("DOC", "Alpha").id == ids["Beta"]
    assert live_confluence.outline() == "DOC Home\n  Beta\n  Alpha"
    publish_twice_is_quiet(publish, live_confluence, bundle)


def test_reordered_nav_swaps_disambiguated_titles(site, publish, live_confluence):
    site.page("a", "Guide", "<p>a</p>").page("a/setup", "Setup", "<p>1</p>", parent="a")
    site.page("b", "Admin", "<p>b</p>").page("b/setup", "Setup", "<p>2</p>", parent="b")
    bundle = site.bundle()
    first = {p.key: p.title for p in bundle.pages}
    publish(bundle)
    site.pages = [site.pages[2], site.pages[3], site.pages[0], site.pages[1]]
    bundle = site.bundle()
    second = {p.key: p.title for p in bundle.pages}
    assert first["a/setup"] == second["b/setup"]  # the disambiguated titles did swap

    publish(bundle)

    for page in bundle.pages:
        assert live_confluence.page("DOC", page.title).body == bundle.read_body(page)
    publish_twice_is_quiet(publish, live_confluence, bundle)


def test_a_rename_chain_and_a_new_page_taking_an_old_title(site, publish, live_confluence):
    site.page("install", "Install", "<p>i</p>").page("configure", "Configure", "<p>c</p>")
    publish(site.bundle())
    site.pages = [
        ("install", "Configure", "<p>i</p>", None, (), ()),
        ("configure", "Configuration", "<p>c</p>", None, (), ()),
        ("fresh", "Install", "<p>new</p>", None, (), ()),
    ]
    bundle = site.bundle()

    publish(bundle)

    assert live_confluence.page("DOC", "Configure").body == "<p>i</p>"
    assert live_confluence.page("DOC", "Configuration").body == "<p>c</p>"
    assert live_confluence.page("DOC", "Install").body == "<p>new</p>"
    publish_twice_is_quiet(publish, live_confluence, bundle)


def test_removing_one_of_two_same_named_pages_with_cleanup_off(site, publish, live_confluence):
    site.page("a", "Guide", "<p>a</p>").page("a/faq", "FAQ", "<p>1</p>", parent="a")
    site.page("b", "Admin", "<p>b</p>").page("b/faq", "FAQ", "<p>2</p>", parent="b")
    publish(site.bundle())
    site.pages = [site.pages[0], site.pages[2], site.pages[3]]  # a/faq left the docs
    bundle = site.bundle()
    assert bundle.page("b/faq").title == "FAQ"

    report = publish(bundle)

    assert live_confluence.page("DOC", "FAQ").body == "<p>2</p>"
    assert report.plan.count("orphan") == 1
    assert live_confluence.page("DOC", "FAQ (no longer in the docs)").body == "<p>1</p>"
    publish_twice_is_quiet(publish, live_confluence, bundle)


# -- the ordering itself, for any permutation --------------------------------------------------

TITLES = ["A", "B", "C", "D", "E", "F"]


@given(
    st.permutations(TITLES),
    st.integers(min_value=0, max_value=len(TITLES)),
    st.sets(st.sampled_from(TITLES)),
)
def test_any_reshuffle_of_titles_never_collides(shuffled, live_count, orphan_titles):
    """Our pages hold TITLES; live pages want a permutation of them (and new pages want the
    rest); orphans may hold some. Replaying the steps never puts two pages on one title, and
    every page ends with the title it wants."""
    ids = [f"p{n}" for n in range(len(TITLES))]
    current = dict(zip(ids, TITLES, strict=True))
    live = ids[:live_count]
    renames = {pid: shuffled[n] for n, pid in enumerate(live) if shuffled[n] != current[pid]}
    creates = {f"new{n}": shuffled[n] for n in range(live_count, len(TITLES))}
    stays = {pid for n, pid in enumerate(live) if shuffled[n] == current[pid]}
    retirable = {pid for pid in ids[live_count:] if current[pid] in orphan_titles | set(shuffled)}
    holders = {title.casefold(): pid for pid, title in current.items()}

    order = order_titles(holders, current, renames, creates, retirable)

    held = dict(holders)
    titles = dict(current)
    for step in order.steps:
        assert step.title.casefold() not in held, f"{step} collides"
        del held[titles[step.page_id].casefold()]
        held[step.title.casefold()] = step.page_id
        titles[step.page_id] = step.title
    for pid, title in renames.items():
        if pid not in order.early:
            assert held.get(title.casefold(), pid) == pid, "a late rename would collide"
            held.pop(titles[pid].casefold(), None)
            held[title.casefold()] = pid
            titles[pid] = title
    for key, title in creates.items():
        assert title.casefold() not in held, f"create {key} would collide"
        held[title.casefold()] = key
    assert not order.blocked
    assert all(titles[pid] == current[pid] for pid in stays)
