"""A source file moved to another folder, retitled and edited in one commit keeps its page (id,
history, comments, incoming links): neither its key nor its title finds the page, its content
does (docs_confluence.publisher.similar). A new page unlike any page that left the docs, a page
like two of them, and another project's page pair with nothing."""

from __future__ import annotations

import re

from docs_confluence.publisher.plan import format_plan
from docs_confluence.publisher.similar import Pairing, pair_similar, shingles

from .conftest import Site, writes_nothing

SETUP = (
    "<h2>Before you start</h2><p>Install Python 3.11 or newer and make sure the tool is on "
    "your path. You need an account on the Confluence site with permission to create pages in "
    "the space you publish to.</p><ul><li>Create an API token in your Atlassian account "
    "settings.</li><li>Store the token in the CI secret store, never in the repository.</li>"
    "</ul><p>Run the publish command once by hand to check the settings before the first CI "
    "run, then let the pipeline publish on every merge.</p>"
)
# The same page after the commit: a heading renamed, a sentence edited, one added.
INSTALLING = (
    "<h2>Requirements</h2><p>Install Python 3.12 or newer and make sure the tool is on "
    "your path. You need an account on the Confluence site with permission to create pages in "
    "the space you publish to.</p><ul><li>Create an API token in your Atlassian account "
    "settings.</li><li>Store the token in the CI secret store, never in the repository.</li>"
    "</ul><p>Run the publish command once by hand to check the settings before the first CI "
    "run, then let the pipeline publish on every merge. Pin the version you tested.</p>"
)
FAQ = (
    "<p>Why does my page show an old version? Confluence caches rendered pages for a short "
    "while; reload after a minute and the new version appears.</p>"
)
NEWS = (
    "<p>Release 2.0 brings a faster first publish, support for folders and a new command "
    "that prints the plan as a table before anything is written.</p>"
)


def docs(site, *, moved):
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    site.page("guide", "Guide", "<p>Guide</p>", parent="index")
    site.page("admin", "Admin", "<p>Admin</p>", parent="index")
    if not moved:
        site.page("guide/setup", "Setup", SETUP, parent="guide")
        site.page("guide/faq", "FAQ", FAQ, parent="guide")
    else:  # one commit: setup moved to admin/, retitled, edited; faq deleted; news added
        site.page("admin/installing", "Installing", INSTALLING, parent="admin")
        site.page("admin/news", "News", NEWS, parent="admin")
    return site.bundle()


def test_a_page_moved_retitled_and_edited_at_once_keeps_its_id_and_history(
    site, server, publish_to
):
    publish_to(docs(site, moved=False))
    setup, faq = server.page("DOC", "Setup"), server.page("DOC", "FAQ")

    bundle = docs(site, moved=True)
    report = publish_to(bundle)

    installing = server.page("DOC", "Installing")
    assert installing.id == setup.id  # the same page: history, comments and links kept
    assert installing.parent_id == server.page("DOC", "Admin").id
    assert installing.body == INSTALLING
    history = [v.title for v in server.store.pages.versions(setup.id)]
    assert history == ["Setup", "Installing"]
    (update,) = [
        a for a in report.plan.actions if a.key == "admin/installing" and a.kind == "update"
    ]
    assert re.fullmatch(r"moved and renamed from 'Setup' \((\d+)% similar\)", update.reasons[0])
    assert int(re.findall(r"\d+", update.reasons[0])[0]) >= 50
    assert "moved and renamed from 'Setup'" in format_plan(report.plan)
    # The deleted page and the unrelated new one do not pair: a new page, the old one orphaned.
    news = server.page("DOC", "News")
    assert news.id not in {setup.id, faq.id}
    assert [(a.kind, a.page_id) for a in report.plan.actions if a.key == "guide/faq"] == [
        ("orphan", faq.id)
    ]
    assert server.page_by_id(faq.id).title == "FAQ"
    assert writes_nothing(server, publish_to, bundle)


def test_a_page_like_two_that_left_pairs_with_neither(site, server, publish_to):
    site.page("index", "Home", "<p>Home</p>")
    site.page("a", "Setup on Linux", SETUP, parent="index")
    site.page("b", "Setup on macOS", SETUP.replace("3.11", "3.10"), parent="index")
    publish_to(site.bundle())
    linux, macos = server.page("DOC", "Setup on Linux"), server.page("DOC", "Setup on macOS")

    site.pages[1:] = []
    site.page("setup", "Setup", INSTALLING, parent="index")
    report = publish_to(site.bundle())

    assert server.page("DOC", "Setup").id not in {linux.id, macos.id}
    assert report.plan.rekeys == ()


def test_a_page_of_another_project_is_never_taken_by_content(tmp_path, server, publish_to):
    other = Site(tmp_path / "other")
    other.page("legacy", "Legacy setup", SETUP)
    publish_to(other.bundle(project="other"))
    legacy = server.page("DOC", "Legacy setup")
    other.pages.clear()
    other.page("kept", "Kept", "<p>Kept</p>")
    publish_to(other.bundle(project="other"))  # Legacy left the other project's docs

    ours = Site(tmp_path / "ours")
    ours.page("setup", "Setup", INSTALLING)
    publish_to(ours.bundle(project="demo"))

    assert server.page("DOC", "Setup").id != legacy.id
    assert server.page_by_id(legacy.id).title == "Legacy setup"


# -- the rule ----------------------------------------------------------------------------------


def test_pairs_are_one_to_one_above_the_threshold_and_never_ambiguous():
    setup, installing, faq, news = (shingles(x) for x in (SETUP, INSTALLING, FAQ, NEWS))
    assert pair_similar({"new": installing}, {"old": setup})[0].percent >= 50
    assert pair_similar({"new": news}, {"old": faq}) == []
    assert pair_similar({"new": installing}, {"a": setup, "b": setup}) == []  # two alike: none
    assert pair_similar({"x": installing, "y": setup}, {"old": setup}) == []
    assert pair_similar({"new": frozenset()}, {"old": frozenset()}) == []  # nothing to compare
    old = {"faq": faq, "setup": setup}
    new = {"news": news, "installing": installing}
    expected = [Pairing("installing", "setup", pair_similar(new, old)[0].percent)]
    assert pair_similar(new, old) == expected
    assert pair_similar(dict(reversed(new.items())), dict(reversed(old.items()))) == expected


def test_markup_whitespace_and_case_make_no_difference():
    assert shingles("<p>Install <b>the</b>  TOOL now</p>") == shingles(
        "<p>install the tool now</p>"
    )
