"""Titles as Confluence stores them. The API documents nothing a site does to a title (trim it,
collapse its whitespace, NFC-normalise it), so the sandbox can do each: the title we plan must be
the one the site stores under every one of them, or a republish renames the page (a new version
and a watcher notification on every CI run). Titles readers cannot tell apart (they differ only by
Unicode normalisation, invisible characters or whitespace) are made distinct, as duplicates are.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docs_confluence.publisher.title_moves import RETIRED_SUFFIX, order_titles
from docs_confluence.sandbox import SandboxStore, TitleRules
from docs_confluence.testing import SandboxHarness
from docs_confluence.titles import MAX_TITLE, TitleRequest, assign_titles

from .conftest import writes_nothing

#: Every behaviour a site may have, alone and together.
SITES = {
    "as-sent": TitleRules(),
    "trims": TitleRules(trim=True),
    "collapses": TitleRules(collapse=True),
    "normalises": TitleRules(nfc=True),
    "all-three": TitleRules(trim=True, collapse=True, nfc=True),
}


def reader_key(title: str) -> str:
    """What a reader can tell of a title: invisible characters, whitespace runs, Unicode
    normalisation and case make no difference to them (nor to the site's uniqueness rule)."""
    visible = "".join(c for c in title if unicodedata.category(c) != "Cf")
    return " ".join(unicodedata.normalize("NFC", visible).split()).casefold()


# -- the rule, for any text ---------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(" \t\u00a0\u2003\u200b\u200d\u2060\ufeff\u00ad\u0301\u0308\U0001f3fd"),
        st.sampled_from("eaAE\u00e9\u0130\u00df"),
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(
    titles=st.lists(_TEXT, min_size=1, max_size=6),
    prefix=st.sampled_from(["", "P ", "Docs  \u00a0", "Cafe\u0301: "]),
)
def test_a_planned_title_is_what_every_site_stores_and_readers_tell_them_apart(titles, prefix):
    requests = [TitleRequest("index", titles[0], None)]
    requests += [TitleRequest(f"p{n}", title, "index") for n, title in enumerate(titles[1:])]
    planned = assign_titles(requests, prefix=prefix)
    for title in planned.values():
        assert 0 < len(title) <= MAX_TITLE
        for rules in SITES.values():
            assert rules.stored(title) == title  # stored as planned: a republish renames nothing
    keys = [reader_key(title) for title in planned.values()]
    assert len(set(keys)) == len(keys), planned


def test_a_cut_title_ends_on_a_character_a_reader_sees():
    # q with a dot above has no precomposed form: a cut must not separate the dot from the q.
    cut = assign_titles([TitleRequest("a", "x" * 254 + "q\u0307 and more", None)])
    assert cut == {"a": "x" * 254}
    # nor a skin-tone modifier from its emoji, nor leave the space before them at the end
    cut = assign_titles([TitleRequest("a", "x" * 253 + " \U0001f44d\U0001f3fd ok", None)])
    assert cut == {"a": "x" * 253}


# -- through the client and the sandbox, over HTTP ---------------------------------------------


@pytest.fixture(params=list(SITES))
def server(request, flavor):
    store = SandboxStore(title_rules=SITES[request.param])
    with SandboxHarness.create(flavor=flavor, store=store).served() as live:
        yield live


def titles_of(server):
    space = server.space("DOC")
    return sorted(p.title for p in server.store.pages.all(space_id=space.id) if p.parent_id)


def test_a_title_cut_at_the_limit_is_stored_as_planned_and_never_renamed_again(
    site, server, publish_to
):
    site.page("index", "Home", "<p>Home</p>")
    long = "A" * 254 + " long title that Confluence cannot hold whole"  # the cut ends in a space
    site.page("long", long, "<p>Long</p>", parent="index")
    site.page("spaced", "  Spaced \u00a0  out\t", "<p>Spaced</p>", parent="index")
    site.page("accent", "Re\u0301sume\u0301", "<p>CV</p>", parent="index")
    bundle = site.bundle()

    publish_to(bundle)

    planned = sorted(page.title for page in bundle.pages)
    assert "A" * 254 in planned
    assert titles_of(server) == planned  # what the site stored is what we planned
    long_page = server.page("DOC", "A" * 254)
    assert writes_nothing(server, publish_to, bundle)  # no rename, no new version
    assert server.page_by_id(long_page.id).version == 1


def test_titles_readers_cannot_tell_apart_are_made_distinct(site, server, publish_to):
    site.page("index", "Home", "<p>Home</p>")
    site.page("nfc", "Caf\u00e9", "<p>composed</p>", parent="index")
    site.page("nfd", "Cafe\u0301", "<p>decomposed</p>", parent="index")
    site.page("zw", "Caf\u200b\u00e9", "<p>zero width</p>", parent="index")
    site.page("spaces", "Caf\u00e9 ", "<p>trailing space</p>", parent="index")
    bundle = site.bundle()

    publish_to(bundle)

    stored = titles_of(server)
    assert stored == ["Caf\u00e9", "Caf\u00e9 (2)", "Caf\u00e9 (3)", "Caf\u00e9 (Home)", "Home"]
    assert len({reader_key(title) for title in stored}) == 5  # a reader tells them apart
    assert server.page("DOC", "Caf\u00e9").body == "<p>composed</p>"
    assert writes_nothing(server, publish_to, bundle)


def test_a_retired_title_cut_at_the_limit_is_stored_as_planned():
    old = "A" * 230 + " " + "B" * 24  # the cut before the suffix ends in a space
    order = order_titles({old.casefold(): "1"}, {"1": old}, {}, {"new": old}, {"1"})
    (step,) = order.steps
    assert step.retired
    assert step.title == "A" * 230 + RETIRED_SUFFIX
    assert all(rules.stored(step.title) == step.title for rules in SITES.values())
