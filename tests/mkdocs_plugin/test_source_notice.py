"""The source notice: every published page says it is generated and links to its source."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import Abort

from docs_confluence import storage

from .sites import xpath

PAGES = {"index.md": "# Home\n\nWelcome.\n", "guide/install.md": "# Install\n\nRun it.\n"}
NAV = ["index.md", {"Guide": ["guide/install.md"]}]
REPO = {"repo_url": "https://github.com/acme/widgets", "edit_uri": "edit/main/docs/"}


def notice(harness, title):
    """The notice panel of a published page: its text and its link (None without one)."""
    body = storage.parse_fragment(harness.page("DOC", title).body)
    first = body[0]
    assert first.get(f"{{{storage.AC}}}name") == "info", "the notice is the first thing"
    text = " ".join(xpath(first, "string(.//p)").split())
    links = xpath(first, ".//a/@href")
    return text, links[0] if links else None


def site_config(target, **options):
    return {"nav": NAV, **REPO, "plugins": [{"confluence": {**target, **options}}]}


def test_every_page_links_to_the_file_to_edit(make_site, live_confluence, target):
    make_site(PAGES, site_config(target), notice=True)

    text, link = notice(live_confluence, "Install")
    assert link == "https://github.com/acme/widgets/edit/main/docs/guide/install.md"
    assert text.startswith("This page is generated from the documentation repository")
    assert text.endswith("Edit guide/install.md.")
    assert notice(live_confluence, "Home")[1] == (
        "https://github.com/acme/widgets/edit/main/docs/index.md"
    )
    # The page's own content follows the notice.
    body = storage.parse_fragment(live_confluence.page("DOC", "Install").body)
    assert [p.text for p in xpath(body, "p")] == ["Run it."]


def test_a_section_without_a_file_and_a_site_without_a_repository_name_no_link(
    make_site, live_confluence, target
):
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]}, notice=True)

    text, link = notice(live_confluence, "Install")
    assert link is None
    assert text.endswith("Source: guide/install.md")
    text, link = notice(live_confluence, "Guide")  # a nav section: no source file
    assert link is None
    assert text.endswith("Edit the source instead.")


def test_unchanged_notice_writes_nothing_and_new_text_updates_every_page(
    make_site, live_confluence, target
):
    make_site(PAGES, site_config(target), notice=True)
    versions = {t: live_confluence.page("DOC", t).version for t in ("Home", "Guide", "Install")}

    live_confluence.stats.reset()
    make_site(PAGES, site_config(target), notice=True)
    assert live_confluence.stats.writes == 0

    text = "Generated from {path}; edit it in Git."
    make_site(PAGES, site_config(target, source_notice_text=text), notice=True)
    assert {t: live_confluence.page("DOC", t).version for t in versions} == {
        t: v + 1 for t, v in versions.items()
    }
    assert notice(live_confluence, "Install")[0] == (
        "Generated from guide/install.md; edit it in Git. Edit guide/install.md."
    )

    make_site(PAGES, site_config(target, source_notice=False), notice=True)
    body = storage.parse_fragment(live_confluence.page("DOC", "Install").body)
    assert not xpath(body, ".//ac:structured-macro[@ac:name='info']")
    assert live_confluence.page("DOC", "Install").version == versions["Install"] + 2


def test_an_unknown_placeholder_in_the_text_stops_the_build(make_site, logs):
    config = {"plugins": [{"confluence": {"source_notice_text": "See {url}"}}]}
    with pytest.raises(Abort):
        make_site(PAGES, config, notice=True)
    assert any("source_notice_text" in e and "{url}" in e for e in logs.errors())
