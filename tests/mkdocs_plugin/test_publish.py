"""``mkdocs build`` publishing into the sandbox over HTTP: the final tree is the nav."""

from __future__ import annotations

import logging

import pytest
from mkdocs.exceptions import Abort

from docs_confluence import storage

from .sites import png, xpath

PAGES = {
    "index.md": (
        "# Home\n\nStart with [install](guide/install.md#steps).\n\n![logo](img/logo.png)\n"
    ),
    "guide/index.md": "# Guide\n\nThe guide.\n",
    "guide/install.md": "# Install\n\n## Steps\n\nRun it.\n",
    "guide/advanced/tuning.md": "# Tuning\n\nFast.\n",
    "admin/index.md": "# Admin\n",
    "admin/install.md": "# Install\n\nAs root.\n",
    "img/logo.png": png(),
}
NAV = [
    "index.md",
    {
        "Guide": [
            "guide/index.md",
            "guide/install.md",
            {"Advanced": ["guide/advanced/tuning.md"]},
        ]
    },
    {"Admin": ["admin/index.md", "admin/install.md"]},
]


def test_build_publishes_the_nav_as_the_page_tree(make_site, live_confluence, target):
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]})
    assert live_confluence.tree() == [
        (
            "DOC Home",
            [
                ("Home", []),
                (
                    "Guide",
                    [("Install", []), ("Advanced", [("Tuning", [])])],
                ),
                ("Admin", [("Install (Admin)", [])]),
            ],
        )
    ]
    home = live_confluence.page("DOC", "Home")
    body = storage.parse_fragment(home.body)
    [link] = xpath(body, ".//ac:link")
    assert link.get(f"{{{storage.AC}}}anchor") == "steps"
    assert xpath(link, "string(ri:page/@ri:content-title)") == "Install"
    [logo] = live_confluence.store.attachments.of(home.id)
    assert (logo.title, logo.media_type) == ("logo.png", "image/png")


def test_second_build_changes_nothing(make_site, live_confluence, target):
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]})
    versions = {p.title: p.version for p in _pages(live_confluence)}
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]})
    assert {p.title: p.version for p in _pages(live_confluence)} == versions


def test_dry_run_writes_nothing(make_site, live_confluence, target):
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": {**target, "dry_run": True}}]})
    assert live_confluence.tree() == [("DOC Home", [])]


def test_dry_run_with_diff_logs_what_readers_will_see_change(
    make_site, live_confluence, target, logs
):
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]})
    changed = {**PAGES, "guide/advanced/tuning.md": "# Tuning\n\nFaster.\n"}
    options = {**target, "dry_run": True, "diff": True}
    make_site(changed, {"nav": NAV, "plugins": [{"confluence": options}]})
    shown = logs.at_least(logging.INFO)
    at = shown.index("confluence: Changes to 'Tuning':")
    assert shown[at + 1 : at + 3] == [
        "confluence:     - Fast.",
        "confluence:     + Faster.",
    ]
    assert "<p>Fast.</p>" in live_confluence.page("DOC", "Tuning").body  # nothing written


def test_a_conflict_warning_gives_the_edits_command_for_the_bundle(
    make_site, live_confluence, target, logs
):
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]})
    live_confluence.edit_as_human(live_confluence.page("DOC", "Tuning").id, "<p>By hand.</p>")
    site = make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]})
    [hint] = [w for w in logs.warnings() if "docs-confluence edits" in w]
    assert f"docs-confluence edits {site.root / '.confluence-bundle'} --url" in hint


def test_page_edited_in_confluence_is_kept_and_strict_builds_fail(
    make_site, live_confluence, target, logs
):
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]})
    tuning = live_confluence.page("DOC", "Tuning")
    live_confluence.edit_as_human(tuning.id, "<p>Edited by hand.</p>")
    changed = {**PAGES, "guide/advanced/tuning.md": "# Tuning\n\nFaster.\n"}
    with pytest.raises(Abort, match="in strict mode"):
        make_site(changed, {"nav": NAV, "plugins": [{"confluence": target}]}, strict=True)
    assert live_confluence.page("DOC", "Tuning").body == "<p>Edited by hand.</p>"
    assert any(w.startswith("confluence: Page 'Tuning'") for w in logs.warnings())


def _pages(harness):
    space = harness.space("DOC")
    return harness.store.pages.all(space_id=space.id)


def test_options_reach_the_engine_labels_and_on_conflict(make_site, live_confluence, target):
    options = {**target, "labels": ["docs"]}
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": options}]})
    tuning = live_confluence.page("DOC", "Tuning")
    assert tuning.labels == ("docs",)
    live_confluence.edit_as_human(tuning.id, "<p>Edited by hand.</p>")
    options = {**options, "on_conflict": "overwrite"}
    changed = {**PAGES, "guide/advanced/tuning.md": "# Tuning\n\nFaster.\n"}
    make_site(changed, {"nav": NAV, "plugins": [{"confluence": options}]})
    body = storage.parse_fragment(live_confluence.page("DOC", "Tuning").body)
    assert [p.text for p in xpath(body, "p")] == ["Faster."]


def test_under_github_actions_the_build_writes_the_job_summary(
    make_site, live_confluence, target, monkeypatch, tmp_path, caplog
):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    caplog.set_level("INFO")
    make_site(PAGES, {"nav": NAV, "plugins": [{"confluence": target}]})
    text = summary.read_text()
    assert text.startswith("### Confluence: published to space DOC\n")
    assert "| `guide/advanced/tuning.md` | created |" in text
    messages = [  # as MkDocs shows them
        r.getMessage().removeprefix("confluence: ")
        for r in caplog.records
        if r.name == "mkdocs.plugins.confluence"
    ]
    progress = [m for m in messages if m.startswith("[")]
    assert progress[-1].startswith("[8/8] ")
    assert [m.split("] ", 1)[0] for m in progress] == [f"[{n}/8" for n in range(1, 9)]
    lines = [m.split("] ", 1)[1].rsplit(" ", 1)[0] for m in progress]
    assert "Created 'Advanced' as page" in lines  # a nav section: no source file, no key
    assert "Created 'Tuning' (guide/advanced/tuning.md) as page" in lines
    assert messages[-1] == "Published to space DOC: 7 created"  # one summary, at the end


def test_the_environment_names_the_site_as_it_does_for_sphinx_and_the_cli(
    make_site, live_confluence, target, monkeypatch
):
    monkeypatch.setenv("CONFLUENCE_URL", target["url"])
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.setenv("CONFLUENCE_PARENT", "DOC Home")

    make_site({"index.md": "# Home\n"}, {"plugins": [{"confluence": {}}]})

    assert live_confluence.outline() == "DOC Home\n  Home"


def test_without_a_site_the_build_says_in_one_line_that_it_does_not_publish(
    make_site, live_confluence, monkeypatch, logs
):
    for name in ("CONFLUENCE_URL", "CONFLUENCE_SPACE", "CONFLUENCE_PARENT"):
        monkeypatch.delenv(name, raising=False)

    make_site({"index.md": "# Home\n"}, {"plugins": [{"confluence": {}}]})

    assert [m for m in logs.at_least(logging.INFO) if "Not publishing" in m] == [
        "confluence: Not publishing: no Confluence site is set (url in mkdocs.yml, or "
        "CONFLUENCE_URL and CONFLUENCE_SPACE in the environment)"
    ]
    assert live_confluence.outline() == "DOC Home"
